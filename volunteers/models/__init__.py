"""The directory of « bénévoles dédiés au numérique » and their charter."""

from .accounts import VolunteerAccount
from .charters import CharterSignature, CharterVersion
from .pages import VolunteerIndexPage
from .volunteers import (
    CONSENTED_FIELDS,
    PRIVATE_FIELDS,
    Skill,
    Volunteer,
    VolunteerSkill,
)

__all__ = [
    "CONSENTED_FIELDS",
    "PRIVATE_FIELDS",
    "CharterSignature",
    "CharterVersion",
    "Skill",
    "Volunteer",
    "VolunteerAccount",
    "VolunteerIndexPage",
    "VolunteerSkill",
]
