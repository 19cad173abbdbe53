"""System checks of the resources app."""

from django.conf import settings
from django.core import checks

from .credentials import keys


@checks.register(checks.Tags.security, deploy=True)
def ob3_signing_key(app_configs, **kwargs):
    """Every award is signed (Open Badges 3.0): without a key, awarding a
    badge would fail. Checked at deployment, where no key is ever made."""
    if getattr(settings, "BADGES_OB3_GENERATE_KEY", False):
        return []
    try:
        usable = any(key.can_sign for key in keys.all_keys())
    except (OSError, ValueError) as error:
        return [
            checks.Error(
                f"Clé Open Badges 3.0 illisible dans {keys.keys_dir()} : {error}",
                id="resources.E001",
            )
        ]
    if usable:
        return []
    return [
        checks.Error(
            f"Aucune clé de signature Open Badges 3.0 dans {keys.keys_dir()}.",
            hint="Lancez « python manage.py badge_keys new » (README).",
            id="resources.E002",
        )
    ]
