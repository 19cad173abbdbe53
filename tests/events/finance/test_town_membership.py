"""The town's yearly membership of CLX (« 50 € par an »): recorded on the
CLX partner record or in its own listing by médiathèque staff, bad input
refused at the field, and the admin home reminds staff in January while the
year's subscription is missing. The admin home also lists what waits for a
decision (rooms, expenses) and offers « Demander la salle » to CLX."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from events.models import Booking
from home.models import Membership, Partner
from portal import roles
from tests.admin_forms import form_data, messages_of
from tests.factories.events import paris
from tests.factories.rooms import create_booking, first_saturday_room

pytestmark = pytest.mark.django_db

REMINDER = "L'adhésion 2027 de la ville à CLX n'est pas encore enregistrée"


@pytest.fixture
def people(home_page, django_user_model):
    call_command("setup_portal", verbosity=0)
    made = {}
    for key, role, username in [
        ("moderation", roles.MODERATION, "moderation"),
        ("redaction", roles.MEDIATHEQUE_EDITORS, "redaction"),
        ("clx", roles.CLX_COORDINATION, "clx-coordination"),
    ]:
        user = django_user_model.objects.create_user(
            username, email=f"{username}@atelier-wimille.test", password="x" * 12
        )
        user.groups.add(Group.objects.get(name=role))
        made[key] = user
    return made


@pytest.fixture
def clx(home_page):
    return Partner.objects.get(slug="clx")


def home_of(client, user):
    client.force_login(user)
    return client.get(reverse("wagtailadmin_home")).content.decode()


UNPAID = "L'adhésion 2027 de la ville à CLX est enregistrée mais pas encore payée"
PAID = "L'adhésion 2027 de la ville à CLX est payée (le 15 mars 2027)"


@pytest.mark.parametrize(
    "day, recorded, who, shown",
    [
        (datetime.date(2027, 1, 10), None, "moderation", REMINDER),
        (datetime.date(2027, 1, 10), None, "redaction", REMINDER),
        # Recorded without « Payée le »: still owed, still reminded.
        (datetime.date(2027, 1, 10), "unpaid", "moderation", UNPAID),
        (datetime.date(2027, 2, 10), None, "moderation", REMINDER),
        (datetime.date(2027, 4, 10), "unpaid", "redaction", UNPAID),
        (datetime.date(2027, 4, 10), "paid", "moderation", None),
        # CLX – Coordination sees whether it is paid, read-only.
        (datetime.date(2027, 1, 10), None, "clx", REMINDER),
        (datetime.date(2027, 2, 10), "unpaid", "clx", UNPAID),
        (datetime.date(2027, 4, 10), "paid", "clx", PAID),
    ],
)
def test_the_dashboard_reminds_staff_until_the_year_is_paid_and_shows_clx(
    client, people, clx, day, recorded, who, shown
):
    Membership.objects.create(partner=clx, year=2026, paid_on=datetime.date(2026, 3, 2))
    if recorded:
        Membership.objects.create(
            partner=clx,
            year=2027,
            paid_on=datetime.date(2027, 3, 15) if recorded == "paid" else None,
        )
    with time_machine.travel(paris(day.year, day.month, day.day, 10, 0)):
        page = home_of(client, people[who])
    for text in (REMINDER, UNPAID, PAID):
        assert (text in page) == (text == shown), text
    if who == "clx":
        # Read-only: no button to record, the listing opens without edit links.
        assert reverse("memberships:add") not in page
        assert "Indiquer la date de paiement" not in page
        listing = client.get(reverse("memberships:index"))
        assert listing.status_code == 200
        assert "2026" in listing.content.decode()
        assert client.get(reverse("memberships:add")).status_code in (302, 403)


def test_staff_give_the_payment_date_from_the_reminder(client, people, clx):
    membership = Membership.objects.create(partner=clx, year=2027)
    with time_machine.travel(paris(2027, 3, 16, 10, 0)):
        client.force_login(people["redaction"])
        page = client.get(reverse("wagtailadmin_home")).content.decode()
        edit = reverse("memberships:edit", args=(membership.pk,))
        assert edit in page and "Indiquer la date de paiement" in page
        response = client.get(edit)
        data = form_data(response, form_id=None)
        data["paid_on"] = "15/03/2027"
        response = client.post(edit, data)
        assert response.status_code == 302, messages_of(response)
        page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert UNPAID not in page and REMINDER not in page
    membership.refresh_from_db()
    assert membership.paid_on == datetime.date(2027, 3, 15)


def test_staff_record_the_membership_and_bad_input_is_refused(client, people, clx):
    client.force_login(people["redaction"])
    url = reverse("memberships:add")
    good = {
        "partner": str(clx.pk),
        "year": "2026",
        "amount": "50.00",
        "paid_on": "15/03/2026",
        "notes": "Mandat 2026-114",
    }
    for field, value, message in [
        ("amount", "-50", "Le montant doit être positif"),
        ("year", "1789", ""),
        ("paid_on", "15/03/2099", "ne peut pas être dans le futur"),
    ]:
        response = client.post(url, {**good, field: value})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert field in errors and message in " ".join(errors[field])
    assert not Membership.objects.exists()
    response = client.post(url, good)
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert (membership.year, membership.amount) == (2026, 50)
    # One line per year.
    response = client.post(url, good)
    assert response.status_code == 200
    assert Membership.objects.count() == 1
    # Shown on the partner record for who edits partners.
    client.force_login(people["moderation"])
    page = client.get(reverse("wagtailsnippets_home_partner:edit", args=(clx.pk,)))
    assert "Adhésion annuelle de la ville" in page.content.decode()
    assert "Mandat 2026-114" in page.content.decode()


def test_admin_home_lists_what_waits_and_offers_to_ask_for_the_room(
    client, people, home_page
):
    room = first_saturday_room()
    create_booking(
        room,
        paris(2027, 2, 6, 9, 30),
        paris(2027, 2, 6, 11, 0),
        purpose="Install party de CLX",
        requested_by=people["clx"],
    )
    page = home_of(client, people["moderation"])
    assert "Demandes de salle à décider" in page
    assert "Install party de CLX" in page
    page = home_of(client, people["clx"])
    assert page.count("Demander la salle") == 1
    assert reverse("room_bookings:add") in page
    assert "Install party de CLX" not in page  # CLX does not decide
    assert Booking.objects.count() == 1
