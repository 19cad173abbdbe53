"""Admin views of the rooms and their bookings, served as URL patterns of
`events.rooms.viewsets`. Thin: each one checks a permission of the roles
matrix, calls one rule of `events.rooms.rules`, and renders or redirects with a
French message."""

import calendar
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic import CreateView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.models import ModelLogEntry

from events import permissions
from events.models import Booking, EventIndexPage, Room, format_span
from events.rooms import rules as rooms
from events.rooms.forms import BookingCancelForm, BookingDecisionForm
from portal import formats
from portal.admin import IndexView, require_permission

# -- Listings --------------------------------------------------------------------------


class RoomIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            Button(
                _("Voir le mois"),
                url=reverse("rooms:this_month", args=(instance.pk,)),
                icon_name="date",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class BookingIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("room", "requested_by")

    def get_edit_url(self, instance):
        # Nobody edits a booking by hand: its title opens the request, where
        # the médiathèque decides.
        return reverse("room_bookings:inspect", args=(instance.pk,))


# -- Bookings --------------------------------------------------------------------------


def paris_moment(value):
    """« samedi 5 décembre 2026 à 9 h 30 », in Paris time (the admin's
    datetimes are stored in UTC)."""
    if value is None:
        return "-"
    return _("%(day)s à %(time)s") % {
        "day": formats.day(value),
        "time": formats.time_of_day(value),
    }


def agreed_slots(now=None):
    """Each room with its agreed slots and its closures still to come, for
    the request form: CLX sees when a room may be asked for before asking."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    shown = []
    for room in Room.objects.select_related("venue").prefetch_related(
        "slots", "closures"
    ):
        slots = []
        horizon = now + datetime.timedelta(days=120)
        closed = rooms.closure_spans(room, now, horizon)
        for slot in room.slots.all():
            if slot.recurrence:
                # The next date the room is really open on that slot.
                upcoming = [
                    (start, end)
                    for start, end in slot.dates(start=now, end=horizon)
                    if not any(rooms.overlaps(start, end, c[0], c[1]) for c in closed)
                ]
                if not upcoming:
                    continue
                slots.append(
                    {
                        "label": slot.label,
                        "rule": slot.recurrence_description,
                        "hours": format_span(*upcoming[0]),
                    }
                )
            elif slot.end > now:
                slots.append(
                    {
                        "label": slot.label,
                        "rule": "",
                        "hours": format_span(slot.start, slot.end),
                    }
                )
        closures = [
            {
                "reason": closure.reason,
                "first": formats.day(closure.first_day),
                "last": formats.day(closure.last_day),
            }
            for closure in room.closures.all()
            if closure.last_day >= today
        ]
        shown.append(
            {
                "room": room,
                "slots": slots,
                "closures": closures,
                "month_url": reverse("rooms:this_month", args=(room.pk,)),
            }
        )
    return shown


class BookingCreateView(CreateView):
    """The request form: stored as pending only if the room is free. The
    agreed slots of every room are shown beside it."""

    template_name = "events/rooms/admin/booking_create.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreed_slots"] = agreed_slots()
        return context

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

    def save_action(self):
        response = super().save_action()
        for overlap in rooms.pending_overlaps(self.object):
            messages.warning(self.request, overlap.message)
        return response


class BookingInspectView(InspectView):
    template_name = "events/rooms/admin/booking_inspect.html"

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
        if field_name in ("requested_at", "decided_at"):
            return paris_moment(value)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = self.object
        user = self.request.user
        pending = booking.status == Booking.Status.PENDING
        can_decide = user.has_perm(permissions.DECIDE_BOOKINGS) and pending
        agenda = EventIndexPage.objects.first()
        cancellable = rooms.may_cancel(user, booking)
        dates = list(booking.booked_dates.all()[:60])
        now = timezone.now()
        context.update(
            {
                "booking": booking,
                "when": format_span(booking.start, booking.end),
                "dates": [
                    {
                        "row": row,
                        "cancel_form": (
                            BookingCancelForm(
                                initial={"date": row.pk}, prefix_id=f"date_{row.pk}"
                            )
                            if cancellable and row.end > now and len(dates) > 1
                            else None
                        ),
                    }
                    for row in dates
                ],
                "pending_overlaps": (
                    rooms.pending_overlaps(booking) if pending else []
                ),
                "can_withdraw": rooms.may_withdraw(user, booking),
                "cancel_form": BookingCancelForm() if cancellable else None,
                "history": [
                    {
                        "entry": entry,
                        "when": paris_moment(entry.timestamp),
                        "who": entry.user_display_name,
                    }
                    for entry in ModelLogEntry.objects.for_instance(booking)
                    .filter(action__in=rooms.CANCEL_ACTIONS)
                    .select_related("user")
                ],
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
    require_permission(request, permissions.DECIDE_BOOKINGS)
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
def booking_withdraw(request, pk):
    """CLX withdraws its pending request."""
    require_permission(request, permissions.REQUEST_BOOKINGS)
    booking = get_object_or_404(Booking, pk=pk)
    try:
        rooms.withdraw(booking, request.user)
    except rooms.BookingRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, _("Demande retirée ; la médiathèque est prévenue par e-mail.")
        )
    return redirect("room_bookings:inspect", pk)


@require_POST
def booking_cancel(request, pk):
    """Either partner cancels a confirmed booking or one of its dates."""
    booking = get_object_or_404(Booking.objects.select_related("event"), pk=pk)
    if not (
        request.user.has_perm(permissions.DECIDE_BOOKINGS)
        or request.user.has_perm(permissions.REQUEST_BOOKINGS)
    ):
        raise PermissionDenied
    form = BookingCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Annulation impossible : formulaire incomplet."))
        return redirect("room_bookings:inspect", pk)
    try:
        booking, freed = rooms.cancel(
            booking,
            request.user,
            form.cleaned_data["comment"],
            date_pk=form.cleaned_data["date"],
        )
    except rooms.BookingRefused as refused:
        messages.error(request, refused.message)
        return redirect("room_bookings:inspect", pk)
    other = (
        _("CLX est prévenu par e-mail.")
        if rooms.acts_for_mediatheque(request.user)
        else _("La médiathèque est prévenue par e-mail.")
    )
    if booking.status == Booking.Status.CANCELLED:
        done = _("Réservation annulée : la salle est de nouveau libre.")
    else:
        done = _(
            "Date annulée (%(when)s) : la salle est de nouveau libre ce jour-là."
        ) % {"when": format_span(freed[0].start, freed[0].end)}
    messages.success(request, f"{done} {other}")
    if booking.event_id:
        messages.warning(
            request,
            _(
                "L'événement « %(title)s » créé à partir de cette réservation "
                "garde ses dates : annulez-les aussi dans l'événement."
            )
            % {"title": booking.event.title},
        )
    return redirect("room_bookings:inspect", pk)


@require_POST
def booking_draft_event(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("room__venue"), pk=pk)
    agenda = EventIndexPage.objects.first()
    if (
        agenda is None
        or not agenda.permissions_for_user(request.user).can_add_subpage()
    ):
        raise PermissionDenied
    if not request.user.has_perm(permissions.VIEW_BOOKINGS):
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

    template_name = "events/rooms/admin/room_month.html"
    header_icon = "date"

    def dispatch(self, request, pk, year, month):
        require_permission(request, permissions.VIEW_ROOMS)
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
        following = first + datetime.timedelta(
            days=calendar.monthrange(self.year, self.month)[1]
        )
        previous = first - datetime.timedelta(days=1)
        user = self.request.user
        feed_url = ""
        if user.has_perm(permissions.VIEW_BOOKINGS) and user.has_perm(
            permissions.CHANGE_ROOMS
        ):
            feed_url = self.request.build_absolute_uri(
                reverse("events:room_bookings_ics", args=(self.room.feed_token,))
            )
        context.update(
            {
                "room": self.room,
                "days": rooms.month_days(self.room, self.year, self.month),
                "previous_url": reverse(
                    "rooms:month", args=(self.room.pk, previous.year, previous.month)
                ),
                "next_url": reverse(
                    "rooms:month", args=(self.room.pk, following.year, following.month)
                ),
                "feed_url": feed_url,
                "can_request": user.has_perm(permissions.REQUEST_BOOKINGS),
            }
        )
        return context


def room_this_month(request, pk):
    today = timezone.localdate()
    return redirect("rooms:month", pk, today.year, today.month)
