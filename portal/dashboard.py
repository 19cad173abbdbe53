"""The admin's home, per role: what this person can act on next.

Each panel is shown only to those the permission matrix (`portal.roles`)
allows to act on it, checked with `user.has_perm` or Wagtail's page
permissions, and costs a fixed number of queries however much is stored.
"""

from dataclasses import dataclass

from django.db.models import (
    CharField,
    Exists,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Cast
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState

from portal import mail

# The failed-mail list is the portal's own.
SEE_FAILED_MAIL_PERMISSION = "portal.view_outgoingmail"


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


@dataclass(frozen=True)
class QuickAction:
    """One button of « Actions rapides »: the add form of ``page_class``
    under the first ``index_class`` page (for those who may add there), or
    a plain ``url_name`` for those who hold ``permission``. Each app offers
    its own through the ``portal_quick_actions`` hook; ``order`` sorts them."""

    label: str
    icon: str
    order: int
    index_class: type | None = None
    page_class: type | None = None
    url_name: str = ""
    permission: str = ""


class QuickActionsPanel(OptionalPanel):
    """« Proposer un événement », « Écrire un guide »…: each opens the add
    form of the right page type under its section, for those who may add
    there."""

    name = "portal_quick_actions"
    template_name = "portal/admin/home/quick_actions.html"
    order = 50
    empty_when_missing = "actions"

    @staticmethod
    def offered():
        hooked = hooks.get_hooks("portal_quick_actions")
        actions = [action for hook in hooked for action in hook()]
        return sorted(actions, key=lambda action: action.order)

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        actions = []
        for action in self.offered():
            if action.page_class is not None:
                index = action.index_class.objects.first()
                if (
                    index is None
                    or not index.permissions_for_user(user).can_add_subpage()
                ):
                    continue
                model = action.page_class._meta
                url = reverse(
                    "wagtailadmin_pages:add",
                    args=[model.app_label, model.model_name, index.pk],
                )
            elif user.has_perm(action.permission):
                url = reverse(action.url_name)
            else:
                continue
            actions.append({"label": action.label, "url": url, "icon": action.icon})
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
    """The portal's own panels for this user; each app adds its own through
    Wagtail's ``construct_homepage_panels`` hook (events, resources…)."""
    panels = [QuickActionsPanel()]
    if not user.is_superuser:
        panels.append(MyPagesPanel())
    if user.has_perm(SEE_FAILED_MAIL_PERMISSION):
        panels.append(FailedMailPanel())
    return panels
