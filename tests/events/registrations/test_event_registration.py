"""Registration to an occurrence of an event: the public form, the waiting
list, the e-mails and their one-time cancel link, and bad input."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core import mail, signing
from django.utils import timezone

from events.models import Registration
from tests.pages import text
from tests.registration_helpers import (
    cancel_link,
    form_url,
    make_event,
    post_registration,
    sent_to,
)

pytestmark = pytest.mark.django_db


def first(event):
    return event.occurrences(start=timezone.now())[0]


# -- Seats: confirmed, then waiting list ----------------------------------------


def test_form_page_shows_the_occurrence_and_is_never_publicly_cached(client, event):
    occurrence = first(event)
    response = client.get(form_url(event, occurrence))
    assert response.status_code == 200
    html = text(response)
    assert "S'inscrire : Petit déj' du libre" in html
    assert "Places disponibles." in html
    assert 'href="/donnees-personnelles/"' in html
    for label in ("Nom et prénom *", "Adresse e-mail *", "Téléphone (facultatif)"):
        assert label in html
    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "public" not in cache_control
    assert "no-store" in cache_control


def test_without_a_date_the_form_offers_the_upcoming_occurrences(client, event):
    response = client.get(form_url(event))
    assert response.status_code == 200
    html = text(response)
    assert '<select name="occurrence"' in html
    assert html.count("<option value=") == 1 + 10  # placeholder + dates


WAITING = "vous êtes sur la liste d'attente. Nous vous écrirons si une place se libère."


def test_seats_are_confirmed_then_waiting_list_without_a_rank(client, event):
    occurrence = first(event)
    response = post_registration(client, event, occurrence, seats="4")
    assert response.status_code == 200
    assert "Inscription confirmée" in text(response)
    assert "inscription confirmée pour 4 places" in text(response)

    response = post_registration(
        client, event, occurrence, email="b@exemple.fr", seats="2"
    )
    # Neither the page nor the mail tells a rank: it would count others'
    # registrations (tests/events/registrations/test_event_registration_holds.py).
    assert "vous êtes sur liste d'attente." in text(response)
    assert "position" not in text(response)
    assert WAITING in mail.outbox[-1].body
    assert "position" not in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["b@exemple.fr"]
    response = post_registration(client, event, occurrence, email="c@exemple.fr")
    assert "Inscription confirmée" in text(response)  # the last seat fits
    response = post_registration(client, event, occurrence, email="d@exemple.fr")
    assert "vous êtes sur liste d'attente." in text(response)
    assert WAITING in mail.outbox[-1].body
    assert "position" not in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["d@exemple.fr"]

    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "camille@exemple.fr": "confirmed",
        "b@exemple.fr": "waiting",
        "c@exemple.fr": "confirmed",
        "d@exemple.fr": "waiting",
    }
    html = text(client.get(form_url(event, occurrence)))
    assert "Complet :" in html and "liste d'attente" in html


def test_other_occurrences_keep_their_own_seats(client, event):
    one, two = event.occurrences(start=timezone.now())[:2]
    post_registration(client, event, one, seats="4")
    post_registration(client, event, one, email="b@exemple.fr", seats="1")
    response = post_registration(client, event, two, email="x@exemple.fr", seats="4")
    assert "Inscription confirmée" in text(response)


def test_same_email_twice_never_changes_nor_duplicates(client, event):
    # Ownership rules in detail: test_registration_ownership.py.
    occurrence = first(event)
    post_registration(client, event, occurrence, seats="1")
    response = post_registration(
        client,
        event,
        occurrence,
        email=" Camille@Exemple.FR ",
        name="Camille M.",
        seats="2",
    )
    assert response.status_code == 200
    assert "mise à jour" not in text(response)
    registration = Registration.objects.get()
    assert (registration.name, registration.seats) == ("Camille Martin", 1)
    assert registration.email == "camille@exemple.fr"


# -- E-mails and the cancel link -------------------------------------------------


def test_confirmation_mail_has_details_ics_and_a_cancel_link_that_works_once(
    client, event
):
    occurrence = first(event)
    post_registration(client, event, occurrence, name="Zoé L'Hôte", seats="2")
    # The request's mail (its link confirmed the address), then this one.
    assert len(mail.outbox) == 2
    asked, message = mail.outbox
    assert asked.subject.startswith("Confirmez votre inscription : Petit déj'")
    assert not asked.attachments and "/inscription/annuler/" not in asked.body
    assert message.to == ["camille@exemple.fr"]
    assert message.subject.startswith("Inscription confirmée : Petit déj' du libre")
    local = timezone.localtime(occurrence.start)
    assert f"{local.hour} h {local:%M}" in message.body
    assert "Zoé L'Hôte" in message.body  # no HTML escaping in the text part
    assert "Places réservées : 2" in message.body
    assert "Médiathèque de Wimille" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Votre inscription est confirmée." in html
    assert "Annuler mon inscription" in html

    (filename, content, ics_type) = message.attachments[0]
    assert filename.endswith(".ics") and ics_type.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    vevent = next(iter(calendar.walk("VEVENT")))
    assert vevent.decoded("DTSTART") == occurrence.start

    link = cancel_link(message)
    response = client.get(link)  # a mail scanner following the link: no effect
    assert response.status_code == 200
    assert "Oui, annuler mon inscription" in text(response)
    assert Registration.objects.get().status == "confirmed"
    assert "private" in response.headers["Cache-Control"]

    response = client.post(link)
    assert response.status_code == 200
    assert "Votre inscription est annulée" in text(response)
    assert Registration.objects.get().status == "cancelled"

    for second_use in (client.get(link), client.post(link)):
        assert second_use.status_code == 410
        assert "déjà annulée" in text(second_use)
    assert Registration.objects.get().status == "cancelled"


def test_waiting_list_mail_and_promotion_mail_when_a_seat_frees(client, event):
    occurrence = first(event)
    post_registration(client, event, occurrence, seats="4")
    post_registration(client, event, occurrence, email="b@exemple.fr", seats="1")
    post_registration(client, event, occurrence, email="c@exemple.fr", seats="3")
    post_registration(client, event, occurrence, email="d@exemple.fr", seats="1")
    waiting_mail = sent_to("c@exemple.fr")[-1]
    assert waiting_mail.subject.startswith("Liste d'attente")
    assert WAITING in waiting_mail.body
    assert not waiting_mail.attachments  # no calendar entry without a seat
    assert WAITING in sent_to("d@exemple.fr")[-1].body

    # b's single seat frees one: c (3 seats) does not fit and keeps its
    # place, first; d (1 seat) is confirmed and told.
    mail.outbox.clear()
    client.post(cancel_link_for("b@exemple.fr"))
    assert [m.to for m in mail.outbox] == [["d@exemple.fr"]]
    promotion = mail.outbox[0]
    assert "Une place s'est libérée" in promotion.subject
    assert "votre inscription est confirmée" in promotion.body
    assert promotion.attachments[0][0].endswith(".ics")
    assert Registration.objects.get(email="c@exemple.fr").status == "waiting"

    # The 4 seats free: c fits now.
    mail.outbox.clear()
    client.post(cancel_link_for("camille@exemple.fr"))
    assert [m.to for m in mail.outbox] == [["c@exemple.fr"]]
    confirmed = Registration.objects.filter(status="confirmed")
    assert sum(r.seats for r in confirmed) == 4


def cancel_link_for(email):
    from django.urls import reverse

    from events.registrations.links import cancel_token

    registration = Registration.objects.exclude(status="cancelled").get(email=email)
    return reverse(
        "events:registration_cancel", kwargs={"token": cancel_token(registration)}
    )


def test_forged_cancel_link_is_refused_in_french(client, event):
    post_registration(client, event, first(event))
    link = cancel_link(mail.outbox[-1])
    forged = link.replace(
        link.split(":")[-1], "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"
    )
    for response in (client.get(forged), client.post(forged)):
        assert response.status_code == 400
        assert "Ce lien d'annulation n'est pas valide" in text(response)
    unsigned = (
        "/agenda/inscription/annuler/" + Registration.objects.get().public_id.hex + "/"
    )
    assert client.post(unsigned).status_code == 400
    # A token signed with another salt (another feature's link) is refused.
    other = signing.TimestampSigner(salt="autre").sign(
        Registration.objects.get().public_id.hex
    )
    assert client.post(f"/agenda/inscription/annuler/{other}/").status_code == 400
    assert Registration.objects.get().status == "confirmed"


def test_stale_cancel_link_is_gone(client, home_page):
    start = timezone.now() + datetime.timedelta(days=500)
    event = make_event(home_page, start=start, recurrence="", recurrence_count=None)
    post_registration(client, event, event.get_occurrence(start))
    link = cancel_link(mail.outbox[-1])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=401)):
        response = client.post(link)
    assert response.status_code == 410
    assert "Ce lien d'annulation a expiré" in text(response)
    assert Registration.objects.get().status == "confirmed"


# -- Bad input -------------------------------------------------------------------


def test_past_occurrence_is_refused_with_410(client, home_page):
    start = timezone.now() - datetime.timedelta(days=2)
    event = make_event(home_page, start=start, recurrence="", recurrence_count=None)
    occurrence = event.get_occurrence(start)
    for response in (
        client.get(form_url(event, occurrence)),
        post_registration(client, event, occurrence),
    ):
        assert response.status_code == 410
        assert "déjà commencé ou est passée" in text(response)
    assert not Registration.objects.exists()


def test_closed_by_staff_is_refused_with_403(client, event):
    occurrence = first(event)
    event.registration_closed = True
    event.save_revision().publish()
    response = post_registration(client, event, occurrence)
    assert response.status_code == 403
    assert "fermées par l'équipe" in text(response)
    assert not Registration.objects.exists()


def test_not_yet_open_is_refused(client, event):
    event.registration_opens_at = timezone.now() + datetime.timedelta(days=1)
    event.save_revision().publish()
    response = client.get(form_url(event, first(event)))
    assert response.status_code == 403
    assert "Les inscriptions ouvriront le" in text(response)


def test_cancelled_occurrence_is_refused(client, home_page):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    local_day = timezone.localtime(start).date()
    event = make_event(
        home_page, start=start, cancellations=[(local_day, "Salle indisponible.")]
    )
    occurrence = event.get_occurrence(start)
    response = post_registration(client, event, occurrence)
    assert response.status_code == 410
    assert "Cette séance est annulée. Salle indisponible." in text(response)


def test_unknown_date_and_event_without_registration(client, event, home_page):
    response = client.get(form_url(event) + "?date=2020-13-45T99")
    assert response.status_code == 404
    assert "ne fait pas partie des séances" in text(response)
    free_entry = make_event(home_page, capacity=None)
    response = client.get(form_url(free_entry))
    assert response.status_code == 404
    assert "accès libre" in text(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"email": "pas-une-adresse"},
            "email",
            "Cette adresse e-mail n'est pas valide",
        ),
        ({"email": ""}, "email", "Indiquez votre adresse e-mail."),
        ({"name": ""}, "name", "Indiquez votre nom et votre prénom."),
        ({"seats": "5"}, "seats", "Vous pouvez réserver au plus 4 place(s)"),
        ({"seats": "0"}, "seats", "Réservez au moins une place."),
        ({"seats": "deux"}, "seats", "Indiquez un nombre de places, en chiffres."),
        ({"phone": "appelez-moi"}, "phone", "Ce numéro de téléphone n'est pas valide"),
        ({"consent": ""}, "consent", "Cochez cette case pour vous inscrire"),
    ],
)
def test_bad_input_gets_a_french_message_next_to_the_field(
    client, event, overrides, field, message
):
    response = post_registration(client, event, first(event), **overrides)
    assert response.status_code == 400
    html = text(response)
    assert message in html
    # The message sits in the field's own block, tied to its input.
    block = re.search(
        rf'<ul class="errorlist" id="id_{field}-erreurs">(.*?)</ul>', html
    )
    assert block and message in block.group(1)
    assert f'aria-describedby="id_{field}-erreurs' in html
    assert not Registration.objects.exists()
    assert not mail.outbox


def test_honeypot_filled_is_refused(client, event):
    response = post_registration(client, event, first(event), website="http://spam")
    assert response.status_code == 400
    assert "un champ réservé aux robots a été rempli" in text(response)
    assert not Registration.objects.exists()


def test_posted_date_not_open_anymore(client, event):
    occurrence = first(event)
    response = client.post(
        form_url(event),
        {
            "occurrence": "2001-01-01T09:30:00+01:00",
            "name": "A",
            "email": "a@exemple.fr",
            "seats": "1",
            "consent": "on",
        },
    )
    assert response.status_code == 404
    assert occurrence  # the open ones are untouched
    assert not Registration.objects.exists()


# -- The event page's block ------------------------------------------------------


def test_event_page_links_to_the_form_and_never_shows_who_registered(client, event):
    post_registration(client, event, first(event), name="Nom Très Privé", seats="4")
    response = client.get(event.url)
    assert response.status_code == 200
    html = text(response)
    assert "inscription/?date=" in html
    assert "dernières places" in html  # 1 seat of 5 left: a band, not a number
    assert "Nom Très Privé" not in html and "camille@exemple.fr" not in html


def test_form_page_query_budget_does_not_grow_with_registrations(
    client, home_page, django_assert_max_num_queries
):
    from events.models import RegistrationList

    event = make_event(home_page, capacity=500, max_seats_per_registration=1)
    occurrences = event.occurrences(start=timezone.now())
    urls = [form_url(event), form_url(event, occurrences[2]), event.url]

    def count_queries():
        counts = []
        for url in urls:
            client.get(url)  # warm the site root paths cache, as in production
            with django_assert_max_num_queries(100) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    before = count_queries()
    now = timezone.now()
    for occurrence in occurrences:
        RegistrationList.objects.create(event=event, occurrence_start=occurrence.start)
    Registration.objects.bulk_create(
        Registration(
            event=event,
            occurrence_start=occurrence.start,
            name=f"Personne {i}",
            email=f"p{i}@exemple.fr",
            seats=1,
            status="confirmed" if i % 3 else "waiting",
            consent_at=now,
        )
        for occurrence in occurrences
        for i in range(300)
    )
    for _ in range(20):
        make_event(home_page, capacity=10)
    assert count_queries() == before
    # The same budget as the agenda's pages (see test_event_agenda): the
    # form and the event page with its registration block (one query for
    # every date's seats), now that no cache hides the site's shell.
    assert all(count <= 17 for count in before), before


@pytest.mark.parametrize(
    "taken, band",
    [
        (0, "places disponibles"),
        (2, "places disponibles"),
        (3, "dernières places"),  # 2 of 5 left: a fifth of the seats, 2 at least
        (4, "dernières places"),
        (5, "complet, liste d'attente"),
    ],
)
def test_the_public_sees_a_band_of_availability_never_a_count(
    client, event, taken, band
):
    occurrence = first(event)
    for number, seats in enumerate((min(taken, 4), taken - 4)):
        if seats > 0:
            post_registration(
                client, event, occurrence, email=f"p{number}@exemple.fr", seats=seats
            )
    client.cookies.clear()
    page = text(client.get(event.url))
    assert band in page
    assert not re.search(r"\d+ places? (restante|libre)|Il reste \d", page)
    form = text(client.get(form_url(event, occurrence)))
    assert band.capitalize().split(",")[0] in form
    assert not re.search(r"\d+ places? (restante|libre)|Il reste \d", form)


def test_a_mail_that_cannot_be_built_does_not_cost_the_registration(
    client, event, monkeypatch, caplog
):
    """The rules call their e-mails directly, as every feature does; a mail
    whose template fails is logged, and the person's request is kept (its
    seats held, the page saying so) instead of a 500."""
    from events.registrations import emails

    def broken(registration, kind):
        raise RuntimeError("gabarit cassé")

    monkeypatch.setattr(emails, "build", broken)
    response = post_registration(client, event, first(event), seats="2")
    assert response.status_code == 200
    assert "Confirmez votre inscription" in text(response)
    registration = Registration.objects.get()
    assert (registration.seats, registration.awaits_confirmation) == (2, True)
    assert mail.outbox == []
    assert "Could not send the confirm e-mail" in caplog.text
