"""Make (or show) the agenda's fediverse signing key: `manage.py fediverse_key`
prints where it is and its public half; `--new` replaces it (remote servers
fetch the new key the next time a signature fails to verify)."""

from django.core.management.base import BaseCommand

from events.fediverse import keys


class Command(BaseCommand):
    help = "Crée ou affiche la clé de signature de l'agenda sur le fédivers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new", action="store_true", help="Remplacer la clé existante."
        )

    def handle(self, *args, new=False, **options):
        path = keys.keys_dir() / keys.KEY_FILE
        if new or not path.exists():
            keys.create_key(path)
            self.stdout.write(f"Clé créée : {path}")
        else:
            self.stdout.write(f"Clé existante : {path}")
        self.stdout.write(keys.public_key_pem())
