"""Factories for learning paths and Open Badges."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from resources import awarding
from resources.models import (
    BadgeAssertion,
    BadgeClass,
    Competence,
    LearningPathIndexPage,
    LearningPathPage,
    LearningPathStep,
)

_numbers = itertools.count(1)


def png_bytes(width=256, height=256, fmt="PNG", colour=(27, 63, 115)):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(buffer, format=fmt)
    return buffer.getvalue()


def wagtail_image(width=256, height=256, fmt="PNG", title=None):
    ensure_root_collection()
    Image = get_image_model()
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[fmt]
    image = Image(
        title=title or f"Image {next(_numbers)}",
        file=ImageFile(
            io.BytesIO(png_bytes(width, height, fmt)), name=f"img.{extension}"
        ),
    )
    image.save()
    return image


def ensure_root_collection():
    # A flushed database (transactional tests) has lost Wagtail's root
    # collection, which every image belongs to.
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def create_competence(framework="pix", code=None, name="Gérer des données"):
    return Competence.objects.create(
        framework=framework,
        code=code or f"{next(_numbers)}.1",
        name=name,
        url="https://pix.fr/competences",
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


def create_path(
    index,
    *,
    title=None,
    steps=3,
    badge_class=None,
    level=LearningPathPage.Level.BEGINNER,
    linked_page=None,
    publish=True,
):
    number = next(_numbers)
    page = LearningPathPage(
        title=title or f"Parcours {number}",
        slug=f"parcours-{number}",
        summary="Apprendre pas à pas.",
        level=level,
        duration_minutes=90,
        badge_class=badge_class,
    )
    page.steps = [
        LearningPathStep(
            sort_order=i,
            title=f"Étape {i + 1}",
            explanation="Faire ceci puis cela.",
            estimated_minutes=10,
            linked_page=linked_page if i == 0 else None,
            external_url="" if (i == 0 and linked_page) else "https://exemple.org/",
            external_label="" if (i == 0 and linked_page) else "Ressource",
        )
        for i in range(steps)
    ]
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def award(badge, email="lea@exemple.fr", name="Léa Martin", **fields):
    fields.setdefault("notify", False)
    fields.setdefault("source", BadgeAssertion.Source.ADMIN)
    return awarding.award_one(badge, email=email, name=name, **fields)
