"""Erase the personal data of past occurrences.

Registrations of an occurrence that started more than
`settings.REGISTRATION_RETENTION_DAYS` days ago are deleted; the
occurrence's RegistrationList keeps only anonymous counts (confirmed seats,
people present) for the médiathèque's statistics, and their audit-log
entries lose the names. Run it daily."""

from django.db import transaction
from django.db.models import Count, Q, Sum

from events.management.purge import PurgeCommand
from events.models import Registration, RegistrationList
from events.registration import erased_label
from portal import auditlog


class Command(PurgeCommand):
    help = (
        "Efface les données personnelles des inscriptions aux séances passées "
        "depuis plus de REGISTRATION_RETENTION_DAYS jours (30 par défaut)."
    )
    subject = "Inscriptions"
    erased_word = "effacées"

    def purge(self, cutoff, now, dry_run):
        occurrences = (
            Registration.objects.filter(occurrence_start__lt=cutoff)
            .values("event_id", "occurrence_start")
            .annotate(
                total=Count("pk"),
                confirmed_seats=Sum(
                    "seats", filter=Q(status=Registration.Status.CONFIRMED)
                ),
                attended=Count("pk", filter=Q(attended=True)),
            )
            .order_by("occurrence_start")
        )
        erased = sessions = 0
        for row in occurrences:
            sessions += 1
            if dry_run:
                erased += row["total"]
                continue
            with transaction.atomic():
                registration_list, _ = RegistrationList.objects.get_or_create(
                    event_id=row["event_id"],
                    occurrence_start=row["occurrence_start"],
                )
                registration_list = RegistrationList.objects.select_for_update().get(
                    pk=registration_list.pk
                )
                registration_list.purged_at = now
                registration_list.purged_confirmed_seats += row["confirmed_seats"] or 0
                registration_list.purged_attended += row["attended"]
                registration_list.save()
                doomed = Registration.objects.filter(
                    event_id=row["event_id"],
                    occurrence_start=row["occurrence_start"],
                )
                pks = list(doomed.values_list("pk", flat=True))
                deleted, _ = doomed.delete()
                # The audit log keeps what happened, not who it was.
                for pk in pks:
                    auditlog.scrub(Registration, [pk], erased_label(pk))
                erased += deleted
        return erased, sessions
