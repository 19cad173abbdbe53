"""The charter rule (agreement, §3): a volunteer is « à jour » when the
médiathèque has countersigned their signature of the current charter, the most
recent published version. Publishing a newer version turns every signature of
an older one into « à renouveler »; a volunteer who never had a countersigned
signature of a published version is « manquante ». Only « à jour » volunteers
appear in the public directory."""

from .models import Volunteer
from .models.charters import (
    CURRENT,
    MISSING,
    STATUS_CHOICES,
    STATUS_LABELS,
    TO_RENEW,
    CharterVersion,
)

__all__ = ["CURRENT", "MISSING", "STATUS_CHOICES", "STATUS_LABELS", "TO_RENEW"]


def current_version():
    """The charter volunteers must have signed today, or None."""
    return CharterVersion.objects.current()


def volunteers_to_sign():
    """Active volunteers whose charter is not « à jour », most urgent first
    (those who must renew, then those who never signed)."""
    return (
        Volunteer.objects.filter(active=True)
        .with_charter_status()
        .exclude(charter_status=CURRENT)
        .order_by("-charter_status", "display_name")
    )
