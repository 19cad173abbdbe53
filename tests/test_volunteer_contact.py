"""The « Contacter » form: the message reaches the volunteer by e-mail, the
visitor never sees the address; rate limit, honeypot, links refused."""

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories.volunteers import (
    ALL_CONSENTS,
    CharterVersionFactory,
    VolunteerFactory,
    listed_volunteer,
)
from tests.pages import described_by

pytestmark = pytest.mark.django_db

SECRET = "camille.secrete@prive.invalid"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def volunteer(home_page):
    return listed_volunteer(
        CharterVersionFactory(), display_name="Camille", email=SECRET
    )


def _url(volunteer):
    return f"/benevoles/{volunteer.pk}/contacter/"


def _post(client, volunteer, **data):
    payload = {
        "name": "Jean Visiteur",
        "email": "jean@exemple.invalid",
        "message": "Bonjour, pouvez-vous m'aider à installer Linux samedi ?",
        "website": "",
    }
    payload.update(data)
    return client.post(_url(volunteer), payload)


def test_directory_links_to_the_form_without_the_address(client, volunteer):
    html = client.get("/benevoles/").content.decode()
    assert _url(volunteer) in html
    assert SECRET not in html
    form = client.get(_url(volunteer))
    assert form.status_code == 200
    assert SECRET not in form.content.decode()
    assert "Contacter Camille" in form.content.decode()


def test_message_is_relayed_by_mail(client, volunteer):
    response = _post(client, volunteer)
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Votre message a été transmis à Camille" in thanks.content.decode()
    assert SECRET not in thanks.content.decode()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [SECRET]
    assert sent.reply_to == ["jean@exemple.invalid"]
    assert "installer Linux samedi" in sent.body
    assert "Jean Visiteur" in sent.subject


@pytest.mark.parametrize(
    "message",
    [
        "Voyez https://spam.example/promo pour des offres",
        "Allez sur www.promo-exemple.com tout de suite",
        "Visitez cheap-pills.ru aujourd'hui même",
        "Bonjour <a href='x'>cliquez ici</a> merci",
        "Un script <script>alert(1)</script> pour voir",
    ],
)
def test_links_and_markup_are_refused(client, volunteer, message):
    response = _post(client, volunteer, message=message)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le message n'a pas été envoyé" in html
    assert ("liens ne sont pas acceptés" in html) or ("texte simple" in html)
    # What the visitor typed is kept, so nothing is lost.
    assert "Jean Visiteur" in html
    assert mail.outbox == []


def test_bad_email_is_explained_in_french(client, volunteer):
    response = _post(client, volunteer, email="pas-une-adresse")
    assert response.status_code == 400
    assert "Saisissez une adresse e-mail valide" in response.content.decode()
    assert mail.outbox == []


def test_too_long_message_is_explained(client, volunteer):
    response = _post(client, volunteer, message="a" * 2001)
    assert response.status_code == 400
    assert "au plus 2000 caractères" in response.content.decode()


def test_honeypot_drops_the_message_silently(client, volunteer):
    response = _post(client, volunteer, website="http://robot.example")
    assert response.status_code == 302
    assert mail.outbox == []


def test_rate_limit_answers_429_in_french(client, volunteer):
    for _ in range(5):
        assert _post(client, volunteer).status_code == 302
    response = _post(client, volunteer)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert int(response["Retry-After"]) <= 3600
    assert len(mail.outbox) == 5


def test_rate_limit_is_per_address(client, volunteer):
    for _ in range(5):
        _post(client, volunteer)
    response = client.post(
        _url(volunteer),
        {
            "name": "Autre",
            "email": "autre@exemple.invalid",
            "message": "Bonjour, une question sur l'atelier de samedi.",
        },
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    assert response["Location"].endswith(_url(volunteer) + "merci/")
    assert len(mail.outbox) == 6
    assert "Autre" in mail.outbox[-1].subject


@pytest.mark.parametrize("kind", ["no_consent", "not_listed", "no_email", "unknown"])
def test_form_only_for_listed_volunteers_accepting_contact(client, home_page, kind):
    version = CharterVersionFactory()
    if kind == "no_consent":
        volunteer = VolunteerFactory(
            signed=version, consents={**ALL_CONSENTS, "accepts_contact": False}
        )
    elif kind == "not_listed":
        volunteer = VolunteerFactory(consents=ALL_CONSENTS)
    elif kind == "no_email":
        volunteer = listed_volunteer(version, email="")
    else:
        volunteer = listed_volunteer(version)
        volunteer.pk = 999999
    assert client.get(_url(volunteer)).status_code == 404
    assert _post(client, volunteer).status_code == 404
    assert mail.outbox == []


def test_help_and_errors_are_read_with_their_field(client, volunteer):
    """Django names the help of a field « <id>_helptext » in the field's
    aria-describedby: the page's help must carry that id, and after a
    refused post the error is read with the field too."""
    help_text = "Le bénévole vous répondra à cette adresse."
    response = client.get(_url(volunteer))
    assert described_by(response, "email") == {"id_email_helptext": help_text}
    response = _post(client, volunteer, email="pas-une-adresse")
    assert response.status_code == 400
    read = described_by(response, "email")
    assert read["id_email_helptext"] == help_text
    assert "Saisissez une adresse e-mail valide" in read["id_email-erreurs"]
