"""Registrations in the Wagtail admin.

Registrations are audit data: the public makes them and the rules of
`events.registration` change them, so nobody adds or edits one by hand.
Seeing names and e-mails takes `events.view_registration`; the CSV export and
the attendance sheet (where staff tick who came) take
`events.export_registration`; closing registration to an occurrence takes
`events.change_registration`; erasing one on request,
`events.delete_registration`.
"""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from portal.admin import IndexView
from portal.exports import neutralise_formula

from . import registration as rules
from .models import Registration, RegistrationList

VIEW = "events.view_registration"
EXPORT = "events.export_registration"
CHANGE = "events.change_registration"


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus adding and editing by hand."""

    denied = ("add", "change")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [a for a in actions if a not in self.denied]
        )


class RegistrationListPolicy(ReadOnlyPolicy):
    """Occurrences follow the permissions on registrations; they are made by
    the rules, never deleted by hand (their counts survive the purge)."""

    denied = ("add", "change", "delete")


register_permission_policy(Registration, ReadOnlyPolicy(Registration))
register_permission_policy(
    RegistrationList, RegistrationListPolicy(RegistrationList, auth_model=Registration)
)


def _require(request, permission):
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


# -- The occurrences -----------------------------------------------------------


class RegistrationListFilterSet(WagtailFilterSet):
    upcoming = BooleanFilter(label=gettext_lazy("À venir"), method="filter_upcoming")

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        now = timezone.now()
        if value:
            return queryset.filter(occurrence_start__gte=now)
        return queryset.filter(occurrence_start__lt=now)

    class Meta:
        model = RegistrationList
        fields = ["event"]


class RegistrationListIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return _with_counts(super().get_base_queryset().select_related("event"))

    def get_inspect_url(self, instance):
        return reverse("events_registrations_occurrence", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        buttons = []
        user = self.request.user
        buttons.append(
            Button(
                _("Inscrits et compteurs"),
                url=reverse("events_registrations_occurrence", args=[instance.pk]),
                icon_name="group",
                priority=10,
            )
        )
        if user.has_perm(EXPORT):
            buttons += [
                Button(
                    _("Exporter (CSV)"),
                    url=reverse("events_registrations_export", args=[instance.pk]),
                    icon_name="download",
                    priority=20,
                ),
                Button(
                    _("Feuille d'émargement"),
                    url=reverse("events_registrations_sheet", args=[instance.pk]),
                    icon_name="doc-full",
                    priority=30,
                ),
            ]
        if user.has_perm(CHANGE) and not instance.is_closed:
            buttons.append(
                Button(
                    _("Fermer les inscriptions"),
                    url=reverse("events_registrations_close", args=[instance.pk]),
                    icon_name="lock",
                    priority=40,
                )
            )
        return buttons


class CountColumn(Column):
    def get_value(self, instance):
        return getattr(instance, self.accessor, 0) or 0


class AuditViewSet(ModelViewSet):
    """No form to add or edit by hand (see the module's docstring)."""

    removed_views = ("add", "edit", "copy")
    exclude_form_fields = []
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in self.removed_views
        ]


class RegistrationListViewSet(AuditViewSet):
    removed_views = ("add", "edit", "copy", "delete")
    model = RegistrationList
    icon = "date"
    menu_label = gettext_lazy("Séances")
    url_prefix = "inscriptions/seances"
    name = "registration_lists"
    index_view_class = RegistrationListIndexView
    list_display = [
        "__str__",
        CountColumn("confirmed_seats", label=gettext_lazy("Places confirmées")),
        Column("event.capacity", label=gettext_lazy("Capacité")),
        CountColumn("waiting_count", label=gettext_lazy("Liste d'attente")),
        CountColumn("cancelled_count", label=gettext_lazy("Annulées")),
        Column("closed_at", label=gettext_lazy("Fermées le")),
    ]
    filterset_class = RegistrationListFilterSet
    list_export = ["event", "occurrence_start", "closed_at"]
    search_fields = ["event__title"]
    ordering = ["-occurrence_start"]


# -- The registrations themselves ------------------------------------------------


class RegistrationFilterSet(WagtailFilterSet):
    registration_list = ModelChoiceFilter(
        label=gettext_lazy("Séance"),
        queryset=RegistrationList.objects.select_related("event").order_by(
            "-occurrence_start"
        ),
        method="filter_registration_list",
    )
    status = ChoiceFilter(
        label=gettext_lazy("Statut"), choices=Registration.Status.choices
    )

    def filter_registration_list(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            event_id=value.event_id, occurrence_start=value.occurrence_start
        )

    class Meta:
        model = Registration
        fields = ["registration_list", "status", "attended", "event"]


class RegistrationIndexView(IndexView):
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("event")

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not request.user.has_perm(EXPORT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def show_export_buttons(self):
        return self.request.user.has_perm(EXPORT)


class RegistrationDeleteView(DeleteView):
    """Erasing on request goes through the cancellation rule (the waiting
    list is served and told) and leaves no name in the audit log."""

    def delete_action(self):
        rules.erase(self.object, user=self.request.user)


class RegistrationViewSet(AuditViewSet):
    model = Registration
    delete_view_class = RegistrationDeleteView
    icon = "group"
    menu_label = gettext_lazy("Inscriptions")
    url_prefix = "inscriptions/personnes"
    name = "registrations"
    index_view_class = RegistrationIndexView
    inspect_view_enabled = True
    list_display = [
        "name",
        "email",
        "event",
        "occurrence_start",
        "seats",
        "status",
        BooleanColumn("attended", label=gettext_lazy("Présent")),
    ]
    filterset_class = RegistrationFilterSet
    list_export = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "created_at",
    ]
    search_fields = ["name", "email"]
    search_backend_name = None
    inspect_view_fields = [
        "event",
        "occurrence_start",
        "name",
        "email",
        "phone",
        "seats",
        "status",
        "attended",
        "consent_at",
        "queued_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
        "reminded_at",
        "created_at",
        "updated_at",
    ]


class RegistrationViewSetGroup(ModelViewSetGroup):
    items = (RegistrationListViewSet, RegistrationViewSet)
    menu_icon = "group"
    menu_label = gettext_lazy("Inscriptions")
    menu_name = "inscriptions"
    menu_order = 220


@hooks.register("register_admin_viewset")
def register_registration_viewsets():
    return RegistrationViewSetGroup()


# -- One occurrence: counts, CSV, attendance sheet, closing ------------------------


class OccurrenceView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "events/registration/admin/occurrence.html"
    header_icon = "group"

    def dispatch(self, request, pk):
        _require(request, VIEW)
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
                "can_export": user.has_perm(EXPORT),
                "can_close": user.has_perm(CHANGE),
            }
        )
        return context


def export_csv(request, pk):
    """The occurrence's registrations as CSV; every cell that could start a
    formula is prefixed with an apostrophe."""
    _require(request, EXPORT)
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
                    timezone.localtime(registration.created_at).strftime(
                        "%d/%m/%Y %H:%M"
                    ),
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
    _require(request, EXPORT)
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
        return redirect("events_registrations_sheet", pk=pk)
    registrations = list(registrations.order_by("name", "pk"))
    return render(
        request,
        "events/registration/admin/attendance_sheet.html",
        {
            "registration_list": registration_list,
            "event": event,
            "registrations": registrations,
            "total_seats": sum(r.seats for r in registrations),
            "occurrence_url": reverse("events_registrations_occurrence", args=[pk]),
        },
    )


def close_occurrence(request, pk):
    _require(request, CHANGE)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    back = reverse("events_registrations_occurrence", args=[pk])
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
    _require(request, CHANGE)
    registration_list = get_object_or_404(
        RegistrationList.objects.select_related("event"), pk=pk
    )
    back = reverse("events_registrations_occurrence", args=[pk])
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


@hooks.register("register_admin_urls")
def register_occurrence_urls():
    return [
        path(
            "inscriptions/seance/<int:pk>/",
            OccurrenceView.as_view(),
            name="events_registrations_occurrence",
        ),
        path(
            "inscriptions/seance/<int:pk>/export.csv",
            export_csv,
            name="events_registrations_export",
        ),
        path(
            "inscriptions/seance/<int:pk>/emargement/",
            attendance_sheet,
            name="events_registrations_sheet",
        ),
        path(
            "inscriptions/seance/<int:pk>/liste-attente/",
            serve_waiting_list,
            name="events_registrations_serve_waiting_list",
        ),
        path(
            "inscriptions/seance/<int:pk>/fermer/",
            close_occurrence,
            name="events_registrations_close",
        ),
    ]
