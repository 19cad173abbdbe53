"""Erase a badge recipient's personal data (RGPD right to erasure).

    manage.py erase_badge_recipient <email> [--revoke]

Their requests are deleted; their assertions lose e-mail, name and evidence
but keep the salted hash so the holder can still prove the badge, unless
--revoke also revokes them (see resources/awarding.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from resources import awarding


class Command(BaseCommand):
    help = _("Efface les données personnelles d'un titulaire de badges.")

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--revoke", action="store_true", help=_("révoquer aussi ses badges")
        )

    def handle(self, *args, **options):
        try:
            count, deleted = awarding.erase_recipient(
                options["email"], revoke_assertions=options["revoke"]
            )
        except awarding.AwardingError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(count)s badges anonymisés, %(deleted)s demandes supprimées.")
            % {"count": count, "deleted": deleted}
        )
