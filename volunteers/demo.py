"""Demo volunteers: clearly labelled examples (« Exemple – ... ») with various
skills, consents and charter states, and the 2026 charter built on §3 of the
agreement. Idempotent: what exists (by label or display name) is kept."""

import datetime

from home.models import Partner

from .models import CharterSignature, CharterVersion, Volunteer

CHARTER_2025 = "Charte du bénévole dédié au numérique – 2025"
CHARTER_2026 = "Charte du bénévole dédié au numérique – 2026"

CHARTER_TEXT_2026 = """
<p>La présente charte est conclue en application de l'article 3 de la convention
de partenariat entre la médiathèque de Wimille et CLX – Club Linux
Nord–Pas-de-Calais. Elle est signée par la médiathèque et par l'intervenant,
comme personne et comme adhérent de l'association CLX.</p>
<h3>1. Le rôle du bénévole dédié au numérique</h3>
<p>Le bénévole participe à l'action de l'atelier numérique citoyen, sous une ou
plusieurs de ces formes :</p>
<ul>
<li>la proposition d'évènements autour des logiciels libres et de leurs apports
pour la société de l'information : réduction de la fracture numérique, mise en
place de la e-administration, install parties ;</li>
<li>l'assistance informatique aux usagers ;</li>
<li>la proposition et l'animation de modules de formation ;</li>
<li>des conférences.</li>
</ul>
<h3>2. Les engagements du bénévole</h3>
<ul>
<li>Accueillir chaque usager avec bienveillance et patience, sans jugement sur
son niveau, et l'aider à devenir autonome plutôt que faire à sa place.</li>
<li>Respecter la confidentialité : ne jamais noter, copier ni conserver les mots
de passe, documents ou données personnelles des usagers ; ne pas toucher à
leurs comptes sans leur accord et en leur présence.</li>
<li>Promouvoir un usage éthique du numérique et les logiciels libres, sans
démarche commerciale.</li>
<li>Respecter le règlement intérieur de la médiathèque, son matériel et les
consignes de sécurité du Fab Lab.</li>
<li>Prévenir la médiathèque en cas d'absence à un atelier annoncé.</li>
</ul>
<h3>3. Les engagements de la médiathèque</h3>
<ul>
<li>Accueillir le bénévole, lui présenter les lieux, le matériel et les
personnes référentes.</li>
<li>Lui donner accès, comme bénévole dédié au numérique, aux ressources
numériques de la médiathèque et au Circuit de la Médiathèque départementale du
Pas-de-Calais (parcours open badge, formation du Fab Lab...).</li>
<li>Ne publier sur le site de l'atelier que les informations que le bénévole a
accepté de montrer, et effacer ses données à sa demande.</li>
</ul>
<h3>4. Durée</h3>
<p>La charte vaut jusqu'à la publication d'une nouvelle version, que le
bénévole est alors invité à signer. Chacune des parties peut y mettre fin à
tout moment, par simple information de l'autre.</p>
""".strip()

CHARTER_TEXT_2025 = """
<p>Version précédente de la charte, conclue en application de l'article 3 de
la convention de partenariat entre la médiathèque de Wimille et CLX.</p>
<p>Le bénévole dédié au numérique accueille les usagers avec bienveillance,
respecte la confidentialité de leurs données et le règlement de la
médiathèque.</p>
""".strip()

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


def _ensure_versions():
    created = 0
    versions = {}
    for label, date, text in (
        (CHARTER_2025, datetime.date(2025, 1, 15), CHARTER_TEXT_2025),
        (CHARTER_2026, datetime.date(2026, 1, 15), CHARTER_TEXT_2026),
    ):
        version, was_created = CharterVersion.objects.get_or_create(
            label=label,
            defaults={"effective_date": date, "text": text, "published": True},
        )
        versions[date.year] = version
        created += was_created
    return versions, created


def _sign(volunteer, version, signed_on):
    CharterSignature.objects.get_or_create(
        volunteer=volunteer,
        version=version,
        defaults={"signed_on": signed_on, "countersigned_on": signed_on},
    )


def load(home):
    versions, versions_created = _ensure_versions()
    clx = Partner.objects.filter(slug="clx").first()
    created = 0
    for data in VOLUNTEERS:
        if Volunteer.objects.filter(display_name=data["display_name"]).exists():
            continue
        consents = data["consents"]
        volunteer = Volunteer(
            display_name=data["display_name"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            bio=data["bio"],
            languages=data["languages"],
            availability=data["availability"],
            partner=clx,
            **{
                field: consents == "all" or field in consents
                for field in CONSENT_FIELDS
            },
        )
        volunteer.skills.add(*data["skills"])
        volunteer.save()
        volunteer.save_revision().publish()
        if data["charter"] == "current":
            _sign(volunteer, versions[2026], datetime.date(2026, 2, 7))
        elif data["charter"] == "to_renew":
            _sign(volunteer, versions[2025], datetime.date(2025, 3, 1))
        created += 1
    return [
        f"Versions de la charte créées : {versions_created}.",
        f"Bénévoles d'exemple créés : {created}.",
    ]
