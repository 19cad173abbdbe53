"""Erase the personal data of past appointments, like registrations.

Appointments of a session that started more than
`settings.REGISTRATION_RETENTION_DAYS` days ago are deleted; their session
keeps only anonymous counts per device, need and outcome
(`AppointmentTally`) for the partners' yearly report. Run it daily, beside
`purge_registrations`."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from events import appointments as rules


class Command(BaseCommand):
    help = (
        "Efface les données personnelles des rendez-vous d'assistance passés "
        "depuis plus de REGISTRATION_RETENTION_DAYS jours (30 par défaut), en "
        "gardant des comptes anonymes."
    )

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

    def handle(self, *args, days=None, dry_run=False, **options):
        if days is None:
            days = settings.REGISTRATION_RETENTION_DAYS
        if days < 0:
            raise CommandError(
                "La durée de conservation (--days) doit être un nombre de jours "
                "positif ou nul."
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        erased, sessions = rules.purge(cutoff, dry_run=dry_run)
        action = "à effacer" if dry_run else "effacés"
        self.stdout.write(
            f"Rendez-vous {action} : {erased}, sur {sessions} séance(s) passée(s) "
            f"depuis plus de {days} jours."
        )
