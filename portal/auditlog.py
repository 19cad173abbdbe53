"""Erasure reaches the audit log.

The rule: when a person's data is erased (on request or by a scheduled
purge), the Wagtail log entries of the erased objects keep the action and
the date but lose what names the person: their label becomes an anonymous
reference and their data is emptied. Used by every erasure and purge.
"""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry


def scrub(model, pks, label):
    """Anonymise the log entries of `model` objects `pks`; returns how many."""
    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return ModelLogEntry.objects.filter(
        content_type=content_type, object_id__in=pks
    ).update(label=label, data={})
