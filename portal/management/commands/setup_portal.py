from django.core.management.base import BaseCommand
from django.db import transaction

from portal import access, roles


class Command(BaseCommand):
    help = (
        "Crée ou met à jour les cinq groupes, leurs droits (pages, fragments, "
        "médias, paramètres, comptes) et le circuit « Validation médiathèque ». "
        "Peut être relancée sans risque : elle ramène les groupes à la matrice "
        "des droits de portal/roles.py."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        warnings = []
        groups = access.apply_matrix(warn=warnings.append)
        for message in dict.fromkeys(warnings):
            self.stderr.write(self.style.WARNING(f"Attention : {message}"))
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(groups)} groupes et le circuit « {roles.WORKFLOW_NAME} » "
                    "sont à jour."
                )
            )
