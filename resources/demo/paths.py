"""Demo learning paths and their open badges: « Premiers pas avec un logiciel
libre » and « Imprimer en 3D au Fab Lab », the competences they align to,
the badge images (square PNGs under resources/demo/images/), and one awarded
demo assertion, as data; `load` hands them to the resources' factories.
Steps link to the demo guides and events when those pages exist (looked up
by slug). Idempotent: looked up by slug, never overwritten."""

from pathlib import Path

from django.db import transaction
from wagtail.models import Page

from home.factories import image_from_file

from ..factories import (
    CompetenceFactory,
    award,
    create_badge_class,
    create_path,
    path_step,
)
from ..models import (
    BadgeAssertion,
    BadgeClass,
    LearningPathIndexPage,
    LearningPathPage,
)

IMAGES_DIR = Path(__file__).resolve().parent / "images"

LE_CIRCUIT_URL = "https://mediatheque.pasdecalais.fr/"
LE_CIRCUIT_LABEL = "Le Circuit – Médiathèque départementale du Pas-de-Calais"

COMPETENCES = [
    (
        "pix",
        "5.2",
        "Construire un environnement numérique",
        "https://pix.fr/competences",
    ),
    ("pix", "1.2", "Gérer des données", "https://pix.fr/competences"),
    ("pix", "3.2", "Développer des documents multimédia", "https://pix.fr/competences"),
    (
        "digcomp",
        "5.3",
        "Utiliser les technologies numériques de manière créative",
        "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415",
    ),
    (
        "digcomp",
        "3.1",
        "Développer des contenus numériques",
        "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415",
    ),
]

BADGES = [
    {
        "slug": "premiers-pas-logiciel-libre",
        "name": "Premiers pas avec un logiciel libre",
        "description": (
            "Sait installer, lancer et utiliser un logiciel libre courant, et "
            "enregistrer son travail dans un format ouvert."
        ),
        "criteria": (
            "Avoir suivi les étapes du parcours « Premiers pas avec un logiciel "
            "libre » et montré un document créé avec un logiciel libre."
        ),
        "competences": [("pix", "5.2"), ("pix", "1.2")],
        "image": "badge-premiers-pas-logiciel-libre.png",
        "validity_months": None,
    },
    {
        "slug": "impression-3d-fab-lab",
        "name": "Imprimer en 3D au Fab Lab",
        "description": (
            "Sait préparer un modèle, le trancher et l'imprimer en PLA en "
            "sécurité sur une imprimante du Fab Lab."
        ),
        "criteria": (
            "Avoir suivi les étapes du parcours « Imprimer en 3D au Fab Lab » et "
            "imprimé une pièce en présence d'un bénévole."
        ),
        "competences": [("digcomp", "5.3"), ("digcomp", "3.1"), ("pix", "3.2")],
        "image": "badge-impression-3d-fab-lab.png",
        "validity_months": 24,
    },
]

PATHS = [
    {
        "slug": "premiers-pas-logiciel-libre",
        "title": "Premiers pas avec un logiciel libre",
        "summary": (
            "Découvrir ce qu'est un logiciel libre, en installer un, écrire une "
            "lettre avec LibreOffice et l'enregistrer dans un format ouvert."
        ),
        "level": LearningPathPage.Level.BEGINNER,
        "duration": 150,
        "audience": "Tout public, débutants bienvenus",
        "badge": "premiers-pas-logiciel-libre",
        "competences": [("pix", "5.2"), ("pix", "1.2")],
        "steps": [
            (
                "Comprendre ce qu'est un logiciel libre",
                "Libre ne veut pas seulement dire gratuit : on peut l'utiliser, "
                "l'étudier, le modifier et le partager. Venez en parler autour "
                "d'un café.",
                20,
                ("page", "petits-dej-du-libre"),
            ),
            (
                "Installer LibreOffice",
                "Téléchargez LibreOffice depuis son site officiel, jamais depuis un "
                "site de téléchargement, et installez-le.",
                30,
                (
                    "url",
                    "https://fr.libreoffice.org/download/telecharger-libreoffice/",
                    "Télécharger LibreOffice (site officiel)",
                ),
            ),
            (
                "Écrire une lettre",
                "Ouvrez Writer, écrivez quelques lignes, mettez un titre en gras et "
                "ajoutez la date.",
                40,
                None,
            ),
            (
                "Enregistrer au format ouvert",
                "Enregistrez au format ODT, puis exportez une copie en PDF pour "
                "l'envoyer.",
                20,
                None,
            ),
            (
                "Continuer avec Le Circuit",
                "La médiathèque départementale propose d'autres parcours open "
                "badge, à suivre à votre rythme.",
                40,
                ("url", LE_CIRCUIT_URL, LE_CIRCUIT_LABEL),
            ),
        ],
    },
    {
        "slug": "imprimer-en-3d-au-fab-lab",
        "title": "Imprimer en 3D au Fab Lab",
        "summary": (
            "De l'idée à l'objet : trouver ou dessiner un modèle, le préparer "
            "pour l'imprimante et l'imprimer en PLA, en toute sécurité."
        ),
        "level": LearningPathPage.Level.INTERMEDIATE,
        "duration": 240,
        "audience": "Adolescents et adultes",
        "badge": "impression-3d-fab-lab",
        "competences": [("digcomp", "5.3"), ("digcomp", "3.1"), ("pix", "3.2")],
        "steps": [
            (
                "Suivre la formation Fab Lab du Circuit",
                "La formation de la médiathèque départementale présente les "
                "machines et les règles de sécurité.",
                60,
                ("url", LE_CIRCUIT_URL, LE_CIRCUIT_LABEL),
            ),
            (
                "Trouver un modèle sous licence libre",
                "Choisissez un petit objet (moins de 5 cm) publié sous licence "
                "Creative Commons et téléchargez son fichier STL.",
                30,
                None,
            ),
            (
                "Préparer et imprimer la pièce",
                "Tranchez le modèle avec PrusaSlicer puis lancez l'impression en "
                "suivant le guide pas à pas.",
                90,
                ("page", "imprimer-une-piece-en-3d-pla"),
            ),
            (
                "Imprimer avec un bénévole",
                "Venez imprimer votre pièce pendant un atelier, avec un bénévole "
                "de CLX à vos côtés.",
                60,
                ("page", "install-party"),
            ),
        ],
    },
]

DEMO_RECIPIENT = ("Dominique Exemple", "dominique.exemple@exemple.invalid")


def _competences():
    return {
        (framework, code): CompetenceFactory(
            framework=framework, code=code, name=name, url=url
        )
        for framework, code, name, url in COMPETENCES
    }


def _badges(competences, report):
    badges = {}
    for data in BADGES:
        badge = BadgeClass.objects.filter(slug=data["slug"]).first()
        if badge is None:
            badge = create_badge_class(
                slug=data["slug"],
                name=data["name"],
                description=data["description"],
                criteria_narrative=data["criteria"],
                image=image_from_file(
                    IMAGES_DIR / data["image"], f"Badge – {data['name']}"
                ),
                validity_months=data["validity_months"],
                competences=[competences[key] for key in data["competences"]],
            )
            report.append(f"Badge « {badge.name} » : créé.")
        else:
            report.append(f"Badge « {badge.name} » : déjà là.")
        badges[data["slug"]] = badge
    return badges


def _step(order, title, explanation, minutes, link):
    if link and link[0] == "page":
        page = Page.objects.filter(slug=link[1]).first()
        return path_step(order, title, explanation, minutes, page=page)
    if link and link[0] == "url":
        return path_step(order, title, explanation, minutes, url=link[1], label=link[2])
    return path_step(order, title, explanation, minutes)


def _paths(index, badges, competences, report):
    for data in PATHS:
        if Page.objects.child_of(index).filter(slug=data["slug"]).exists():
            report.append(f"Parcours « {data['title']} » : déjà là.")
            continue
        page = create_path(
            index,
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            level=data["level"],
            duration_minutes=data["duration"],
            audience=data["audience"],
            badge_class=badges[data["badge"]],
            competences=[competences[key] for key in data["competences"]],
            steps=[_step(order, *step) for order, step in enumerate(data["steps"])],
        )
        linked = sum(1 for step in page.steps.all() if step.linked_page_id)
        report.append(
            f"Parcours « {data['title']} » : créé ({len(data['steps'])} étapes, "
            f"{linked} liées à un guide ou un atelier)."
        )


def _demo_assertion(badges, report):
    badge = badges["premiers-pas-logiciel-libre"]
    if BadgeAssertion.objects.filter(
        badge_class=badge, source=BadgeAssertion.Source.DEMO
    ).exists():
        report.append("Badge de démonstration décerné : déjà là.")
        return
    name, email = DEMO_RECIPIENT
    assertion = award(
        badge,
        email=email,
        name=name,
        show_name=True,
        evidence_narrative="A écrit et exporté sa première lettre avec LibreOffice.",
        source=BadgeAssertion.Source.DEMO,
    )
    report.append(f"Badge de démonstration décerné : {assertion.get_absolute_url()}")


def load(home):
    report = []
    index = LearningPathIndexPage.objects.child_of(home).first()
    if index is None:
        return ["Parcours : pas de page « Parcours », rien à faire."]
    with transaction.atomic():
        competences = _competences()
        badges = _badges(competences, report)
        _paths(index, badges, competences, report)
        _demo_assertion(badges, report)
    return report
