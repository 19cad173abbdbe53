"""« Bilan de la convention » in the admin (`/admin/bilan/`): the page, its
print version, its exports, and the attendance of every date of a period
(or of one event). All take `?annee=` or `?du=&au=`; all need the matrix
action « see_convention_report »."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events.models import EventPage, OccurrenceTally
from portal.admin import require_permission

from . import charts, exports
from .build import build
from .figures import CLX, MEDIATHEQUE
from .forms import PeriodForm

VIEW_REPORT = "events.view_convention_report"


def _period_form(request):
    return PeriodForm(
        request.GET if request.GET else None,
        initial={"annee": timezone.localdate().year},
    )


def _context(request):
    form = _period_form(request)
    period = form.period()
    report = build(period)
    names = report.partner_titles
    return {
        "form": form,
        "report": report,
        "period_label": _period_label(period),
        "partners_line": _("%(a)s et %(b)s")
        % {"a": names[MEDIATHEQUE], "b": names[CLX]},
        "query": _query(period),
        "query_fields": _query_fields(period),
        "months_chart": charts.months_chart(
            "graphique-mois", report.months, report.partners
        ),
        "types_chart": charts.types_chart(
            "graphique-types", report.attendance_by_type, report.partners
        ),
    }


def _period_label(period):
    if period.calendar_year:
        return _("Année %(year)d") % {"year": period.calendar_year}
    return _("Du %(first)s au %(last)s") % {
        "first": date_format(period.first_day, "DATE_FORMAT"),
        "last": date_format(period.last_day, "DATE_FORMAT"),
    }


def _query_fields(period):
    if period.calendar_year:
        return [("annee", period.calendar_year)]
    return [("du", period.first_day.isoformat()), ("au", period.last_day.isoformat())]


def _query(period):
    if period.calendar_year:
        return f"annee={period.calendar_year}"
    return f"du={period.first_day.isoformat()}&au={period.last_day.isoformat()}"


class ReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "portal/report/index.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_permission(request, VIEW_REPORT)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Bilan de la convention")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_context(self.request))
        context["events"] = (
            EventPage.objects.filter(pk__in=OccurrenceTally.objects.values("event_id"))
            .order_by("title")
            .values_list("pk", "title")
        )
        return context


def print_view(request):
    require_permission(request, VIEW_REPORT)
    return render(request, "portal/report/print.html", _context(request))


def export(request, export_format):
    require_permission(request, VIEW_REPORT)
    if export_format not in exports.FORMATS:
        raise Http404
    report = build(_period_form(request).period())
    return exports.response(
        exports.report_rows(report),
        export_format,
        f"bilan-convention-{report.period.slug}",
    )


def attendance_export(request, export_format):
    """Every date's anonymous counts, for the period or for one event
    (`?evenement=<id>`, then over all its dates unless a period is given)."""
    require_permission(request, VIEW_REPORT)
    if export_format not in exports.FORMATS:
        raise Http404
    period = _period_form(request).period()
    event = None
    event_id = request.GET.get("evenement", "")
    if event_id:
        if not event_id.isdigit() or len(event_id) > 12:
            raise Http404
        event = EventPage.objects.filter(pk=int(event_id)).first()
        if event is None:
            raise Http404
    rows = exports.attendance_rows(period.start, period.end, event)
    suffix = f"-{event.slug}" if event else ""
    return exports.response(rows, export_format, f"presences-{period.slug}{suffix}")


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_REPORT)
