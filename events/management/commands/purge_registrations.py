"""Erase the personal data of past occurrences.

Registrations of an occurrence that started more than
`settings.REGISTRATION_RETENTION_DAYS` days ago are deleted; the
occurrence's RegistrationList keeps only anonymous counts (confirmed seats,
people present) for the médiathèque's statistics, and their audit-log
entries lose the names. Run it daily."""

from events.management.purge import PurgeCommand
from events.registrations import rules as registration


class Command(PurgeCommand):
    help = (
        "Efface les données personnelles des inscriptions aux séances passées "
        "depuis plus de REGISTRATION_RETENTION_DAYS jours (30 par défaut)."
    )
    subject = "Inscriptions"
    erased_word = "effacées"

    def purge(self, cutoff, now, dry_run):
        return registration.purge(cutoff, now, dry_run=dry_run)
