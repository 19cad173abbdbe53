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

from events.factories import (
    VenueFactory,
    appointment_event,
    create_event,
    create_room,
    paris,
)
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


def word_positions(pdf, tmp_path):
    """{word: (top of its first occurrence, page height)} in points, as
    poppler lays the first page out (pdftotext -bbox)."""
    source = tmp_path / "positions.pdf"
    source.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext absent (apt-get install poppler-utils)")
    html = subprocess.run(  # noqa: S603 (our own command line)
        [pdftotext, "-bbox", "-f", "1", "-l", "1", source, "-"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode()
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])
    found = {}
    for y_min, word in re.findall(
        r'yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]+)<', html
    ):
        found.setdefault(word, (float(y_min), height))
    return found


@pytest.mark.parametrize(
    ("query", "size"), [("", (595, 842)), ("?format=A3", (842, 1191))]
)
def test_poster_foot_sits_at_the_bottom_of_an_a4_or_a3_sheet(
    client, month_events, tmp_path, query, size
):
    # The partners close the workshop's poster, at the foot of the sheet.
    response = client.get(poster_url(SLUG) + "affiche.pdf" + query)
    reader = pdf_of(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    positions = word_positions(response.content, tmp_path)
    top, height = positions["Organisé"]
    assert top > 0.9 * height
    # Two metres away: the title is as big relative to the sheet.
    assert positions["Découvrir"][0] < 0.2 * height
    assert decoded_qr(response.content, tmp_path) == [
        f"http://testserver/agenda/{urllib.parse.quote(SLUG)}/inscription/"
    ]
    if query:
        assert "A3" in response["Content-Disposition"]
        assert reader.metadata.title.startswith(f"Affiche : {TITLE} (A3)")
    # The breakfast's poster is short: its code still sits at the bottom.
    response = client.get(poster_url("petit-dej-du-libre") + "affiche.pdf" + query)
    positions = word_positions(response.content, tmp_path)
    assert positions["Plus"][0] > 0.75 * height


def test_the_a3_poster_page_links_back_to_the_a4_one(client, month_events):
    html = text_of(client.get(poster_url(SLUG) + "?format=A3"))
    assert "Pour imprimer cette page sur une feuille A3" in html
    assert f'href="{poster_url(SLUG)}affiche.pdf?format=A3"' in html
    assert f'href="{poster_url(SLUG)}">Affiche au format A4</a>' in html
    # Anything else is the A4 poster.
    html = text_of(client.get(poster_url(SLUG) + "?format=A0%3Cscript%3E"))
    assert "Pour imprimer cette page sur une feuille A4" in html


# --- Closures and how one gets in ---------------------------------------------------


@pytest.fixture
def closed_permanence(agenda):
    """The weekly assistance permanence « sur rendez-vous », Tuesdays from
    1 December, at a médiathèque closed for the holidays (24 December – 3
    January: no session on Tuesday 29 December)."""
    event = appointment_event(
        agenda.get_parent(),
        title="Assistance informatique « pas à pas »",
        slug="assistance",
        venue=VenueFactory(name="Médiathèque de Wimille"),
    )
    create_room(
        venue=event.venue,
        closures=[
            (
                datetime.date(2026, 12, 24),
                datetime.date(2027, 1, 3),
                "Fermeture de la médiathèque pour les fêtes",
            )
        ],
    )
    return event


def date_item(html, day, title):
    """The programme's line of ``title`` on ``day`` (« Mardi 29 décembre »)."""
    section = html[html.index(f">{day}</h2>") :]
    section = section[: section.index("</section>")]
    item = section[section.rindex("<li", 0, section.index(title)) :]
    return item[: item.index("</li>")]


def test_programme_says_a_date_in_a_closure_is_closed(
    client, closed_permanence, frozen
):
    html = text_of(client.get(PROGRAMME))
    closed = date_item(html, "Mardi 29 décembre", "Assistance informatique")
    assert (
        "fermé, pas de séance</strong> (Fermeture de la médiathèque pour les fêtes)"
        in closed
    )
    assert "programme-date--cancelled" in closed
    assert "Sur rendez-vous" not in closed
    held = date_item(html, "Mardi 22 décembre", "Assistance informatique")
    assert "fermé" not in held
    # An appointment event is « sur rendez-vous », not « entrée libre ».
    assert "Sur rendez-vous" in held and "Entrée libre" not in held


def test_poster_skips_a_closed_date_and_says_so(client, closed_permanence):
    with time_machine.travel(paris(2026, 12, 16, 10), tick=False):
        html = text_of(client.get(poster_url("assistance")))
    dates = re.findall(r"<li>(Mardi [^<]+)</li>", html)
    assert dates == [
        "Mardi 22 décembre",
        "Mardi 5 janvier",
        "Mardi 12 janvier",
        "Mardi 19 janvier",
    ]
    assert (
        "Pas de séance le mardi 29 décembre (Fermeture de la médiathèque pour "
        "les fêtes)." in html
    )
    assert '<p class="poster__entry">Sur rendez-vous</p>' in html
    assert "Entrée libre" not in html


def test_posters_say_how_one_gets_in(client, month_events):
    assert '<p class="poster__entry">Sur inscription</p>' in text_of(
        client.get(poster_url(SLUG))
    )
    assert '<p class="poster__entry">Entrée libre</p>' in text_of(
        client.get(poster_url("petit-dej-du-libre"))
    )


def test_agenda_and_home_skip_a_closed_next_date(client, closed_permanence):
    with time_machine.travel(paris(2026, 12, 23, 18), tick=False):
        agenda_html = text_of(client.get("/agenda/")).replace("\xa0", " ")
        home_html = text_of(client.get("/")).replace("\xa0", " ")
    card = agenda_html[agenda_html.index("Assistance informatique « pas à pas »") :]
    card = card[: card.index("</article>")]
    assert "Pas de séance le 29 décembre : lieu fermé." in card
    assert "Fermeture de la médiathèque pour les fêtes." in card
    assert "Date suivante :" in card and "mardi 5 janvier 2027" in card
    assert "29 décembre 2026" not in card
    permanence = home_html[home_html.index('id="home-permanence-title"') :]
    permanence = permanence[: permanence.index("</section>")]
    assert "mardi 5 janvier 2027" in permanence


def test_poster_of_an_unknown_event_is_a_french_404(client, agenda):
    response = client.get(poster_url("n-existe-pas"))
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_event_page_links_its_poster(client, month_events):
    html = text_of(client.get("/agenda/petit-dej-du-libre/"))
    assert 'href="/agenda/petit-dej-du-libre/affiche/"' in html
    assert 'href="/agenda/petit-dej-du-libre/affiche/?format=A3"' in html
    assert "Affiche à imprimer" in html and "format A3" in html


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
    assert "Affiche A4 à imprimer" in html and "Affiche A3 à imprimer" in html
    assert (
        f'href="{poster_url(SLUG)}"' in html
        or f'href="/agenda/{SLUG}/affiche/"' in html
    )
    assert (
        f'href="{poster_url(SLUG)}?format=A3"' in html
        or f'href="/agenda/{SLUG}/affiche/?format=A3"' in html
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
        ("Affiche A3", poster_url(SLUG) + "?format=A3"),
    ]
    errors = run_vnu(
        tmp_path,
        [(label, url, text_of(client.get(url))) for label, url in pages],
    )
    assert not errors, "\n".join(errors)
