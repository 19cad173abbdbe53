"""The report and the attendance per date as spreadsheets: CSV (semicolons
and decimal commas, as French spreadsheets read them, with a byte-order
mark), XLSX (openpyxl) and ODS (odfpy), for LibreOffice. French labels, the
survey's heading on each line, « NC » where a figure is not known, « — »
where it does not apply; every text cell goes through the one formula rule
(`portal.exports`)."""

import csv
import io
from decimal import Decimal

from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from events.models import OccurrenceTally
from portal import formats
from portal.exports import neutralise_formula

from .figures import NOT_APPLICABLE, SCOPES

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
NC = "NC"
NOT_APPLICABLE_TEXT = "—"


def _cell(value):
    if value is None:
        return NC
    if value is NOT_APPLICABLE:
        return NOT_APPLICABLE_TEXT
    return neutralise_formula(value)


def report_rows(report):
    """Title lines, then one line per figure: survey heading, section,
    figure, one column per partner and together, unit, note."""
    period = _("du %(first)s au %(last)s") % {
        "first": formats.short_date(report.period.first_day),
        "last": formats.short_date(report.period.last_day),
    }
    names = [report.partners[scope] for scope in SCOPES]
    rows = [
        [_("Bilan de la convention"), " – ".join(names[:2]), period],
        [],
        [
            _("Rubrique de l'enquête (Néoscrib)"),
            _("Partie"),
            _("Indicateur"),
            *names,
            _("Unité"),
            _("Remarque"),
        ],
    ]
    for section in report.sections:
        for figure in section.figures:
            rows.append(
                [
                    str(section.survey),
                    str(section.title),
                    str(figure.label),
                    *(_cell(figure.value(scope)) for scope in SCOPES),
                    {"h": _("heures"), "€": _("euros")}.get(figure.unit, _("nombre")),
                    str(figure.note),
                ]
            )
    return [[_cell(value) if value != "" else value for value in row] for row in rows]


def attendance_rows(start, end, event=None):
    """One line per date that had registrations, anonymous counts only."""
    tallies = OccurrenceTally.objects.filter(
        occurrence_start__gte=start, occurrence_start__lt=end
    )
    if event is not None:
        tallies = tallies.filter(event=event)
    rows = [
        [
            _("Événement"),
            _("Type"),
            _("Date"),
            _("Heure"),
            _("Inscriptions confirmées"),
            _("Places confirmées"),
            _("Personnes présentes"),
            _("Absents sans prévenir"),
            _("Liste d'attente au plus haut"),
            _("Émargement fait"),
        ]
    ]
    now = timezone.now()
    for tally in tallies.values(
        "occurrence_start",
        "confirmed_registrations",
        "confirmed_seats",
        "present",
        "attendance_taken",
        "waiting_peak",
        title=F("event__title"),
        kind=F("event__event_type__name"),
    ).order_by("occurrence_start", "event_id"):
        start_local = timezone.localtime(tally["occurrence_start"])
        confirmed, present = tally["confirmed_registrations"], tally["present"]
        if not tally["attendance_taken"] or tally["occurrence_start"] > now:
            no_shows = NOT_APPLICABLE
        elif confirmed is None or present is None:
            no_shows = None
        else:
            no_shows = confirmed - present
        rows.append(
            [
                _cell(tally["title"]),
                _cell(tally["kind"] or _("Sans type")),
                start_local.date(),
                formats.time_of_day(start_local),
                _cell(confirmed),
                _cell(tally["confirmed_seats"]),
                _cell(present),
                _cell(no_shows),
                _cell(tally["waiting_peak"]),
                _("oui") if tally["attendance_taken"] else _("non"),
            ]
        )
    return rows


def response(rows, export_format, filename):
    body = {"csv": _csv, "xlsx": _xlsx, "ods": _ods}[export_format](rows)
    reply = HttpResponse(body, content_type=FORMATS[export_format])
    reply["Content-Disposition"] = f'attachment; filename="{filename}.{export_format}"'
    return reply


def _csv_text(value):
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    if hasattr(value, "strftime"):
        return formats.short_date(value)
    return value


def _csv(rows):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return out.getvalue().encode()


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Bilan")[:31]
    for row in rows:
        sheet.append(row)
    for cell in sheet["C"]:
        if hasattr(cell.value, "year"):
            cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods(rows):
    document = OpenDocumentSpreadsheet()
    table = Table(name=_("Bilan"))
    for row in rows:
        line = TableRow()
        for value in row:
            if isinstance(value, bool):
                value = _("oui") if value else _("non")
            if isinstance(value, int | Decimal | float):
                cell = TableCell(valuetype="float", value=str(value))
                cell.addElement(P(text=str(value).replace(".", ",")))
            elif hasattr(value, "isoformat"):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=formats.short_date(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()
