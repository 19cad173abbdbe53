"""The report and the attendance per date as spreadsheets: CSV (semicolons
and decimal commas, as French spreadsheets read them, with a byte-order
mark), XLSX (openpyxl) and ODS (written here, read back with odfpy in
the tests), for LibreOffice. French labels, the
survey's heading on each line, « NC » where a figure is not known, « — »
where it does not apply; every text cell goes through the one formula rule
(`portal.exports`)."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

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
# formats.short_date's « 06/12/2026 », without a format lookup per line.
SHORT_DATE = "%d/%m/%Y"
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
    names = [report.partner_titles[scope] for scope in SCOPES]
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
    yes, no, untyped = _("oui"), _("non"), _("Sans type")
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
                _cell(tally["kind"] or untyped),
                start_local.date(),
                # formats.time_of_day's « 9 h 30 », without a format lookup
                # per line of a long export.
                f"{start_local.hour} h {start_local.minute:02d}",
                _cell(confirmed),
                _cell(tally["confirmed_seats"]),
                _cell(present),
                _cell(no_shows),
                _cell(tally["waiting_peak"]),
                yes if tally["attendance_taken"] else no,
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
    if isinstance(value, datetime.date):
        return value.strftime(SHORT_DATE)
    return value


def _csv(rows):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return out.getvalue().encode()


def _xlsx(rows):
    # Write-only: rows streamed to the file, for the long attendance export.
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Bilan")[:31])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, value):
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""  # noqa: E501
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content office:version="1.2"'
    ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    "<office:body><office:spreadsheet>"
)
ODS_TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _ods(rows):
    """An OpenDocument spreadsheet written as text (a library's document
    tree takes over a minute for a year of dates): the smallest valid
    package, numbers and dates typed, read back by odfpy in the tests."""
    parts = [ODS_HEAD, f'<table:table table:name="{escape(_("Bilan"))}">']
    for row in rows:
        parts.append("<table:table-row>")
        parts.extend(_ods_cell(value) for value in row)
        parts.append("</table:table-row>")
    parts += ["</table:table>", ODS_TAIL]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        # The mimetype first and stored, as the format requires.
        package.writestr("mimetype", FORMATS["ods"], compress_type=zipfile.ZIP_STORED)
        package.writestr("content.xml", "".join(parts))
        package.writestr("META-INF/manifest.xml", ODS_MANIFEST)
    return out.getvalue()


def _ods_cell(value):
    if isinstance(value, bool):
        value = _("oui") if value else _("non")
    if isinstance(value, int | Decimal | float):
        shown = str(value).replace(".", ",")
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{shown}</text:p></table:table-cell>"
        )
    if isinstance(value, datetime.date):
        return (
            f'<table:table-cell office:value-type="date" '
            f'office:date-value="{value.isoformat()}">'
            f"<text:p>{value.strftime(SHORT_DATE)}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )
