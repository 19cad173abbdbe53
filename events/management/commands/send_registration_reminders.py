"""Send the reminder e-mail the day before each occurrence.

Safe to run every hour (cron): a registration is claimed by setting its
`reminded_at` in one conditional UPDATE before the mail leaves, so no run,
even concurrent, sends it twice. « The day before » is the Paris calendar
day, whatever the daylight-saving time."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.models import Registration
from events.registrations import emails


class Command(BaseCommand):
    help = (
        "Envoie l'e-mail de rappel la veille de chaque séance aux personnes "
        "inscrites (confirmées). Sans risque de doublon : à lancer toutes les heures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui serait envoyé, sans rien envoyer.",
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
        window_start = timezone.make_aware(
            datetime.datetime.combine(tomorrow, datetime.time.min)
        )
        window_end = timezone.make_aware(
            datetime.datetime.combine(
                tomorrow + datetime.timedelta(days=1), datetime.time.min
            )
        )
        due = (
            Registration.objects.confirmed()
            .filter(
                reminded_at__isnull=True,
                occurrence_start__gte=window_start,
                occurrence_start__lt=window_end,
            )
            .select_related("event")
            .order_by("occurrence_start", "pk")
        )
        occurrences = {}
        sent = skipped = failed = 0
        for registration in due:
            key = (registration.event_id, registration.occurrence_start)
            if key not in occurrences:
                occurrences[key] = registration.event.get_occurrence(
                    registration.occurrence_start
                )
            occurrence = occurrences[key]
            if occurrence is None or occurrence.cancelled:
                skipped += 1
                continue
            if dry_run:
                self.stdout.write(f"{registration.email} – {registration.event.title}")
                sent += 1
                continue
            claimed = Registration.objects.filter(
                pk=registration.pk,
                reminded_at__isnull=True,
                status=Registration.Status.CONFIRMED,
            ).update(reminded_at=now)
            if not claimed:
                continue
            try:
                emails.send(registration, "reminder")
            except Exception as error:  # the next run tries again
                Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
                failed += 1
                self.stderr.write(
                    f"Échec de l'envoi à l'inscription n° {registration.pk} : {error}"
                )
            else:
                sent += 1
        verb = "à envoyer" if dry_run else "envoyé(s)"
        self.stdout.write(
            f"Rappels {verb} : {sent} ; séances annulées ignorées : {skipped} ; "
            f"échecs : {failed}."
        )
