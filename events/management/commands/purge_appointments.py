"""Erase the personal data of past appointments, like registrations.

Appointments of a session that started more than
`settings.REGISTRATION_RETENTION_DAYS` days ago are deleted; their session
keeps only anonymous counts per device, need and outcome
(`AppointmentTally`) for the partners' yearly report. Run it daily, beside
`purge_registrations`."""

from events.appointments import rules
from events.management.purge import PurgeCommand


class Command(PurgeCommand):
    help = (
        "Efface les données personnelles des rendez-vous d'assistance passés "
        "depuis plus de REGISTRATION_RETENTION_DAYS jours (30 par défaut), en "
        "gardant des comptes anonymes."
    )
    subject = "Rendez-vous"
    erased_word = "effacés"

    def purge(self, cutoff, now, dry_run):
        return rules.purge(cutoff, dry_run=dry_run)
