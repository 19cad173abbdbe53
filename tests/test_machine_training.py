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
