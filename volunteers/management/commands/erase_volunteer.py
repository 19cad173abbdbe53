from django.core.management.base import BaseCommand, CommandError

from volunteers.erasure import erase_volunteer
from volunteers.models import Volunteer


class Command(BaseCommand):
    help = (
        "Efface les données personnelles d'un bénévole partout (fiche, "
        "révisions, journal, circuits de validation, photo) ; seules restent, "
        "anonymisées, ses signatures de la charte."
    )

    def add_arguments(self, parser):
        parser.add_argument("volunteer_id", help="Numéro du bénévole (son id).")

    def handle(self, *args, volunteer_id, **options):
        try:
            pk = int(volunteer_id)
        except ValueError:
            raise CommandError(
                f"« {volunteer_id} » n'est pas un numéro de bénévole valide."
            ) from None
        volunteer = Volunteer.objects.filter(pk=pk).first()
        if volunteer is None:
            raise CommandError(f"Aucun bénévole ne porte le numéro {pk}.")
        report = erase_volunteer(volunteer)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Effacement terminé."))
