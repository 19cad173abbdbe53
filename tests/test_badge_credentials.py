"""Open Badges 3.0: every award also gets an OpenBadgeCredential signed with
eddsa-rdfc-2022. The signer is checked byte for byte against the published
test vectors (W3C vc-di-eddsa, 1EdTech's OB 3.0 walkthrough); issued
credentials are checked by an independent verifier (Digital Bazaar's
JavaScript VC libraries, tests/ob3_verify.mjs) before and after revocation
and after a key rotation; tampering breaks them; the baked images give them
back unchanged; the 2.0 badges are untouched.

Test data (tests/data/), copied unchanged:
- vc-di-eddsa/: github.com/w3c/vc-di-eddsa, TestVectors/ (keyPair.json,
  unsigned.json, eddsa-rdfc-2022/*) at commit abb673eb9df673e24a8eaf939337de74759b5f8d
  (2025-05-15);
- ob-v3p0-walkthrough/: github.com/1EdTech/openbadges-specification,
  ob_v3p0/impl/test-vectors/obv3p0/ at commit
  1af145ff2dc6e22627e79eb5d0f9afca06ea2489 (2025-04-07); the credential,
  proof options and hashes are those of ob_v3p0/impl/linked-data-proof-ob.html.
"""

import copy
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import base58
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image
from pyld.jsonld import JsonLdError

from resources import baking as baking_2_0
from resources.checks import ob3_signing_key
from resources.credentials import baking, dataintegrity, jsonld, status
from resources.models import BadgeAssertion, BadgeCredential, BadgeRequest
from tests.factories.badges import award, create_badge_class, create_path, path_index
from tests.pages import mail_link_path, mail_links

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
VECTORS = DATA / "vc-di-eddsa"
EXAMPLES_V2 = {
    # The example context the W3C vectors use; never known to the site.
    "https://www.w3.org/ns/credentials/examples/v2": {
        "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
    }
}
BASE = "http://testserver"


def text(path):
    return path.read_text(encoding="utf-8")


# --- The signer against the published vectors ----------------------------


def test_signer_matches_the_w3c_eddsa_rdfc_2022_vectors_byte_for_byte():
    loader = jsonld.make_loader(EXAMPLES_V2)
    pair = json.loads(text(VECTORS / "keyPair.json"))
    unsigned = json.loads(text(VECTORS / "unsigned.json"))
    folder = VECTORS / "eddsa-rdfc-2022"
    options = json.loads(text(folder / "proofConfigDataInt.json"))
    private_key = dataintegrity.private_key_from_multibase(pair["privateKeyMultibase"])
    assert (
        dataintegrity.public_multibase(private_key.public_key())
        == (pair["publicKeyMultibase"])
    )

    hashed = dataintegrity.hash_data(unsigned, options, loader)
    assert hashed.canonical_document == text(folder / "canonDocDataInt.txt")
    assert hashed.canonical_proof == text(folder / "proofCanonDataInt.txt")
    assert hashed.document_hash.hex() == text(folder / "docHashDataInt.txt")
    assert hashed.proof_hash.hex() == text(folder / "proofHashDataInt.txt")
    assert hashed.data.hex() == text(folder / "combinedHashDataInt.txt")

    signed = dataintegrity.sign(
        unsigned,
        private_key,
        options["verificationMethod"],
        options["created"],
        loader,
    )
    proof_value = signed["proof"]["proofValue"]
    assert base58.b58decode(proof_value[1:]).hex() == text(folder / "sigHexDataInt.txt")
    assert proof_value == text(folder / "sigBTC58DataInt.txt")
    assert signed == json.loads(text(folder / "signedDataInt.json"))


def test_canonical_forms_match_the_1edtech_ob3_walkthrough():
    """The credential, proof options, hashes and signature of 1EdTech's
    « Linked Data Proof » walkthrough for Open Badges 3.0."""
    credential = {
        "@context": [jsonld.VC_V2, jsonld.OB_V3],
        "id": "http://example.com/credentials/3527",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.edu/issuers/565049",
            "type": ["Profile"],
            "url": "https://www.imsglobal.org",
            "name": "Example Corp",
        },
        "validFrom": "2010-01-01T00:00:00Z",
        "name": "Teamwork Badge",
        "credentialSubject": {
            "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.com/achievements/21st-century-skills/teamwork",
                "type": ["Achievement"],
                "criteria": {
                    "narrative": "Team members are nominated for this badge by "
                    "their peers and recognized upon review by Example Corp "
                    "management."
                },
                "description": "This badge recognizes the development of the "
                "capacity to collaborate within a group environment.",
                "name": "Teamwork",
            },
        },
    }
    key = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    proof = {
        "type": "DataIntegrityProof",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": f"https://example.edu/issuers/565049#{key}",
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
        "proofValue": "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sY"
        "KJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr",
    }
    hashed = dataintegrity.hash_data(credential, proof)
    walkthrough = DATA / "ob-v3p0-walkthrough"
    assert hashed.canonical_document == text(walkthrough / "document-canon.txt")
    assert hashed.canonical_proof == text(walkthrough / "proof-canon.txt")
    assert hashed.document_hash.hex() == (
        "87f65a76d40146205e3b3e06cb0fbd153f97f9ce70372390f52566bb7f9e0773"
    )
    assert hashed.proof_hash.hex() == (
        "d34009cea0dbc1ca941e09dc01c8c9d3e3ce3c5b853f67ee44698dcea10f5d19"
    )
    # The walkthrough's signature verifies with the key its method names.
    signed = {**credential, "proof": proof}
    public_key = dataintegrity.public_key_from_multibase(key)
    assert dataintegrity.check_proof(signed, lambda method: public_key)
    signed["name"] = "Teamwork Badges"
    with pytest.raises(dataintegrity.ProofError):
        dataintegrity.check_proof(signed, lambda method: public_key)


def test_contexts_are_never_fetched():
    document = {"@context": ["https://example.org/inconnu"], "name": "x"}
    with pytest.raises(JsonLdError) as error:
        jsonld.canonize(document)
    causes, cause = [], error.value
    while cause is not None:
        causes.append(cause)
        cause = getattr(cause, "cause", None) or cause.__cause__ or cause.__context__
    assert any(isinstance(cause, jsonld.UnknownContextError) for cause in causes)


# --- The independent JavaScript verifier ----------------------------------


def _verifier_or_skip():
    node = shutil.which("node")
    installed = (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir()
    if node and installed:
        return node
    if os.environ.get("OB3_VERIFIER_REQUIRED"):
        pytest.fail("node and `npm ci --ignore-scripts` are needed (CI has them)")
    pytest.skip("node or the npm devDependencies are missing (npm ci --ignore-scripts)")


def js_verify(credentials=(), documents=None, canonize=()):
    node = _verifier_or_skip()
    payload = {
        "credentials": list(credentials),
        "documents": documents or {},
        "contexts_dir": str(jsonld.CONTEXTS_DIR),
        "context_urls": {name: url for url, name in jsonld.CONTEXT_FILES.items()},
        "canonize": list(canonize),
    }
    result = subprocess.run(  # noqa: S603
        [node, str(ROOT / "tests" / "ob3_verify.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout)


def published(client, credentials):
    """What a verifier fetches for these credentials, fetched from the site:
    the issuer's key document, each key, each status list."""
    documents = {}

    def fetch(url):
        response = client.get(url.removeprefix(BASE))
        assert response.status_code == 200, url
        assert response["Access-Control-Allow-Origin"] == "*"
        documents[url] = json.loads(response.content)
        return documents[url]

    for credential in credentials:
        keys = fetch(credential["issuer"]["id"])
        for method in keys["verificationMethod"]:
            fetch(method["id"])
        fetch(credential["credentialStatus"]["statusListCredential"])
    return documents


def credential_of(client, assertion):
    response = client.get(f"/badges/assertions/{assertion.uid}/attestation.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(response.content)


DIFFICULT = "L'« atelier » d'Œuvre\tà\nWimille \"citée\" \\ \r\n \u2028 😀"


def test_pyld_canonical_form_equals_rdf_canonize_on_difficult_text():
    """pyld's URDNA2015 output is RDFC-1.0 (jsonld.js) on escaped characters,
    accents, « », œ, emoji; it is not on control characters (U+0001, U+007F,
    \\b, \\f: pyld writes them raw), which the site removes from what it
    signs."""
    document = {
        "@context": [jsonld.VC_V2, jsonld.OB_V3],
        "id": "https://atelier.example.org/badges/x",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": DIFFICULT,
        "description": "Ligne 1\r\nLigne 2",
        "issuer": "https://atelier.example.org/badges/emetteur/cles",
        "validFrom": "2026-12-06T10:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"]},
    }
    controls = {**document, "description": "Ligne\x01 2\x08\x0c\x7f"}
    result = js_verify(canonize=[document, controls])
    assert result["canonical"][0] == jsonld.canonize(document)
    # The known difference, kept out of what the site signs.
    assert result["canonical"][1] != jsonld.canonize(controls)


@pytest.mark.django_db
def test_control_characters_in_a_badge_name_do_not_break_its_credential(
    client, home_page
):
    badge = create_badge_class(name=f"Bureautique\x08 {DIFFICULT}\x7f")
    credential = credential_of(client, award(badge))
    assert credential["name"] == f"Bureautique {DIFFICULT}"
    results = js_verify([credential], published(client, [credential]))["results"]
    assert results[0]["verified"] is True, results


# --- Credentials issued by the site ----------------------------------------


@pytest.fixture
def badge(home_page):
    badge = create_badge_class(
        slug="premiers-pas", name="Premiers pas", validity_months=24
    )
    create_path(path_index(home_page), title="Premiers pas", badge_class=badge)
    return badge


@pytest.mark.django_db
def test_a_credential_says_what_open_badges_3_requires(client, badge):
    assertion = award(
        badge,
        email="Lea@Exemple.fr",
        evidence_narrative="A écrit « sa » lettre d'œuvre.",
        evidence_url="https://exemple.fr/lettre",
    )
    credential = credential_of(client, assertion)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == (
        f"{BASE}/badges/assertions/{assertion.uid}/attestation.json"
    )
    issuer = credential["issuer"]
    assert issuer["id"] == f"{BASE}/badges/emetteur/cles"
    assert issuer["type"] == ["Profile"]
    assert issuer["name"] == "Médiathèque de Wimille"
    assert {"url", "email", "image"} <= issuer.keys()
    assert credential["validFrom"].endswith("Z")
    assert credential["validUntil"] > credential["validFrom"]
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    (identity,) = subject["identifier"]
    # The learner: only the salted hash, the same as the 2.0 assertion's.
    assert identity == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": "sha256$"
        + hashlib.sha256(("lea@exemple.fr" + assertion.salt).encode()).hexdigest(),
        "salt": assertion.salt,
    }
    assert "exemple.fr" not in json.dumps(subject)
    achievement = subject["achievement"]
    assert achievement["name"] == "Premiers pas"
    assert achievement["achievementType"] == "Badge"
    assert achievement["criteria"]["narrative"] == "Suivre le parcours."
    assert achievement["image"]["id"] == f"{BASE}/badges/premiers-pas/image.png"
    assert credential["evidence"] == [
        {
            "type": ["Evidence"],
            "id": "https://exemple.fr/lettre",
            "narrative": "A écrit « sa » lettre d'œuvre.",
        }
    ]
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["proof"]["verificationMethod"].startswith(
        f"{BASE}/badges/emetteur/cles/z6Mk"
    )


@pytest.mark.django_db
def test_independent_verifier_accepts_then_sees_the_revocation(
    client, badge, admin_user
):
    assertion = award(badge, evidence_narrative="Présente à l'atelier du 5 décembre.")
    credential = credential_of(client, assertion)
    before = js_verify([credential], published(client, [credential]))["results"][0]
    assert before == {"verified": True, "status": True, "revoked": False, "errors": []}

    client.force_login(admin_user)
    response = client.post(
        f"/admin/badges/decerner/decernes/{assertion.pk}/revoquer/",
        {"reason": "Décerné par erreur."},
        HTTP_ORIGIN=BASE,
    )
    assert response.status_code == 302
    client.logout()
    # The credential is unchanged; the issuer's signed status list says it.
    after = js_verify([credential], published(client, [credential]))["results"][0]
    assert after["verified"] is True
    assert after["status"] is True
    assert after["revoked"] is True
    page = client.get(f"/badges/assertions/{assertion.uid}/verifier")
    assert "L'émetteur a révoqué ce badge." in html.unescape(page.content.decode())


@pytest.mark.django_db
def test_old_credentials_verify_after_a_key_rotation(client, badge, settings, tmp_path):
    settings.BADGES_OB3_KEYS_DIR = tmp_path / "cles"
    first = credential_of(client, award(badge, email="lea@exemple.fr"))
    out = io.StringIO()
    call_command("badge_keys", "new", stdout=out)
    assert "elle signe désormais les badges" in out.getvalue()
    second = credential_of(client, award(badge, email="karim@exemple.fr"))
    assert first["proof"]["verificationMethod"] != second["proof"]["verificationMethod"]
    # The older private key is dropped; its public half stays published.
    call_command("badge_keys", "retire", stdout=out)
    assert "1 clé(s) retirée(s)" in out.getvalue()
    older, newer = sorted((tmp_path / "cles").glob("*.pem"))
    assert b"PUBLIC KEY" in older.read_bytes()
    assert b"PRIVATE KEY" in newer.read_bytes()
    documents = published(client, [first, second])
    keys = documents[f"{BASE}/badges/emetteur/cles"]
    assert len(keys["assertionMethod"]) == 2
    results = js_verify([first, second], documents)["results"]
    assert [r["verified"] for r in results] == [True, True], results
    assert [r["revoked"] for r in results] == [False, False]


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _tampered(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    value = target[path[-1]]
    if isinstance(value, bool):
        target[path[-1]] = not value
    elif isinstance(value, str) and value.startswith("http"):
        target[path[-1]] = value + "x"
    elif isinstance(value, str) and value[:4].isdigit():
        target[path[-1]] = value.replace(value[:4], str(int(value[:4]) + 1), 1)
    else:
        target[path[-1]] = f"{value}x"
    return changed


@pytest.mark.django_db
def test_tampering_with_any_field_breaks_verification(client, badge):
    assertion = award(
        badge, evidence_narrative="Atelier du 5 décembre.", evidence_url=""
    )
    credential = credential_of(client, assertion)
    published_key = dataintegrity.public_key_from_multibase(
        credential["proof"]["verificationMethod"].rsplit("/", 1)[-1]
    )
    assert dataintegrity.check_proof(credential, lambda method: published_key)
    paths = [
        path
        for path in _leaves(credential)
        # The method is looked up, not signed over, by this resolver.
        if path != ("proof", "verificationMethod")
    ]
    assert len(paths) > 30
    tampered = []
    for path in paths:
        changed = _tampered(credential, path)
        with pytest.raises(dataintegrity.ProofError):
            dataintegrity.check_proof(changed, lambda method: published_key)
        tampered.append(changed)
    # The independent verifier refuses them too (all in one run).
    results = js_verify(tampered, published(client, [credential]))["results"]
    accepted = [path for path, r in zip(paths, results, strict=True) if r["verified"]]
    assert accepted == []


@pytest.mark.django_db
def test_baked_png_and_svg_give_back_the_exact_credential(client, badge):
    assertion = award(badge)
    url = f"/badges/assertions/{assertion.uid}/attestation"
    exact = client.get(f"{url}.json").content
    png = client.get(f"{url}.png")
    assert png["Content-Type"] == "image/png"
    assert baking.read_png(png.content).encode() == exact
    with Image.open(io.BytesIO(png.content)) as picture:
        assert picture.format == "PNG"
        assert "openbadges" not in picture.text  # no 2.0 assertion in it
    svg = client.get(f"{url}.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg.content
    assert baking.read_svg(svg.content).encode() == exact
    # The 2.0 baked image is the 2.0 assertion, as before.
    old = client.get(f"/badges/assertions/{assertion.uid}/badge.png").content
    assert json.loads(baking_2_0.read_baked(old))["type"] == "Assertion"
    assert baking.read_png(old) is None


def test_svg_baking_keeps_a_credential_that_contains_the_cdata_end():
    png = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(png, format="PNG")
    credential = json.dumps({"narrative": "a ]]> b « c »"}, ensure_ascii=False)
    svg = baking.bake_svg(png.getvalue(), credential, "Badge « x »")
    assert baking.read_svg(svg) == credential


# --- Every way of awarding ----------------------------------------------------


def _links(body):
    return [mail_link_path(url, "://") for url in mail_links(body, "//testserver/")]


@pytest.mark.django_db
def test_every_way_of_awarding_gives_a_verifiable_credential(
    client, home_page, badge, admin_user
):
    from events.models import EventIndexPage, Registration
    from tests.factories.events import create_event, paris

    client.force_login(admin_user)
    # One person.
    client.post(
        "/admin/badges/decerner/",
        {
            "badge_class": badge.pk,
            "name": "Zoé Œil",
            "email": "zoe@exemple.fr",
            "evidence_narrative": "A suivi l'atelier « Courriel ».",
            "evidence_url": "",
        },
        HTTP_ORIGIN=BASE,
    )
    # A CSV file.
    client.post(
        "/admin/badges/decerner/csv/",
        {
            "badge_class": badge.pk,
            "csv_file": SimpleUploadedFile(
                "presents.csv", "nom,email\nLéa Martin,lea@exemple.fr\n".encode()
            ),
        },
        HTTP_ORIGIN=BASE,
    )
    # The attendance sheet of a workshop.
    start = paris(2026, 12, 5)
    event = create_event(
        EventIndexPage.objects.get(), title="Atelier tablette", start=start
    )
    Registration.objects.create(
        event=event,
        occurrence_start=start,
        consent_at=start,
        name="Karim",
        email="karim@exemple.fr",
        attended=True,
    )
    client.post(
        "/admin/badges/decerner/presents/",
        {"badge_class": badge.pk, "occurrence": f"{event.pk}|{int(start.timestamp())}"},
        HTTP_ORIGIN=BASE,
    )
    # A learner's request, approved.
    client.logout()
    client.post(
        "/badges/premiers-pas/demande/",
        {
            "name": "Inès",
            "email": "ines@exemple.fr",
            "evidence_text": "J'ai envoyé un courriel à ma fille.",
            "evidence_url": "",
            "consent": "on",
            "show_name": "on",
            "website": "",
        },
        HTTP_ORIGIN=BASE,
    )
    client.force_login(admin_user)
    client.post(
        f"/admin/badges/decerner/demandes/{BadgeRequest.objects.get().pk}/approuver/",
        HTTP_ORIGIN=BASE,
    )
    client.logout()

    sources = dict(BadgeAssertion.objects.values_list("recipient_email", "source"))
    assert sources == {
        "zoe@exemple.fr": "admin",
        "lea@exemple.fr": "csv",
        "karim@exemple.fr": "atelier",
        "ines@exemple.fr": "demande",
    }
    assert BadgeCredential.objects.count() == 4
    # Each learner follows the links of the mail really sent.
    credentials = []
    for message in mail.outbox:
        if not message.subject.startswith("Vous avez obtenu"):
            continue
        links = _links(message.body)
        json_link = next(link for link in links if link.endswith("attestation.json"))
        png_link = next(link for link in links if link.endswith("attestation.png"))
        svg_link = next(link for link in links if link.endswith("attestation.svg"))
        exact = client.get(json_link).content
        assert baking.read_png(client.get(png_link).content).encode() == exact
        assert baking.read_svg(client.get(svg_link).content).encode() == exact
        credentials.append(json.loads(exact))
    assert len(credentials) == 4
    results = js_verify(credentials, published(client, credentials))["results"]
    assert [r["verified"] for r in results] == [True] * 4, results
    assert [r["revoked"] for r in results] == [False] * 4


# --- The verification page ---------------------------------------------------


@pytest.mark.django_db
def test_verification_page_says_what_is_checked_in_french(client, badge):
    assertion = award(badge)
    page = client.get(f"/badges/assertions/{assertion.uid}/verifier")
    text = " ".join(
        re.sub("<[^>]+>", " ", html.unescape(page.content.decode())).split()
    )
    assert "Attestation signée Open Badges 3.0" in text
    assert "Réussi : La signature numérique (eddsa-rdfc-2022) correspond" in text
    assert "Réussi : Le badge n'est pas révoqué" in text
    assert "Toutes les vérifications sont réussies." in text
    for extension in ("json", "png", "svg"):
        link = f'href="/badges/assertions/{assertion.uid}/attestation.{extension}"'
        assert link in page.content.decode()


def _page_text(response):
    return " ".join(
        re.sub("<[^>]+>", " ", html.unescape(response.content.decode())).split()
    )


@pytest.mark.django_db
def test_the_page_checks_the_signature_over_the_bytes_kept_at_signing(client, badge):
    assertion = award(badge)
    stored = BadgeCredential.objects.get(assertion=assertion)
    document = json.loads(stored.document)
    # What was kept is what a verifier computes from the stored text.
    assert stored.signed_data == (
        dataintegrity.hash_data(document, document["proof"]).data.hex()
    )
    assert (
        stored.document_sha256 == hashlib.sha256(stored.document.encode()).hexdigest()
    )
    url = f"/badges/assertions/{assertion.uid}/verifier"
    assert "Toutes les vérifications sont réussies." in _page_text(client.get(url))

    # Kept bytes that the signature does not cover fail the check.
    BadgeCredential.objects.filter(pk=stored.pk).update(signed_data="00" * 64)
    text = _page_text(client.get(url))
    assert "Échec : La signature numérique correspond au contenu" in text
    assert "Toutes les vérifications sont réussies." not in text

    # A stored text changed after signing is canonicalised again, as any
    # verifier would, whatever bytes were kept: the signature fails.
    BadgeCredential.objects.filter(pk=stored.pk).update(
        signed_data=stored.signed_data,
        document=stored.document.replace(badge.name, badge.name + " bis"),
    )
    text = _page_text(client.get(url))
    assert "Échec : La signature numérique correspond au contenu" in text


@pytest.mark.django_db
def test_the_revocation_bit_read_on_the_page_is_the_published_one(client, badge):
    kept, revoked = award(badge), award(badge, email="karim@exemple.fr")
    revoked.revoked = True
    revoked.save(update_fields=["revoked"])
    for assertion, expected in ((kept, False), (revoked, True)):
        stored = BadgeCredential.objects.get(assertion=assertion)
        bits = status.decode(
            status.encode(
                stored.status_list.size,
                status.revoked_indexes(stored.status_list),
            )
        )
        assert status.is_set(bits, stored.status_index) is expected
        assert status.is_revoked(stored.status_list, stored.status_index) is expected
        text = _page_text(client.get(f"/badges/assertions/{assertion.uid}/verifier"))
        assert ("L'émetteur a révoqué ce badge." in text) is expected
    # The bit is read by a query compiled once (portal.prepared), never
    # built anew by the ORM on each page.
    assert status._revoked_entry.shapes()[1] == 0


@pytest.mark.django_db
def test_erasure_empties_the_stored_credential_but_keeps_its_status(client, badge):
    assertion = award(badge, email="lea@exemple.fr", evidence_narrative="Lettre.")
    call_command(
        "erase_badge_recipient",
        "lea@exemple.fr",
        "--revoke",
        stdout=io.StringIO(),
    )
    stored = BadgeCredential.objects.get(assertion=assertion)
    assert stored.document == ""
    assert stored.signed_data == stored.document_sha256 == ""
    url = f"/badges/assertions/{assertion.uid}/attestation.json"
    assert client.get(url).status_code == 404
    status_list = client.get(f"/badges/statut/{stored.status_list_id}")
    assert status_list.status_code == 200


# --- Keys in production -------------------------------------------------------


def test_deployment_check_refuses_a_key_folder_without_a_signing_key(
    settings, tmp_path
):
    settings.BADGES_OB3_GENERATE_KEY = False
    settings.BADGES_OB3_KEYS_DIR = tmp_path
    (error,) = ob3_signing_key(None)
    assert error.id == "resources.E002"
    call_command("badge_keys", "new", stdout=io.StringIO())
    assert ob3_signing_key(None) == []


@pytest.mark.django_db
def test_badges_awarded_before_open_badges_3_get_their_credential(client, badge):
    assertion = award(badge)
    BadgeCredential.objects.all().delete()  # as before the upgrade
    revoked = award(badge, email="karim@exemple.fr")
    BadgeCredential.objects.filter(assertion=revoked).delete()
    BadgeAssertion.objects.filter(pk=revoked.pk).update(revoked=True)
    out = io.StringIO()
    call_command("badge_keys", "sign-missing", stdout=out)
    assert "1 attestation(s) Open Badges 3.0 signée(s)." in out.getvalue()
    credential = credential_of(client, assertion)
    results = js_verify([credential], published(client, [credential]))["results"]
    assert results[0]["verified"] is True, results
