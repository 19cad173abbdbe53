"""Re-exported from `volunteers.factories`."""

from volunteers.factories import (
    ALL_CONSENTS,
    CharterSignatureFactory,
    CharterVersionFactory,
    VolunteerFactory,
    VolunteerIndexPageFactory,
    listed_volunteer,
)

__all__ = [
    "ALL_CONSENTS",
    "CharterSignatureFactory",
    "CharterVersionFactory",
    "VolunteerFactory",
    "VolunteerIndexPageFactory",
    "listed_volunteer",
]
