"""Deliver what the task queue lost: safe to run every few minutes (cron).

Messages claimed by a worker that died are given back once their lease runs
out; pending messages overdue by two minutes are delivered here (claimed
like the worker does, so never twice); sent and dropped messages older than
PORTAL_MAIL_RETENTION_DAYS are deleted (they hold personal data)."""

from django.core.management.base import BaseCommand

from portal import mail


class Command(BaseCommand):
    help = (
        "Remet en file les envois d'e-mails perdus par un worker arrêté, envoie "
        "ceux qui sont en retard et supprime les anciens envois réussis. "
        "À lancer toutes les 5 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=500,
            help="Nombre maximal de messages envoyés par passage (500).",
        )

    def handle(self, *args, limit=500, **options):
        released = mail.release_expired_leases()
        overdue = list(mail.overdue().values_list("pk", flat=True)[:limit])
        outcomes = {}
        for pk in dict.fromkeys(released + overdue):
            status = mail.deliver(pk)
            if status:
                outcomes[status] = outcomes.get(status, 0) + 1
        pruned = mail.prune()
        if not options["verbosity"]:
            return
        self.stdout.write(
            f"Envois repris : {len(released)} ; envoyés : "
            f"{outcomes.get(mail.OutgoingMail.Status.SENT, 0)} ; "
            f"en attente d'un nouvel essai : "
            f"{outcomes.get(mail.OutgoingMail.Status.PENDING, 0)} ; "
            f"en échec : {outcomes.get(mail.OutgoingMail.Status.FAILED, 0)} ; "
            f"anciens envois supprimés : {pruned}."
        )
