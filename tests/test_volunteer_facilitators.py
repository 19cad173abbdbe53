"""Event facilitators as the public sees them: listed volunteers link to their
directory card and show what they consented to; the others are only their
display name; private data never shows."""

import pytest
import time_machine

from events.models import EventIndexPage
from tests.factories.events import create_event, paris
from tests.factories.volunteers import (
    ALL_CONSENTS,
    CharterVersionFactory,
    VolunteerFactory,
    listed_volunteer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_with_facilitators(home_page):
    version = CharterVersionFactory()
    listed = listed_volunteer(
        version,
        display_name="Camille Listée",
        bio="J'anime les install parties.",
        skills=["Linux"],
        email="camille@prive.invalid",
    )
    discreet = VolunteerFactory(
        display_name="Dominique Discret",
        bio="Présentation non consentie",
        skills=["Secret-skill"],
        signed=version,
        show_skills=True,
        email="dominique@prive.invalid",
    )
    unsigned = VolunteerFactory(
        display_name="Sam Sans-Charte",
        bio="Bio de Sam",
        consents=ALL_CONSENTS,
        email="sam@prive.invalid",
    )
    draft = VolunteerFactory(display_name="Brouillon Non-Publié", live=False)
    with time_machine.travel(paris(2026, 11, 27, 10), tick=False):
        create_event(
            EventIndexPage.objects.get(),
            title="Install party",
            slug="install-party",
            start=paris(2026, 12, 5),
            facilitators=[listed, discreet, unsigned, draft],
        )
        yield listed, discreet, unsigned


def test_facilitators_show_only_what_consent_allows(client, event_with_facilitators):
    listed, discreet, unsigned = event_with_facilitators
    html = client.get("/agenda/install-party/").content.decode()

    assert f'href="/benevoles/#benevole-{listed.pk}"' in html
    assert "anime les install parties." in html
    assert "Linux" in html

    assert "Dominique Discret" in html
    assert "Présentation non consentie" not in html
    assert "Secret-skill" in html  # consented

    # Not listed (no charter): the display name, nothing else, no link.
    assert "Sam Sans-Charte" in html
    assert "Bio de Sam" not in html
    assert f"#benevole-{unsigned.pk}" not in html
    # Never published: not shown at all.
    assert "Brouillon Non-Publié" not in html
    assert "@prive.invalid" not in html


def test_publicly_listed_is_the_directory_rule(event_with_facilitators):
    from volunteers.models import Volunteer

    listed, discreet, unsigned = event_with_facilitators
    assert set(Volunteer.objects.publicly_listed()) == {listed, discreet}
    assert listed.is_listed and not unsigned.is_listed
