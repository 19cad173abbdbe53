from django.conf import settings
from django.contrib.auth import get_user_model
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
        if want_accounts:
            # Demo accounts share one known password: never beside real ones.
            demo_names = [account[0] for account in demo.DEMO_ACCOUNTS]
            others = get_user_model().objects.exclude(username__in=demo_names)
            if others.exists():
                raise CommandError(
                    "Comptes de démonstration refusés : cette base contient déjà "
                    f"d'autres comptes ({others.count()}). Relancez avec "
                    "--no-accounts pour ne charger que le contenu."
                )
        with transaction.atomic():
            report = demo.load(with_accounts=want_accounts)
        for line in report:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Données de démonstration à jour."))
