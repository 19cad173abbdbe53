"""`make restore FILE=…`: put an archive of `backup` back, after checking
all of it; asks first (or `--yes`), and never asks-free in production."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde faite par « backup » : vérifie toute l'archive, "
        "puis remplace la base de données et les fichiers. Demande confirmation "
        "(ou --yes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Chemin de l'archive .tar.gz")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Ne pas demander confirmation (obligatoire en production).",
        )

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            self._confirm(archive)
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Sauvegarde du {manifest['created_at']} restaurée : base de données "
            f"({manifest['engine']}) et {len(manifest['checksums']) - 1} fichier(s)."
        )

    def _confirm(self, archive):
        if getattr(settings, "PORTAL_PRODUCTION", False):
            raise CommandError(
                "Réglages de production : la restauration remplace toutes les "
                "données du site. Relancez avec --yes si c'est bien voulu."
            )
        if not sys.stdin.isatty():
            raise CommandError(
                "Confirmation impossible sans terminal : relancez avec --yes."
            )
        answer = input(
            f"La base de données et les fichiers du site vont être remplacés par "
            f"{archive}. Tapez « oui » pour continuer : "
        )
        if answer.strip().lower() != "oui":
            raise CommandError("Restauration annulée : rien n'a été modifié.")
