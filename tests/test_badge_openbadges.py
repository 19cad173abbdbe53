"""Open Badges 2.0 hosted verification as a verifier sees it: JSON-LD
documents with the required properties of the specification, hashed
recipients, 410 for revoked assertions, the revocation list, baked PNGs and
the French verification page.

The required properties checked here are those of the OB 2.0 specification
(https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
Assertion (id, type, recipient, badge, verification, issuedOn), BadgeClass
(id, type, name, description, image, criteria, issuer), Profile (id, type,
name, url, email), IdentityObject (type, hashed, identity, salt)."""

import datetime
import hashlib
import io
import json
import re
import zoneinfo

import pytest
import time_machine
from PIL import Image

from tests.factories.badges import (
    award,
    create_badge_class,
    create_competence,
    create_path,
    path_index,
)

pytestmark = pytest.mark.django_db

CONTEXT = "https://w3id.org/openbadges/v2"
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def get_ld(client, url, status=200):
    response = client.get(url, HTTP_ACCEPT="application/ld+json, application/json")
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


@pytest.fixture
def badge(home_page):
    competence = create_competence("digcomp", "5.3", "Utiliser de manière créative")
    badge = create_badge_class(slug="imprimer-3d", competences=[competence])
    create_path(path_index(home_page), title="Imprimer en 3D", badge_class=badge)
    return badge


@pytest.fixture
def assertion(badge):
    return award(
        badge,
        email="Lea.Martin@Exemple.fr",
        name="Léa Martin",
        evidence_narrative="A imprimé un porte-clés.",
        evidence_url="https://exemple.fr/photo",
    )


def test_assertion_document_has_ob2_required_properties(client, assertion):
    doc = get_ld(client, f"/badges/assertions/{assertion.uid}")
    assert doc["@context"] == CONTEXT
    assert doc["type"] == "Assertion"
    assert doc["id"] == f"http://testserver/badges/assertions/{assertion.uid}"
    assert doc["verification"] == {"type": "hosted"}
    assert ISO_DATETIME.match(doc["issuedOn"])
    assert doc["badge"] == "http://testserver/badges/imprimer-3d"
    assert doc["evidence"]["narrative"] == "A imprimé un porte-clés."
    assert doc["evidence"]["id"] == "https://exemple.fr/photo"
    assert doc["image"].endswith(f"/badges/assertions/{assertion.uid}/badge.png")
    assert "expires" not in doc  # the badge has no validity


def test_recipient_is_a_salted_hash_that_recomputes_from_the_email(client, assertion):
    recipient = get_ld(client, f"/badges/assertions/{assertion.uid}")["recipient"]
    assert recipient["type"] == "email"
    assert recipient["hashed"] is True
    salt = recipient["salt"]
    assert len(salt) >= 16
    # OB 2.0: "sha256$" + hex(sha256(identity + salt)), on the lower-cased address.
    expected = hashlib.sha256(("lea.martin@exemple.fr" + salt).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"


def test_public_documents_never_show_an_email_in_clear(client, assertion, badge):
    urls = [
        f"/badges/assertions/{assertion.uid}",
        f"/badges/assertions/{assertion.uid}/verifier",
        "/badges/imprimer-3d",
        "/badges/emetteur/revocations",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "lea.martin" not in body.lower(), url
    issuer_email = get_ld(client, "/badges/emetteur")["email"]
    for url in urls:
        body = client.get(url).content.decode()
        found = set(EMAIL_RE.findall(body)) - {issuer_email}
        assert not found, (url, found)


def test_badge_class_document(client, badge):
    doc = get_ld(client, "/badges/imprimer-3d")
    assert doc["@context"] == CONTEXT
    assert doc["type"] == "BadgeClass"
    assert doc["id"] == "http://testserver/badges/imprimer-3d"
    for key in ("name", "description", "image", "criteria", "issuer"):
        assert doc[key], key
    assert doc["issuer"] == "http://testserver/badges/emetteur"
    # Criteria: the path page that leads to the badge, and the narrative.
    assert doc["criteria"]["id"].startswith("http://testserver/parcours/")
    assert doc["criteria"]["narrative"] == "Suivre le parcours."
    assert doc["alignment"] == [
        {
            "targetName": "Utiliser de manière créative",
            "targetFramework": "DigComp 2.2",
            "targetCode": "5.3",
            "targetUrl": "https://pix.fr/competences",
        }
    ]
    image = client.get("/badges/imprimer-3d/image.png")
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).format == "PNG"


def test_issuer_profile_from_site_setting(client, home_page):
    from wagtail.models import Site

    from resources.models import BadgeIssuerSettings

    issuer = BadgeIssuerSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.email = "badges@mediatheque-wimille.fr"
    issuer.save()
    doc = get_ld(client, "/badges/emetteur")
    assert doc["@context"] == CONTEXT
    assert doc["type"] == "Issuer"
    assert doc["id"] == "http://testserver/badges/emetteur"
    assert doc["name"] == "Médiathèque de Wimille"
    assert doc["url"].startswith("https://")
    assert doc["email"] == "badges@mediatheque-wimille.fr"
    assert "CLX" in doc["description"]
    assert doc["revocationList"] == "http://testserver/badges/emetteur/revocations"


def test_revoked_assertion_answers_410_and_is_listed(client, assertion):
    from resources import awarding

    awarding.revoke(assertion, "Badge décerné par erreur.")
    doc = get_ld(client, f"/badges/assertions/{assertion.uid}", status=410)
    assert doc["revoked"] is True
    assert doc["revocationReason"] == "Badge décerné par erreur."
    assert doc["id"].endswith(assertion.uid)
    revocations = get_ld(client, "/badges/emetteur/revocations")
    assert revocations["type"] == "RevocationList"
    assert revocations["issuer"] == "http://testserver/badges/emetteur"
    assert revocations["revokedAssertions"] == [
        {"id": doc["id"], "revocationReason": "Badge décerné par erreur."}
    ]
    page = client.get(f"/badges/assertions/{assertion.uid}/verifier")
    assert page.status_code == 410
    assert "Ce badge n'est plus valide : il a été révoqué" in page.content.decode()
    assert "Badge décerné par erreur." in page.content.decode()
    assert (
        client.get(f"/badges/assertions/{assertion.uid}/badge.png").status_code == 410
    )


def test_baked_png_carries_the_assertion(client, assertion):
    response = client.get(f"/badges/assertions/{assertion.uid}/badge.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    picture = Image.open(io.BytesIO(response.content))
    picture.load()
    assert picture.format == "PNG"
    assert picture.size == (256, 256)
    baked = json.loads(picture.text["openbadges"])
    assert baked["id"] == f"http://testserver/badges/assertions/{assertion.uid}"
    assert baked["type"] == "Assertion"
    assert baked["recipient"]["identity"] == assertion.identity_hash
    # The chunk is an iTXt chunk (keyword, flags, then the UTF-8 text).
    raw = response.content
    position = raw.index(b"iTXtopenbadges\x00")
    assert raw[position + 15 : position + 17] == b"\x00\x00"  # not compressed


def test_validity_sets_expires_across_a_dst_change(client, home_page):
    badge = create_badge_class(slug="valable-6-mois", validity_months=6)
    # Issued in summer time (UTC+2); expires in winter time (UTC+1).
    issued = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=PARIS)
    with time_machine.travel(issued, tick=False):
        assertion = award(badge)
        doc = get_ld(client, f"/badges/assertions/{assertion.uid}")
        page = client.get(f"/badges/assertions/{assertion.uid}/verifier")
    assert doc["expires"] == "2026-12-15T08:00:00+00:00"
    assert datetime.datetime.fromisoformat(doc["expires"]).astimezone(PARIS).hour == 9
    assert "Ce badge est valide." in page.content.decode()
    assert "15 décembre 2026" in page.content.decode()
    with time_machine.travel(datetime.datetime(2026, 12, 16, tzinfo=PARIS)):
        page = client.get(f"/badges/assertions/{assertion.uid}/verifier")
    assert "Ce badge n'est plus valide : il a expiré le 15 décembre 2026." in (
        page.content.decode()
    )


def test_verification_page_in_french_names_only_with_consent(client, badge):
    shown = award(badge, email="a@exemple.fr", name="Alice Libre", show_name=True)
    hidden = award(badge, email="b@exemple.fr", name="Bruno Secret", show_name=False)
    html = client.get(f"/badges/assertions/{shown.uid}/verifier").content.decode()
    assert "Ce badge est valide." in html
    assert "Alice Libre" in html
    assert "Médiathèque de Wimille" in html
    html = client.get(
        f"/badges/assertions/{hidden.uid}", HTTP_ACCEPT="text/html"
    ).content.decode()
    assert "Bruno Secret" not in html
    assert "une personne qui a choisi de ne pas afficher son nom" in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/badges/assertions/inventé-de-toutes-pièces",
        "/badges/assertions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/badges/assertions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/verifier",
        "/badges/assertions/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/badge.png",
        "/badges/badge-qui-n-existe-pas",
    ],
)
def test_forged_or_unknown_id_is_a_french_404(client, assertion, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_assertion_ids_are_unguessable(badge):
    first = award(badge, email="a@exemple.fr")
    second = award(badge, email="b@exemple.fr")
    assert len(first.uid) >= 32
    assert first.uid != second.uid
    # Not a counter: nothing to step through from one assertion to the next.
    assert not first.uid.isdigit()
    assert first.uid[:12] != second.uid[:12]


def test_documents_query_budget(client, django_assert_max_num_queries, badge):
    for n in range(30):
        award(badge, email=f"p{n}@exemple.fr")
    some = badge.assertions.first()
    # Warm up once: the first visit creates the settings row and renditions.
    client.get(f"/badges/assertions/{some.uid}/verifier")
    with django_assert_max_num_queries(8):
        client.get(f"/badges/assertions/{some.uid}", HTTP_ACCEPT="application/json")
    with django_assert_max_num_queries(8):
        client.get("/badges/imprimer-3d")
    # Its credential and status list come with the assertion.
    with django_assert_max_num_queries(8):
        client.get(f"/badges/assertions/{some.uid}/verifier")


def test_baked_png_is_built_once_and_stored(client, assertion, settings):
    from pathlib import Path

    url = f"/badges/assertions/{assertion.uid}/badge.png"
    first = client.get(url)
    stored = list(Path(settings.MEDIA_ROOT, "badges", "baked").glob("*.png"))
    assert len(stored) == 1
    second = client.get(url)
    assert second.content == first.content
    assert len(list(Path(settings.MEDIA_ROOT, "badges", "baked").glob("*.png"))) == 1


def test_verification_page_reads_the_issuer_once_and_again_once_changed(
    client, assertion, site_memo_cache
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from resources.models import BadgeIssuerSettings

    url = f"/badges/assertions/{assertion.uid}/verifier"
    assert "Médiathèque de Wimille" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any("badgeissuersettings" in query["sql"] for query in queries)
    issuer = BadgeIssuerSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.name = "Réseau des médiathèques du Boulonnais"
    issuer.save()
    assert "Réseau des médiathèques du Boulonnais" in client.get(url).content.decode()


def test_verification_page_links_the_path_unless_it_is_restricted(client, badge):
    from wagtail.models import PageViewRestriction

    url = f"/badges/assertions/{award(badge, email='a@exemple.fr').uid}/verifier"
    assert "Voir le parcours « Imprimer en 3D »" in client.get(url).content.decode()
    PageViewRestriction.objects.create(
        page=badge.learning_paths.get(), restriction_type=PageViewRestriction.LOGIN
    )
    assert "Voir le parcours" not in client.get(url).content.decode()
