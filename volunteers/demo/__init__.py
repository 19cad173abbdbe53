"""Demo volunteers: clearly labelled examples (« Exemple – ... ») with various
skills, consents and charter states, and the 2026 charter built on §3 of the
agreement (texts in volunteers/demo/charter-<year>.html). Idempotent: what
exists (by label or display name) is kept."""

import datetime
from pathlib import Path

from home.models import Partner

from ..factories import CharterSignatureFactory, CharterVersionFactory, VolunteerFactory
from ..models import CharterVersion, Volunteer

HERE = Path(__file__).resolve().parent

CHARTER_2025 = "Charte du bénévole dédié au numérique – 2025"
CHARTER_2026 = "Charte du bénévole dédié au numérique – 2026"

# display name, skills, consents, contact, charter state, extra fields
VOLUNTEERS = [
    {
        "display_name": "Exemple – Camille L.",
        "first_name": "Camille",
        "last_name": "Exemple-Lefebvre",
        "email": "camille.exemple@exemple.invalid",
        "phone": "06 00 00 00 01",
        "bio": (
            "Utilisatrice de Linux depuis quinze ans, j'anime les petits dej' du "
            "libre et j'aide à installer un système libre sur les vieux portables."
        ),
        "skills": ["Linux", "Install party", "Logiciels libres"],
        "languages": "français, anglais",
        "availability": "le premier samedi du mois",
        "consents": "all",
        "charter": "current",
    },
    {
        "display_name": "Exemple – Dominique",
        "first_name": "Dominique",
        "last_name": "Exemple-Martin",
        "email": "dominique.exemple@exemple.invalid",
        "phone": "",
        "bio": "Bricoleur du Fab Lab : impression 3D, découpe laser et réparation.",
        "skills": ["Impression 3D", "Réparation", "Fab Lab"],
        "languages": "français",
        "availability": "le mercredi après-midi",
        "consents": ["show_skills", "show_availability", "show_partner"],
        "charter": "current",
    },
    {
        "display_name": "Exemple – Sam",
        "first_name": "Sam",
        "last_name": "Exemple-Durand",
        "email": "sam.exemple@exemple.invalid",
        "phone": "07 00 00 00 03",
        "bio": "J'aide aux démarches en ligne et à la prise en main du smartphone.",
        "skills": ["Démarches en ligne", "Smartphone"],
        "languages": "français, néerlandais",
        "availability": "le samedi matin",
        "consents": "all",
        "charter": "to_renew",
    },
    {
        "display_name": "Exemple – Alex",
        "first_name": "Alex",
        "last_name": "Exemple-Petit",
        "email": "alex.exemple@exemple.invalid",
        "phone": "",
        "bio": "Nouvel adhérent de CLX, passionné de bureautique libre.",
        "skills": ["LibreOffice"],
        "languages": "français",
        "availability": "à définir",
        "consents": "all",
        "charter": "missing",
    },
    {
        "display_name": "Exemple – Lou",
        "first_name": "Lou",
        "last_name": "Exemple-Bernard",
        "email": "lou.exemple@exemple.invalid",
        "phone": "",
        "bio": "Formatrice : sécurité numérique et mots de passe.",
        "skills": ["Sécurité numérique", "Linux"],
        "languages": "français, espagnol",
        "availability": "en semaine, le soir",
        "consents": ["show_bio", "show_skills", "show_languages"],
        "charter": "current",
    },
]

CONSENT_FIELDS = [
    "show_photo",
    "show_bio",
    "show_skills",
    "show_languages",
    "show_availability",
    "show_partner",
    "accepts_contact",
]

CHARTERS = [
    # label, effective date, file of its text
    (CHARTER_2025, datetime.date(2025, 1, 15), "charter-2025.html"),
    (CHARTER_2026, datetime.date(2026, 1, 15), "charter-2026.html"),
]

# What each charter state means: the version signed, and when.
SIGNATURES = {
    "current": (CHARTER_2026, datetime.date(2026, 2, 7)),
    "to_renew": (CHARTER_2025, datetime.date(2025, 3, 1)),
    "missing": None,
}


def load(home):
    versions_created = 0
    for label, effective_date, filename in CHARTERS:
        versions_created += not CharterVersion.objects.filter(label=label).exists()
        CharterVersionFactory(
            label=label,
            effective_date=effective_date,
            text=(HERE / filename).read_text(encoding="utf-8").strip(),
        )
    clx = Partner.objects.filter(slug="clx").first()
    created = 0
    for data in VOLUNTEERS:
        if Volunteer.objects.filter(display_name=data["display_name"]).exists():
            continue
        data = dict(data)
        consents = data.pop("consents")
        signature = SIGNATURES[data.pop("charter")]
        volunteer = VolunteerFactory(
            **data,
            partner=clx,
            consents={
                field: consents == "all" or field in consents
                for field in CONSENT_FIELDS
            },
            published=True,
        )
        if signature:
            label, signed_on = signature
            CharterSignatureFactory(
                volunteer=volunteer,
                version=CharterVersion.objects.get(label=label),
                signed_on=signed_on,
                countersigned_on=signed_on,
            )
        created += 1
    return [
        f"Versions de la charte créées : {versions_created}.",
        f"Bénévoles d'exemple créés : {created}.",
    ]
