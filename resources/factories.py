"""Factories of the resources: the guides' and learning paths' index pages,
machines, guide pages and the blocks of their steps, competences, badge
classes, learning paths and awarded badges. Used by the tests and by the
demo (`resources/demo/`)."""

import io
import itertools

import factory
from django.core.files.images import ImageFile
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.images import get_image_model

from home.factories import PageFactory, wagtail_image

from . import awarding
from .models import (
    BadgeAssertion,
    BadgeClass,
    Competence,
    GuideDownload,
    GuideIndexPage,
    GuideMaterial,
    GuidePage,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
    Machine,
)

_numbers = itertools.count(1)


# --- Guides -------------------------------------------------------------------


class GuideIndexPageFactory(PageFactory):
    class Meta:
        model = GuideIndexPage

    title = "Guides pratiques"
    slug = "guides"
    show_in_menus = True


class MachineFactory(DjangoModelFactory):
    class Meta:
        model = Machine
        django_get_or_create = ("slug",)

    name = "Imprimante 3D"
    slug = "imprimante-3d-prusa-mk4"
    kind = "imprimante-3d"
    model_name = "Prusa MK4"
    location = "Fab Lab de la médiathèque"
    training_required = True
    training_text = "Formation Fab Lab du Circuit."
    training_url = "https://mediatheque.pasdecalais.fr/"
    safety_rules = "<ul><li>La buse chauffe à 215 °C.</li></ul>"


def make_image(title="Photo d'étape", size=(64, 48), color="#1b3f73"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="etape.png")
    )
    image.save()
    return image


# A guide's steps in StreamField's stored (JSON) form: images by id.


def step(title, text="<p>Faites ceci.</p>", extras=()):
    return {
        "type": "step",
        "value": {"title": title, "text": text, "extras": list(extras)},
    }


def image_extra(image, alt="Le plateau de l'imprimante", caption=""):
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": alt, "caption": caption},
    }


def text_extra(kind, html):
    """A « tip » or « warning » box of a step."""
    return {"type": kind, "value": {"text": html}}


def code_extra(code, language="shell"):
    return {"type": "code", "value": {"language": language, "code": code}}


def make_guide(
    index=None,
    *,
    steps=None,
    machines=(),
    materials=(),
    partners=(),
    downloads=(),
    publish=True,
    **fields,
):
    """A published guide under /guides/ (the index page must exist).
    ``materials`` are (name, quantity) or (name, quantity, link),
    ``downloads`` (document, description)."""
    index = index or GuideIndexPage.objects.get()
    number = next(_numbers)
    defaults = {
        "title": f"Guide {number}",
        "slug": f"guide-{number}",
        "summary": "Un guide pour apprendre pas à pas.",
        "category": "fab-lab",
        "difficulty": 2,
        "duration_minutes": 45,
    }
    defaults.update(fields)
    guide = GuidePage(**defaults)
    guide.steps = steps or [step("Première étape")]
    guide.machines = list(machines)
    guide.partners = list(partners)
    guide.materials = [
        GuideMaterial(name=name, quantity=quantity, link="".join(link))
        for name, quantity, *link in materials
    ]
    guide.downloads = [
        GuideDownload(document=document, description=description)
        for document, description in downloads
    ]
    index.add_child(instance=guide)
    if publish:
        guide.save_revision().publish()
    return guide


# --- Learning paths and badges --------------------------------------------------------


class LearningPathIndexPageFactory(PageFactory):
    class Meta:
        model = LearningPathIndexPage

    title = "Parcours"
    slug = "parcours"
    show_in_menus = True


class CompetenceFactory(DjangoModelFactory):
    """A competence of a framework (Pix, DigComp), looked up by code first."""

    class Meta:
        model = Competence
        django_get_or_create = ("framework", "code")

    framework = "pix"
    code = factory.Sequence(lambda n: f"{n + 1}.1")
    name = "Gérer des données"
    url = "https://pix.fr/competences"


def create_competence(framework="pix", code=None, name="Gérer des données"):
    return CompetenceFactory(
        framework=framework, code=code or f"{next(_numbers)}.1", name=name
    )


def create_badge_class(slug=None, image=None, competences=(), **fields):
    number = next(_numbers)
    badge = BadgeClass(
        slug=slug or f"badge-{number}",
        name=fields.pop("name", f"Badge d'essai {number}"),
        description=fields.pop("description", "Atteste d'un savoir-faire."),
        criteria_narrative=fields.pop("criteria_narrative", "Suivre le parcours."),
        image=image or wagtail_image(),
        **fields,
    )
    badge.full_clean()
    badge.save()
    if competences:
        badge.competences.set(competences)
        badge.save()  # a ParentalManyToManyField is written on save
    return badge


def path_index(home):
    return LearningPathIndexPage.objects.child_of(home).get()


def path_step(order, title, explanation, minutes=10, *, page=None, url="", label=""):
    """One step of a learning path, linked to a page of the site or to an
    external resource (or to nothing)."""
    return LearningPathStep(
        sort_order=order,
        title=title,
        explanation=explanation,
        estimated_minutes=minutes,
        linked_page=page,
        external_url=url,
        external_label=label,
    )


def create_path(
    index,
    *,
    title=None,
    steps=3,
    badge_class=None,
    level=LearningPathPage.Level.BEGINNER,
    linked_page=None,
    competences=(),
    publish=True,
    **fields,
):
    """A learning path under ``index``: ``steps`` is a number of generic
    steps (the first linked to ``linked_page`` if given) or a list of
    `path_step(...)`."""
    number = next(_numbers)
    fields.setdefault("slug", f"parcours-{number}")
    fields.setdefault("summary", "Apprendre pas à pas.")
    fields.setdefault("duration_minutes", 90)
    page = LearningPathPage(
        title=title or f"Parcours {number}",
        level=level,
        badge_class=badge_class,
        **fields,
    )
    if isinstance(steps, int):
        steps = [
            path_step(i, f"Étape {i + 1}", "Faire ceci puis cela.", page=linked_page)
            if i == 0 and linked_page
            else path_step(
                i,
                f"Étape {i + 1}",
                "Faire ceci puis cela.",
                url="https://exemple.org/",
                label="Ressource",
            )
            for i in range(steps)
        ]
    page.steps = list(steps)
    page.competences = list(competences)
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def award(badge, email="lea@exemple.fr", name="Léa Martin", **fields):
    """An awarded badge, through the awarding rule; no mail unless asked."""
    fields.setdefault("notify", False)
    fields.setdefault("source", BadgeAssertion.Source.ADMIN)
    return awarding.award_one(badge, email=email, name=name, **fields)
