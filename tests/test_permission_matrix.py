"""The permission matrix of the README, walked through the real admin URLs
as each role: every cell is one test, which asserts both what the user sees
(status, redirect, message) and what the database holds afterwards.

`EXPECTED` is the contract (what each role may do), written independently of
`portal/roles.py` so that a change to the matrix in code that breaks it is
caught here.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site, WorkflowState

from events.appointments import rules as appointment_rules
from events.models import Booking, FinancialCommitment, Follower, Room
from home.models import Membership, Partner
from portal import roles
from tests.admin_forms import (
    USERNAMES,
    admin_create_page,
    admin_edit_page,
    create_role_user,
    event_fields,
    form_data,
    messages_of,
    post_commitment_decision,
)
from tests.factories.appointments import appointment_event
from tests.factories.events import VenueFactory, paris
from tests.factories.rooms import create_booking, create_commitment, first_saturday_room
from tests.room_helpers import post_room_request, room_request_data

pytestmark = pytest.mark.django_db

ADMIN = roles.ADMINISTRATION
MOD = roles.MODERATION
RED = roles.MEDIATHEQUE_EDITORS
CLX = roles.CLX_EDITORS
COORD = roles.CLX_COORDINATION
ALL = {ADMIN, MOD, RED, CLX, COORD}
MEDIATHEQUE = {ADMIN, MOD, RED}

# action: (label in the README, roles allowed)
EXPECTED = {
    "open_admin": ("Ouvrir l'administration", ALL),
    "create_event": ("Créer un événement (brouillon)", ALL),
    "edit": ("Modifier un événement publié (brouillon)", ALL),
    "submit": ("Soumettre à « Validation médiathèque »", ALL),
    "publish": ("Publier", MEDIATHEQUE),
    "unpublish": ("Dépublier", MEDIATHEQUE),
    "delete": ("Supprimer une page publiée", MEDIATHEQUE),
    "approve": ("Approuver une soumission", {ADMIN, MOD}),
    "reject": ("Refuser une soumission avec un commentaire", {ADMIN, MOD}),
    "see_registrations": ("Voir les inscriptions", MEDIATHEQUE),
    "export_registrations": ("Exporter les inscriptions (CSV)", MEDIATHEQUE),
    "edit_volunteer": ("Modifier un bénévole", {ADMIN, MOD, COORD}),
    "see_volunteer_email": ("Voir l'e-mail d'un bénévole", {ADMIN, MOD, COORD}),
    "link_volunteer_account": (
        "Relier un compte à un bénévole (animateur des rendez-vous)",
        {ADMIN, MOD},
    ),
    "award_badge": ("Décerner un badge", MEDIATHEQUE),
    "edit_settings": ("Modifier les paramètres du site", {ADMIN}),
    "manage_users": ("Gérer les comptes", {ADMIN}),
    "request_room": ("Demander une salle", {CLX, COORD}),
    "decide_booking": ("Confirmer ou refuser une demande de salle", {ADMIN, MOD}),
    "manage_rooms": ("Gérer les salles, leurs créneaux et fermetures", MEDIATHEQUE),
    "propose_commitment": ("Proposer un engagement financier sur un événement", ALL),
    "authorise_town_commitment": (
        "Autoriser un engagement financier de la ville",
        MEDIATHEQUE,
    ),
    "agree_clx_commitment": (
        "Donner l'accord de CLX à un engagement partagé",
        {COORD},
    ),
    "export_commitments": ("Exporter les engagements financiers", MEDIATHEQUE),
    "see_membership": (
        "Voir l'adhésion annuelle de la ville à CLX",
        MEDIATHEQUE | {COORD},
    ),
    "see_appointments": (
        "Voir les rendez-vous d'assistance de toutes les séances",
        MEDIATHEQUE,
    ),
    "record_appointment": (
        "Noter le suivi d'un rendez-vous (séance animée par d'autres)",
        MEDIATHEQUE,
    ),
    "report_appointments": ("Voir le bilan anonyme des rendez-vous", MEDIATHEQUE),
    "see_convention_report": (
        "Voir et exporter le bilan de la convention",
        MEDIATHEQUE | {COORD},
    ),
    "block_fediverse_follower": (
        "Bloquer un abonné de l'agenda sur le fédivers",
        MEDIATHEQUE,
    ),
}

ROLE_IDS = {
    ADMIN: "administration",
    MOD: "moderation",
    RED: "redaction",
    CLX: "clx-redaction",
    COORD: "clx-coordination",
}


def refused(response):
    """Wagtail's refusals: 403, or a redirect to the admin home (or back)
    with an error message."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and any(
        "autorisation" in m or "droit" in m for m in messages_of(response)
    )


# --- The site and the five roles ------------------------------------------------
# The page tree, the groups and the workflow are the tests' shared tree, built
# once per test process (tests/conftest.py); each cell runs in a savepoint on
# top of it, so what a cell changes is undone before the next one. The six
# users (one per role, and the author) are made per cell: a few inserts.

AUTHOR = "clx-auteur"


@pytest.fixture
def portal_roles(home_page):
    """The five roles' users and the author, all there from the start; by
    role (or username)."""
    users = {}
    for username, role in [
        *((USERNAMES[r], r) for r in roles.ROLES),
        (AUTHOR, CLX),
    ]:
        users[username] = create_role_user(username, role)

    def user_for(role, username=None):
        return get_user_model().objects.get(pk=users[username or USERNAMES[role]].pk)

    return user_for


@pytest.fixture
def world(portal_roles, make_event, home_page):
    """Someone else's content to act on: the author is a CLX editor who is
    not the user under test."""

    class World:
        author = portal_roles(CLX, AUTHOR)

        @staticmethod
        def live_event(title="Petit dej du libre"):
            return make_event(title, owner=World.author)

        @staticmethod
        def draft_event(title="Install party"):
            return make_event(title, owner=World.author, live=False)

        @staticmethod
        def submitted_event(client, title="Atelier soumis"):
            page = make_event(title, owner=World.author, live=False)
            client.force_login(World.author)
            response = admin_edit_page(client, page, {}, action="submit")
            assert response.status_code == 302, messages_of(response)
            client.logout()
            page.refresh_from_db()
            assert page.workflow_in_progress
            return page

    return World


# --- One function per action: does it, returns whether it was allowed --------


def do_open_admin(client, world, ctx):
    response = client.get("/admin/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    return False


def do_create_event(client, world, ctx):
    from events.models import EventPage

    response = admin_create_page(
        client, ctx["agenda"], EventPage, event_fields("Nouvel atelier", ctx["type"])
    )
    created = EventPage.objects.filter(title="Nouvel atelier").exists()
    if created:
        assert response.status_code == 302
        assert not EventPage.objects.get(title="Nouvel atelier").live
        return True
    assert refused(response)
    return False


def do_edit(client, world, ctx):
    page = world.live_event()
    response = admin_edit_page(client, page, {"title": "Titre corrigé"})
    page.refresh_from_db()
    assert page.title == "Petit dej du libre"  # the live version is untouched
    if page.get_latest_revision_as_object().title == "Titre corrigé":
        assert response.status_code == 302
        return True
    assert refused(response)
    return False


def do_submit(client, world, ctx):
    page = world.draft_event()
    response = admin_edit_page(client, page, {}, action="submit")
    page.refresh_from_db()
    if page.workflow_in_progress:
        assert page.current_workflow_state.requested_by_id == ctx["user"].pk
        return True
    assert refused(response)
    return False


def do_publish(client, world, ctx):
    page = world.draft_event()
    response = admin_edit_page(client, page, {}, action="publish")
    page.refresh_from_db()
    if page.live:
        assert response.status_code == 302
        return True
    assert refused(response), messages_of(response)
    assert page.revisions.count() == 1
    return False


def do_unpublish(client, world, ctx):
    page = world.live_event()
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    page.refresh_from_db()
    if not page.live:
        return True
    assert refused(response)
    return False


def do_delete(client, world, ctx):
    page = world.live_event()
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    if not Page.objects.filter(pk=page.pk).exists():
        return True
    assert refused(response)
    assert Page.objects.get(pk=page.pk).live
    return False


def _workflow_action(client, world, ctx, action):
    page = world.submitted_event(client)
    client.force_login(ctx["user"])
    task_state = page.current_workflow_task_state
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(page.pk, action, task_state.pk),
        ),
        {"comment": "Merci de préciser le public."},
    )
    page.refresh_from_db()
    task_state.refresh_from_db()
    if task_state.status != task_state.STATUS_IN_PROGRESS:
        assert response.status_code == 302
        return page, True
    assert refused(response)
    assert not page.live
    return page, False


def do_approve(client, world, ctx):
    page, allowed = _workflow_action(client, world, ctx, "approve")
    assert page.live == allowed
    return allowed


def do_reject(client, world, ctx):
    page, allowed = _workflow_action(client, world, ctx, "reject")
    state = WorkflowState.objects.get(object_id=str(page.pk))
    expected = (
        WorkflowState.STATUS_NEEDS_CHANGES
        if allowed
        else WorkflowState.STATUS_IN_PROGRESS
    )
    assert state.status == expected
    return allowed


def _registration(world):
    from events.models import Registration, RegistrationList

    page = world.live_event("Atelier avec inscrits")
    RegistrationList.objects.get_or_create(event=page, occurrence_start=page.start)
    Registration.objects.create(
        event=page,
        occurrence_start=page.start,
        name="Dominique Inscrite",
        email="dominique.inscrite@exemple.fr",
        seats=1,
        status=Registration.Status.CONFIRMED,
        consent_at=timezone.now(),
        confirmed_at=timezone.now(),
    )
    return RegistrationList.objects.get(event=page)


def do_see_registrations(client, world, ctx):
    _registration(world)
    response = client.get(reverse("registrations:index"))
    if response.status_code == 200:
        assert "dominique.inscrite@exemple.fr" in response.content.decode()
        return True
    assert refused(response)
    return False


def do_export_registrations(client, world, ctx):
    registration_list = _registration(world)
    response = client.get(
        reverse("registration_occurrence:export", args=(registration_list.pk,))
    )
    if response.status_code == 200:
        body = b"".join(response.streaming_content).decode()
        assert "dominique.inscrite@exemple.fr" in body
        return True
    assert refused(response)
    return False


def _volunteer():
    from tests.factories.volunteers import VolunteerFactory

    return VolunteerFactory(
        display_name="Sam Bénévole", email="sam.prive@exemple.invalid"
    )


def do_edit_volunteer(client, world, ctx):
    volunteer = _volunteer()
    url = reverse("wagtailsnippets_volunteers_volunteer:edit", args=(volunteer.pk,))
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    data = form_data(response, form_id=None)
    data["display_name"] = "Sam, bénévole du samedi"
    response = client.post(url, data)
    volunteer.refresh_from_db()
    latest = volunteer.latest_revision.as_object()
    assert latest.display_name == "Sam, bénévole du samedi", messages_of(response)
    # A saved change is a draft: the public directory still shows the old one.
    assert volunteer.display_name == "Sam Bénévole"
    return True


def do_see_volunteer_email(client, world, ctx):
    volunteer = _volunteer()
    response = client.get(
        reverse("wagtailsnippets_volunteers_volunteer:inspect", args=(volunteer.pk,))
    )
    if response.status_code != 200:
        assert refused(response)
        return False
    return "sam.prive@exemple.invalid" in response.content.decode()


def do_link_volunteer_account(client, world, ctx):
    from volunteers.models import VolunteerAccount

    volunteer = _volunteer()
    url = reverse("wagtailsnippets_volunteers_volunteeraccount:add")
    response = client.post(url, {"volunteer": volunteer.pk, "user": ctx["user"].pk})
    if VolunteerAccount.objects.filter(volunteer=volunteer).exists():
        assert response.status_code == 302, messages_of(response)
        return True
    assert refused(response)
    return False


def do_award_badge(client, world, ctx):
    from resources.models import BadgeAssertion
    from tests.factories.badges import create_badge_class

    badge = create_badge_class()
    url = reverse("badge_awarding:award")
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        assert not BadgeAssertion.objects.exists()
        return False
    response = client.post(
        url,
        {
            "badge_class": badge.pk,
            "name": "Léa Martin",
            "email": "lea@exemple.fr",
            "evidence_narrative": "A suivi tout le parcours.",
        },
    )
    assert response.status_code == 302, messages_of(response)
    assert BadgeAssertion.objects.filter(badge_class=badge).count() == 1
    return True


def do_edit_settings(client, world, ctx):
    from home.models import PortalSettings

    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=("home", "portalsettings", site.pk))
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    data = form_data(response, form_id=None)
    data["publisher_name"] = "Commune de Wimille (modifié)"
    response = client.post(url, data)
    assert response.status_code == 302, messages_of(response)
    assert (
        PortalSettings.for_site(site).publisher_name == "Commune de Wimille (modifié)"
    )
    return True


def do_manage_users(client, world, ctx):
    url = reverse("wagtailusers_users:add")
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    response = client.post(
        url,
        {
            "username": "nouvelle-benevole",
            "email": "nouvelle@atelier-wimille.test",
            "first_name": "Nouvelle",
            "last_name": "Bénévole",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, messages_of(response)
    assert get_user_model().objects.filter(username="nouvelle-benevole").exists()
    return True


# --- Rooms, bookings, money (issue 14) -----------------------------------------

SLOT_DAY = (2027, 2, 6)  # a first Saturday: inside the room's agreed slot


def _room():
    return first_saturday_room()


def do_request_room(client, world, ctx):
    room = _room()
    url = reverse("room_bookings:add")
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    response = post_room_request(
        client,
        None,
        room_request_data(
            room,
            "06/02/2027 09:30",
            "06/02/2027 12:00",
            purpose="Petit déj' de février",
            expected_attendance="10",
        ),
    )
    assert response.status_code == 302, messages_of(response)
    assert Booking.objects.get().status == Booking.Status.PENDING
    return True


def do_decide_booking(client, world, ctx):
    booking = create_booking(_room(), paris(*SLOT_DAY, 9, 30), paris(*SLOT_DAY, 12, 0))
    response = client.post(
        reverse("room_bookings:decide", args=(booking.pk,)),
        {"decision": "confirm", "comment": ""},
    )
    booking.refresh_from_db()
    if booking.status == Booking.Status.CONFIRMED:
        return True
    assert refused(response)
    assert booking.status == Booking.Status.PENDING
    return False


def do_manage_rooms(client, world, ctx):
    venue = VenueFactory()
    url = reverse("rooms:add")
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    data = form_data(response, form_id=None)
    data.update({"venue": str(venue.pk), "name": "Bureau de CLX", "capacity": "4"})
    response = client.post(url, data)
    assert Room.objects.filter(name="Bureau de CLX").exists(), messages_of(response)
    return True


def do_propose_commitment(client, world, ctx):
    event = world.draft_event()
    url = reverse("commitments:add")
    response = client.get(url)
    if response.status_code != 200:
        assert refused(response)
        return False
    response = client.post(
        url,
        {
            "event": str(event.pk),
            "label": "Viennoiseries",
            "amount": "40",
            "payer": "ville",
        },
    )
    assert response.status_code == 302, messages_of(response)
    assert FinancialCommitment.objects.get().town_status == "pending"
    return True


def _decide_line(client, world, payer, party):
    line = create_commitment(world.draft_event(), payer=payer)
    response = post_commitment_decision(client, line, party, "give", "D'accord.")
    line.refresh_from_db()
    status = line.town_status if party == "town" else line.clx_status
    if status == "given":
        assert line.decisions.last().user is not None
        return True
    assert refused(response)
    assert status == "pending"
    return False


def do_authorise_town_commitment(client, world, ctx):
    return _decide_line(client, world, "ville", "town")


def do_agree_clx_commitment(client, world, ctx):
    return _decide_line(client, world, "partage", "clx")


def do_export_commitments(client, world, ctx):
    create_commitment(world.draft_event(), label="Clés USB")
    response = client.get(reverse("commitments:index"), {"export": "csv"})
    if response.status_code == 200:
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Clés USB" in body
        return True
    assert refused(response)
    return False


def do_see_membership(client, world, ctx):
    clx = Partner.objects.get(slug="clx")
    Membership.objects.create(partner=clx, year=2026, notes="Mandat 2026-114")
    response = client.get(reverse("memberships:index"))
    if response.status_code == 200:
        assert "Mandat 2026-114" in response.content.decode()
        return True
    assert refused(response)
    return False


def _appointment(home):
    start = (timezone.localtime() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    event = appointment_event(home, start=start)
    booking = appointment_rules.book(
        event,
        start,
        name="Dominique Rendezvous",
        email="dominique.rdv@exemple.fr",
        device="ordinateur",
        need="photos",
    )
    sheet = reverse(
        "appointments:sheet", args=[event.pk, start.strftime("%Y-%m-%dT%H:%M")]
    )
    return booking.appointment, sheet


def _appointment_refused(response):
    # Someone who may not see an event's appointments does not learn it has
    # a sheet: 404, like any missing page.
    return response.status_code == 404 or refused(response)


def do_see_appointments(client, world, ctx):
    _booked, sheet = _appointment(ctx["agenda"])
    response = client.get(sheet)
    if response.status_code == 200:
        assert "Dominique Rendezvous" in response.content.decode()
        return True
    assert _appointment_refused(response)
    return False


def do_record_appointment(client, world, ctx):
    appointment, sheet = _appointment(ctx["agenda"])
    prefix = f"a{appointment.pk}-"
    response = client.post(
        sheet,
        {
            "action": "record",
            prefix + "attendance": "venu",
            prefix + "result": "resolu",
            prefix + "referred_to": "",
            prefix + "notes": "",
        },
    )
    appointment.refresh_from_db()
    if appointment.result == "resolu":
        assert response.status_code == 302
        return True
    assert _appointment_refused(response)
    return False


def do_report_appointments(client, world, ctx):
    response = client.get(reverse("appointment_report:index"))
    if response.status_code == 200:
        assert "Par besoin" in response.content.decode()
        return True
    assert refused(response)
    return False


def do_see_convention_report(client, world, ctx):
    response = client.get(reverse("convention_report:index"))
    exported = client.get(reverse("convention_report:export", args=["ods"]))
    if response.status_code == 200:
        assert "Rencontres et ateliers" in response.content.decode()
        assert exported.status_code == 200
        return True
    assert refused(response)
    assert refused(exported)
    return False


def do_block_fediverse_follower(client, world, ctx):
    follower = Follower.objects.create(
        local_actor="agenda",
        actor_url="https://mastodon.example/users/lea",
        inbox="https://mastodon.example/users/lea/inbox",
    )
    url = reverse("fediverse_followers:edit", args=[follower.pk])
    response = client.post(url, {"state": Follower.BLOCKED})
    follower.refresh_from_db()
    if follower.state == Follower.BLOCKED:
        assert response.status_code == 302
        return True
    assert refused(response)
    return False


ACTIONS = {name: globals()[f"do_{name}"] for name in EXPECTED}


@pytest.mark.parametrize("role", roles.ROLES, ids=ROLE_IDS.get)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_matrix(
    client, portal_roles, world, agenda, event_type, role, action
):
    user = portal_roles(role)
    client.force_login(user)
    ctx = {"user": user, "agenda": agenda, "type": event_type}
    allowed = ACTIONS[action](client, world, ctx)
    assert allowed == (role in EXPECTED[action][1]), (
        f"{ROLE_IDS[role]} : « {EXPECTED[action][0]} » devrait être "
        f"{'permis' if role in EXPECTED[action][1] else 'refusé'}"
    )


def test_someone_without_a_role_cannot_open_the_admin(client, home_page):
    user = get_user_model().objects.create_user("curieux", password="x" * 12)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_matrix_markdown_matches_the_contract():
    """The README table is generated from the contract above."""
    table = matrix_markdown()
    assert table.count("\n") == len(EXPECTED) + 1
    assert "| Modifier les paramètres du site | oui | non | non | non | non |" in table


def matrix_markdown():
    header = "| Action | " + " | ".join(roles.ROLES) + " |"
    rule = "|---|" + "---|" * len(roles.ROLES)
    rows = [
        f"| {label} | "
        + " | ".join("oui" if role in allowed else "non" for role in roles.ROLES)
        + " |"
        for label, allowed in EXPECTED.values()
    ]
    return "\n".join([header, rule, *rows])
