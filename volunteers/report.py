"""Volunteers' figures for the « Bilan de la convention » (`portal.report`):
how many volunteers held the charter in force on the period's last day
(signed and countersigned by then; the signatures of erased volunteers stay,
anonymised, and still count). They are CLX's members. Two queries; the hours
they gave are the agenda's (`events.report`)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.report.figures import CLX, TOGETHER, Figure

from .models import CharterSignature, CharterVersion


def figures(start, end, now):
    last_day = timezone.localtime(min(end, now) - datetime.timedelta(microseconds=1))
    version = (
        CharterVersion.objects.published()
        .filter(effective_date__lte=last_day.date())
        .order_by("-effective_date", "-pk")
        .first()
    )
    held = (
        CharterSignature.objects.filter(
            version=version, countersigned_on__lte=last_day.date()
        ).count()
        if version
        else 0
    )
    return [
        Figure(
            _("Bénévoles ayant signé la charte en vigueur"),
            {CLX: held, TOGETHER: held},
            note=_("Signée et contresignée au dernier jour de la période."),
        )
    ]
