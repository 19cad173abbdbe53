"""The five roles of the two partners, as Wagtail groups.

`setup_portal` brings the groups to what this module says, every time it
runs: a group's permissions are replaced by the matrix below, never merged
with whatever an earlier version left.
"""

from django.contrib.auth.models import Group, Permission

ADMINISTRATION = "Médiathèque – Administration"
MODERATION = "Médiathèque – Modération"
MEDIATHEQUE_EDITORS = "Médiathèque – Rédaction"
CLX_EDITORS = "CLX – Rédaction"
CLX_COORDINATION = "CLX – Coordination"

ROLES = [ADMINISTRATION, MODERATION, MEDIATHEQUE_EDITORS, CLX_EDITORS, CLX_COORDINATION]

ADMIN_ACCESS = ("wagtailadmin", "access_admin")


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def setup_groups():
    """Create the groups and give each access to the admin."""
    groups = {}
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(_permission(*ADMIN_ACCESS))
        groups[name] = group
    return groups
