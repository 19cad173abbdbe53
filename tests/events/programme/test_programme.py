"""The printed programme of the month and the event posters (issue 29):
pages to print, their PDF drawn on the server, and QR codes decoded back to
the exact URL they promise."""

import datetime
import io
import re
import shutil
import subprocess
import urllib.parse

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from events.factories import VenueFactory, appointment_event, create_event, paris
from events.programme import pdf as programme_pdf
from events.registrations import rules as registration
from home.models import Partner
from portal import roles
from tests.test_html_validity import nu_checker, run_vnu  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 20, 10, 0)
TITLE = "Atelier « Découvrir Linux » à l'œil"
SLUG = "atelier-découvrir-linux"
PROGRAMME = "/agenda/programme/2026/12/"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def month_events(agenda, frozen):
    """A weekly workshop on registration (Tuesdays of December, one
    cancelled), a free-entry monthly breakfast, and an event in January."""
    partners = list(Partner.objects.order_by("sort_order", "pk"))
    workshop = create_event(
        agenda,
        title=TITLE,
        slug=SLUG,
        start=paris(2026, 12, 1, 14, 0),
        duration=datetime.timedelta(hours=2),
        recurrence="weekly",
        recurrence_count=5,
        capacity=8,
        partners=partners,
        cancellations=[(datetime.date(2026, 12, 15), "Médiathèque fermée")],
    )
    breakfast = create_event(
        agenda,
        title="Petit déj' du libre",
        slug="petit-dej-du-libre",
        start=paris(2026, 12, 5, 9, 30),
        venue=VenueFactory(name="Salle Dany Boon", step_free_access=False),
        is_free=False,
        price="2.50",
    )
    create_event(
        agenda,
        title="Fête du libre de janvier",
        slug="fete-janvier",
        start=paris(2027, 1, 9, 10, 0),
    )
    return workshop, breakfast


def text_of(response):
    return response.content.decode()


# --- QR decoding ---------------------------------------------------------------

ZBARIMG = shutil.which("zbarimg")
PDFTOPPM = shutil.which("pdftoppm")


def decoded_qr(pdf, tmp_path):
    """The URLs of the QR codes printed in a PDF: the first page drawn at
    150 dpi (poppler) and read by zbar, as a phone reads the paper."""
    if not (ZBARIMG and PDFTOPPM):
        pytest.skip(
            "zbarimg ou pdftoppm absent (apt-get install zbar-tools poppler-utils)"
        )
    source = tmp_path / "sheet.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 (our own command line)
        [
            PDFTOPPM,
            "-r",
            "150",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            "-singlefile",
            source,
            tmp_path / "sheet",
        ],
        check=True,
        timeout=120,
    )
    result = subprocess.run(  # noqa: S603
        [ZBARIMG, "--quiet", "--raw", "-Sbinary", tmp_path / "sheet.png"],
        capture_output=True,
        timeout=120,
    )
    return result.stdout.decode().split()


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def assert_a4_french_with_title(reader, title):
    assert reader.metadata.title == title
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    box = reader.pages[0].mediabox
    # A4 is 210 × 297 mm: 595 × 842 points.
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# --- The month's programme -----------------------------------------------------


def test_programme_lists_the_month_by_day_with_what_a_visitor_needs(
    client, month_events
):
    response = client.get(PROGRAMME)
    assert response.status_code == 200
    html = text_of(response)
    assert '<html lang="fr">' in html
    assert "<title>Programme du mois : décembre 2026 – " in html
    # Days in order, each once, with its dates.
    days = ["Mardi 1 décembre", "Samedi 5 décembre", "Mardi 8 décembre"]
    positions = [html.index(f">{day}</h2>") for day in days]
    assert positions == sorted(positions)
    assert html.count("Atelier « Découvrir Linux » à l&#x27;œil") == 5
    assert "14\u00a0h\u00a000 – 16\u00a0h\u00a000" in html
    assert f'href="/agenda/{SLUG}/"' in html
    # Place and its accessibility, price, places where one registers.
    assert "Médiathèque de Wimille" in html
    assert "Accès de plain-pied, Boucle magnétique" in html
    assert "Gratuit" in html and "2,50 €" in html
    assert "Sur inscription : places disponibles" in html
    assert "Entrée libre" in html
    # The cancelled Tuesday is said so, with why.
    assert "annulé</strong> (Médiathèque fermée)" in html
    # January stays out.
    assert "Fête du libre de janvier" not in html
    # The code to the agenda, named for screen readers; the PDF linked.
    assert 'aria-label="Code QR vers http://testserver/agenda/"' in html
    assert 'href="/agenda/programme/2026/12/programme.pdf"' in html


def test_the_code_in_the_page_itself_decodes_to_the_agenda(
    client, month_events, tmp_path
):
    html = text_of(client.get(PROGRAMME))
    (svg,) = re.findall(r"<svg .*?</svg>", html, re.DOTALL)
    # The page's own SVG alone, drawn as on paper, read as a phone reads it.
    alone = programme_pdf.pdf_bytes(f'<html lang="fr"><body>{svg}</body></html>')
    assert decoded_qr(alone, tmp_path) == ["http://testserver/agenda/"]


def test_programme_says_full_and_last_seats(client, month_events):
    workshop, _ = month_events
    for number in range(7):
        registration.register(
            workshop,
            workshop.get_occurrence(paris(2026, 12, 1, 14, 0)),
            name=f"Personne {number}",
            email=f"p{number}@exemple.fr",
        )
    for number in range(8):
        registration.register(
            workshop,
            workshop.get_occurrence(paris(2026, 12, 8, 14, 0)),
            name=f"Personne {number}",
            email=f"q{number}@exemple.fr",
        )
    html = text_of(client.get(PROGRAMME))
    assert "Sur inscription : dernières places" in html
    assert "Sur inscription : complet, liste d'attente" in html


def test_programme_of_an_empty_month_says_so(client, agenda, frozen):
    response = client.get("/agenda/programme/2027/3/")
    assert response.status_code == 200
    assert "Aucun rendez-vous n'est encore prévu ce mois-ci" in text_of(response)


@pytest.mark.parametrize(
    "url", ["/agenda/programme/2026/13/", "/agenda/programme/99999/1/"]
)
def test_programme_of_a_month_that_does_not_exist_is_a_404(client, agenda, url):
    assert client.get(url).status_code == 404


def test_programme_pdf_has_real_french_text_a_title_and_the_agenda_code(
    client, month_events, tmp_path
):
    reader = pdf_of(client.get(PROGRAMME + "programme.pdf"))
    assert_a4_french_with_title(
        reader,
        "Programme du mois : décembre 2026 – Atelier numérique citoyen de Wimille",
    )
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Atelier « Découvrir Linux » à l'œil" in text
    assert "Mardi 1 décembre" in text and "Gratuit" in text
    assert "places disponibles" in text
    assert "Télécharger le PDF" not in text
    assert decoded_qr(client.get(PROGRAMME + "programme.pdf").content, tmp_path) == [
        "http://testserver/agenda/"
    ]


def test_programme_costs_the_same_with_many_events(
    client, agenda, frozen, django_assert_max_num_queries
):
    def queries():
        cache.clear()  # the view-restriction flag is read from the cache
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PROGRAMME).status_code == 200
        captured_sql.append([q["sql"][:90] for q in captured])
        return len(captured)

    captured_sql = []

    create_event(agenda, title="Un", start=paris(2026, 12, 2, 10, 0), capacity=5)
    few = queries()
    for number in range(40):
        create_event(
            agenda,
            title=f"Atelier n° {number}",
            start=paris(2026, 12, 1 + number % 28, 9 + number % 8, 0),
            recurrence="weekly",
            recurrence_count=4,
            capacity=10 if number % 2 else None,
            publish=False,
        )
    many = queries()
    assert many == few, "\n".join(map(str, captured_sql))
    with django_assert_max_num_queries(8):
        response = client.get(PROGRAMME)
    assert text_of(response).count('class="programme-date') >= 120


# --- Posters ---------------------------------------------------------------------


def poster_url(slug):
    return f"/agenda/{urllib.parse.quote(slug)}/affiche/"


def test_poster_shows_the_event_big_with_its_registration_code(
    client, month_events, tmp_path
):
    response = client.get(poster_url(SLUG))
    assert response.status_code == 200
    html = text_of(response)
    assert "<title>Affiche : Atelier « Découvrir Linux » à l&#x27;œil – " in html
    assert "Chaque mardi, de 14\u00a0h\u00a000 à 16\u00a0h\u00a000" in html
    # The next dates skip the cancelled one.
    assert "Mardi 1 décembre</li>" in html and "Mardi 15 décembre" not in html
    assert "Médiathèque de Wimille" in html
    assert "Gratuit" in html
    names = [p.name for p in Partner.objects.order_by("sort_order", "pk")]
    assert f"Organisé par {names[0]} et {names[1]}" in html
    registration_url = (
        f"http://testserver/agenda/{urllib.parse.quote(SLUG)}/inscription/"
    )
    assert f'aria-label="Code QR vers {registration_url}"' in html
    assert "Inscription gratuite" in html

    pdf = client.get(poster_url(SLUG) + "affiche.pdf")
    reader = pdf_of(pdf)
    assert_a4_french_with_title(
        reader,
        f"Affiche : {TITLE} – Atelier numérique citoyen de Wimille",
    )
    assert len(reader.pages) == 1
    # Words as a search finds them (the title wraps on two lines).
    text = " ".join(reader.pages[0].extract_text().split())
    assert TITLE in text and "GRATUIT" in text.upper()
    assert "Médiathèque de Wimille" in text
    assert decoded_qr(pdf.content, tmp_path) == [registration_url]


def test_poster_without_registration_points_to_the_event_page(
    client, month_events, tmp_path
):
    pdf = client.get(poster_url("petit-dej-du-libre") + "affiche.pdf")
    (url,) = decoded_qr(pdf.content, tmp_path)
    assert url == "http://testserver/agenda/petit-dej-du-libre/"
    # The code opens the event's page.
    assert client.get(urllib.parse.urlsplit(url).path).status_code == 200
    assert "2,50 €" in pdf_of(pdf).pages[0].extract_text()


def test_poster_of_an_appointment_event_points_to_its_booking_page(
    client, home_page, frozen
):
    event = appointment_event(
        home_page, title="Assistance informatique « pas à pas »", slug="assistance"
    )
    html = text_of(client.get(poster_url(event.slug)))
    assert "Prendre rendez-vous" in html
    url = "http://testserver/agenda/assistance/rendez-vous/"
    assert f'aria-label="Code QR vers {url}"' in html
    assert client.get("/agenda/assistance/rendez-vous/").status_code == 200


def test_a_long_title_still_fits_one_sheet(client, agenda, frozen):
    create_event(
        agenda,
        title="Atelier « Bien débuter avec son ordiphone, ses applications et ses "
        "photos » – séance de découverte pour les grands débutants",
        slug="long",
        summary="Une séance pour prendre en main son téléphone. " * 6,
        start=paris(2026, 12, 1, 14, 0),
        recurrence="weekly",
        recurrence_count=8,
        capacity=10,
        partners=list(Partner.objects.all()),
    )
    assert len(pdf_of(client.get(poster_url("long") + "affiche.pdf")).pages) == 1


def test_poster_of_an_unknown_event_is_a_french_404(client, agenda):
    response = client.get(poster_url("n-existe-pas"))
    assert response.status_code == 404


def test_event_page_links_its_poster(client, month_events):
    html = text_of(client.get("/agenda/petit-dej-du-libre/"))
    assert 'href="/agenda/petit-dej-du-libre/affiche/"' in html
    assert "Affiche à imprimer" in html


def test_month_grid_links_its_programme(client, month_events):
    html = text_of(client.get("/agenda/calendrier/2026/12/"))
    assert 'href="/agenda/programme/2026/12/"' in html
    assert "Programme de décembre 2026 à imprimer" in html


# --- In the admin -----------------------------------------------------------------


def test_editors_find_the_poster_and_the_programme_in_the_admin(
    client, month_events, agenda, portal_roles
):
    workshop, _ = month_events
    client.force_login(portal_roles(roles.MEDIATHEQUE_EDITORS))
    html = text_of(client.get(reverse("wagtailadmin_pages:edit", args=[workshop.pk])))
    assert "Affiche à imprimer" in html
    assert (
        f'href="{poster_url(SLUG)}"' in html
        or f'href="/agenda/{SLUG}/affiche/"' in html
    )
    html = text_of(client.get(reverse("wagtailadmin_pages:edit", args=[agenda.pk])))
    assert "Programme du mois à imprimer" in html
    assert 'href="/agenda/programme/2026/11/"' in html


# --- Valid HTML -------------------------------------------------------------------


@pytest.mark.usefixtures("nu_checker")
def test_printable_pages_are_valid_html(client, month_events, tmp_path):
    pages = [
        ("Programme du mois", PROGRAMME),
        ("Programme vide", "/agenda/programme/2027/3/"),
        ("Affiche", poster_url(SLUG)),
        ("Affiche sans inscription", poster_url("petit-dej-du-libre")),
    ]
    errors = run_vnu(
        tmp_path,
        [(label, url, text_of(client.get(url))) for label, url in pages],
    )
    assert not errors, "\n".join(errors)
