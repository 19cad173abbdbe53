"""Admin views of the registrations, served as URL patterns of
`events.registrations.viewsets` (`registration_occurrence:sheet`…).

Registrations are audit data: made by the public and changed by the rules of
`events.registrations.rules`, never by hand. Each view checks a permission of
`events.permissions` and calls one rule."""

from django.contrib import messages
from django.db.models import Count, F, Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.widgets import Button

from events import permissions
from events.agenda import attendance
from events.models import Registration, RegistrationList
from events.registrations import rules
from portal import formats
from portal.admin import IndexView, SpreadsheetView, require_permission
from portal.inputguard import MAX_ID, bounded_int


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
        pending_seats=Sum(
            "event__registrations__seats",
            filter=Q(event__registrations__status=Registration.Status.PENDING)
            & same_occurrence,
        ),
        waiting_count=Count(
            "event__registrations",
            filter=Q(
                event__registrations__status=Registration.Status.WAITING,
                event__registrations__hold_expires_at__isnull=True,
            )
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
    export_permission = permissions.EXPORT_REGISTRATIONS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")


class RegistrationDeleteView(DeleteView):
    """Erasing on request goes through the cancellation rule (the waiting
    list is served and told) and leaves no name in the audit log."""

    def delete_action(self):
        rules.erase(self.object, user=self.request.user)


class OccurrenceView(SpreadsheetView):
    """One occurrence's registrations and counts; `?export=csv` or `xlsx`
    (and `export.csv`) sends them as a spreadsheet, for who may export. The
    columns are the viewset's `list_export`."""

    template_name = "events/registrations/admin/occurrence.html"
    header_icon = "group"
    csv_byte_order_mark = True

    def dispatch(self, request, pk):
        require_permission(
            request,
            permissions.EXPORT_REGISTRATIONS
            if self.is_export
            else permissions.VIEW_REGISTRATIONS,
        )
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

    def get_registrations(self):
        registration_list = self.registration_list
        return Registration.objects.for_occurrence(
            registration_list.event, registration_list.occurrence_start
        ).order_by("status", "queued_at", "pk")

    def get_export_rows(self):
        return self.get_registrations()

    def to_row_dict(self, registration):
        row = super().to_row_dict(registration)
        if "attended" in row:
            row["attended"] = _("oui") if registration.attended else _("non")
        if "created_at" in row:
            created = timezone.localtime(registration.created_at)
            row["created_at"] = (
                formats.short_datetime(created)
                if self.export_format == self.FORMAT_CSV
                else created.replace(tzinfo=None)
            )
        return row

    def get_filename(self):
        registration_list = self.registration_list
        local = timezone.localtime(registration_list.occurrence_start)
        return (
            f"inscriptions-{slugify(registration_list.event.title)}-"
            f"{local:%Y-%m-%d-%Hh%M}"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        registration_list = self.registration_list
        event = registration_list.event
        registrations = list(self.get_registrations())
        counts = rules.occurrence_counts(event, registration_list.occurrence_start)
        user = self.request.user
        context.update(
            {
                "registration_list": registration_list,
                "event": event,
                "counts": counts,
                "free": rules.free_seats(event, registration_list.occurrence_start),
                "confirmed": [r for r in registrations if r.is_confirmed],
                # Seats held, or the waiting list asked for, until the
                # address confirms through the mail's link.
                "pending": [r for r in registrations if r.awaits_confirmation],
                "waiting": [
                    r
                    for r in registrations
                    if r.is_waiting and not r.awaits_confirmation
                ],
                "cancelled": [r for r in registrations if r.is_cancelled],
                "can_export": user.has_perm(permissions.EXPORT_REGISTRATIONS),
                "can_close": user.has_perm(permissions.CHANGE_REGISTRATIONS),
            }
        )
        return context


def attendance_sheet(request, pk):
    """A printable list of the confirmed people; staff tick who came and
    save (that sets `attended`, read by the badges of the learning paths)."""
    require_permission(request, permissions.EXPORT_REGISTRATIONS)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    event = registration_list.event
    registrations = Registration.objects.for_occurrence(
        event, registration_list.occurrence_start
    ).confirmed()
    if request.method == "POST":
        present = {
            bounded_int(value, 1, MAX_ID) for value in request.POST.getlist("present")
        } - {None}
        now = timezone.now()
        registrations.filter(pk__in=present).update(attended=True, updated_at=now)
        registrations.exclude(pk__in=present).update(attended=False, updated_at=now)
        # A bulk update sends no signal: the date's anonymous counts follow.
        attendance.recount(
            event.pk, registration_list.occurrence_start, attendance_taken=True
        )
        messages.success(
            request,
            _("Feuille d'émargement enregistrée : %(n)d personne(s) présente(s).")
            % {"n": registrations.filter(attended=True).count()},
        )
        return redirect("registration_occurrence:sheet", pk=pk)
    registrations = list(registrations.order_by("name", "pk"))
    return render(
        request,
        "events/registrations/admin/attendance_sheet.html",
        {
            "registration_list": registration_list,
            "event": event,
            "registrations": registrations,
            "total_seats": sum(r.seats for r in registrations),
            "occurrence_url": reverse("registration_occurrence:occurrence", args=[pk]),
        },
    )


def close_occurrence(request, pk):
    require_permission(request, permissions.CHANGE_REGISTRATIONS)
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
        "events/registrations/admin/close.html",
        {"registration_list": registration_list, "back_url": back},
    )


def serve_waiting_list(request, pk):
    """After the capacity was raised: confirm, in order, the waiting people
    who now fit (they are e-mailed)."""
    require_permission(request, permissions.CHANGE_REGISTRATIONS)
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
