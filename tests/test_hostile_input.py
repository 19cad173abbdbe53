"""Never a 5xx on bad input: NUL bytes and control characters in any field
or parameter, huge numbers, CR/LF in names, 10 MB bodies and wrong content
types get a French 4xx and store nothing. The property tests (hypothesis)
post random and hostile values to every public form and every public GET
parameter."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from events.models import EventIndexPage, Registration, RegistrationList
from home.models import HomePage
from portal import roles
from portal.inputguard import bounded_int
from resources.models import BadgeRequest
from tests.factories.badges import create_badge_class, create_path, path_index
from tests.factories.events import create_event
from tests.factories.guides import make_guide
from tests.factories.volunteers import CharterVersionFactory, listed_volunteer
from tests.registration_helpers import confirm_through_mail

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]

HUGE = "99999999999999999999"

HOSTILE = [
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m",
    "\x7f",
    "Jean\r\nBcc: victime@evil.example",
    "\r\n\r\n<html>",
    HUGE,
    "-" + HUGE,
    "1e308",
    "NaN",
    "-1",
    "0",
    "9" * 5000,
    "x" * 100_000,
    "<script>alert(1)</script>",
    "<svg onload=alert(1)>",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "%00",
    "%",
    '=HYPERLINK("http://evil.example")',
    "2026-13-45T99:99:99+99:99",
    "   ",
    "",
    "\u202eevil",
    "😀" * 50,
]

# Text a browser could send: anything but lone surrogates (not encodable).
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    ANY_TEXT,
    st.integers().map(str),
    st.floats(allow_nan=True).map(str),
)

PROPERTY = hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def french_4xx(response):
    assert 400 <= response.status_code < 500, response.status_code
    html = response.content.decode("utf-8", "replace")
    if response["Content-Type"].startswith("text/html"):
        assert 'lang="fr"' in html


def _build_site():
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    event = create_event(
        EventIndexPage.objects.get(),
        start=start,
        capacity=5,
        max_seats_per_registration=2,
        recurrence="weekly",
        recurrence_count=4,
    )
    event.refresh_from_db()
    volunteer = listed_volunteer(CharterVersionFactory(), display_name="Camille")
    badge = create_badge_class(slug="premiers-pas", name="Premiers pas")
    home_page = HomePage.objects.get()
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    make_guide()
    occurrence = event.occurrences(start=timezone.now())[0]
    sheet = RegistrationList.objects.create(
        event=event, occurrence_start=occurrence.start
    )
    return {
        "sheet_url": f"/admin/inscriptions/seance/{sheet.pk}/emargement/",
        "event": event,
        "occurrence": occurrence,
        "registration_url": event.url + "inscription/",
        "contact_url": f"/benevoles/{volunteer.pk}/contacter/",
        "badge_url": f"/badges/{badge.slug}/demande/",
    }


@pytest.fixture(scope="module")
def _site(module_data):
    # Built once for the module's 64 tests; each one starts from it as it
    # was built (its own changes are rolled back).
    return module_data(_build_site)


@pytest.fixture
def site(_site, db, settings):
    settings.RATE_LIMITS_ENABLED = False
    return _site.for_test()


def registration_data(site, **overrides):
    data = {
        "occurrence": site["occurrence"].key,
        "name": "Camille Martin",
        "email": "camille.hostile@exemple.fr",
        "phone": "",
        "seats": "1",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def contact_data(**overrides):
    data = {
        "name": "Jean Visiteur",
        "email": "jean@exemple.invalid",
        "message": "Bonjour, pouvez-vous m'aider samedi ?",
        "website": "",
    }
    data.update(overrides)
    return data


def badge_data(**overrides):
    data = {
        "name": "Léa Martin",
        "email": "lea.hostile@exemple.fr",
        "evidence_text": "J'ai écrit une lettre avec LibreOffice.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def stored():
    return (Registration.objects.count(), BadgeRequest.objects.count())


# -- Known hostile inputs, one by one -----------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/recherche/?q=%00",
        "/recherche/?q=libre%00",
        "/recherche/?q=%01%02",
        "/recherche/?q=libre&page=%00",
        f"/api/v2/pages/?offset={HUGE}",
        # Found by hypothesis: Python refuses to read 4,300+ digit integers.
        "/api/v2/pages/?offset=" + "1" * 5000,
        "/api/v2/pages/?limit=" + "1" * 5000,
        f"/api/v2/pages/?limit={HUGE}",
        f"/api/v2/pages/?child_of={HUGE}",
        "/api/v2/pages/?search=%00",
        "/api/v2/pages/?type=%00",
        "/agenda/?type=%00",
        "/agenda/%00/",
        "/agenda/agenda.ics?partenaire=%00",
        "/benevoles/?competence=a%0D%0Ab",
        "/guides/?categorie=%00",
        f"/guides/?machine={HUGE}",
        "/badges/assertions/%00",
        "/agenda/inscription/annuler/%00/",
        "/agenda/inscription/gerer/%00/",
    ],
)
def test_hostile_parameters_get_a_4xx(client, site, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500


def test_nul_in_search_is_a_french_400_and_not_logged(client, site):
    from wagtail.contrib.search_promotions.models import Query

    before = Query.objects.count()
    response = client.get("/recherche/?q=%00")
    assert response.status_code == 400
    assert "caractères invisibles" in response.content.decode()
    assert Query.objects.count() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Ca\x00mille"},
        {"name": "Ca\x01mille"},
        {"name": "Camille\r\nBcc: victime@evil.example"},
        {"name": "Camille\nMartin"},
        {"email": "camille@exemple.fr\r\nBcc: victime@evil.example"},
        {"seats": HUGE},
        {"seats": "-" + HUGE},
        {"seats": "1e308"},
        {"occurrence": HUGE},
        {"occurrence": "\x00"},
        {"phone": "\x00"},
    ],
)
def test_hostile_registration_is_refused_and_nothing_stored(client, site, overrides):
    before = stored()
    response = client.post(
        site["registration_url"], registration_data(site, **overrides)
    )
    french_4xx(response)
    assert stored() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Jean\r\nBcc: victime@evil.example"},
        {"name": "Jean\rX"},
        {"email": "jean@exemple.invalid\r\nBcc: a@evil.example"},
        {"message": "Bonjour\x00 une question ?"},
    ],
)
def test_hostile_contact_is_refused_and_nothing_sent(client, site, overrides):
    response = client.post(site["contact_url"], contact_data(**overrides))
    french_4xx(response)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Léa\r\nBcc: victime@evil.example"},
        {"name": "Léa\x00"},
        {"evidence_text": "\x1b[2J"},
        {"evidence_url": "javascript:alert(1)"},
    ],
)
def test_hostile_badge_request_is_refused(client, site, overrides):
    before = stored()
    response = client.post(site["badge_url"], badge_data(**overrides))
    french_4xx(response)
    assert stored() == before


def test_ten_megabyte_body_is_a_french_400(client, site):
    before = stored()
    body = "name=" + "x" * (10 * 1024 * 1024)
    response = client.post(
        site["registration_url"],
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "Demande incorrecte" in response.content.decode()
    assert stored() == before


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/json", '{"name": "Camille", "email": "c@exemple.fr"}'),
        ("multipart/form-data; boundary=zz", "garbage"),
        ("multipart/form-data", "no boundary"),
        ("text/plain", "name=Camille"),
        ("application/xml", "<a>&xxe;</a>"),
    ],
)
@pytest.mark.parametrize("form", ["registration_url", "contact_url", "badge_url"])
def test_wrong_content_types_get_a_4xx(client, site, form, content_type, body):
    before = stored()
    response = client.generic("POST", site[form], body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert stored() == before


# -- Property tests -----------------------------------------------------------


@PROPERTY
@given(
    field=st.sampled_from(
        ["occurrence", "name", "email", "phone", "seats", "consent", "website"]
    ),
    value=VALUES,
)
def test_registration_form_never_fails(client, site, field, value):
    before = stored()
    response = client.post(
        site["registration_url"], registration_data(site, **{field: value})
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert stored() == before


@PROPERTY
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "email", "message", "website"]), VALUES
    )
)
def test_contact_form_never_fails(client, site, data):
    response = client.post(site["contact_url"], contact_data(**data))
    assert response.status_code < 500


@PROPERTY
@given(
    field=st.sampled_from(
        ["name", "email", "evidence_text", "evidence_url", "consent", "show_name"]
    ),
    value=VALUES,
)
def test_badge_request_form_never_fails(client, site, field, value):
    before = stored()
    response = client.post(site["badge_url"], badge_data(**{field: value}))
    assert response.status_code < 500
    if response.status_code >= 400:
        assert stored() == before


PUBLIC_GETS = [
    ("/recherche/", ["q", "page"]),
    ("/agenda/", ["type", "public", "partenaire", "periode", "page"]),
    ("/agenda/agenda.ics", ["type", "public", "partenaire"]),
    ("/agenda/rss/", ["type", "public", "partenaire"]),
    ("/guides/", ["categorie", "machine", "page"]),
    ("/parcours/", ["niveau"]),
    ("/benevoles/", ["competence", "page"]),
    (
        "/api/v2/pages/",
        ["offset", "limit", "type", "fields", "order", "search", "child_of", "slug"],
    ),
    ("/badges/emetteur", ["format"]),
]


@PROPERTY
@given(target=st.sampled_from(PUBLIC_GETS), data=st.data())
def test_public_get_parameters_never_fail(client, site, target, data):
    url, names = target
    params = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=3))
    response = client.get(url, params)
    assert response.status_code < 500


@PROPERTY
@given(value=VALUES)
def test_registration_date_parameter_never_fails(client, site, value):
    response = client.get(site["registration_url"], {"date": value})
    assert response.status_code < 500


@PROPERTY
@given(path=ANY_TEXT)
def test_any_path_never_fails(client, site, path):
    for prefix in ("/agenda/", "/badges/assertions/", "/agenda/inscription/gerer/"):
        response = client.get(prefix + re.sub(r"[?#]", "", path) + "/")
        assert response.status_code < 500


def test_manage_form_takes_hostile_seats(client, site):
    client.post(site["registration_url"], registration_data(site))
    confirm_through_mail(client, mail.outbox[0])  # the manage link comes next
    link = re.search(r"(/agenda/inscription/gerer/[^\s]+/)", mail.outbox[-1].body)[1]
    for value in HOSTILE:
        response = client.post(link, {"action": "seats", "seats": value})
        assert 400 <= response.status_code < 500, value
    assert Registration.objects.get(email="camille.hostile@exemple.fr").seats == 1


# -- Numbers: one rule for every integer a request carries (issue 25 #6) ------

HOSTILE_INTEGERS = [
    "²",  # str.isdigit() says yes, int() says no
    "3²",
    "٣",  # Arabic-Indic three: int() reads it
    "１２",  # full-width digits
    "①",
    "߃",
    "9" * 5000,  # past Python's 4,300-digit limit
    str(2**31),
    str(2**63 - 1),
    str(2**63),  # past SQLite's integers
    str(2**64),
    HUGE,
    "-1",
    "-" + str(2**63),
    "+1",
    "0",
    "-0",
    "0" * 40 + "1",
    "",
    " ",
    " 1",
    "1 ",
    "\t1\n",
    "1_000",
    "0x10",
    "1.0",
    "1e3",
    "NaN",
]
INTEGERS = st.one_of(
    st.sampled_from(HOSTILE_INTEGERS),
    st.integers().map(str),
    st.text(alphabet=st.characters(categories=("Nd", "No", "Zs")), max_size=20),
)
# What an address segment `<int:…>` matches: ASCII digits, any length.
DIGIT_STRINGS = st.one_of(
    st.sampled_from([s for s in HOSTILE_INTEGERS if s.isascii() and s.isdecimal()]),
    st.integers(min_value=0).map(str),
)

# Every integer a public address reads from its query string.
PUBLIC_INTEGERS = [
    ("/agenda/widget/", "nombre"),
    ("/agenda/", "page"),
    ("/agenda/?periode=passes", "page"),
    ("/recherche/?q=atelier", "page"),
    ("/guides/", "page"),
    ("/benevoles/", "page"),
    ("/api/v2/pages/", "offset"),
    ("/api/v2/pages/", "limit"),
    ("/api/v2/pages/", "child_of"),
    ("/api/v2/pages/", "descendant_of"),
    ("/api/v2/pages/", "ancestor_of"),
]
PUBLIC_ROUTES = ["/agenda/calendrier/{}/12/", "/agenda/calendrier/2026/{}/"]
# The admin's: query strings, then ids and dates in the address.
ADMIN_INTEGERS = [
    ("/admin/engagements/new/", "event"),
    ("/admin/rendez-vous/bilan/", "annee"),
]
ADMIN_ROUTES = [
    "/admin/engagements/{}/decider/",
    "/admin/engagements/{}/document/",
    "/admin/salles/{}/mois/",
    "/admin/salles/{}/mois/2026/12/",
    "/admin/salles/1/mois/{}/12/",
    "/admin/inscriptions/seance/{}/",
    "/admin/inscriptions/seance/{}/emargement/",
    "/admin/rendez-vous/{}/annuler/",
    "/admin/benevoles/effacer/{}/",
    "/admin/pages/{}/edit/",
]


@given(value=st.one_of(INTEGERS, ANY_TEXT, st.integers()))
def test_the_parser_takes_only_ascii_digits_in_range(value):
    number = bounded_int(value, 1, 1000)
    text = str(value)
    if number is not None:
        assert 1 <= number <= 1000
        assert isinstance(value, int) or re.fullmatch(r"[0-9]+", text)
        assert number == int(text)
    elif re.fullmatch(r"[0-9]{1,4}", text) and 1 <= int(text) <= 1000:
        pytest.fail(f"{value!r} refused")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("0007", 7), ("9" * 5000, 1000), (str(2**63), 1000), ("0", 1)],
)
def test_clamped_numbers_stop_at_the_bounds(value, expected):
    assert bounded_int(value, 1, 1000, clamp=True) == expected


@pytest.fixture
def staff(site, role_user):
    """One account per role of the roles matrix."""
    return {role: role_user(role) for role in roles.ROLES}


@pytest.mark.parametrize(
    "url",
    [
        "/agenda/widget/?nombre=%C2%B2",
        "/agenda/widget/?nombre=" + "9" * 5000,
        "/api/v2/pages/?offset=%C2%B2",
        "/api/v2/pages/?limit=%C2%B2",
        "/api/v2/pages/?offset=-1",
        "/api/v2/pages/?limit=%D9%A3",
    ],
)
def test_hostile_numbers_get_a_french_400(client, site, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "doit être un nombre" in body or 'lang="fr"' in body


def test_the_api_says_in_french_what_it_expects(client, site):
    response = client.get("/api/v2/pages/?offset=%C2%B2")
    assert response.status_code == 400
    assert response.json()["message"] == (
        "« offset » doit être un nombre entier entre 0 et 1000000."
    )
    assert client.get("/api/v2/pages/?offset=0&limit=2").status_code == 200
    response = client.get("/api/v2/pages/?child_of=%D9%A3")
    assert response.status_code == 400
    assert response.json()["message"] == "« child_of » doit être le numéro d'une page."
    assert client.get("/api/v2/pages/?child_of=root").status_code == 200


@pytest.mark.parametrize("role", roles.ROLES)
@pytest.mark.parametrize("value", ["%C2%B2", str(2**63), str(2**64), "9" * 5000])
def test_any_role_asking_for_a_hostile_event_gets_the_form(client, staff, role, value):
    client.force_login(staff[role])
    response = client.get(f"/admin/engagements/new/?event={value}")
    assert response.status_code in (200, 302, 403), response.status_code


def test_the_commitment_form_still_takes_a_real_event(client, staff, site):
    client.force_login(staff[roles.ADMINISTRATION])
    response = client.get(f"/admin/engagements/new/?event={site['event'].pk}")
    assert response.status_code == 200
    # The page chooser arrives with the event already chosen.
    chosen = f'name="event" value="{site["event"].pk}"'
    assert chosen in response.content.decode()


@PROPERTY
@given(target=st.sampled_from(PUBLIC_INTEGERS), value=INTEGERS)
def test_public_integer_parameters_never_fail(client, site, target, value):
    url, name = target
    separator = "&" if "?" in url else "?"
    response = client.get(url + separator + urlencode({name: value}))
    assert response.status_code < 500, (url, name, value)


@PROPERTY
@given(route=st.sampled_from(PUBLIC_ROUTES), value=DIGIT_STRINGS)
def test_public_integer_routes_never_fail(client, site, route, value):
    response = client.get(route.format(value))
    assert response.status_code < 500, (route, value)


@PROPERTY
@given(
    role=st.sampled_from(roles.ROLES),
    target=st.sampled_from(ADMIN_INTEGERS),
    value=INTEGERS,
)
def test_admin_integer_parameters_never_fail(client, staff, role, target, value):
    client.force_login(staff[role])
    url, name = target
    response = client.get(f"{url}?{urlencode({name: value})}")
    assert response.status_code < 500, (role, url, name, value)


@PROPERTY
@given(
    role=st.sampled_from(roles.ROLES),
    route=st.sampled_from(ADMIN_ROUTES),
    value=DIGIT_STRINGS,
)
def test_admin_integer_routes_never_fail(client, staff, role, route, value):
    client.force_login(staff[role])
    response = client.get(route.format(value))
    assert response.status_code < 500, (role, route, value)


@PROPERTY
@given(values=st.lists(INTEGERS, max_size=4))
def test_hostile_attendance_ticks_never_fail(client, site, staff, values):
    client.force_login(staff[roles.ADMINISTRATION])
    response = client.post(
        site["sheet_url"], {"present": values}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code < 500, values


def test_the_event_is_still_open_for_the_test(site):
    # Guards the tests above against a demo event that stopped taking
    # registrations (they would then pass for the wrong reason).
    assert site["occurrence"].start > timezone.now() + datetime.timedelta(hours=1)
