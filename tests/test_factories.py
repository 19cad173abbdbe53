"""The apps' factories, the one way tests and the demo build objects: the
site's skeleton builds once and keeps editors' changes, each factory makes
a valid object, and the demo's pictures and files are small files under
the app that owns them."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Page

from events.factories import EventTypeFactory, VenueFactory, create_event
from home.factories import PartnerFactory, StandardPageFactory, image_from_file
from home.models import HomePage, Partner, StandardPage
from portal.factories import UserFactory, create_site_tree
from resources.factories import CompetenceFactory, MachineFactory, make_guide
from resources.models import GuidePage
from volunteers.factories import CharterVersionFactory, VolunteerFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.empty_site
def test_site_tree_builds_once_and_keeps_editors_changes():
    create_site_tree()
    StandardPage.objects.filter(slug="a-propos").update(title="À propos (revu)")
    Partner.objects.filter(slug="clx").update(city="Roubaix")
    pages = Page.objects.count()

    report = []
    home = create_site_tree(report)

    assert isinstance(home, HomePage)
    assert Page.objects.count() == pages
    assert "Partenaires créés : 0." in report
    assert all("créée" not in line for line in report), report
    assert StandardPage.objects.get(slug="a-propos").title == "À propos (revu)"
    assert Partner.objects.get(slug="clx").city == "Roubaix"


def test_each_factory_makes_a_valid_object(client, home_page):
    objects = [
        PartnerFactory(),
        CompetenceFactory(),
        MachineFactory(),
        CharterVersionFactory(),
        VolunteerFactory(),
        EventTypeFactory(),
        VenueFactory(),
    ]
    for obj in objects:
        obj.full_clean()
    page = StandardPageFactory(parent=home_page, slug="essai")
    event = create_event(Page.objects.get(slug="agenda").specific)
    guide = make_guide()
    for url in (page.url, event.url, guide.url):
        assert client.get(url).status_code == 200, url


@pytest.mark.empty_site
def test_get_or_create_factories_do_not_duplicate():
    assert PartnerFactory(slug="clx") == PartnerFactory(slug="clx")
    assert UserFactory(username="alice") == UserFactory(username="alice")
    assert CompetenceFactory(code="1.1") == CompetenceFactory(code="1.1")


def test_image_from_file_uploads_once():
    path = ROOT / "resources" / "demo" / "images" / "imprimante-3d.png"
    first = image_from_file(path, "Schéma")
    assert image_from_file(path, "Schéma") == first
    assert (first.width, first.height) == (800, 450)


def test_demo_files_are_small_files_of_their_app():
    files = [
        *(ROOT / "resources" / "demo").rglob("*.png"),
        *(ROOT / "resources" / "demo").rglob("*.stl"),
        *(ROOT / "home" / "legal_pages").glob("*.html"),
        *(ROOT / "volunteers" / "demo").glob("*.html"),
    ]
    assert len(files) == 12
    for path in files:
        assert 0 < path.stat().st_size < 50_000, path


def test_demo_loads_twice_without_duplicates_and_keeps_edits(home_page):
    call_command("load_demo_data", verbosity=0)
    GuidePage.objects.filter(slug="installer-linux-ordinateur-ancien").update(
        title="Linux sur un vieil ordinateur"
    )
    apps_with_content = [
        "home",
        "events",
        "resources",
        "volunteers",
        "wagtailcore",
        "wagtailimages",
        "wagtaildocs",
        "auth",
    ]
    models = [
        model
        for label in apps_with_content
        for model in apps.get_app_config(label).get_models()
    ]
    counts = {m._meta.label: m.objects.count() for m in models}

    call_command("load_demo_data", verbosity=0)

    assert {m._meta.label: m.objects.count() for m in models} == counts
    assert GuidePage.objects.get(slug="installer-linux-ordinateur-ancien").title == (
        "Linux sur un vieil ordinateur"
    )
