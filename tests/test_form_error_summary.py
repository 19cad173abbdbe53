"""A public form sent empty, as someone in a hurry sends it: the box above
the form names every mistake, each a link to the message beside its
field, and each link lands on an element of the page (the five public
forms of the demo, through their real addresses)."""

import re
from html import unescape

import pytest

from events.models import EventPage
from resources.models import BadgeClass
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def _forms(demo_data):
    registration = EventPage.objects.filter(capacity__gt=0, live=True).first()
    appointment = EventPage.objects.filter(appointments_enabled=True, live=True).first()
    volunteer = (
        Volunteer.objects.publicly_listed()
        .filter(accepts_contact=True)
        .exclude(email="")
        .first()
    )
    badge = BadgeClass.objects.first()
    return {
        "inscription": registration.url,
        "rendez-vous": f"{appointment.url}rendez-vous/",
        "abonnement": "/agenda/abonnement/",
        "contact": f"/benevoles/{volunteer.pk}/contacter/",
        "badge": f"/badges/{badge.slug}/demande/",
    }


def _summary(html):
    box = re.search(
        r'<div class="message message--error"[^>]*id="erreurs">(.*?)</div>', html, re.S
    )
    assert box, "no error summary"
    return [
        (target, re.sub(r"<[^>]+>|\s+", " ", unescape(label)).strip())
        for target, label in re.findall(
            r'<a href="#([^"]+)">(.*?)</a>', box.group(1), re.S
        )
    ]


@pytest.mark.parametrize(
    "name", ["inscription", "rendez-vous", "abonnement", "contact", "badge"]
)
def test_an_empty_form_lists_every_mistake_with_a_link_to_its_field(
    client, demo_data, settings, name
):
    settings.RATE_LIMITS_ENABLED = False
    url = _forms(demo_data)[name]
    if name == "inscription":
        url += "inscription/"
    response = client.post(url, {})
    assert response.status_code == 400
    html = response.content.decode()
    links = _summary(html)
    beside = re.findall(r'<ul class="errorlist" id="([^"]+)-erreurs">', html)
    # One link per field with a mistake, in the order of the form.
    assert [target for target, _ in links] == [f"{field}-erreurs" for field in beside]
    assert len(links) >= 2
    for target, label in links:
        assert f'id="{target}"' in html
        assert label and not label.endswith(":")
