"""Who may do what with volunteers, beyond Django's model permissions."""

from portal import roles

from .models import CONTACT_PERMISSION

MEDIATHEQUE_ROLES = (roles.ADMINISTRATION, roles.MODERATION, roles.MEDIATHEQUE_EDITORS)


def is_mediatheque_staff(user):
    """The médiathèque's roles: they countersign, see who must re-sign, and
    may erase a volunteer."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_volunteers_is_mediatheque", None)
    if cached is None:
        cached = user.groups.filter(name__in=MEDIATHEQUE_ROLES).exists()
        user._volunteers_is_mediatheque = cached
    return cached


def can_see_contact(user):
    return user.is_authenticated and user.has_perm(CONTACT_PERMISSION)


def can_erase(user):
    return is_mediatheque_staff(user) and user.has_perm("volunteers.delete_volunteer")
