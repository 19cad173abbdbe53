"""The admin home's panel of the next dates that take registrations: how
full, who waits (shown to those who see registrations)."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from events.models import Occurrence, Registration, RegistrationList
from portal.dashboard import OptionalPanel


def _registrations_of_occurrence():
    return Registration.objects.filter(
        event=OuterRef("event"), occurrence_start=OuterRef("start")
    )


class RegistrationDatesPanel(OptionalPanel):
    """The next dates that take registrations, with how full they are and
    how many people wait: « complet », « 5 en attente »."""

    name = "portal_next_dates"
    template_name = "events/registrations/admin/dashboard_panel.html"
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
