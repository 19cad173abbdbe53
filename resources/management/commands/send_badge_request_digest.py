"""Send the digest of badge requests not yet announced to staff: what the
deferred task would send, for when the queue lost it. Safe to run as often
as wanted (resources/request_notices.py: a request is announced once)."""

from django.core.management.base import BaseCommand

from resources import request_notices


class Command(BaseCommand):
    help = (
        "Envoie à l'équipe le récapitulatif des demandes de badge qui n'ont "
        "pas encore été annoncées (au-delà du seuil horaire). "
        "À lancer toutes les 30 minutes."
    )

    def handle(self, *args, **options):
        count = request_notices.send_digest()
        if options["verbosity"]:
            self.stdout.write(f"Demandes annoncées dans le récapitulatif : {count}.")
