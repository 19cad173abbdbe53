"""The admin's home, per role: what this person can act on next.

Each panel is shown only to those the permission matrix (`portal.roles`)
allows to act on it, checked with `user.has_perm` or Wagtail's page
permissions, and costs a fixed number of queries however much is stored.
"""

from django.db.models import (
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState

from events import permissions as events_permissions
from events.models import (
    Booking,
    EventIndexPage,
    EventPage,
    FinancialCommitment,
    Occurrence,
    Registration,
    RegistrationList,
)
from events.models.finance import format_euros
from events.models.rooms import format_span
from portal import mail
from resources import permissions as resources_permissions
from resources.models import (
    BadgeRequest,
    GuideIndexPage,
    GuidePage,
    LearningPathIndexPage,
    LearningPathPage,
)

# Permission names are the apps' own (events/permissions.py,
# resources/permissions.py); the failed-mail list is the portal's.
AWARD_PERMISSION = resources_permissions.AWARD_PERMISSION
SEE_FAILED_MAIL_PERMISSION = "portal.view_outgoingmail"
SEE_REGISTRATIONS_PERMISSION = events_permissions.VIEW_REGISTRATIONS
REQUEST_ROOM_PERMISSION = events_permissions.REQUEST_BOOKINGS
DECIDE_BOOKING_PERMISSION = events_permissions.DECIDE_BOOKINGS


class OptionalPanel(Component):
    """A panel that shows nothing at all when it has nothing to say; its
    context is computed once."""

    empty_when_missing = "rows"

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context[self.empty_when_missing]:
            return ""
        return get_template(self.template_name).render(context)


# --- Quick actions -----------------------------------------------------------


class QuickActionsPanel(OptionalPanel):
    """« Proposer un événement », « Écrire un guide »…: each opens the add
    form of the right page type under its section, for those who may add
    there."""

    name = "portal_quick_actions"
    template_name = "portal/admin/home/quick_actions.html"
    order = 50
    empty_when_missing = "actions"

    ACTIONS = [
        (_("Proposer un événement"), EventIndexPage, EventPage, "date"),
        (_("Écrire un guide"), GuideIndexPage, GuidePage, "doc-full"),
        (_("Créer un parcours"), LearningPathIndexPage, LearningPathPage, "list-ol"),
    ]

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        actions = []
        for label, index_class, page_class, icon in self.ACTIONS:
            index = index_class.objects.first()
            if index is None or not index.permissions_for_user(user).can_add_subpage():
                continue
            url = reverse(
                "wagtailadmin_pages:add",
                args=[
                    page_class._meta.app_label,
                    page_class._meta.model_name,
                    index.pk,
                ],
            )
            actions.append({"label": label, "url": url, "icon": icon})
        if user.has_perm(REQUEST_ROOM_PERMISSION):
            actions.append(
                {
                    "label": _("Demander la salle"),
                    "url": reverse("room_bookings:add"),
                    "icon": "home",
                }
            )
        return {"actions": actions}


# --- « Mes contenus et où ils en sont » ----------------------------------------


def page_stage(page, state):
    """Where a page stands, in the words of its author."""
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("Modifications demandées")
    if state is not None:
        return _("En attente de relecture")
    if page.approved_schedule:
        return _("Publication programmée")
    if page.live and page.has_unpublished_changes:
        return _("En ligne, modifications en brouillon")
    if page.live:
        return _("En ligne")
    return _("Brouillon")


def pages_of(user):
    """The pages this person has a hand in: those they own, and those they
    edited or submitted for review (a draft made by a colleague, e.g. the
    event of a room booking, that they finished and sent): approved and
    published ones included, so they can follow what became of them."""
    page_id = Cast(OuterRef("pk"), CharField())
    return Page.objects.filter(
        Q(owner=user)
        | Exists(Revision.page_revisions.filter(object_id=page_id, user=user))
        | Exists(
            WorkflowState.objects.filter(
                base_content_type__model="page",
                base_content_type__app_label="wagtailcore",
                object_id=page_id,
                requested_by=user,
            )
        )
    )


class MyPagesPanel(Component):
    """The pages an editor owns, the most recently changed first, each with
    where it stands in the workflow and the reviewer's last comment."""

    name = "portal_my_pages"
    template_name = "portal/admin/home/my_pages.html"
    order = 205
    limit = 10

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        pages = list(
            pages_of(request.user)
            .exclude(depth=1)
            .annotate_approved_schedule()
            .order_by("-latest_revision_created_at")
            .select_related("content_type")[: self.limit]
        )
        last_comment = (
            TaskState.objects.filter(workflow_state=OuterRef("pk"))
            .exclude(comment="")
            .order_by("-finished_at", "-pk")
            .values("comment")[:1]
        )
        states = {
            int(state.object_id): state
            for state in WorkflowState.objects.active()
            .filter(
                base_content_type__model="page",
                base_content_type__app_label="wagtailcore",
                object_id__in=[str(page.pk) for page in pages],
            )
            .annotate(last_comment=Subquery(last_comment))
        }
        return {
            "rows": [
                {
                    "page": page,
                    "stage": page_stage(page, states.get(page.pk)),
                    "comment": getattr(states.get(page.pk), "last_comment", ""),
                    "type": page.content_type.name,
                }
                for page in pages
            ],
            "request": request,
        }


# --- Next dates: how full, who waits -------------------------------------------


def _registrations_of_occurrence():
    return Registration.objects.filter(
        event=OuterRef("event"), occurrence_start=OuterRef("start")
    )


class NextDatesPanel(OptionalPanel):
    """The next dates that take registrations, with how full they are and
    how many people wait: « complet », « 5 en attente »."""

    name = "portal_next_dates"
    template_name = "portal/admin/home/next_dates.html"
    order = 110
    limit = 8

    def get_context_data(self, parent_context):
        confirmed = (
            _registrations_of_occurrence()
            .filter(status=Registration.Status.CONFIRMED)
            .values("occurrence_start")
            .annotate(total=Sum("seats"))
            .values("total")
        )
        waiting = (
            _registrations_of_occurrence()
            .filter(status=Registration.Status.WAITING)
            .values("occurrence_start")
            .annotate(people=Count("pk"))
            .values("people")
        )
        sheet = RegistrationList.objects.filter(
            event=OuterRef("event"), occurrence_start=OuterRef("start")
        ).values("pk")
        occurrences = (
            Occurrence.objects.public()
            .upcoming()
            .not_cancelled()
            .filter(event__capacity__isnull=False)
            .select_related("event")
            .annotate(
                confirmed=Coalesce(Subquery(confirmed), 0, output_field=IntegerField()),
                waiting=Coalesce(Subquery(waiting), 0, output_field=IntegerField()),
                sheet_pk=Subquery(sheet),
            )[: self.limit]
        )
        rows = []
        for occurrence in occurrences:
            capacity = occurrence.event.capacity
            rows.append(
                {
                    "occurrence": occurrence,
                    "capacity": capacity,
                    "confirmed": occurrence.confirmed,
                    "waiting": occurrence.waiting,
                    "full": occurrence.confirmed >= capacity,
                    "percent": round(100 * occurrence.confirmed / capacity)
                    if capacity
                    else 100,
                    "url": _occurrence_url(occurrence.sheet_pk),
                }
            )
        return {"rows": rows}


def _occurrence_url(registration_list_pk):
    if registration_list_pk is None:
        return ""
    return reverse("registration_occurrence:occurrence", args=[registration_list_pk])


# --- Badge requests to decide ----------------------------------------------------


class BadgeRequestsPanel(OptionalPanel):
    """Badge requests waiting for a decision, the oldest first."""

    name = "portal_badge_requests"
    template_name = "portal/admin/home/badge_requests.html"
    order = 120
    limit = 5

    def get_context_data(self, parent_context):
        pending = BadgeRequest.objects.filter(status=BadgeRequest.Status.PENDING)
        rows = pending.select_related("badge_class").order_by("created_at")
        return {
            "rows": list(rows[: self.limit]),
            "count": pending.count(),
            "listing_url": _listing_url(),
        }


def _listing_url():
    try:
        return reverse("badge_requests:index") + "?status=en_attente"
    except NoReverseMatch:
        return ""


# --- Room requests and town commitments waiting ---------------------------------


class BookingRequestsPanel(OptionalPanel):
    """Room requests from CLX waiting for the médiathèque's answer."""

    name = "portal_booking_requests"
    template_name = "portal/admin/home/booking_requests.html"
    order = 125
    limit = 5

    def get_context_data(self, parent_context):
        pending = Booking.objects.pending()
        rows = pending.select_related("room__venue", "requested_by").order_by(
            "requested_at"
        )
        return {
            "rows": [
                {
                    "booking": booking,
                    "when": format_span(booking.start, booking.end),
                    "url": reverse("room_bookings:inspect", args=[booking.pk]),
                }
                for booking in rows[: self.limit]
            ],
            "count": pending.count(),
            "listing_url": reverse("room_bookings:index"),
        }


class CommitmentsPanel(OptionalPanel):
    """Financial commitments waiting for this person's side: the town's
    authorisation (médiathèque) or CLX's agreement on a shared line."""

    name = "portal_commitments"
    template_name = "portal/admin/home/commitments.html"
    order = 126
    limit = 5

    def __init__(self, party):
        self.party = party

    def get_context_data(self, parent_context):
        field = "town_status" if self.party == "town" else "clx_status"
        pending = FinancialCommitment.objects.filter(
            **{field: FinancialCommitment.Agreement.PENDING}
        )
        rows = pending.select_related("event").order_by("created_at")
        return {
            "rows": [
                {
                    "line": line,
                    "amount": format_euros(line.amount),
                    "url": reverse("commitments:inspect", args=[line.pk]),
                }
                for line in rows[: self.limit]
            ],
            "count": pending.count(),
            "party": self.party,
            "listing_url": reverse("commitments:index"),
        }


# --- E-mails the queue gave up on ----------------------------------------------


class FailedMailPanel(OptionalPanel):
    """How many messages the mail server refused for a day, with a link to
    « Envois en échec » where staff resend them."""

    name = "failed_mail"
    order = 90
    template_name = "portal/admin/home/failed_mail.html"
    empty_when_missing = "count"

    def get_context_data(self, parent_context=None):
        count = mail.failed_count()
        return {
            "count": count,
            "message": ngettext("%(n)d envoi en échec", "%(n)d envois en échec", count)
            % {"n": count},
            "url": reverse("failed_mail:index"),
        }


def panels_for(user):
    """The portal's own panels for this user, in the order of the matrix."""
    panels = [QuickActionsPanel()]
    if not user.is_superuser:
        panels.append(MyPagesPanel())
    if user.has_perm(SEE_REGISTRATIONS_PERMISSION):
        panels.append(NextDatesPanel())
    if user.has_perm(SEE_FAILED_MAIL_PERMISSION):
        panels.append(FailedMailPanel())
    if user.has_perm(AWARD_PERMISSION):
        panels.append(BadgeRequestsPanel())
    if user.has_perm(DECIDE_BOOKING_PERMISSION):
        panels.append(BookingRequestsPanel())
    # Money decisions are a partner's, not a superuser's (events.permissions).
    if events_permissions.may_authorise_for_town(user):
        panels.append(CommitmentsPanel("town"))
    if events_permissions.may_agree_for_clx(user):
        panels.append(CommitmentsPanel("clx"))
    return panels
