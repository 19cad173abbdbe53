"""Send the reminder e-mail the day before each occurrence (the rule:
events.registrations.reminders). Safe to run every hour (cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.registrations import reminders


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
        sent = skipped = failed = 0
        for registration, cancelled in reminders.due(now):
            if cancelled:
                skipped += 1
            elif dry_run:
                self.stdout.write(f"{registration.email} – {registration.event.title}")
                sent += 1
            else:
                try:
                    sent += reminders.send(registration, now)
                except Exception as error:  # the next run tries again
                    failed += 1
                    self.stderr.write(
                        f"Échec de l'envoi à l'inscription n° {registration.pk} : "
                        f"{error}"
                    )
        verb = "à envoyer" if dry_run else "envoyé(s)"
        self.stdout.write(
            f"Rappels {verb} : {sent} ; séances annulées ignorées : {skipped} ; "
            f"échecs : {failed}."
        )
