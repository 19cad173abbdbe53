from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from events.subscriptions import rules as subscriptions


class Command(BaseCommand):
    help = (
        "Efface, à sa demande, toute trace d'une adresse abonnée à l'agenda par "
        "e-mail (abonnement confirmé ou non, et l'historique de ses envois)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="L'adresse e-mail à effacer.")

    def handle(self, *args, email, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(
                f"« {email} » n'est pas une adresse e-mail valide."
            ) from None
        count = subscriptions.erase(email)
        if not count:
            self.stdout.write("Aucun abonnement pour cette adresse : rien à effacer.")
            return
        self.stdout.write(self.style.SUCCESS(f"Abonnement(s) effacé(s) : {count}."))
