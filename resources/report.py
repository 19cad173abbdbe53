"""Learning's figures for the « Bilan de la convention » (`portal.report`):
learning paths published in the period, badges awarded (per badge, the
demonstration's left out), badge requests received and decided. Counted for
both partners together: paths and badges are the atelier's, not one
partner's. Three queries, whatever the period holds."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from portal.report.figures import TOGETHER, Figure

from .models import BadgeAssertion, BadgeRequest, LearningPathPage


def figures(start, end, now):
    in_period = {"first_published_at__gte": start, "first_published_at__lt": end}
    paths = LearningPathPage.objects.aggregate(
        published=Count("pk", filter=Q(live=True, **in_period)),
        live=Count("pk", filter=Q(live=True)),
    )
    status = BadgeRequest.Status
    decided = Q(decided_at__gte=start, decided_at__lt=end)
    requests = BadgeRequest.objects.aggregate(
        received=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        approved=Count("pk", filter=decided & Q(status=status.APPROVED)),
        declined=Count("pk", filter=decided & Q(status=status.DECLINED)),
    )
    awarded = list(
        BadgeAssertion.objects.filter(issued_on__gte=start, issued_on__lt=end)
        .exclude(source=BadgeAssertion.Source.DEMO)
        .values("badge_class__name")
        .annotate(n=Count("pk"), revoked=Count("pk", filter=Q(revoked=True)))
        .order_by("badge_class__name")
    )

    def together(value):
        return {TOGETHER: value}

    result = [
        Figure(_("Parcours publiés pendant la période"), together(paths["published"])),
        Figure(
            _("Parcours en ligne aujourd'hui"),
            together(paths["live"]),
            note=_("Ce qui était en ligne à une date passée n'est pas conservé."),
        ),
        Figure(
            _("Badges décernés"),
            together(sum(row["n"] for row in awarded)),
            note=_("Badges révoqués depuis compris."),
        ),
    ]
    result += [
        Figure(
            _("Badge « %(badge)s » décerné") % {"badge": row["badge_class__name"]},
            together(row["n"]),
        )
        for row in awarded
    ]
    result += [
        Figure(_("Demandes de badge reçues"), together(requests["received"])),
        Figure(_("Demandes de badge approuvées"), together(requests["approved"])),
        Figure(_("Demandes de badge refusées"), together(requests["declined"])),
    ]
    return result
