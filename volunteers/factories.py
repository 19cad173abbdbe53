"""Factories of the volunteers: the directory page, charter versions,
volunteers and their signatures. Used by the tests and by the demo
(`volunteers/demo/`)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from home.factories import PageFactory

from .models import CharterSignature, CharterVersion, Volunteer, VolunteerIndexPage

ALL_CONSENTS = {
    "show_photo": True,
    "show_bio": True,
    "show_skills": True,
    "show_languages": True,
    "show_availability": True,
    "show_partner": True,
    "accepts_contact": True,
}


class VolunteerIndexPageFactory(PageFactory):
    class Meta:
        model = VolunteerIndexPage

    title = "Bénévoles"
    slug = "benevoles"
    show_in_menus = True


class CharterVersionFactory(DjangoModelFactory):
    """A published version of the charter, looked up by label first."""

    class Meta:
        model = CharterVersion
        django_get_or_create = ("label",)

    label = factory.Sequence(lambda n: f"Charte du bénévole – version {n}")
    effective_date = datetime.date(2026, 1, 15)
    text = "<p>Le bénévole accueille chacun avec bienveillance.</p>"
    published = True


class CharterSignatureFactory(DjangoModelFactory):
    """A volunteer's countersigned signature of a version, looked up first."""

    class Meta:
        model = CharterSignature
        django_get_or_create = ("volunteer", "version")

    signed_on = datetime.date(2026, 2, 1)
    countersigned_on = datetime.date(2026, 2, 2)


class VolunteerFactory(DjangoModelFactory):
    """A live, active volunteer with private contact details; no consent and
    no signature unless asked (`consents=ALL_CONSENTS`, `signed=version`);
    `published=True` also stores the revision an editor's « Publier » makes."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    display_name = factory.Sequence(lambda n: f"Bénévole {n}")
    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Secret{n}")
    email = factory.Sequence(lambda n: f"benevole{n}@prive.invalid")
    phone = factory.Sequence(lambda n: f"06 11 22 {n // 100 % 100:02d} {n % 100:02d}")
    bio = "Passionné de logiciels libres."
    languages = "français"
    availability = "le samedi matin"
    live = True
    active = True

    @classmethod
    def _create(cls, model_class, *args, consents=None, **kwargs):
        skills = kwargs.pop("skills", [])
        for field, value in (consents or {}).items():
            kwargs[field] = value
        volunteer = model_class(*args, **kwargs)
        if skills:
            volunteer.skills.add(*skills)
        volunteer.save()
        return volunteer

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.save_revision().publish()

    @factory.post_generation
    def signed(obj, create, extracted, **kwargs):
        """`signed=version` adds a countersigned signature of that version."""
        if create and extracted:
            CharterSignatureFactory(volunteer=obj, version=extracted)


def listed_volunteer(version, **kwargs):
    """A volunteer the public directory shows, with every consent given."""
    kwargs.setdefault("consents", ALL_CONSENTS)
    return VolunteerFactory(signed=version, **kwargs)
