from django.core.management.base import BaseCommand
from django.db import transaction

from portal import roles


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les groupes, leurs droits et le circuit de validation. "
        "Peut être relancée sans risque."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        groups = roles.setup_groups()
        self.stdout.write(self.style.SUCCESS(f"{len(groups)} groupes à jour."))
