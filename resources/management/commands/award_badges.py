"""Award a badge to everyone in a CSV file (name,email), all or nothing.

    manage.py award_badges <badge-slug> <file.csv> [--base-url URL] [--no-email]

Prints one assertion URL per line. A bad row is reported with its line number
and nothing of the file is issued (exit status 1)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resources import awarding, openbadges
from resources.models import BadgeAssertion, BadgeClass


class Command(BaseCommand):
    help = _("Décerne un badge à chaque personne d'un fichier CSV (nom, e-mail).")

    def add_arguments(self, parser):
        parser.add_argument("badge_slug", help=_("identifiant d'URL du badge"))
        parser.add_argument("csv_file", help=_("fichier CSV : nom, e-mail"))
        parser.add_argument(
            "--base-url",
            default="",
            help=_("adresse publique du site (par défaut BADGES_BASE_URL)"),
        )
        parser.add_argument(
            "--no-email",
            action="store_true",
            help=_("ne pas envoyer l'e-mail aux titulaires"),
        )
        parser.add_argument(
            "--evidence", default="", help=_("preuve commune, par exemple l'atelier")
        )

    def handle(self, *args, **options):
        badge = BadgeClass.objects.filter(slug=options["badge_slug"]).first()
        if badge is None:
            known = ", ".join(BadgeClass.objects.values_list("slug", flat=True))
            raise CommandError(
                _("Badge inconnu : « %(slug)s ». Badges existants : %(known)s.")
                % {"slug": options["badge_slug"], "known": known or _("aucun")}
            )
        path = Path(options["csv_file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Impossible de lire le fichier %(path)s : %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        try:
            issued = awarding.import_csv(
                badge,
                data,
                source=BadgeAssertion.Source.COMMAND,
                evidence_narrative=options["evidence"],
                notify=False,
            )
        except awarding.CsvImportError as error:
            for line, message in error.errors:
                self.stderr.write(
                    _("ligne %(line)s : %(message)s")
                    % {"line": line, "message": message}
                )
            raise CommandError(
                _("Aucun badge décerné : corrigez le fichier et relancez.")
            ) from error
        base = options["base_url"].rstrip("/")
        for assertion in issued:
            url = openbadges.assertion_id(assertion)
            if base:
                url = base + assertion.get_absolute_url()
            self.stdout.write(url)
        if not options["no_email"]:
            for assertion in issued:
                awarding.send_assertion_email(assertion)
