"""Daily: store the dates of recurring events that came within the horizon
(see events.agenda.occurrences). ``--all`` rebuilds every event (first fill,
repairs)."""

from django.core.management.base import BaseCommand

from events.agenda import occurrences


class Command(BaseCommand):
    help = "Ajoute les dates des événements récurrents qui entrent dans l'horizon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Reconstruit les dates de tous les événements.",
        )

    def handle(self, *args, all=False, **options):
        if all:
            count = occurrences.rebuild_all()
            self.stdout.write(f"{count} événement(s) reconstruit(s).")
        else:
            count = occurrences.extend_horizon()
            self.stdout.write(f"{count} événement(s) prolongé(s).")
