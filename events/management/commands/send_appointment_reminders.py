"""Send the reminder e-mail the day before each appointment.

Safe to run every hour (cron): each appointment is claimed by setting its
`reminded_at` in one conditional UPDATE before the mail leaves, so no run,
even concurrent, sends it twice; moving an appointment clears it (the new
date gets its own reminder). « The day before » is the Paris calendar day.
People who left only a phone number get no e-mail."""

from django.core.management.base import BaseCommand

from events.appointments import rules


class Command(BaseCommand):
    help = (
        "Envoie l'e-mail de rappel la veille de chaque rendez-vous d'assistance. "
        "Sans risque de doublon : à lancer toutes les heures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui serait envoyé, sans rien envoyer.",
        )

    def handle(self, *args, dry_run=False, **options):
        sent = failed = 0
        for appointment in rules.reminders_due():
            if dry_run:
                self.stdout.write(f"{appointment.email} – {appointment.slot_start}")
                sent += 1
                continue
            try:
                sent += rules.send_reminder(appointment)
            except Exception as error:  # the claim was rolled back: next run
                failed += 1
                self.stderr.write(
                    f"Échec de l'envoi au rendez-vous n° {appointment.pk} : {error}"
                )
        verb = "à envoyer" if dry_run else "envoyé(s)"
        self.stdout.write(
            f"Rappels de rendez-vous {verb} : {sent} ; échecs : {failed}."
        )
