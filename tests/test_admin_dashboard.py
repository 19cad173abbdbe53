"""The admin's home shows each role what it can act on next, and nothing else."""

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Workflow

from events.models import EventIndexPage, Registration
from portal import dashboard, roles
from resources.models import BadgeRequest
from tests.factories.badges import create_badge_class
from tests.factories.events import create_event, paris
from tests.factories.rooms import create_booking, create_commitment, create_room

QUICK_ACTIONS = ["Proposer un événement", "Écrire un guide", "Créer un parcours"]


def _dashboard(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


def _request_badge(badge, number):
    return BadgeRequest.objects.create(
        badge_class=badge,
        name=f"Personne {number}",
        email=f"personne{number}@exemple.fr",
        consent=True,
    )


@pytest.mark.parametrize("role", roles.ROLES)
def test_quick_actions_open_working_add_forms(client, home_page, role_user, role):
    html = _dashboard(client, role_user(role))
    for label in QUICK_ACTIONS:
        assert label in html
    panel = dashboard.QuickActionsPanel()

    class Request:
        user = role_user(role, username=f"autre-{roles.ROLES.index(role)}")

    for action in panel.get_context_data({"request": Request})["actions"]:
        assert client.get(action["url"]).status_code == 200, action


def test_badge_requests_only_for_who_can_award(client, home_page, role_user):
    badge = create_badge_class(name="Naviguer sur le web")
    _request_badge(badge, 1)
    for role in (roles.ADMINISTRATION, roles.MODERATION, roles.MEDIATHEQUE_EDITORS):
        html = _dashboard(client, role_user(role))
        assert "Demandes de badge à traiter" in html
        assert "1 demande attend votre décision." in html
        assert "Personne 1" in html
    for role in (roles.CLX_EDITORS, roles.CLX_COORDINATION):
        html = _dashboard(client, role_user(role))
        assert "Demandes de badge à traiter" not in html
        assert "Personne 1" not in html


def test_no_badge_panel_when_nothing_waits(client, home_page, role_user):
    badge = create_badge_class()
    _request_badge(badge, 1).delete()
    html = _dashboard(client, role_user(roles.MODERATION))
    assert "Demandes de badge à traiter" not in html


def test_author_sees_the_reviewers_last_comment(client, home_page, role_user):
    clx = role_user(roles.CLX_EDITORS)
    moderator = role_user(roles.MODERATION)
    agenda = EventIndexPage.objects.get()
    page = create_event(agenda, title="Install party de janvier", publish=False)
    page.live = False
    page.owner = clx
    page.save_revision(user=clx)
    page.save()
    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    state = workflow.start(page, clx)
    task_state = state.current_task_state
    task_state.task.specific.on_action(
        task_state, moderator, "reject", comment="Ajoutez l'heure de fin, merci."
    )
    html = _dashboard(client, clx)
    assert "Install party de janvier" in html
    assert "Modifications demandées" in html
    assert "Ajoutez l&#x27;heure de fin, merci." in html


def _register(event, start, number, status, seats=1):
    return Registration.objects.create(
        event=event,
        occurrence_start=start,
        name=f"Inscrit {number}",
        email=f"inscrit{number}@exemple.fr",
        seats=seats,
        status=status,
        consent_at=timezone.now(),
    )


@time_machine.travel(paris(2027, 1, 10, 12), tick=False)
def test_next_dates_show_fill_rate_and_waiting_list(client, home_page, role_user):
    agenda = EventIndexPage.objects.get()
    event = create_event(
        agenda,
        title="Install party",
        start=paris(2027, 1, 16, 14),
        recurrence="weekly",
        capacity=4,
    )
    first, second = paris(2027, 1, 16, 14), paris(2027, 1, 23, 14)
    _register(event, first, 1, Registration.Status.CONFIRMED, seats=3)
    _register(event, first, 2, Registration.Status.CONFIRMED)
    for number in range(3, 8):
        _register(event, first, number, Registration.Status.WAITING)
    _register(event, second, 9, Registration.Status.CONFIRMED)
    _register(event, second, 10, Registration.Status.CANCELLED, seats=2)
    create_event(agenda, title="Conférence sans inscription", start=first)
    for role in (roles.ADMINISTRATION, roles.MODERATION, roles.MEDIATHEQUE_EDITORS):
        html = _dashboard(client, role_user(role))
        panel = html[html.index("Prochaines dates : remplissage") :]
        assert "4 / 4 (100 %)" in panel
        assert "complet" in panel
        assert "5 en attente" in panel
        assert "1 / 4 (25 %)" in panel
        assert "Conférence sans inscription" not in panel
    for role in (roles.CLX_EDITORS, roles.CLX_COORDINATION):
        html = _dashboard(client, role_user(role))
        assert "Prochaines dates : remplissage" not in html
        assert "Inscrit 1" not in html


def test_room_requests_and_commitments_reach_who_decides(client, home_page, role_user):
    clx = role_user(roles.CLX_COORDINATION)
    room = create_room()
    create_booking(
        room,
        paris(2027, 2, 6, 9),
        paris(2027, 2, 6, 12),
        purpose="Install party de février",
        requested_by=clx,
    )
    event = create_event(
        EventIndexPage.objects.get(), title="Fête du libre", publish=False
    )
    create_commitment(event, payer="ville", label="Location de la sono")
    create_commitment(event, payer="partage", label="Affiches", amount="35.50")
    for role in (roles.ADMINISTRATION, roles.MODERATION):
        html = _dashboard(client, role_user(role))
        assert "Demandes de salle à décider" in html
        assert "Install party de février" in html
        town = html[html.index("autorisation de la ville attendue") :]
        assert "2 lignes attendent votre décision" in town
        assert "Location de la sono" in town
        assert "35,50 €" in town
        assert "accord de CLX attendu" not in html
    html = _dashboard(client, clx)
    assert "Demander la salle" in html
    assert "Demandes de salle à décider" not in html
    assert "autorisation de la ville attendue" not in html
    clx_part = html[html.index("accord de CLX attendu") :]
    assert "Affiches" in clx_part
    assert "Location de la sono" not in clx_part
    html = _dashboard(client, role_user(roles.CLX_EDITORS))
    assert "Demander la salle" in html
    assert "accord de CLX attendu" not in html
    html = _dashboard(client, role_user(roles.MEDIATHEQUE_EDITORS))
    assert "Demandes de salle à décider" not in html


def test_demander_la_salle_opens_the_request_form(client, home_page, role_user):
    client.force_login(role_user(roles.CLX_EDITORS))
    response = client.get("/admin/salles/demandes/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nouveau: Réservation de salle" in html
    for field in ("room", "purpose", "start", "end", "expected_attendance"):
        assert f'name="{field}"' in html, field


def _home_panels(user):
    """Every panel of the admin home for ``user``, as Wagtail gathers them
    (each app's ``construct_homepage_panels`` hook)."""

    class Request:
        pass

    Request.user = user
    panels = []
    for hook in hooks.get_hooks("construct_homepage_panels"):
        hook(Request, panels)
    return panels


def _panel_queries(panel, user):
    class Request:
        pass

    # A fresh user and an empty cache: nothing kept from an earlier request.
    Request.user = type(user).objects.get(pk=user.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        panel.render_html({"request": Request})
    return len(queries)


def test_panels_cost_the_same_with_many_objects(home_page, role_user):
    moderator = role_user(roles.MODERATION)
    clx = role_user(roles.CLX_EDITORS)
    coordinator = role_user(roles.CLX_COORDINATION)
    room = create_room()
    badge = create_badge_class()
    agenda = EventIndexPage.objects.get()
    _request_badge(badge, 0)
    for number in range(2):
        page = create_event(agenda, start=paris(2027, 1, 2 + number), publish=False)
        page.owner = clx
        page.save()
    few = {
        (user.username, panel.name): _panel_queries(panel, user)
        for user in (moderator, clx, coordinator)
        for panel in _home_panels(user)
    }
    for number in range(1, 40):
        _request_badge(badge, number)
    for number in range(12):
        event = create_event(
            agenda, start=paris(2027, 3, 1 + number), capacity=3, publish=False
        )
        for seat in range(5):
            status = (
                Registration.Status.CONFIRMED
                if seat < 3
                else Registration.Status.WAITING
            )
            _register(event, event.start, number * 10 + seat, status)
        create_booking(
            room, paris(2027, 4, 1 + number, 9), paris(2027, 4, 1 + number, 11)
        )
        create_commitment(event, payer="partage")
    for number in range(30):
        page = create_event(
            agenda, start=paris(2027, 2, 1 + number % 28), publish=False
        )
        page.owner = clx
        page.save()
    many = {
        (user.username, panel.name): _panel_queries(panel, user)
        for user in (moderator, clx, coordinator)
        for panel in _home_panels(user)
    }
    assert many == few
