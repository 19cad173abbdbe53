from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import demo


class Command(BaseCommand):
    help = (
        "Charge le contenu de démonstration (arborescence, partenaires, pages "
        "légales, contenus de chaque application). Peut être relancée : rien de ce "
        "qui existe n'est écrasé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Ne pas créer les comptes de démonstration.",
        )

    def handle(self, *args, **options):
        want_accounts = not options["no_accounts"]
        if want_accounts and not getattr(settings, "PORTAL_DEMO_ACCOUNTS", False):
            raise CommandError(
                "Comptes de démonstration refusés avec ces réglages (production). "
                "Relancez avec --no-accounts pour ne charger que le contenu."
            )
        with transaction.atomic():
            report = demo.load(with_accounts=want_accounts)
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Données de démonstration à jour."))
