"""The Open Badges 3.0 signing keys (files in BADGES_OB3_KEYS_DIR).

    manage.py badge_keys            list the published keys
    manage.py badge_keys new        add a key: it signs from now on
    manage.py badge_keys retire     keep only the public half of older keys
    manage.py badge_keys sign-missing   sign the credentials of badges
                                        awarded before Open Badges 3.0

Old keys stay published, so credentials they signed keep verifying.
"""

from django.core.management.base import BaseCommand

from resources.credentials import documents, issuing, keys


class Command(BaseCommand):
    help = "Liste, crée ou retire les clés de signature Open Badges 3.0."

    def add_arguments(self, parser):
        parser.add_argument(
            "action",
            nargs="?",
            default="list",
            choices=["list", "new", "retire", "sign-missing"],
        )

    def handle(self, action, **options):
        if action == "new":
            key = keys.new_key()
            self.stdout.write(
                f"Nouvelle clé {key.name} : elle signe désormais les badges.\n"
                f"{documents.verification_method_id(key)}"
            )
        elif action == "retire":
            retired = keys.retire_old_keys()
            self.stdout.write(
                f"{len(retired)} clé(s) retirée(s) : seule leur moitié publique "
                "reste, publiée."
            )
        elif action == "sign-missing":
            count = issuing.issue_missing()
            self.stdout.write(f"{count} attestation(s) Open Badges 3.0 signée(s).")
        published = keys.all_keys()
        signing = next((k for k in reversed(published) if k.can_sign), None)
        self.stdout.write(f"Dossier : {keys.keys_dir()}")
        for key in published:
            role = (
                "signe"
                if key is signing
                else ("privée, ne signe plus" if key.can_sign else "retirée")
            )
            self.stdout.write(f"  {key.name} ({role}) {key.multibase}")
