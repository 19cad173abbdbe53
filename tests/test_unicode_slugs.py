"""Slugs with accents, as the admin makes them from a French title
(`WAGTAIL_ALLOW_UNICODE_SLUGS` is on): every URL of the project that takes a
slug answers one, and every page that links to such a page links to an
address that opens.

The routes are found by walking the URL resolver and the routable pages'
routes, not listed by hand: a route added tomorrow is walked too."""

import datetime
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.converters import SlugConverter
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from events.factories import (
    EventTypeFactory,
    appointment_event,
    create_booking,
    first_saturday_room,
    paris,
)
from events.models import Booking, EventIndexPage, EventPage
from events.rooms import rules as rooms
from home.factories import PartnerFactory, StandardPageFactory
from home.models import StandardPage
from portal import roles
from portal.converters import UnicodeSlugConverter
from resources.factories import (
    create_badge_class,
    create_path,
    make_guide,
    path_index,
    step,
)
from resources.models import GuidePage, LearningPathPage
from tests.admin_forms import block_data, form_data, messages_of
from tests.registration_helpers import make_event

pytestmark = pytest.mark.django_db

EVENT_SLUG = "conférence-sécurité-numérique-les-bons-réflexes"
BADGE_SLUG = "œuvre-d-art"
PROJECT_APPS = {"events", "home", "portal", "resources", "volunteers"}
# A value for each kind of parameter a route may take besides the slug.
SAMPLES = {
    "int": "1",
    "str": "x",
    "path": "x",
    "uuid": "0" * 8 + "-0000-0000-0000-" + "0" * 12,
}


# --- Finding the routes ------------------------------------------------------


def _module(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return view_class.__module__
    return getattr(callback, "__module__", None) or type(callback).__module__


def _pieces(patterns, prefix=()):
    """(route pieces, URLPattern) for every URL pattern under `patterns`."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _pieces(entry.url_patterns, prefix + (entry.pattern,))
        else:
            yield prefix + (entry.pattern,), entry


def _slug_params(pattern):
    """The names of a route piece's parameters that are slugs."""
    converters = getattr(pattern, "converters", {})
    named = set(re.compile(str(pattern)).groupindex) if not converters else set()
    return {
        name
        for name, converter in converters.items()
        if isinstance(converter, SlugConverter | UnicodeSlugConverter) or "slug" in name
    } | {name for name in named if "slug" in name}


def _fill(piece, slug):
    """A piece of route as a URL path, with `slug` for the slugs and a sample
    value for any other parameter."""
    route = str(piece)
    if not getattr(piece, "converters", None) and route.startswith("^"):
        # A regular expression: only plain text ones lead to the project's
        # routes today; one with groups has to be taught here.
        route = route.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        assert not re.search(r"[()\[\]*+?\\]", route), route
        return route

    def value(match):
        kind, name = match.group(1) or "str", match.group(2)
        if name in piece.converters and isinstance(
            piece.converters[name], SlugConverter | UnicodeSlugConverter
        ):
            return slug
        return SAMPLES.get(kind, "x")

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def project_slug_routes():
    """(label, build(slug) → URL path, resolves(url, slug) → whether the URL
    reaches that route with that slug) for every route of the project's apps
    that takes a slug: the URLconf's and the routable pages'."""
    found = []
    for pieces, entry in _pieces(get_resolver().url_patterns):
        module = _module(entry.callback) or ""
        if module.split(".")[0] not in PROJECT_APPS:
            continue
        if not any(_slug_params(piece) for piece in pieces):
            continue
        found.append(
            (
                entry.name or module,
                lambda slug, pieces=pieces: (
                    "/" + "".join(_fill(piece, slug) for piece in pieces)
                ),
                lambda url, slug, entry=entry: (
                    (match := resolve(url)).func is entry.callback
                    and slug in match.kwargs.values()
                ),
            )
        )
    for model in get_page_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if not issubclass(model, RoutablePageMixin):
            continue
        for entry in model.get_subpage_urls():
            if not _slug_params(entry.pattern):
                continue
            page = model.objects.live().first()
            assert page is not None, f"no live {model.__name__} to walk"
            found.append(
                (
                    f"{model.__name__}.{entry.name}",
                    lambda slug, page=page, entry=entry: (
                        page.url + _fill(entry.pattern, slug)
                    ),
                    lambda url, slug, page=page, entry=entry: (
                        resolve(url).url_name == "wagtail_serve"
                        and slug
                        in page.specific.resolve_subpage(
                            unquote(url)[len(unquote(page.url)) :]
                        )[2].values()
                    ),
                )
            )
    return found


def _ascii_slug_routes():
    """The project's routes still declared with Django's ASCII `<slug:…>`."""
    bad = []
    for pieces, entry in _pieces(get_resolver().url_patterns):
        if (_module(entry.callback) or "").split(".")[0] not in PROJECT_APPS:
            continue
        for piece in pieces:
            converters = getattr(piece, "converters", {})
            if any(type(c) is SlugConverter for c in converters.values()):
                bad.append(str(piece))
    for model in get_page_models():
        if issubclass(model, RoutablePageMixin) and (
            model._meta.app_label in PROJECT_APPS
        ):
            for entry in model.get_subpage_urls():
                converters = getattr(entry.pattern, "converters", {})
                if any(type(c) is SlugConverter for c in converters.values()):
                    bad.append(f"{model.__name__}: {entry.pattern}")
    return bad


# --- Content with accented slugs --------------------------------------------


@pytest.fixture
def accented(home_page):
    """An event with seats, an event with appointments and a badge, each under
    an accented slug."""
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    event = make_event(
        home_page,
        title="Conférence : sécurité numérique, les bons réflexes",
        slug=EVENT_SLUG,
        start=start,
    )
    assistance = appointment_event(
        home_page,
        title="Aide à l'œuvre numérique",
        slug=BADGE_SLUG,
        start=start + datetime.timedelta(days=1),
    )
    badge = create_badge_class(slug=BADGE_SLUG, name="Œuvre d'art numérique")
    return event, assistance, badge


# --- Tests ------------------------------------------------------------------


def test_no_route_of_the_project_takes_ascii_only_slugs():
    assert _ascii_slug_routes() == []


def test_the_walk_finds_the_slug_routes():
    """The walk itself: it sees the routes known today (a walk that found
    nothing would pass every test below)."""
    labels = {label for label, *_functions in project_slug_routes()}
    assert {
        "event_ics",
        "registration",
        "appointment_book",
        "badge_class",
        "badge_class_image",
        "request_badge",
        "request_sent",
    } <= labels


@pytest.mark.parametrize("slug", [EVENT_SLUG, BADGE_SLUG])
def test_every_slug_route_resolves_an_accented_slug_and_never_fails(
    client, admin_client, accented, slug
):
    failures = []
    for label, build, resolves in project_slug_routes():
        url = build(slug)
        if not resolves(url, slug):
            failures.append(f"{label}: {url} resolved to {resolve(url).url_name}")
            continue
        answerer = admin_client if url.startswith("/admin/") else client
        status = answerer.get(url).status_code
        if status >= 500:
            failures.append(f"{label}: {url} answered {status}")
    assert failures == []


def test_accented_slugs_open_their_own_pages(client, accented):
    event, assistance, badge = accented
    urls = [
        event.url,
        f"/agenda/{EVENT_SLUG}/evenement.ics",
        f"/agenda/{EVENT_SLUG}/inscription/",
        assistance.url,
        f"/agenda/{BADGE_SLUG}/rendez-vous/",
        f"/badges/{BADGE_SLUG}",
        f"/badges/{BADGE_SLUG}/image.png",
        f"/badges/{BADGE_SLUG}/demande/",
        f"/badges/{BADGE_SLUG}/demande/envoyee/",
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(
        urls, 200
    )


def test_every_page_type_serves_an_accented_slug(client, home_page):
    """Wagtail serves every page by its path: one page of each type that can
    be added more than once, under a slug typed with accents."""
    repeatable = {
        model
        for model in get_page_models()
        if model._meta.app_label in PROJECT_APPS and model.max_count is None
    }
    # A new page type must be added below (with how to make one).
    assert repeatable == {StandardPage, EventPage, GuidePage, LearningPathPage}
    pages = [
        StandardPageFactory(
            parent=home_page, title="Œuvres d'art libres", slug="œuvres-d-art-libres"
        ),
        make_event(home_page, title="Fête du libre", slug="fête-du-libre"),
        make_guide(title="Découper à la laser", slug="découper-à-la-laser"),
        create_path(path_index(home_page), title="Prêt à créer", slug="prêt-à-créer"),
    ]
    for page in pages:
        page.refresh_from_db()
        assert page.live
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode()
        found = client.get("/api/v2/pages/find/", {"html_path": unquote(page.url)})
        assert found.status_code == 302, page.url
    sitemap = unquote(client.get("/sitemap.xml").content.decode())
    for page in pages:
        assert unquote(page.full_url) in sitemap


def test_a_draft_event_from_a_room_booking_is_published_under_its_accented_slug(
    client, home_page
):
    room = first_saturday_room()
    booking = create_booking(
        room,
        paris(2027, 1, 2, 9, 30),
        paris(2027, 1, 2, 12, 0),
        purpose="Atelier libérez votre ordinateur",
        status=Booking.Status.CONFIRMED,
    )
    event = rooms.draft_event(booking, None, EventIndexPage.objects.get())
    assert event.slug == "atelier-libérez-votre-ordinateur"
    event.event_type = EventTypeFactory()
    event.save_revision().publish()
    event.refresh_from_db()

    page = client.get(event.url)
    assert page.status_code == 200
    ics = f"/agenda/{event.slug}/evenement.ics"
    assert client.get(ics).status_code == 200
    assert unquote(urlsplit(event.url).path) == f"/agenda/{event.slug}/"


def _links_to(body, slug):
    """The addresses in `body` that name the event's slug (encoded or not)."""
    hrefs = re.findall(
        r"""(?:href=|"url":\s*|<link>|<loc>|src=)["']?([^"'<>\s]+)""", body
    )
    return {unquote(h) for h in hrefs if slug in unquote(h)}


def test_the_agenda_s_pages_and_feeds_link_to_the_accented_event(client, accented):
    """The month grid, the agenda, its feeds and the widget all link to the
    event; each link opens it."""
    event = accented[0]
    when = timezone.localtime(event.start)
    sources = [
        "/agenda/",
        f"/agenda/calendrier/{when.year}/{when.month}/",
        "/agenda/rss/",
        "/agenda/agenda.json",
        "/agenda/widget/",
        "/agenda/agenda.ics",
        "/sitemap.xml",
    ]
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200, source
        body = response.content.decode()
        if source.endswith(".ics"):
            # iCalendar folds long lines: unfold before reading the URL.
            body = body.replace("\r\n ", "")
            links = {unquote(u) for u in re.findall(r"URL(?:;[^:]*)?:(\S+)", body)}
            links = {u for u in links if EVENT_SLUG in u}
        else:
            links = _links_to(body, EVENT_SLUG)
        assert links, source
        for link in links:
            path = urlsplit(link).path
            assert client.get(path).status_code == 200, (source, link)


def test_the_feeds_filter_by_an_accented_type_and_partner(client, accented):
    """Event types and partners take accented slugs too (the admin's slug
    field keeps them): the agenda's filters and feeds accept them."""
    event = accented[0]
    event.event_type.slug = "cafés-numériques"
    event.event_type.save()
    partner = PartnerFactory(name="Médiathèque d'Équihen", slug="médiathèque-équihen")
    event.partners.add(partner)
    event.save_revision().publish()
    for url in [
        "/agenda/",
        "/agenda/rss/",
        "/agenda/agenda.json",
        "/agenda/agenda.ics",
    ]:
        for params in [{"type": "cafés-numériques"}, {"partenaire": partner.slug}]:
            response = client.get(url, params)
            assert response.status_code == 200, (url, params)
            body = response.content.decode().replace("\r\n ", "")  # iCalendar folds
            assert EVENT_SLUG in unquote(body), (url, params)


# --- Guides and learning paths typed in the admin ---------------------------


def _typed_slug(title):
    """The slug Wagtail's admin JavaScript makes from a typed title (the
    browser journey checks it on the event form): accents kept."""
    return slugify(title, allow_unicode=True)


def _steps(form, name, raw):
    """The POST keys of a StreamField filled with `raw` blocks."""
    field = form.fields[name]
    value = field.block.to_python(raw)
    return dict(block_data(field.block, value, form.add_prefix(name)))


@pytest.mark.parametrize(
    ("model", "index_slug", "title", "fields"),
    [
        (
            GuidePage,
            "guides",
            "Découper du contreplaqué à la laser : les réglages sûrs",
            {
                "summary": "Puissance, vitesse et aération pour un bois de 3 mm.",
                "category": "fab-lab",
                "difficulty": "2",
                "duration_minutes": "45",
                "steps": [step("Régler la puissance", "<p>Commencez à 60 %.</p>")],
            },
        ),
        (
            LearningPathPage,
            "parcours",
            "Prêt·e à créer son compte « Ameli » ?",
            {
                "summary": "Pas à pas, de l'adresse e-mail au premier relevé.",
                "level": "debutant",
                "duration_minutes": "60",
                "steps-0-title": "Créer son adresse e-mail",
                "steps-0-explanation": "Chez l'hébergeur de son choix.",
                "steps-0-estimated_minutes": "15",
            },
        ),
    ],
)
def test_an_accented_title_typed_in_the_admin_gives_a_page_that_opens(
    client, portal_roles, model, index_slug, title, fields
):
    editor = portal_roles(roles.MEDIATHEQUE_EDITORS)
    client.force_login(editor)
    index = Page.objects.get(slug=index_slug, depth=3)
    url = reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, index.pk),
    )
    response = client.get(url)
    data = form_data(response)
    if "steps" in fields:  # a StreamField, posted as its blocks' keys
        data.update(_steps(response.context["form"], "steps", fields.pop("steps")))
    elif "steps-TOTAL_FORMS" in data:  # an inline panel: one row typed
        data["steps-TOTAL_FORMS"] = "1"
    data.update(fields, title=title, slug=_typed_slug(title))
    data["action-publish"] = "on"
    response = client.post(url, data, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302, messages_of(response)
    page = model.objects.get(title=title)
    assert page.live and page.slug == _typed_slug(title)
    client.logout()
    response = client.get(page.url)
    assert response.status_code == 200
    assert escape(title) in response.content.decode()
    listing = client.get(index.url).content.decode()
    assert page.url in listing
