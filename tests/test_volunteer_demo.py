"""The demo volunteers: clearly labelled, varied charter states, idempotent."""

import pytest

from volunteers import demo
from volunteers.models import CharterVersion, Volunteer

pytestmark = pytest.mark.django_db


def test_demo_is_labelled_varied_and_idempotent(client, home_page):
    demo.load(home_page)
    report = demo.load(home_page)
    assert "Bénévoles d'exemple créés : 0." in report
    assert all(v.display_name.startswith("Exemple – ") for v in Volunteer.objects.all())
    statuses = {
        v.display_name: v.charter_status
        for v in Volunteer.objects.with_charter_status()
    }
    assert set(statuses.values()) == {"current", "to_renew", "missing"}
    current = CharterVersion.objects.current()
    assert current.label == "Charte du bénévole dédié au numérique – 2026"
    assert "bénévole dédié au numérique" in current.text

    html = client.get("/benevoles/").content.decode()
    for name, status in statuses.items():
        assert (name in html) == (status == "current"), name
    assert "exemple.invalid" not in html


def test_demo_admin_pages_render(client, home_page, role_user):
    from django.urls import reverse

    demo.load(home_page)
    client.force_login(role_user(role_user.roles.MODERATION))
    urls = [
        reverse("wagtailsnippets_volunteers_volunteer:list"),
        reverse("wagtailsnippets_volunteers_volunteer:add"),
        reverse("wagtailsnippets_volunteers_charterversion:list"),
        reverse("wagtailsnippets_volunteers_chartersignature:list"),
        reverse("wagtailsnippets_volunteers_chartersignature:add"),
    ]
    for volunteer in Volunteer.objects.all():
        urls += [
            reverse("wagtailsnippets_volunteers_volunteer:edit", args=[volunteer.pk]),
            reverse(
                "wagtailsnippets_volunteers_volunteer:inspect", args=[volunteer.pk]
            ),
            reverse(
                "wagtailsnippets_volunteers_volunteer:charter_sheet",
                args=[volunteer.pk],
            ),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url
