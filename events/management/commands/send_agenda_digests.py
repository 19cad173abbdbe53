"""Send the agenda by e-mail to the confirmed subscribers whose digest is due,
and delete the requests left unconfirmed for 7 days.

Safe to run every day, or every hour (cron): a digest is recorded per
subscription and period under a unique constraint, in the same transaction
as the mail leaves, so no run, even concurrent, sends a period twice. Weekly
digests go out on the first run of each ISO week (Monday), monthly ones on
the first run of each month."""

from django.core.management.base import BaseCommand

from events.subscriptions import rules as subscriptions


class Command(BaseCommand):
    help = (
        "Envoie l'agenda par e-mail aux abonnés dont l'envoi de la semaine ou du "
        "mois n'est pas encore parti, et efface les demandes non confirmées depuis "
        "7 jours. Sans risque de doublon : à lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Afficher ce qui serait envoyé, sans rien envoyer ni effacer.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = subscriptions.send_due_digests(dry_run=dry_run, log=self.stdout.write)
        verb = "à envoyer" if dry_run else "envoyé(s)"
        self.stdout.write(
            f"Agendas {verb} : {report.sent} ; sans rendez-vous : {report.empty} ; "
            f"déjà envoyés : {report.already} ; échecs : {report.failed} ; "
            f"demandes non confirmées effacées : {report.purged}."
        )
