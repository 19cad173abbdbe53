"""Factories for the practical guides: machines, images and guide pages."""

import io
import itertools

from django.core.files.images import ImageFile
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model

from resources.models import GuideIndexPage, GuideMaterial, GuidePage, Machine

_numbers = itertools.count(1)


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
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "PNG")
    image = get_image_model()(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name="etape.png")
    )
    image.save()
    return image


def step(title, text="<p>Faites ceci.</p>", extras=()):
    return {
        "type": "step",
        "value": {"title": title, "text": text, "extras": list(extras)},
    }


def image_extra(image, alt="Le plateau de l'imprimante"):
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": alt, "caption": ""},
    }


def make_guide(index=None, *, steps=None, machines=(), materials=(), **fields):
    """A published guide under /guides/ (the index page must exist)."""
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
    guide.materials = [
        GuideMaterial(name=name, quantity=quantity) for name, quantity in materials
    ]
    index.add_child(instance=guide)
    guide.save_revision().publish()
    return guide
