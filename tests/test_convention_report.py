"""« Bilan de la convention » (/admin/bilan/): a year of the partnership built
by hand, through the rules people's actions go through (registering,
cancelling, the attendance sheet, the purges), then every figure checked
against its definition, per partner and together, on the page and in the
CSV, XLSX and ODS exports read back with real readers. The year crosses both
DST changes and has a purge of registrations in its middle."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from odf.opendocument import load as load_ods
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import load_workbook

from events.appointments import rules as appointment_rules
from events.factories import (
    EventTypeFactory,
    appointment_event,
    create_booking,
    create_commitment,
    create_event,
    create_room,
    paris,
)
from events.models import (
    Appointment,
    AppointmentSession,
    EventIndexPage,
    OccurrenceTally,
    Registration,
    RegistrationList,
)
from events.registrations import rules as registration
from home.models import Membership, Partner
from portal import roles
from resources.factories import award, create_badge_class, create_path, path_index
from resources.models import BadgeAssertion, BadgeRequest
from tests.admin_forms import USERNAMES, create_role_user
from tests.test_html_validity import nu_checker, run_vnu  # noqa: F401 (fixture)
from volunteers.factories import (
    CharterSignatureFactory,
    CharterVersionFactory,
    VolunteerFactory,
)
from volunteers.models import CharterSignature

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
AFTER_THE_YEAR = paris(2027, 1, 10, 12, 0)


def travel(moment):
    return time_machine.travel(moment, tick=False)


def _register(event, start, name, seats=1):
    """Register and confirm the address through the rule the mail's link
    calls, as a person does."""
    occurrence = event.get_occurrence(start)
    asked = registration.register(
        event,
        occurrence,
        name=name,
        email=f"{name.lower()}@exemple.fr",
        seats=seats,
    ).registration
    return registration.confirm(asked).registration


# --- The year, built by hand --------------------------------------------------------


@pytest.fixture
def year(home_page, client):
    """2026 of the atelier (see each block for what it holds)."""
    agenda = EventIndexPage.objects.get()
    mediatheque = Partner.objects.get(slug="mediatheque-wimille")
    clx = Partner.objects.get(slug="clx")
    breakfast = EventTypeFactory(slug="petit-dej-du-libre", name="Petit-déj' du libre")
    install = EventTypeFactory(slug="install-party", name="Install party")
    talk = EventTypeFactory(slug="conference", name="Conférence")
    EventTypeFactory(slug="formation", name="Formation")  # no date this year
    helpers = [VolunteerFactory(), VolunteerFactory()]
    world = {}

    with travel(paris(2025, 12, 1, 10, 0)):
        # Both partners, first Saturday of the month, 9:30–12:00, twelve
        # dates across both DST changes; April's is cancelled.
        world["breakfast"] = create_event(
            agenda,
            title="Petit-déj' du libre « spécial œuvres libres »",
            start=paris(2026, 1, 3, 9, 30),
            duration=datetime.timedelta(hours=2, minutes=30),
            recurrence="monthly_weekday",
            recurrence_count=12,
            cancellations=[(datetime.date(2026, 4, 4), "Fermeture de la médiathèque")],
            partners=[mediatheque, clx],
            facilitators=helpers,
            event_type=breakfast,
            capacity=3,
            max_seats_per_registration=2,
        )
        # CLX alone, a night across the autumn DST change: 20:00 → 4:00 on
        # the clock is nine hours, not eight.
        create_event(
            agenda,
            title="Nuit de l'install party",
            start=paris(2026, 10, 24, 20, 0),
            end=paris(2026, 10, 25, 4, 0),
            partners=[clx],
            facilitators=helpers[:1],
            event_type=install,
        )
        # The médiathèque alone: a date starting on 31 December late at
        # night belongs to 2026; one starting at 0:30 on 1 January (still
        # 31 December in UTC) to 2027; one of 31 December 2025 to 2025.
        for start in (
            paris(2026, 12, 31, 23, 30),
            paris(2027, 1, 1, 0, 30),
            paris(2025, 12, 31, 23, 30),
        ):
            create_event(
                agenda,
                title=f"Conférence du {start:%d/%m/%Y}",
                start=start,
                duration=datetime.timedelta(hours=1),
                partners=[mediatheque],
                event_type=talk,
            )
        # CLX's assistance « sur rendez-vous », three Tuesdays of November,
        # two volunteers on duty (three on the 10th).
        world["assistance"] = appointment_event(
            home_page,
            start=paris(2026, 11, 3, 14, 0),
            recurrence_count=3,
            places=2,
            partners=[clx],
        )

    _registrations(world, client)
    _appointments(world["assistance"])
    _rooms()
    _money(world["breakfast"], clx)
    _learning(home_page)
    _volunteers(helpers)
    return world


def _registrations(world, client):
    breakfast = world["breakfast"]
    february = paris(2026, 2, 7, 9, 30)
    june = paris(2026, 6, 6, 9, 30)
    with travel(paris(2026, 2, 1, 10, 0)):
        alice = _register(breakfast, february, "Alice")
        bob = _register(breakfast, february, "Bob", seats=2)
        _register(breakfast, february, "Chloé")  # waiting: 1
        _register(breakfast, february, "Denis")  # waiting: 2, the peak
        registration.cancel(bob)  # Chloé and Denis get seats
    staff = create_role_user("bilan-redaction", roles.MEDIATHEQUE_EDITORS)
    with travel(paris(2026, 2, 7, 13, 0)):
        sheet = RegistrationList.objects.get(event=breakfast, occurrence_start=february)
        present = Registration.objects.filter(name__in=["Alice", "Chloé"])
        client.force_login(staff)
        response = client.post(
            reverse("registration_occurrence:sheet", args=[sheet.pk]),
            {"present": [str(r.pk) for r in present]},
            HTTP_ORIGIN=ORIGIN,
        )
        assert response.status_code == 302
        client.logout()
    assert alice.pk
    with travel(paris(2026, 3, 20, 4, 0)):
        call_command("purge_registrations", days=30, stdout=io.StringIO())
    assert not Registration.objects.filter(occurrence_start=february).exists()
    with travel(paris(2026, 6, 1, 10, 0)):
        _register(breakfast, june, "Emma", seats=2)
        _register(breakfast, june, "Fanny")
        gaspard = _register(breakfast, june, "Gaspard")  # waiting: 1
        registration.cancel(gaspard)


def _appointments(event):
    sessions = {
        day: AppointmentSession.objects.create(
            event=event,
            occurrence_start=paris(2026, 11, day, 14, 0),
            places=3 if day == 10 else None,
        )
        for day in (3, 10, 17)
    }

    def book(day, minute, need, **fields):
        start = paris(2026, 11, day, 14) + datetime.timedelta(minutes=minute)
        return Appointment.objects.create(
            session=sessions[day],
            slot_start=start,
            slot_end=start + datetime.timedelta(minutes=30),
            device="ordinateur",
            need=need,
            name="Personne",
            contact_key=f"{day}-{minute}@exemple.fr",
            consent_at=paris(2026, 10, 1),
            **fields,
        )

    book(3, 0, "messagerie", attendance="venu", result="resolu")
    book(
        3, 30, "lent-panne", attendance="venu", result="resolu", computer_restored=True
    )
    book(3, 60, "photos", status="cancelled", cancelled_by="person")
    book(
        10,
        0,
        "logiciel-libre",
        attendance="venu",
        result="a-revoir",
        free_software_installed=True,
    )
    book(10, 30, "demarche", attendance="absent")
    # The 3rd's are purged: only anonymous tallies stay.
    appointment_rules.purge(paris(2026, 11, 5), now=paris(2026, 11, 5))


def _rooms():
    room = create_room()
    create_booking(
        room, paris(2026, 5, 2, 9, 0), paris(2026, 5, 2, 12, 0), status="confirmed"
    )
    create_booking(
        room, paris(2026, 6, 6, 9, 0), paris(2026, 6, 6, 12, 0), status="declined"
    )
    create_booking(room, paris(2026, 9, 5, 9, 0), paris(2026, 9, 5, 12, 0))
    create_booking(
        room, paris(2027, 1, 9, 9, 0), paris(2027, 1, 9, 12, 0), status="confirmed"
    )


def _money(event, clx):
    with travel(paris(2026, 3, 1, 10, 0)):
        create_commitment(event, payer="ville", amount="60.00")
        create_commitment(event, payer="clx", amount="30.00")
        create_commitment(event, payer="partage", amount="40.00")
    with travel(paris(2027, 1, 5, 10, 0)):
        create_commitment(event, payer="ville", amount="100.00")
    Membership.objects.create(
        partner=clx, year=2026, amount=Decimal("50"), paid_on=datetime.date(2026, 3, 15)
    )
    Membership.objects.create(
        partner=clx, year=2025, amount=Decimal("50"), paid_on=datetime.date(2025, 3, 15)
    )


def _learning(home_page):
    index = path_index(home_page)
    with travel(paris(2025, 6, 1, 10, 0)):
        create_path(index, title="Parcours de 2025")
    with travel(paris(2026, 5, 10, 10, 0)):
        create_path(index, title="Premiers pas avec Linux")
    first_steps = create_badge_class(name="Premiers pas")
    install = create_badge_class(name="Installateur")
    for moment, badge, source in (
        (paris(2026, 2, 1), first_steps, BadgeAssertion.Source.ADMIN),
        (paris(2026, 9, 1), first_steps, BadgeAssertion.Source.REQUEST),
        (paris(2026, 10, 1), install, BadgeAssertion.Source.ADMIN),
        (paris(2025, 10, 1), install, BadgeAssertion.Source.ADMIN),
        (paris(2026, 10, 2), install, BadgeAssertion.Source.DEMO),
    ):
        with travel(moment):
            award(badge, email=f"{moment:%Y%m%d}-{source}@exemple.fr", source=source)
    status = BadgeRequest.Status
    for created, decided, state in (
        (paris(2026, 8, 1), paris(2026, 8, 20), status.APPROVED),
        (paris(2026, 8, 2), paris(2026, 8, 21), status.DECLINED),
        (paris(2026, 12, 20), None, status.PENDING),
        (paris(2025, 12, 20), paris(2026, 1, 5), status.DECLINED),
    ):
        BadgeRequest.objects.create(
            badge_class=first_steps,
            name="Demandeur",
            email="demandeur@exemple.fr",
            consent=True,
            status=state,
            created_at=created,
            decided_at=decided,
        )


def _volunteers(helpers):
    older = CharterVersionFactory(effective_date=datetime.date(2025, 1, 1))
    version = CharterVersionFactory(effective_date=datetime.date(2026, 1, 15))
    for helper in helpers:
        CharterSignatureFactory(volunteer=helper, version=version)
    late = VolunteerFactory()
    CharterSignatureFactory(
        volunteer=late, version=version, countersigned_on=datetime.date(2027, 1, 5)
    )
    unsigned = VolunteerFactory()
    CharterSignatureFactory(volunteer=unsigned, version=version, countersigned_on=None)
    CharterSignatureFactory(volunteer=VolunteerFactory(), version=older)
    # An erased volunteer's signature stays, anonymised, and still counts.
    CharterSignature.objects.create(
        volunteer=None,
        anonymised_label="Bénévole effacé n° 7",
        version=version,
        signed_on=datetime.date(2026, 3, 1),
        countersigned_on=datetime.date(2026, 3, 2),
    )


# --- Reading the page and the exports ------------------------------------------


def _as(client, role):
    client.force_login(create_role_user(USERNAMES[role], role))


def _csv_rows(client, query="annee=2026"):
    response = client.get(f"/admin/bilan/export.csv?{query}")
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _figures(rows):
    """{indicator: (médiathèque, CLX, together)} from the export's rows."""
    header = next(i for i, row in enumerate(rows) if row and row[2] == "Indicateur")
    return {row[2]: tuple(row[3:6]) for row in rows[header + 1 :] if row}


@pytest.fixture
def figures(year, client):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        return _figures(_csv_rows(client))


def test_meetings_planned_held_cancelled_and_hours_per_partner(figures):
    # Breakfasts (both): 12 dates, 1 cancelled, 11 held × 2,5 h. Install
    # night (CLX): 9 h across the DST change. Conference of 31/12 23:30
    # (médiathèque): 1 h. Assistance (CLX): 3 × 2 h.
    assert figures["Séances prévues (toutes les dates)"] == ("13", "16", "17")
    assert figures["Séances tenues"] == ("12", "15", "16")
    assert figures["Séances annulées"] == ("1", "1", "1")
    assert figures["Séances encore à venir"] == ("0", "0", "0")
    assert figures["Heures d'activité (séances tenues)"] == ("28,5", "42,5", "43,5")
    assert figures["Install party : tenues"] == ("0", "1", "1")
    assert figures["Install party : heures"] == ("0,0", "9,0", "9,0")
    assert "Formation : prévues" not in figures  # no date of that type
    assert figures["Conférence : prévues"] == ("1", "0", "1")
    assert figures["Petit-déj' du libre : annulées"] == ("1", "1", "1")
    assert figures["Assistance informatique : tenues"] == ("0", "3", "3")


def test_attendance_survives_the_purge_in_the_middle_of_the_year(figures):
    # February (purged in March): Alice, Chloé, Denis confirmed (Bob
    # cancelled), Alice and Chloé ticked; the list reached two. June: Emma
    # (2 seats) and Fanny, no sheet yet.
    assert figures["Séances avec inscription"] == ("2", "2", "2")
    assert figures["Inscriptions confirmées"] == ("5", "5", "5")
    assert figures["Places confirmées"] == ("6", "6", "6")
    assert figures["Personnes présentes"] == ("2", "2", "2")
    assert figures["Absents sans prévenir"] == ("1", "1", "1")
    assert figures["Séances passées sans émargement"] == ("1", "1", "1")
    # The install night and the conference take no registration.
    assert figures["Séances tenues en accès libre"] == ("1", "1", "2")
    assert figures["Liste d'attente la plus longue (une séance)"] == ("2", "2", "2")
    assert figures["Personnes venues pour la première fois"] == ("NC", "NC", "NC")


def test_assistance_counts_live_and_purged_appointments(figures):
    assert figures["Rendez-vous pris"] == ("0", "4", "4")
    assert figures["Rendez-vous annulés"] == ("0", "1", "1")
    assert figures["Personnes venues à leur rendez-vous"] == ("0", "3", "3")
    assert figures["Personnes absentes à leur rendez-vous"] == ("0", "1", "1")
    assert figures["Ordinateurs remis en service"] == ("0", "1", "1")
    assert figures["Logiciels libres installés"] == ("0", "1", "1")
    assert figures["Besoin : Les photos"] == ("0", "0", "0")  # cancelled
    assert figures["Besoin : Un ordinateur lent ou en panne"] == ("0", "1", "1")
    assert figures["Résultat : résolu"] == ("0", "2", "2")
    assert figures["Résultat : à revoir"] == ("0", "1", "1")
    # The same as the appointments' own yearly summary.
    summary = appointment_rules.yearly_report(2026)
    assert (summary["booked"], summary["came"]) == (4, 3)


def test_learning_volunteers_rooms_and_money(figures):
    assert figures["Parcours publiés pendant la période"] == ("—", "—", "1")
    assert figures["Badges décernés"] == ("—", "—", "3")
    assert figures["Badge « Premiers pas » décerné"] == ("—", "—", "2")
    assert figures["Badge « Installateur » décerné"] == ("—", "—", "1")
    assert figures["Demandes de badge reçues"] == ("—", "—", "3")
    assert figures["Demandes de badge approuvées"] == ("—", "—", "1")
    assert figures["Demandes de badge refusées"] == ("—", "—", "2")
    # Two helpers and the erased one; not the late, the unsigned, the old.
    assert figures["Bénévoles ayant signé la charte en vigueur"] == ("—", "3", "3")
    # Breakfasts 27,5 h × 2 facilitators; install night 9 h × 1; assistance
    # 2 h × 2 + 2 h × 3 + 2 h × 2.
    assert figures["Heures données par les bénévoles"] == ("55,0", "78,0", "78,0")
    assert figures["Demandes de salle"] == ("—", "—", "3")
    assert figures["Demandes confirmées"] == ("—", "—", "1")
    assert figures["Demandes refusées"] == ("—", "—", "1")
    assert figures["Demandes en attente"] == ("—", "—", "1")
    assert figures["Heures d'occupation des salles"] == ("—", "—", "3,5")
    assert figures["Engagements accordés ou sans accord à donner"] == ("0", "1", "1")
    assert figures["Montant des engagements accordés ou sans accord à donner"] == (
        "0,00",
        "30,00",
        "30,00",
    )
    assert figures["Engagements en attente d'accord"] == ("1", "0", "2")
    assert figures["Montant des engagements en attente d'accord"] == (
        "60,00",
        "0,00",
        "100,00",
    )
    assert figures["Adhésion de la ville à CLX payée"] == ("—", "50,00", "50,00")


def test_a_count_not_kept_shows_nc_not_zero(year, client):
    """A date purged before the counts were kept (its registrations count
    unknown) makes the year's total « NC »; an empty year shows true zeros."""
    breakfast = year["breakfast"]
    OccurrenceTally.objects.create(
        event=breakfast,
        occurrence_start=paris(2026, 3, 7, 9, 30),
        confirmed_seats=4,
        present=3,
        attendance_taken=True,
    )
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        figures = _figures(_csv_rows(client))
        empty = _figures(_csv_rows(client, "annee=2030"))
        page = client.get("/admin/bilan/?annee=2026").content.decode()
    assert figures["Inscriptions confirmées"] == ("NC", "NC", "NC")
    assert figures["Places confirmées"] == ("10", "10", "10")
    assert figures["Personnes présentes"] == ("5", "5", "5")
    assert figures["Absents sans prévenir"] == ("NC", "NC", "NC")
    assert '<abbr title="non compté">NC</abbr>' in page
    assert empty["Inscriptions confirmées"] == ("0", "0", "0")
    assert empty["Séances tenues"] == ("0", "0", "0")


def test_a_date_range_across_two_years(year, client):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        figures = _figures(_csv_rows(client, "du=2026-12-01&au=2027-01-31"))
    # December's breakfast, the conference of 31/12 and the one of 1/1.
    assert figures["Séances prévues (toutes les dates)"] == ("3", "1", "3")
    assert figures["Demandes confirmées"] == ("—", "—", "1")


# --- Exports read with real readers -------------------------------------------------


def test_xlsx_and_ods_hold_the_same_figures_typed(year, client):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.CLX_COORDINATION)
        xlsx = client.get("/admin/bilan/export.xlsx?annee=2026")
        ods = client.get("/admin/bilan/export.ods?annee=2026")
    assert xlsx["Content-Disposition"].endswith('bilan-convention-2026.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[2]
    assert header[:3] == [
        "Rubrique de l'enquête (Néoscrib)",
        "Partie",
        "Indicateur",
    ]
    assert header[3:6] == [
        "Médiathèque de Wimille",
        "CLX – Club Linux Nord–Pas-de-Calais",
        "Ensemble",
    ]
    by_label = {row[2]: row for row in rows[3:]}
    held = by_label["Séances tenues"]
    assert held[0] == "Action culturelle"
    assert held[3:6] == [12, 15, 16]
    assert by_label["Rendez-vous pris"][0] == (
        "E4 – Orientation et formation des usagers"
    )
    assert by_label["Personnes présentes"][0] == "E – Usages et usagers"
    assert by_label["Demandes de salle"][0] == "Partenariats"
    assert by_label["Personnes venues pour la première fois"][3:6] == ["NC"] * 3

    document = load_ods(io.BytesIO(ods.content))
    table = document.spreadsheet.getElementsByType(Table)[0]
    ods_rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttribute("valuetype")
            if kind == "float":
                cells.append(Decimal(cell.getAttribute("value")))
            else:
                cells.append("".join(str(p) for p in cell.getElementsByType(P)))
        ods_rows.append(cells)
    ods_by_label = {row[2]: row for row in ods_rows[3:] if len(row) > 2}
    assert ods_by_label["Séances tenues"][3:6] == [12, 15, 16]
    assert ods_by_label["Heures d'activité (séances tenues)"][5] == Decimal("43.5")


def test_formulas_in_titles_are_neutralised(year, client):
    agenda = EventIndexPage.objects.get()
    with travel(paris(2026, 7, 1, 10, 0)):
        hostile = create_event(
            agenda,
            title='=HYPERLINK("http://x")',
            start=paris(2026, 7, 4, 9, 30),
            capacity=5,
            event_type=EventTypeFactory(slug="formule", name="+SUM(A1)"),
        )
        _register(hostile, paris(2026, 7, 4, 9, 30), "Hugo")
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        rows = _csv_rows(client)
        attendance = client.get("/admin/bilan/presences.xlsx?annee=2026")
    labels = [row[2] for row in rows if len(row) > 2]
    assert "'+SUM(A1) : prévues" in labels
    sheet = load_workbook(io.BytesIO(attendance.content)).active
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in titles


def test_attendance_export_of_every_date_or_of_one_event(year, client):
    breakfast = year["breakfast"]
    with travel(AFTER_THE_YEAR):
        _as(client, roles.ADMINISTRATION)
        every = client.get("/admin/bilan/presences.csv?annee=2026")
        one = client.get(
            f"/admin/bilan/presences.ods?annee=2026&evenement={breakfast.pk}"
        )
        missing = client.get("/admin/bilan/presences.csv?evenement=99999999")
        hostile = client.get("/admin/bilan/presences.csv?evenement=1%27%20OR")
    rows = list(csv.reader(io.StringIO(every.content.decode()[1:]), delimiter=";"))
    assert rows[0][:4] == ["Événement", "Type", "Date", "Heure"]
    assert [row[2:] for row in rows[1:]] == [
        ["07/02/2026", "9 h 30", "3", "3", "2", "1", "2", "oui"],
        ["06/06/2026", "9 h 30", "2", "3", "0", "—", "1", "non"],
    ]
    text = every.content.decode()
    for name in ("Alice", "Emma", "exemple.fr"):
        assert name not in text
    assert one.status_code == 200
    assert one["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    assert missing.status_code == 404
    assert hostile.status_code == 404


# --- Who sees it, and the page itself ------------------------------------------------


@pytest.mark.parametrize(
    "role,allowed",
    [
        (roles.ADMINISTRATION, True),
        (roles.MODERATION, True),
        (roles.MEDIATHEQUE_EDITORS, True),
        (roles.CLX_COORDINATION, True),
        (roles.CLX_EDITORS, False),
    ],
)
def test_who_sees_the_report_and_its_menu_item(client, home_page, role, allowed):
    _as(client, role)
    page = client.get("/admin/bilan/")
    exported = client.get("/admin/bilan/export.ods")
    home = client.get("/admin/").content.decode()
    assert (page.status_code == 200) is allowed
    assert (exported.status_code == 200) is allowed
    assert ("Bilan de la convention" in home) is allowed
    if not allowed:
        assert page.status_code in (302, 403)


def test_the_page_names_both_partners_and_offers_every_export(year, client):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        page = client.get("/admin/bilan/?annee=2026").content.decode()
        printed = client.get("/admin/bilan/impression/?annee=2026").content.decode()
    for html in (page, printed):
        assert "Médiathèque de Wimille et CLX – Club Linux Nord–Pas-de-Calais" in html
        assert 'role="img"' in html
        assert (
            '<title id="graphique-mois-titre">Séances tenues par mois</title>' in html
        )
        assert "<script" not in printed
    for href in (
        "export.csv?annee=2026",
        "export.xlsx?annee=2026",
        "export.ods?annee=2026",
    ):
        assert href in page
    assert "Année 2026" in printed
    assert re.search(r"<h1[^>]*>(?:(?!</h1>).)*Bilan de la convention", page, re.S)
    # Nothing personal anywhere.
    for name in ("Alice", "Emma", "Prénom", "Secret", "@exemple.fr"):
        assert name not in page
        assert name not in printed


def test_a_bad_period_gets_a_french_message_never_a_500(client, home_page):
    _as(client, roles.MODERATION)
    for query, message in (
        ("annee=abc", "Saisissez une année"),
        ("du=2026-05-01&au=2026-01-01", "Le dernier jour est avant le premier"),
        ("du=2026-05-01", "donnez le premier et le dernier jour"),
        ("du=1000-01-01&au=1000-02-01", "entre 2000 et 2100"),
        ("annee=99999999999999999999", "inférieure ou égale à 2100"),
    ):
        response = client.get(f"/admin/bilan/?{query}")
        assert response.status_code == 200, query
        assert message in response.content.decode(), query
    assert client.get("/admin/bilan/export.pdf").status_code == 404


# --- A fixed number of queries -------------------------------------------------------


def test_the_report_costs_the_same_queries_with_little_or_much(
    year, client, django_assert_max_num_queries
):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.MODERATION)
        with django_assert_max_num_queries(40) as small:
            client.get("/admin/bilan/?annee=2026")
    agenda = EventIndexPage.objects.get()
    mediatheque = Partner.objects.get(slug="mediatheque-wimille")
    with travel(paris(2025, 12, 1, 10, 0)):
        for number in range(8):
            workshop = create_event(
                agenda,
                title=f"Atelier {number}",
                start=paris(2026, 1, 5 + number, 18, 0),
                recurrence="weekly",
                recurrence_count=50,
                partners=[mediatheque],
                capacity=10,
                publish=False,
            )
            OccurrenceTally.objects.bulk_create(
                OccurrenceTally(
                    event=workshop,
                    occurrence_start=occurrence.start,
                    confirmed_registrations=4,
                    confirmed_seats=5,
                    present=3,
                    attendance_taken=True,
                    waiting_peak=number,
                )
                for occurrence in workshop.stored_occurrences.all()
            )
    assert OccurrenceTally.objects.count() > 400
    with travel(AFTER_THE_YEAR):
        with django_assert_max_num_queries(len(small.captured_queries)) as large:
            client.get("/admin/bilan/?annee=2026")
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Valid HTML (the Nu checker) ---------------------------------------------------


@pytest.mark.usefixtures("nu_checker")
def test_page_and_print_version_are_valid_html(year, client, tmp_path):
    with travel(AFTER_THE_YEAR):
        _as(client, roles.CLX_COORDINATION)
        pages = [
            (label, url, client.get(url).content.decode())
            for label, url in (
                ("Bilan", "/admin/bilan/?annee=2026"),
                ("Bilan (erreurs)", "/admin/bilan/?du=2026-05-01&au=2026-01-01"),
                ("Bilan imprimable", "/admin/bilan/impression/?annee=2026"),
            )
        ]
    assert run_vnu(tmp_path, pages) == []
