"""Erasure on request (RGPD, art. 17): a volunteer's personal data goes from
everywhere the site keeps it (the row, every revision, the audit log, workflow
states, editing sessions, skills nobody else has, the photo with its
renditions, unless another page or object still uses it). Only charter
signatures remain, anonymised (their log entries too): their dates, the
version and the countersigning staff member, with no link to the person."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, ReferenceIndex, Revision, WorkflowState

from portal import auditlog

ERASE_ACTION = "volunteers.erase"


@dataclass
class ErasureReport:
    reference: str
    revisions: int
    log_entries: int
    workflow_states: int
    signatures: int
    photo_deleted: bool

    def lines(self):
        return [
            _("%(ref)s : données personnelles effacées.") % {"ref": self.reference},
            _("Révisions supprimées : %(n)s.") % {"n": self.revisions},
            _("Entrées du journal supprimées : %(n)s.") % {"n": self.log_entries},
            _("Circuits de validation supprimés : %(n)s.")
            % {"n": self.workflow_states},
            _("Signatures de charte conservées anonymement : %(n)s.")
            % {"n": self.signatures},
            _("Photo supprimée : %(answer)s.")
            % {"answer": _("oui") if self.photo_deleted else _("non")},
        ]


def anonymised_reference(pk):
    return _("Bénévole effacé n° %(pk)s") % {"pk": pk}


def _delete_logs(instance):
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    deleted, _detail = ModelLogEntry.objects.filter(
        content_type=content_type, object_id=str(instance.pk)
    ).delete()
    return deleted


@transaction.atomic
def erase_volunteer(volunteer, user=None):
    """Erase `volunteer` (a Volunteer) and return an ErasureReport."""
    from wagtail.admin.models import EditingSession

    from volunteers.models import CharterSignature, Skill, Volunteer

    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    pk = volunteer.pk
    reference = anonymised_reference(pk)
    base_type = volunteer.get_base_content_type()
    erased_on = date_format(timezone.localdate(), "SHORT_DATE_FORMAT")

    signature_pks = list(
        CharterSignature.objects.filter(volunteer=volunteer).values_list(
            "pk", flat=True
        )
    )
    signatures = CharterSignature.objects.filter(pk__in=signature_pks).update(
        volunteer=None, anonymised_label=f"{reference} ({erased_on})"
    )
    # Their log entries named the person too.
    log_entries_scrubbed = auditlog.scrub(
        CharterSignature, signature_pks, f"{reference} ({erased_on})"
    )

    # Skills named in any revision too: one the person had once and dropped
    # is still theirs, and nobody else's if no volunteer holds it now.
    skill_ids = set(volunteer.skill_items.values_list("tag_id", flat=True))
    photo_ids = {volunteer.photo_id} - {None}
    for content in Revision.objects.filter(
        base_content_type=base_type, object_id=str(pk)
    ).values_list("content", flat=True):
        for item in (content or {}).get("skill_items", []):
            if isinstance(item, dict) and item.get("tag"):
                skill_ids.add(item["tag"])
        if (content or {}).get("photo"):
            photo_ids.add(content["photo"])

    log_entries = _delete_logs(volunteer)
    workflow_states, _detail = WorkflowState.objects.filter(
        base_content_type=base_type, object_id=str(pk)
    ).delete()
    revisions, _detail = Revision.objects.filter(
        base_content_type=base_type, object_id=str(pk)
    ).delete()
    EditingSession.objects.filter(
        content_type=ContentType.objects.get_for_model(Volunteer),
        object_id=str(pk),
    ).delete()

    volunteer.delete()
    Skill.objects.filter(pk__in=skill_ids, tagged_volunteers__isnull=True).delete()

    # Every photo the person ever had: renditions go with the image
    # (cascade), and Wagtail removes the files once the transaction commits.
    # A photo still used elsewhere (a page, a guide, a badge) is kept.
    photo_deleted = False
    for photo in get_image_model().objects.filter(pk__in=photo_ids):
        if ReferenceIndex.get_references_to(photo).exists():
            continue
        log_entries += _delete_logs(photo)
        photo.delete()
        photo_deleted = True
    log_entries += log_entries_scrubbed

    # The erasure itself is logged, with nothing but the anonymous reference.
    log(
        instance=Volunteer(pk=pk, display_name=reference),
        action=ERASE_ACTION,
        user=user,
        title=reference,
    )
    return ErasureReport(
        reference=reference,
        revisions=revisions,
        log_entries=log_entries,
        workflow_states=workflow_states,
        signatures=signatures,
        photo_deleted=photo_deleted,
    )
