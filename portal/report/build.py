"""The report assembled: each app's figures in sections, under the headings
of the Ministry of Culture's yearly survey of public libraries (Néoscrib,
section E « Usages et usagers », E4 « Orientation et formation des
usagers », « Action culturelle », « Partenariats »)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import report as agenda
from events.agenda import recurrence
from home.models import Partner
from resources import report as learning
from volunteers import report as volunteers

from .figures import CLX, MEDIATHEQUE, SCOPES, TOGETHER

SURVEY_USAGES = gettext_lazy("E – Usages et usagers")
SURVEY_E4 = gettext_lazy("E4 – Orientation et formation des usagers")
SURVEY_CULTURE = gettext_lazy("Action culturelle")
SURVEY_PARTNERS = gettext_lazy("Partenariats")


@dataclass
class Section:
    key: str
    title: str
    survey: str
    figures: list
    intro: str = ""


@dataclass
class Period:
    """[start, end) in local time, and how to say it."""

    start: datetime.datetime
    end: datetime.datetime

    @classmethod
    def year(cls, year):
        return cls.days(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def days(cls, first, last):
        return cls(
            recurrence.localize(datetime.datetime.combine(first, datetime.time())),
            recurrence.localize(
                datetime.datetime.combine(
                    last + datetime.timedelta(days=1), datetime.time()
                )
            ),
        )

    @property
    def first_day(self):
        return timezone.localtime(self.start).date()

    @property
    def last_day(self):
        return (timezone.localtime(self.end) - datetime.timedelta(days=1)).date()

    @property
    def calendar_year(self):
        first, last = self.first_day, self.last_day
        if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
            if first.year == last.year:
                return first.year
        return None

    @property
    def slug(self):
        if self.calendar_year:
            return str(self.calendar_year)
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"


@dataclass
class Report:
    period: Period
    generated_at: datetime.datetime
    partners: dict  # scope → short name (columns)
    partner_titles: dict  # scope → full name (titles, exports)
    sections: list = field(default_factory=list)
    # [(month, [held dates per column])], [(type, [people present…])]
    months: list = field(default_factory=list)
    attendance_by_type: list = field(default_factory=list)

    @property
    def scopes(self):
        return [(scope, self.partners[scope]) for scope in SCOPES]


def partner_names():
    """({scope: short name} for the columns, {scope: full name} for titles
    and exports)."""
    rows = {
        slug: (short or name, name)
        for slug, short, name in Partner.objects.filter(
            slug__in=(MEDIATHEQUE, CLX)
        ).values_list("slug", "short_name", "name")
    }
    fallback = {MEDIATHEQUE: _("Médiathèque"), CLX: "CLX"}
    short, full = {}, {}
    for scope in (MEDIATHEQUE, CLX):
        short[scope], full[scope] = rows.get(scope, (fallback[scope],) * 2)
    short[TOGETHER] = full[TOGETHER] = _("Ensemble")
    return short, full


def _in_columns(rows):
    return [(key, [values[scope] for scope in SCOPES]) for key, values in rows]


def build(period, now=None):
    """The whole report for `period`: a fixed number of queries."""
    now = now or timezone.now()
    start, end = period.start, period.end
    events = agenda.figures(start, end, now)
    short, full = partner_names()
    report = Report(
        period=period,
        generated_at=now,
        partners=short,
        partner_titles=full,
        months=_in_columns(events.months),
        attendance_by_type=_in_columns(events.attendance_by_type),
    )
    report.sections = [
        Section(
            "rencontres",
            _("Rencontres et ateliers"),
            SURVEY_CULTURE,
            events.activity,
            _(
                "D'après les dates enregistrées de l'agenda ; une date compte "
                "dans la période où elle commence."
            ),
        ),
        Section(
            "frequentation",
            _("Fréquentation"),
            SURVEY_USAGES,
            events.attendance,
            _(
                "Comptes anonymes par séance, conservés après l'effacement des "
                "inscriptions."
            ),
        ),
        Section(
            "assistance",
            _("Assistance informatique"),
            SURVEY_E4,
            events.assistance,
            _("Rendez-vous d'assistance, y compris ceux déjà anonymisés."),
        ),
        Section(
            "apprentissage",
            _("Apprentissage : parcours et badges"),
            SURVEY_E4,
            learning.figures(start, end, now),
        ),
        Section(
            "benevoles",
            _("Bénévoles"),
            SURVEY_PARTNERS,
            [*volunteers.figures(start, end, now), events.volunteer_hours],
        ),
        Section(
            "salles",
            _("Salles"),
            SURVEY_PARTNERS,
            events.rooms,
            _("Demandes de CLX à la médiathèque ayant une date dans la période."),
        ),
        Section(
            "argent",
            _("Engagements financiers"),
            SURVEY_PARTNERS,
            events.money,
            _(
                "Engagements proposés pendant la période. Colonne Médiathèque : "
                "à la charge de la ville ; colonne CLX : à la charge du club ; "
                "Ensemble : tous, lignes partagées comprises."
            ),
        ),
    ]
    return report
