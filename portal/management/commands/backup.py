"""`make backup`: one timestamped archive of the database and the files."""

from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données (SQLite ou PostgreSQL, selon "
        "DATABASE_URL) et les fichiers (médias, documents privés) dans une "
        "archive datée sous backups/, et affiche son chemin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossier",
            dest="folder",
            default=None,
            help="Dossier où écrire l'archive (par défaut : backups/).",
        )

    def handle(self, *args, folder=None, **options):
        try:
            path = backup.create(folder)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
