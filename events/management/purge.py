"""The shape every retention purge of the agenda shares (`purge_registrations`,
`purge_appointments`): personal data of what started more than `--days`
days ago (by default `settings.REGISTRATION_RETENTION_DAYS`) is erased,
anonymous counts are kept, `--dry-run` only counts, and one French line says
how many were (or would be) erased on how many past occurrences."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class PurgeCommand(BaseCommand):
    """Subclasses say what they erase (`subject`, `erased_word`: « Rendez-vous »,
    « effacés ») and do it in `purge(cutoff, now, dry_run)`, which returns
    (erased, occurrences)."""

    subject = ""
    erased_word = ""

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Durée de conservation en jours (par défaut : le réglage du site).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter ce qui serait effacé, sans rien effacer.",
        )

    def purge(self, cutoff, now, dry_run):
        raise NotImplementedError

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = settings.REGISTRATION_RETENTION_DAYS
        if days < 0:
            raise CommandError(
                "La durée de conservation (--days) doit être un nombre de jours "
                "positif ou nul."
            )
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=days)
        erased, occurrences = self.purge(cutoff, now, dry_run)
        action = "à effacer" if dry_run else self.erased_word
        self.stdout.write(
            f"{self.subject} {action} : {erased}, sur {occurrences} "
            f"séance(s) passée(s) depuis plus de {days} jours."
        )
