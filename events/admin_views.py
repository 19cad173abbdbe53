"""Admin views of rooms, bookings and financial commitments, served as URL
patterns of the viewsets in `events.viewsets`. Thin: each one checks a
permission of the roles matrix, calls one rule of `events.rooms` or
`events.finance`, and renders or redirects with a French message."""

import calendar
import csv
import datetime
import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.widgets import Button

from portal import formats
from portal.admin import IndexView
from portal.exports import neutralise_formula

from . import finance, permissions, recurrence, rooms
from . import registration as rules
from .forms import BookingDecisionForm, CommitmentDecisionForm
from .models import (
    Booking,
    BookingDate,
    EventIndexPage,
    EventPage,
    FinancialCommitment,
    Registration,
    RegistrationList,
    Room,
    format_span,
)

DECIDE_BOOKINGS = "events.decide_booking"
VIEW_BOOKINGS = "events.view_booking"
VIEW_COMMITMENTS = "events.view_financialcommitment"
EXPORT_COMMITMENTS = "events.export_financialcommitment"


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


# -- Bookings --------------------------------------------------------------------------


class BookingCreateView(CreateView):
    """The request form: stored as pending only if the room is free."""

    def save_instance(self):
        return rooms.request_booking(self.form.save(commit=False), self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except rooms.BookingRefused as refused:
            form.add_error("start", refused.message)
            self.produced_error_message = _(
                "La salle n'est pas libre : la demande n'a pas été enregistrée."
            )
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return _(
            "Demande enregistrée : la médiathèque est prévenue par e-mail et "
            "vous recevrez sa réponse."
        )

    def get_success_url(self):
        return reverse("room_bookings:inspect", args=(self.object.pk,))


class BookingInspectView(InspectView):
    template_name = "events/admin/booking_inspect.html"

    def get_fields(self):
        fields = [
            "room",
            "details",
            "expected_attendance",
            "setup_minutes",
            "tidy_minutes",
            "status",
            "requested_by",
            "requested_at",
        ]
        # What was decided, once it was (Wagtail asks before setting object).
        booking = getattr(self, "object", None) or self.get_object()
        for name in ("decided_by", "decided_at", "decision_comment", "event"):
            if getattr(booking, name):
                fields.append(name)
        return fields

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if field_name in ("requested_by", "decided_by") and value is not None:
            return value.get_full_name() or value.get_username()
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = self.object
        user = self.request.user
        pending = booking.status == Booking.Status.PENDING
        can_decide = user.has_perm(DECIDE_BOOKINGS) and pending
        agenda = EventIndexPage.objects.first()
        context.update(
            {
                "booking": booking,
                "when": format_span(booking.start, booking.end),
                "dates": list(booking.booked_dates.all()[:60]),
                "date_count": booking.booked_dates.count(),
                "conflicts": rooms.booking_conflicts(booking) if can_decide else [],
                "decision_form": BookingDecisionForm() if can_decide else None,
                "can_draft": (
                    booking.status == Booking.Status.CONFIRMED
                    and not booking.event_id
                    and agenda is not None
                    and agenda.permissions_for_user(user).can_add_subpage()
                ),
                "month_url": reverse(
                    "rooms:month",
                    args=(
                        booking.room_id,
                        timezone.localtime(booking.start).year,
                        timezone.localtime(booking.start).month,
                    ),
                ),
            }
        )
        return context


@require_POST
def booking_decide(request, pk):
    _require(request, DECIDE_BOOKINGS)
    booking = get_object_or_404(Booking, pk=pk)
    form = BookingDecisionForm(request.POST)
    back = reverse("room_bookings:inspect", args=(pk,))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        if form.cleaned_data["decision"] == "confirm":
            rooms.confirm(booking, request.user, form.cleaned_data["comment"])
            messages.success(request, _("Réservation confirmée ; CLX est prévenu."))
        else:
            rooms.decline(booking, request.user, form.cleaned_data["comment"])
            messages.success(request, _("Demande refusée ; CLX est prévenu."))
    except rooms.BookingRefused as refused:
        messages.error(request, refused.message)
    return redirect(back)


@require_POST
def booking_draft_event(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("room__venue"), pk=pk)
    agenda = EventIndexPage.objects.first()
    if (
        agenda is None
        or not agenda.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    if not request.user.has_perm(VIEW_BOOKINGS):
        raise PermissionDenied
    try:
        event = rooms.draft_event(booking, request.user, agenda)
    except rooms.BookingRefused as refused:
        messages.error(request, refused.message)
        return redirect("room_bookings:inspect", pk)
    messages.success(
        request,
        _("Brouillon d'événement créé avec la salle et les dates : complétez-le."),
    )
    return redirect("wagtailadmin_pages:edit", event.pk)


# -- A room's month --------------------------------------------------------------------


class RoomMonthView(WagtailAdminTemplateMixin, TemplateView):
    """Slots, bookings (pending and confirmed) and events of one room for
    one month, day by day."""

    template_name = "events/admin/room_month.html"
    header_icon = "date"

    def dispatch(self, request, pk, year, month):
        _require(request, "events.view_room")
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise Http404
        self.room = get_object_or_404(Room.objects.select_related("venue"), pk=pk)
        self.year, self.month = year, month
        return super().dispatch(request, pk, year, month)

    def get_page_title(self):
        return _("%(room)s – %(month)s") % {
            "room": self.room.name,
            "month": formats.month(datetime.date(self.year, self.month, 1)),
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("rooms:index"), "label": _("Salles")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first = datetime.date(self.year, self.month, 1)
        days_in_month = calendar.monthrange(self.year, self.month)[1]
        following = first + datetime.timedelta(days=days_in_month)
        lo = recurrence.localize(datetime.datetime.combine(first, datetime.time()))
        hi = recurrence.localize(datetime.datetime.combine(following, datetime.time()))
        items = {}

        def add(start, end, kind, label, url=""):
            day = timezone.localtime(start).date()
            items.setdefault(day, []).append(
                {
                    "kind": kind,
                    "label": label,
                    "when": format_span(start, end),
                    "start": start,
                    "url": url,
                }
            )

        for start, end in rooms.slot_dates(self.room, lo, hi):
            add(start, end, "slot", _("Créneau convenu"))
        for start, end, reason in rooms.closure_spans(self.room, lo, hi):
            add(max(start, lo), min(end, hi), "closure", reason)
        for row in (
            BookingDate.objects.filter(
                room=self.room, blocked_start__lt=hi, blocked_end__gt=lo
            )
            .exclude(
                booking__status__in=[Booking.Status.DECLINED, Booking.Status.CANCELLED]
            )
            .select_related("booking")
        ):
            booking = row.booking
            add(
                row.start,
                row.end,
                "booking-" + booking.status,
                f"{booking.purpose} ({booking.get_status_display().lower()})",
                reverse("room_bookings:inspect", args=(booking.pk,)),
            )
        for start, end, title, _s, _e in rooms.event_blocks(self.room, lo, hi):
            add(start, end, "event", title)

        days = []
        for number in range(1, days_in_month + 1):
            day = datetime.date(self.year, self.month, number)
            entries = sorted(items.get(day, []), key=lambda item: item["start"])
            days.append({"date": day, "entries": entries})
        previous = first - datetime.timedelta(days=1)
        user = self.request.user
        feed_url = ""
        if user.has_perm(VIEW_BOOKINGS) and user.has_perm("events.change_room"):
            feed_url = self.request.build_absolute_uri(
                reverse("events:room_bookings_ics", args=(self.room.feed_token,))
            )
        context.update(
            {
                "room": self.room,
                "days": days,
                "previous_url": reverse(
                    "rooms:month", args=(self.room.pk, previous.year, previous.month)
                ),
                "next_url": reverse(
                    "rooms:month", args=(self.room.pk, following.year, following.month)
                ),
                "feed_url": feed_url,
                "can_request": user.has_perm("events.add_booking"),
            }
        )
        return context


def room_this_month(request, pk):
    today = timezone.localdate()
    return redirect("rooms:month", pk, today.year, today.month)


# -- Financial commitments -------------------------------------------------------------


class CommitmentIndexView(IndexView):
    """The lines, filterable by year of the event; CSV/XLSX exports (formulas
    neutralised by the shared base) take the export permission."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")

    @property
    def show_export_buttons(self):
        return self.request.user.has_perm(EXPORT_COMMITMENTS)

    def dispatch(self, request, *args, **kwargs):
        if request.GET.get("export") and not request.user.has_perm(EXPORT_COMMITMENTS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CommitmentCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("event", "").isdigit():
            initial["event"] = int(self.request.GET["event"])
        return initial

    def save_instance(self):
        return finance.save_line(self.form.save(commit=False), self.request.user)

    def get_success_url(self):
        return reverse("commitments:inspect", args=(self.object.pk,))


class CommitmentEditView(EditView):
    def save_instance(self):
        return finance.save_line(
            self.form.save(commit=False),
            self.request.user,
            changed_fields=self.form.changed_data,
        )


class CommitmentInspectView(InspectView):
    template_name = "events/admin/commitment_inspect.html"

    def get_fields(self):
        return ["event", "label", "amount", "payer", "town_status", "clx_status"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        line = self.object
        user = self.request.user
        forms = []
        if line.needs_town and user.has_perm(finance.TOWN_PERMISSION):
            forms.append(
                (
                    _("Autorisation de la ville"),
                    CommitmentDecisionForm(initial={"party": "town"}),
                )
            )
        if line.needs_clx and user.has_perm(finance.CLX_PERMISSION):
            forms.append(
                (_("Accord de CLX"), CommitmentDecisionForm(initial={"party": "clx"}))
            )
        context.update(
            {
                "line": line,
                "decisions": line.decisions.select_related("user"),
                "decision_forms": forms,
                "others": FinancialCommitment.objects.filter(event=line.event_id)
                .exclude(pk=line.pk)
                .order_by("pk"),
                "block_message": finance.block_message(
                    FinancialCommitment.objects.filter(event=line.event_id)
                ),
                "document_url": reverse("commitments:document", args=(line.pk,))
                if line.document
                else "",
            }
        )
        return context


@require_POST
def commitment_decide(request, pk):
    line = get_object_or_404(FinancialCommitment, pk=pk)
    form = CommitmentDecisionForm(request.POST)
    back = reverse("commitments:inspect", args=(pk,))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    decide = {
        ("town", "give"): finance.authorise_town,
        ("town", "refuse"): finance.refuse_town,
        ("clx", "give"): finance.agree_clx,
        ("clx", "refuse"): finance.refuse_clx,
    }[(data["party"], data["decision"])]
    try:
        decide(line, request.user, data["comment"])
    except finance.DecisionRefused as refused:
        if refused.status == 403:
            raise PermissionDenied(refused.message) from refused
        messages.error(request, refused.message)
        return redirect(back)
    messages.success(request, _("Décision enregistrée."))
    return redirect(back)


def commitment_document(request, pk):
    """The quote or invoice, for people who may see the commitments."""
    _require(request, VIEW_COMMITMENTS)
    line = get_object_or_404(FinancialCommitment, pk=pk)
    if not line.document:
        raise Http404
    name = line.document.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(line.document.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


def event_commitments_url(event):
    return reverse("commitments:index") + f"?event={event.pk}"


# -- The editor's side of the publish guard (see events.finance) -----------------------
# The guard in events.finance refuses every route; these hooks make the admin
# say why, in French, instead of a bare « permission denied ».


def _unsettled_message(page):
    if not isinstance(page.specific_deferred, EventPage) or page.pk is None:
        return ""
    return finance.block_message(FinancialCommitment.objects.filter(event=page.pk))


REFUSED_MARK = "publication-refusee"


def _back_to_editor(page):
    # Marked so that the editor does not repeat the reason as a warning.
    return redirect(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)) + f"?{REFUSED_MARK}=1"
    )


def refuse_unsettled_publish(request, page):
    """before_publish_page: publish and schedule from the editor."""
    message = _unsettled_message(page)
    if message:
        messages.error(request, message)
        return _back_to_editor(page)
    return None


def _approves(request):
    return (
        request.method == "POST"
        and bool(request.POST.get("action-workflow-action"))
        and request.POST.get("workflow-action-name") == "approve"
    )


def warn_or_refuse_on_edit(request, page):
    """before_edit_page: an approval from the editor is refused with the
    reason; opening the editor shows what is still waiting."""
    message = _unsettled_message(page)
    if not message:
        return None
    if _approves(request):
        messages.error(request, message)
        return _back_to_editor(page)
    if request.method == "GET" and REFUSED_MARK not in request.GET:
        messages.warning(request, message)
    return None


def refuse_unsettled_bulk_publish(request, action_type, objects, action):
    """before_bulk_action: « Publier » on a selection with such an event."""
    if action_type != "publish":
        return None
    blocked = [page for page in objects if _unsettled_message(page)]
    if not blocked:
        return None
    for page in blocked:
        messages.error(
            request, f"{page.get_admin_display_title()} : {_unsettled_message(page)}"
        )
    return redirect(action.next_url or reverse("wagtailadmin_home"))


def refuse_live_copy(request, page):
    """before_copy_page: a copy with money lines starts as a draft, since
    its lines ask for their agreements again."""
    if (
        request.method == "POST"
        and request.POST.get("publish_copies")
        and isinstance(page.specific_deferred, EventPage)
        and any(
            line.needs_town or line.needs_clx
            for line in FinancialCommitment.objects.filter(event=page.pk)
        )
    ):
        messages.error(
            request,
            _(
                "Cet événement a des engagements financiers : copiez-le sans le "
                "publier, ses dépenses devront être autorisées à nouveau."
            ),
        )
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


def copy_commitments(request, page, new_page):
    """after_copy_page: the copy carries the lines, each waiting again."""
    if isinstance(page.specific_deferred, EventPage):
        finance.copy_lines(page.pk, new_page)


def commitments_header_button(page, user, view_name, next_url=None):
    """register_page_header_buttons: the event's money lines, one click away."""
    if not isinstance(page.specific_deferred, EventPage) or not user.has_perm(
        VIEW_COMMITMENTS
    ):
        return
    lines = list(FinancialCommitment.objects.filter(event=page.pk))
    waiting = len(finance.unsettled(lines))
    label = _("Engagements financiers (%(count)s)") % {"count": len(lines)}
    if waiting:
        label = _("Engagements financiers (%(count)s, dont %(waiting)s en attente)") % {
            "count": len(lines),
            "waiting": waiting,
        }
    yield Button(
        label,
        url=reverse("commitments:index") + f"?event={page.pk}",
        icon_name="doc-full",
        priority=90,
    )


# -- Registrations (audit data: see events.permissions) --------------------------
# Registrations are made by the public and changed by the rules of
# `events.registration`, never by hand. The occurrence views below are URL
# patterns of `viewsets.RegistrationOccurrenceViewSet`
# (`registration_occurrence:sheet`…).


def _require_registration(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _with_counts(queryset):
    confirmed = Q(event__registrations__status=Registration.Status.CONFIRMED)
    same_occurrence = Q(event__registrations__occurrence_start=F("occurrence_start"))
    return queryset.annotate(
        confirmed_seats=Sum(
            "event__registrations__seats", filter=confirmed & same_occurrence
        ),
        confirmed_count=Count(
            "event__registrations", filter=confirmed & same_occurrence
        ),
        waiting_count=Count(
            "event__registrations",
            filter=Q(event__registrations__status=Registration.Status.WAITING)
            & same_occurrence,
        ),
        cancelled_count=Count(
            "event__registrations",
            filter=Q(event__registrations__status=Registration.Status.CANCELLED)
            & same_occurrence,
        ),
    )


class RegistrationListIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return _with_counts(super().get_base_queryset().select_related("event"))

    def get_inspect_url(self, instance):
        return reverse("registration_occurrence:occurrence", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        buttons = []
        user = self.request.user
        buttons.append(
            Button(
                _("Inscrits et compteurs"),
                url=reverse("registration_occurrence:occurrence", args=[instance.pk]),
                icon_name="group",
                priority=10,
            )
        )
        if user.has_perm(permissions.EXPORT_REGISTRATIONS):
            buttons += [
                Button(
                    _("Exporter (CSV)"),
                    url=reverse("registration_occurrence:export", args=[instance.pk]),
                    icon_name="download",
                    priority=20,
                ),
                Button(
                    _("Feuille d'émargement"),
                    url=reverse("registration_occurrence:sheet", args=[instance.pk]),
                    icon_name="doc-full",
                    priority=30,
                ),
            ]
        if user.has_perm(permissions.CHANGE_REGISTRATIONS) and not instance.is_closed:
            buttons.append(
                Button(
                    _("Fermer les inscriptions"),
                    url=reverse("registration_occurrence:close", args=[instance.pk]),
                    icon_name="lock",
                    priority=40,
                )
            )
        return buttons


class CountColumn(Column):
    def get_value(self, instance):
        return getattr(instance, self.accessor, 0) or 0


class RegistrationIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(
            permissions.EXPORT_REGISTRATIONS
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def show_export_buttons(self):
        return self.request.user.has_perm(permissions.EXPORT_REGISTRATIONS)


class RegistrationDeleteView(DeleteView):
    """Erasing on request goes through the cancellation rule (the waiting
    list is served and told) and leaves no name in the audit log."""

    def delete_action(self):
        rules.erase(self.object, user=self.request.user)


class OccurrenceView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/registration/admin/occurrence.html"
    header_icon = "group"

    def dispatch(self, request, pk):
        _require_registration(request, permissions.VIEW_REGISTRATIONS)
        self.registration_list = get_object_or_404(
            RegistrationList.objects.select_related("event"), pk=pk
        )
        return super().dispatch(request, pk)

    def get_page_title(self):
        return str(self.registration_list)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse("registration_lists:index"),
                "label": _("Séances avec inscriptions"),
            },
            {"url": "", "label": str(self.registration_list)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration_list = self.registration_list
        event = registration_list.event
        registrations = list(
            Registration.objects.for_occurrence(
                event, registration_list.occurrence_start
            ).order_by("status", "queued_at", "pk")
        )
        counts = rules.occurrence_counts(event, registration_list.occurrence_start)
        user = self.request.user
        context.update(
            {
                "registration_list": registration_list,
                "event": event,
                "counts": counts,
                "free": max(0, (event.capacity or 0) - counts["confirmed_seats"]),
                "confirmed": [r for r in registrations if r.is_confirmed],
                "waiting": [r for r in registrations if r.is_waiting],
                "cancelled": [r for r in registrations if r.is_cancelled],
                "can_export": user.has_perm(permissions.EXPORT_REGISTRATIONS),
                "can_close": user.has_perm(permissions.CHANGE_REGISTRATIONS),
            }
        )
        return context


def export_csv(request, pk):
    """The occurrence's registrations as CSV; every cell that could start a
    formula is prefixed with an apostrophe."""
    _require_registration(request, permissions.EXPORT_REGISTRATIONS)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    registrations = Registration.objects.for_occurrence(
        registration_list.event, registration_list.occurrence_start
    ).order_by("status", "queued_at", "pk")
    header = [
        _("Nom"),
        _("E-mail"),
        _("Téléphone"),
        _("Places"),
        _("Statut"),
        _("Présent"),
        _("Inscrit le"),
    ]

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff"  # so spreadsheet software reads the file as UTF-8
        yield writer.writerow(header)
        for registration in registrations.iterator():
            yield writer.writerow(
                [
                    neutralise_formula(registration.name),
                    neutralise_formula(registration.email),
                    neutralise_formula(registration.phone),
                    registration.seats,
                    registration.get_status_display(),
                    _("oui") if registration.attended else _("non"),
                    formats.short_datetime(registration.created_at),
                ]
            )

    local = timezone.localtime(registration_list.occurrence_start)
    filename = (
        f"inscriptions-{slugify(registration_list.event.title)}-"
        f"{local:%Y-%m-%d-%Hh%M}.csv"
    )
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attendance_sheet(request, pk):
    """A printable list of the confirmed people; staff tick who came and
    save (that sets `attended`, read by the badges of the learning paths)."""
    _require_registration(request, permissions.EXPORT_REGISTRATIONS)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    event = registration_list.event
    registrations = Registration.objects.for_occurrence(
        event, registration_list.occurrence_start
    ).confirmed()
    if request.method == "POST":
        present = {
            int(value) for value in request.POST.getlist("present") if value.isdigit()
        }
        now = timezone.now()
        registrations.filter(pk__in=present).update(attended=True, updated_at=now)
        registrations.exclude(pk__in=present).update(attended=False, updated_at=now)
        messages.success(
            request,
            _("Feuille d'émargement enregistrée : %(n)d personne(s) présente(s).")
            % {"n": registrations.filter(attended=True).count()},
        )
        return redirect("registration_occurrence:sheet", pk=pk)
    registrations = list(registrations.order_by("name", "pk"))
    return render(
        request,
        "events/registration/admin/attendance_sheet.html",
        {
            "registration_list": registration_list,
            "event": event,
            "registrations": registrations,
            "total_seats": sum(r.seats for r in registrations),
            "occurrence_url": reverse("registration_occurrence:occurrence", args=[pk]),
        },
    )


def close_occurrence(request, pk):
    _require_registration(request, permissions.CHANGE_REGISTRATIONS)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    back = reverse("registration_occurrence:occurrence", args=[pk])
    if request.method == "POST":
        if rules.close(registration_list.event, registration_list.occurrence_start):
            messages.success(
                request,
                _("Les inscriptions à « %(occurrence)s » sont fermées.")
                % {"occurrence": registration_list},
            )
        else:
            messages.warning(request, _("Les inscriptions étaient déjà fermées."))
        return redirect(back)
    return render(
        request,
        "events/registration/admin/close.html",
        {"registration_list": registration_list, "back_url": back},
    )


def serve_waiting_list(request, pk):
    """After the capacity was raised: confirm, in order, the waiting people
    who now fit (they are e-mailed)."""
    _require_registration(request, permissions.CHANGE_REGISTRATIONS)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    back = reverse("registration_occurrence:occurrence", args=[pk])
    if request.method == "POST":
        promoted = rules.serve_waiting_list(
            registration_list.event, registration_list.occurrence_start
        )
        messages.success(
            request,
            _("%(n)d personne(s) de la liste d'attente confirmée(s) et prévenue(s).")
            % {"n": len(promoted)},
        )
    return redirect(back)
