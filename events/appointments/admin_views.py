"""Appointments in the Wagtail admin, served as URL patterns of
`events.appointments.viewsets` (`appointments:sheet`…): the day's
appointments, the printable day sheet where volunteers record what they did,
the volunteers on duty per date, and the anonymous yearly report. Who sees
what is said in `events.permissions`; the decisions are in
`events.appointments.rules`."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events.agenda import recurrence
from events.agenda.closures import Closures
from events.appointments import rules
from events.appointments.forms import AppointmentOutcomeForm, AppointmentPlacesForm
from events.models import Appointment, Occurrence
from events.permissions import (
    CHANGE_APPOINTMENTS,
    DELETE_APPOINTMENTS,
    REPORT_APPOINTMENTS,
    appointment_events,
    may_open_appointments,
    may_record_appointments,
)
from portal import formats
from portal.admin import SpreadsheetView, require_permission
from portal.inputguard import bounded_int

KEY_FORMAT = "%Y-%m-%dT%H:%M"


def _require_open(request):
    if not may_open_appointments(request.user):
        raise PermissionDenied


def occurrence_key(start):
    return timezone.localtime(start, recurrence.local_tz()).strftime(KEY_FORMAT)


def _parse_key(key):
    try:
        naive = datetime.datetime.strptime(key, KEY_FORMAT)
    except ValueError:
        raise Http404 from None
    return recurrence.localize(naive)


class DayView(WagtailAdminTemplateMixin, TemplateView):
    """The appointments of one day, per occurrence. Without a day asked
    for, the day of the next session (today when one is on today)."""

    template_name = "events/appointments/admin/day.html"
    header_icon = "date"

    def dispatch(self, request):
        _require_open(request)
        self.events = list(appointment_events(request.user))
        try:
            self.day = datetime.date.fromisoformat(request.GET.get("jour", "")[:10])
        except ValueError:
            upcoming = rules.next_session(self.events, timezone.now())
            self.day = (
                timezone.localdate(upcoming.start) if upcoming else timezone.localdate()
            )
        return super().dispatch(request)

    def get_page_title(self):
        return _("Rendez-vous du %(day)s") % {"day": formats.short_date(self.day)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        overview = rules.day_overview(self.day, self.events)
        upcoming = overview.next_session
        context.update(
            {
                "day": self.day,
                "rows": [
                    {
                        **row,
                        "sheet_url": reverse(
                            "appointments:sheet",
                            args=[
                                row["event"].pk,
                                occurrence_key(row["occurrence"].start),
                            ],
                        ),
                    }
                    for row in overview.rows
                ],
                "next_session": upcoming,
                "next_session_url": (
                    reverse("appointments:day")
                    + f"?jour={timezone.localdate(upcoming.start).isoformat()}"
                    if upcoming
                    else ""
                ),
                "previous": self.day - datetime.timedelta(days=1),
                "next": self.day + datetime.timedelta(days=1),
                "can_report": self.request.user.has_perm(REPORT_APPOINTMENTS),
            }
        )
        return context


def day_sheet(request, event_pk, key):
    """The printable sheet of one occurrence: who comes when, with what and
    for what; volunteers record presence and outcome, and save."""
    _require_open(request)
    event = get_object_or_404(appointment_events(request.user), pk=event_pk).specific
    sheet = rules.day_sheet(event, _parse_key(key))
    if sheet is None:
        raise Http404
    occurrence, session, appointments = (
        sheet.occurrence,
        sheet.session,
        sheet.appointments,
    )
    can_record = may_record_appointments(request.user, event)
    can_set_places = request.user.has_perm(CHANGE_APPOINTMENTS)
    forms = [
        AppointmentOutcomeForm(
            request.POST if request.method == "POST" else None,
            instance=appointment,
            prefix=f"a{appointment.pk}",
        )
        for appointment in appointments
    ]
    places_form = AppointmentPlacesForm(
        initial={"places": session.places if session else None}
    )
    here = reverse("appointments:sheet", args=[event.pk, key])
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "places":
            if not can_set_places:
                raise PermissionDenied
            places_form = AppointmentPlacesForm(request.POST)
            if places_form.is_valid():
                rules.set_places(
                    event, occurrence.start, places_form.cleaned_data["places"]
                )
                messages.success(request, _("Bénévoles de permanence enregistrés."))
                return redirect(here)
        else:
            if not can_record:
                raise PermissionDenied
            if all(form.is_valid() for form in forms):
                for form in forms:
                    data = form.cleaned_data
                    rules.record(
                        form.instance,
                        attendance=data["attendance"],
                        result=data["result"],
                        referred_to=data["referred_to"],
                        free_software=data["free_software_installed"],
                        computer_restored=data["computer_restored"],
                        notes=data["notes"],
                    )
                messages.success(
                    request,
                    _("Suivi enregistré pour %(n)d rendez-vous.") % {"n": len(forms)},
                )
                return redirect(here)
            messages.error(
                request, _("Le suivi n'est pas enregistré : voir les erreurs.")
            )
    form_of = dict(zip((a.pk for a in appointments), forms, strict=True))
    slots = [
        {**slot, "rows": [(a, form_of[a.pk]) for a in slot["appointments"]]}
        for slot in sheet.slots
    ]
    return render(
        request,
        "events/appointments/admin/sheet.html",
        {
            "event": event,
            "occurrence": occurrence,
            "session": session,
            "slots": slots,
            "count": len(appointments),
            "places": sheet.places,
            "can_record": can_record,
            "can_set_places": can_set_places,
            "can_cancel": request.user.has_perm(CHANGE_APPOINTMENTS),
            "can_erase": request.user.has_perm(DELETE_APPOINTMENTS),
            "places_form": places_form,
            "day_url": reverse("appointments:day")
            + f"?jour={timezone.localtime(occurrence.start).date().isoformat()}",
        },
    )


def _appointment_and_sheet_url(pk):
    """One appointment and the day sheet it is listed on (where staff go
    back to)."""
    appointment = get_object_or_404(
        Appointment.objects.select_related("session__event"), pk=pk
    )
    session = appointment.session
    return appointment, reverse(
        "appointments:sheet",
        args=[session.event_id, occurrence_key(session.occurrence_start)],
    )


def cancel_appointment(request, pk):
    """Staff cancel an appointment for someone who called (the person is
    told by e-mail when they left one). GET asks to confirm, POST cancels."""
    require_permission(request, CHANGE_APPOINTMENTS)
    appointment, back = _appointment_and_sheet_url(pk)
    if request.method == "POST":
        if rules.cancel(appointment, by=Appointment.CancelledBy.STAFF):
            messages.success(
                request,
                _("Rendez-vous de %(name)s annulé.") % {"name": appointment.name},
            )
        else:
            messages.warning(request, _("Ce rendez-vous était déjà annulé."))
        return redirect(back)
    return render(
        request,
        "events/appointments/admin/cancel.html",
        {"appointment": appointment, "back_url": back},
    )


def erase_appointment(request, pk):
    """Erase an appointment's personal data on request (anonymous counts
    kept). GET asks to confirm, POST erases."""
    require_permission(request, DELETE_APPOINTMENTS)
    appointment, back = _appointment_and_sheet_url(pk)
    if request.method == "POST":
        rules.erase(appointment)
        messages.success(
            request, _("Données du rendez-vous effacées (le compte anonyme reste).")
        )
        return redirect(back)
    return render(
        request,
        "events/appointments/admin/erase.html",
        {"appointment": appointment, "back_url": back},
    )


class ReportView(SpreadsheetView):
    """Anonymous counts for one year: per need, device, outcome; exported as
    CSV or XLSX with the viewset's `list_export` (section, value, count)."""

    template_name = "events/appointments/admin/report.html"
    header_icon = "table"
    csv_byte_order_mark = True

    def get_export_format(self):
        # `?format=csv` is the address the report's button had before.
        if self.request.GET.get("format") == self.FORMAT_CSV:
            return self.FORMAT_CSV
        return super().get_export_format()

    def dispatch(self, request):
        require_permission(request, REPORT_APPOINTMENTS)
        self.year = bounded_int(request.GET.get("annee"), 2000, 2100)
        if self.year is None:
            self.year = timezone.localdate().year
        return super().dispatch(request)

    def get_page_title(self):
        return _("Bilan des rendez-vous %(year)d") % {"year": self.year}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("appointments:day"), "label": _("Rendez-vous")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_export_rows(self):
        return report_rows(rules.yearly_report(self.year))

    def get_filename(self):
        return f"bilan-rendez-vous-{self.year}"

    def write_csv_response(self, rows):
        # A few dozen rows: sent whole rather than streamed.
        response = HttpResponse(
            b"".join(self.stream_csv(rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.get_filename()}.csv"'
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "report": rules.yearly_report(self.year),
                "year": self.year,
                "previous": self.year - 1,
                "next": self.year + 1,
            }
        )
        return context


def report_rows(report):
    """The yearly report as rows of a spreadsheet: section, value, count."""
    rows = [
        (_("Total"), _("rendez-vous réservés"), report["booked"]),
        (_("Total"), _("rendez-vous annulés"), report["cancelled"]),
        (_("Présence"), _("venus"), report["came"]),
        (_("Présence"), _("absents"), report["absent"]),
        (_("Fait"), _("logiciel libre installé"), report["free_software_installed"]),
        (_("Fait"), _("ordinateur remis en service"), report["computer_restored"]),
    ]
    rows += [(_("Besoin"), label, n) for label, n in report["need_rows"]]
    rows += [(_("Appareil"), label, n) for label, n in report["device_rows"]]
    rows += [(_("Résultat"), label, n) for label, n in report["result_rows"]]
    return [
        {"section": str(section), "label": str(label), "count": n}
        for section, label, n in rows
    ]


class NextSessionsPanel(Component):
    """Dashboard: the next sessions « sur rendez-vous » the user may open
    (all of them for the médiathèque, those they facilitate for a
    volunteer), with how many are booked and the dates its place is
    closed; a query per event besides the two."""

    name = "events_next_appointment_sessions"
    template_name = "events/appointments/admin/next_sessions_panel.html"
    order = 115
    limit = 4

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["rows"]:
            return ""
        return render_to_string(self.template_name, context)

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        occurrences = list(
            Occurrence.objects.filter(event__in=appointment_events(user))
            .not_cancelled()
            .upcoming(timezone.now())
            .select_related("event")[: self.limit]
        )
        booked = {}
        for session_key in (
            Appointment.objects.booked()
            .filter(
                session__event__in=[o.event_id for o in occurrences],
                session__occurrence_start__in=[o.start for o in occurrences],
            )
            .values_list("session__event_id", "session__occurrence_start")
        ):
            booked[session_key] = booked.get(session_key, 0) + 1
        closures = Closures.of_occurrences(occurrences) if occurrences else None
        rows = [
            {
                "occurrence": occurrence,
                "closed": closures.reason(
                    occurrence.event, occurrence, even_online=True
                ),
                "booked": booked.get((occurrence.event_id, occurrence.start), 0),
                "url": reverse(
                    "appointments:sheet",
                    args=[occurrence.event_id, occurrence_key(occurrence.start)],
                ),
            }
            for occurrence in occurrences
        ]
        return {"rows": rows, "day_url": reverse("appointments:day")}


class AppointmentsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_open_appointments(request.user)
