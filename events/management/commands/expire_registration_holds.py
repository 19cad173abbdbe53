"""Erase the registrations whose address did not confirm in time.

A registration from the public form holds its seats for
`settings.REGISTRATION_HOLD_MINUTES` minutes until its address confirms
through the mail's link; past that, it is erased here and the seats it held
go to the waiting list (whose people are e-mailed). Every registration
decision does the same for its own date under the seat lock: this command
catches the dates nobody touches. Run it every five minutes."""

from django.core.management.base import BaseCommand

from events.registrations import rules as registration


class Command(BaseCommand):
    help = (
        "Efface les inscriptions non confirmées dans le délai "
        "(REGISTRATION_HOLD_MINUTES) et donne leurs places à la liste d'attente."
    )

    def handle(self, *args, **options):
        erased = registration.expire_holds()
        self.stdout.write(f"Demandes d'inscription non confirmées effacées : {erased}.")
