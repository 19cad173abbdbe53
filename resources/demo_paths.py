"""Demo learning paths and their open badges: « Premiers pas avec un logiciel
libre » and « Imprimer en 3D au Fab Lab », the competences they align to,
the badge images (square PNGs drawn here with Pillow), and one awarded demo
assertion. Steps link to the demo guides and events when those pages exist
(looked up by slug). Idempotent: looked up by slug, never overwritten."""

import io

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from . import awarding
from .models import (
    BadgeAssertion,
    BadgeClass,
    Competence,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
)

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
        "colour": (27, 63, 115),
        "initials": "LL",
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
        "colour": (156, 43, 0),
        "initials": "3D",
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


def _font(size):
    for name in (
        "DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def badge_png(colour, initials, size=400):
    """A square badge: a coloured disc with a white ring and two letters."""
    picture = PILImage.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((8, 8, size - 8, size - 8), fill=colour)
    draw.ellipse((36, 36, size - 36, size - 36), outline="white", width=10)
    font = _font(size // 4)
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _badge_image(data):
    Image = get_image_model()
    title = f"Badge – {data['name']}"
    existing = Image.objects.filter(title=title).first()
    if existing:
        return existing
    if Collection.get_first_root_node() is None:
        # A flushed database (transactional tests) has lost the root collection.
        Collection.add_root(name="Root")
    image = Image(
        title=title,
        file=ImageFile(
            io.BytesIO(badge_png(data["colour"], data["initials"])),
            name=f"badge-{data['slug']}.png",
        ),
    )
    image.save()
    return image


def _competences():
    found = {}
    for framework, code, name, url in COMPETENCES:
        competence, _ = Competence.objects.get_or_create(
            framework=framework, code=code, defaults={"name": name, "url": url}
        )
        found[(framework, code)] = competence
    return found


def _badges(competences, report):
    badges = {}
    for data in BADGES:
        badge = BadgeClass.objects.filter(slug=data["slug"]).first()
        if badge is None:
            badge = BadgeClass(
                slug=data["slug"],
                name=data["name"],
                description=data["description"],
                criteria_narrative=data["criteria"],
                image=_badge_image(data),
                validity_months=data["validity_months"],
            )
            badge.full_clean()
            badge.save()
            badge.competences.set([competences[key] for key in data["competences"]])
            badge.save()
            report.append(f"Badge « {badge.name} » : créé.")
        else:
            report.append(f"Badge « {badge.name} » : déjà là.")
        badges[data["slug"]] = badge
    return badges


def _step(order, title, explanation, minutes, link):
    step = LearningPathStep(
        sort_order=order,
        title=title,
        explanation=explanation,
        estimated_minutes=minutes,
    )
    if link and link[0] == "page":
        target = Page.objects.filter(slug=link[1]).first()
        step.linked_page = target
    elif link and link[0] == "url":
        step.external_url, step.external_label = link[1], link[2]
    return step


def _paths(index, badges, competences, report):
    for data in PATHS:
        if Page.objects.child_of(index).filter(slug=data["slug"]).exists():
            report.append(f"Parcours « {data['title']} » : déjà là.")
            continue
        page = LearningPathPage(
            title=data["title"],
            slug=data["slug"],
            summary=data["summary"],
            level=data["level"],
            duration_minutes=data["duration"],
            audience=data["audience"],
            badge_class=badges[data["badge"]],
        )
        page.competences = [competences[key] for key in data["competences"]]
        page.steps = [_step(order, *step) for order, step in enumerate(data["steps"])]
        index.add_child(instance=page)
        page.save_revision().publish()
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
    assertion = awarding.award_one(
        badge,
        notify=False,
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
