"""A machine says which training unlocks it: a text and link (Le Circuit's
Fab Lab training) and, optionally, one of the atelier's open badges, so that
a learner sees on the guide which path leads there."""

import pytest

from tests.factories import badges as badge_factories
from tests.factories.guides import MachineFactory, make_guide

pytestmark = pytest.mark.django_db


def test_guide_shows_the_badge_and_the_path_that_unlock_its_machine(client, home_page):
    badge = badge_factories.create_badge_class(name="Pilote d'imprimante 3D")
    printer = MachineFactory(training_badge=badge)
    badge_factories.create_path(
        badge_factories.path_index(home_page),
        title="Premiers pas au Fab Lab",
        badge_class=badge,
    )
    guide = make_guide(title="Imprimer un cube", machines=[printer])
    html = client.get(guide.url).content.decode()
    assert "Formation obligatoire" in html
    assert 'href="https://mediatheque.pasdecalais.fr/"' in html
    assert "Pilote d&#x27;imprimante 3D" in html
    assert f'href="{badge.get_absolute_url()}"' in html
    related = html[html.index("Parcours liés") :]
    assert "Premiers pas au Fab Lab" in related


def test_deleting_the_badge_keeps_the_machine(client, home_page):
    badge = badge_factories.create_badge_class()
    printer = MachineFactory(training_badge=badge)
    badge.delete()
    printer.refresh_from_db()
    assert printer.training_badge is None


def test_guide_lists_each_related_path_once_and_never_a_restricted_one(
    client, home_page
):
    from wagtail.models import PageViewRestriction

    badge = badge_factories.create_badge_class(name="Pilote d'imprimante 3D")
    printer = MachineFactory(training_badge=badge)
    guide = make_guide(title="Imprimer un cube", machines=[printer])
    index = badge_factories.path_index(home_page)
    # Both through the badge and through a step pointing to the guide.
    badge_factories.create_path(
        index, title="Premiers pas au Fab Lab", badge_class=badge, linked_page=guide
    )
    hidden = badge_factories.create_path(
        index, title="Parcours réservé", linked_page=guide
    )
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x" * 12
    )
    related = client.get(guide.url).content.decode()
    related = related[related.index("Parcours liés") :]
    assert related.count("Premiers pas au Fab Lab") == 1
    assert "Parcours réservé" not in related
