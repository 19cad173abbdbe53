"""The charter rule (agreement, §3): a volunteer is « à jour » when the
médiathèque has countersigned their signature of the current charter, the most
recent published version. Publishing a newer version turns every signature of
an older one into « à renouveler »; a volunteer who never had a countersigned
signature of a published version is « manquante ». Only « à jour » volunteers
appear in the public directory."""

from django.apps import apps
from django.db.models import Case, CharField, Exists, OuterRef, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

CURRENT = "current"
TO_RENEW = "to_renew"
MISSING = "missing"

STATUS_LABELS = {
    CURRENT: _("à jour"),
    TO_RENEW: _("à renouveler"),
    MISSING: _("manquante"),
}
STATUS_CHOICES = list(STATUS_LABELS.items())


def _models():
    return (
        apps.get_model("volunteers", "CharterVersion"),
        apps.get_model("volunteers", "CharterSignature"),
    )


def current_version():
    """The charter volunteers must have signed today, or None."""
    CharterVersion, _signature = _models()
    return CharterVersion.objects.current()


def status_expression(volunteer_ref="pk"):
    """A SQL expression giving one of CURRENT, TO_RENEW, MISSING for the
    volunteer at `volunteer_ref` (an outer query's field)."""
    CharterVersion, CharterSignature = _models()
    current = CharterVersion.objects.filter(published=True).order_by(
        "-effective_date", "-pk"
    )
    countersigned = CharterSignature.objects.filter(
        volunteer=OuterRef(volunteer_ref),
        countersigned_on__isnull=False,
        version__published=True,
    )
    return Case(
        When(
            Exists(countersigned.filter(version=Subquery(current.values("pk")[:1]))),
            then=Value(CURRENT),
        ),
        When(Exists(countersigned), then=Value(TO_RENEW)),
        default=Value(MISSING),
        output_field=CharField(),
    )


def status_for(volunteer):
    Volunteer = apps.get_model("volunteers", "Volunteer")
    return (
        Volunteer.objects.filter(pk=volunteer.pk)
        .with_charter_status()
        .values_list("charter_status", flat=True)
        .first()
        or MISSING
    )


def volunteers_to_sign():
    """Active volunteers whose charter is not « à jour », most urgent first
    (those who must renew, then those who never signed)."""
    Volunteer = apps.get_model("volunteers", "Volunteer")
    return (
        Volunteer.objects.filter(active=True)
        .with_charter_status()
        .exclude(charter_status=CURRENT)
        .order_by("-charter_status", "display_name")
    )
