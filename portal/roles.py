"""The five roles of the two partners, as Wagtail groups, and what each may do.

The rule: CLX writes, the médiathèque approves. Nothing a CLX account writes
goes live without a member of « Médiathèque – Modération » approving it in the
workflow « Validation médiathèque »; médiathèque staff publish directly.

`MATRIX` (role → actions) and `ACTIONS` (action → concrete permissions) are
the one source of truth. `setup_portal` brings the groups to them every time
it runs: permissions no longer listed are removed, never merged with whatever
an earlier version left. Permissions of models that do not exist yet are
skipped with a warning, so setting up never fails half-way.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

ADMINISTRATION = "Médiathèque – Administration"
MODERATION = "Médiathèque – Modération"
MEDIATHEQUE_EDITORS = "Médiathèque – Rédaction"
CLX_EDITORS = "CLX – Rédaction"
CLX_COORDINATION = "CLX – Coordination"

ROLES = [ADMINISTRATION, MODERATION, MEDIATHEQUE_EDITORS, CLX_EDITORS, CLX_COORDINATION]

# Which partner a role belongs to (slug of `home.Partner`): a page's authoring
# partner is the partner of its owner's role.
PARTNER_OF_ROLE = {
    ADMINISTRATION: "mediatheque-wimille",
    MODERATION: "mediatheque-wimille",
    MEDIATHEQUE_EDITORS: "mediatheque-wimille",
    CLX_EDITORS: "clx",
    CLX_COORDINATION: "clx",
}

WORKFLOW_NAME = "Validation médiathèque"
TASK_NAME = "Relecture médiathèque"

# Sections of the page tree, by slug under the site's home page ("" = home).
# Page permissions granted on a section hold for every page below it.
HOME = ""
AGENDA = "agenda"
PATHS = "parcours"
GUIDES = "guides"
CLX_SECTIONS = (AGENDA, PATHS, GUIDES)

ADMIN_ACCESS = "wagtailadmin.access_admin"


def _crud(label, *verbs):
    app_label, model = label.split(".")
    return frozenset(f"{app_label}.{verb}_{model}" for verb in verbs)


@dataclass(frozen=True)
class Action:
    """Something a role may do, and the Django / Wagtail permissions it takes."""

    label: str
    # "app_label.codename", given to the group itself.
    permissions: frozenset = frozenset()
    # section slug → page permission types ("add", "change", "publish", ...).
    pages: dict = field(default_factory=dict)
    # "app_label.codename" given on the root collection (images, documents).
    collections: frozenset = frozenset()
    # Holds the « Relecture médiathèque » task: approves and rejects.
    approves: bool = False


REFERENCE_SNIPPETS = [
    "events.venue",
    "events.eventtype",
    "resources.machine",
    "resources.competence",
    "resources.badgeclass",
    "home.partner",
]

ACTIONS = {
    "open_admin": Action(
        _("Ouvrir l'administration"), permissions=frozenset({ADMIN_ACCESS})
    ),
    "write_sections": Action(
        _("Créer et modifier des brouillons dans l'agenda, les parcours, les guides"),
        pages={section: {"add", "change"} for section in CLX_SECTIONS},
    ),
    "write_site": Action(
        _("Créer et modifier des pages dans tout le site"),
        pages={HOME: {"add", "change"}},
    ),
    "publish_site": Action(
        _("Publier et dépublier dans tout le site"), pages={HOME: {"publish"}}
    ),
    "manage_tree": Action(
        _("Supprimer des branches, verrouiller et déverrouiller les pages"),
        pages={HOME: {"bulk_delete", "lock", "unlock"}},
    ),
    "approve": Action(
        _("Approuver ou refuser ce qui est soumis à « Validation médiathèque »"),
        approves=True,
    ),
    "read_reference": Action(
        _("Consulter et choisir lieux, machines, compétences, badges, bénévoles"),
        permissions=frozenset(
            f"{label.split('.')[0]}.view_{label.split('.')[1]}"
            for label in [*REFERENCE_SNIPPETS, "volunteers.volunteer"]
        ),
    ),
    "manage_venues_machines": Action(
        _("Gérer les lieux et les machines"),
        permissions=_crud("events.venue", "add", "change", "delete")
        | _crud("resources.machine", "add", "change", "delete"),
    ),
    "manage_reference": Action(
        _("Gérer tous les fragments de référence (types, compétences, badges…)"),
        permissions=frozenset().union(
            *(_crud(label, "add", "change", "delete") for label in REFERENCE_SNIPPETS)
        ),
    ),
    "edit_volunteers": Action(
        _("Ajouter et modifier des bénévoles (soumis à validation)"),
        permissions=_crud("volunteers.volunteer", "add", "change", "lock"),
    ),
    "publish_volunteers": Action(
        _("Publier, supprimer et déverrouiller les fiches des bénévoles"),
        permissions=_crud("volunteers.volunteer", "publish", "delete", "unlock"),
    ),
    "see_volunteer_contact": Action(
        _("Voir les coordonnées privées des bénévoles"),
        permissions=frozenset({"volunteers.view_volunteer_contact"}),
    ),
    "manage_charters": Action(
        _("Gérer les versions de la charte et les signatures"),
        permissions=_crud(
            "volunteers.charterversion", "add", "change", "delete", "view"
        )
        | _crud("volunteers.chartersignature", "add", "change", "delete", "view"),
    ),
    "see_registrations": Action(
        _("Voir les inscriptions (données personnelles)"),
        permissions=frozenset({"events.view_registration"}),
    ),
    "manage_registrations": Action(
        _("Modifier, annuler et effacer des inscriptions"),
        permissions=_crud("events.registration", "change", "delete"),
    ),
    "export_registrations": Action(
        _("Exporter les inscriptions et la feuille d'émargement"),
        permissions=frozenset({"events.export_registration"}),
    ),
    "manage_agenda_subscribers": Action(
        _("Voir, exporter et effacer les abonnés à l'agenda par e-mail"),
        permissions=_crud("events.agendasubscription", "view", "export", "delete"),
    ),
    "award_badges": Action(
        _("Traiter les demandes de badge, attribuer et révoquer des badges"),
        permissions=frozenset({"resources.award_badge"})
        | _crud("resources.badgerequest", "view", "change")
        | _crud("resources.badgeassertion", "view"),
    ),
    "add_media": Action(
        _("Ajouter et choisir des images et documents (modifier les siens)"),
        collections=frozenset(
            {
                "wagtailimages.add_image",
                "wagtailimages.choose_image",
                "wagtaildocs.add_document",
                "wagtaildocs.choose_document",
            }
        ),
    ),
    "manage_media": Action(
        _("Gérer toutes les images et tous les documents"),
        collections=_crud("wagtailimages.image", "add", "change", "delete", "choose")
        | _crud("wagtaildocs.document", "add", "change", "delete", "choose"),
    ),
    "edit_settings": Action(
        _("Modifier les paramètres du site, les sites et les redirections"),
        permissions=_crud("home.portalsettings", "change")
        | _crud("wagtailcore.site", "add", "change", "delete")
        | _crud("wagtailredirects.redirect", "add", "change", "delete"),
    ),
    "manage_users": Action(
        _("Gérer les comptes et les groupes"),
        permissions=_crud("auth.user", "add", "change", "delete", "view")
        | _crud("auth.group", "add", "change", "delete", "view"),
    ),
}

_CLX = {"open_admin", "write_sections", "read_reference", "add_media"}
_MEDIATHEQUE_STAFF = {
    "open_admin",
    "write_site",
    "publish_site",
    "read_reference",
    "manage_media",
    "see_registrations",
    "manage_registrations",
    "export_registrations",
    "manage_agenda_subscribers",
    "award_badges",
}
_MODERATION = _MEDIATHEQUE_STAFF | {
    "manage_tree",
    "approve",
    "manage_reference",
    "manage_venues_machines",
    "edit_volunteers",
    "publish_volunteers",
    "see_volunteer_contact",
    "manage_charters",
}

MATRIX = {
    ADMINISTRATION: _MODERATION | {"edit_settings", "manage_users"},
    MODERATION: _MODERATION,
    MEDIATHEQUE_EDITORS: _MEDIATHEQUE_STAFF | {"manage_venues_machines"},
    CLX_EDITORS: _CLX,
    # The club's coordinators keep its volunteers' entries (and need their
    # contact details to do so); their changes still go through approval.
    CLX_COORDINATION: _CLX | {"edit_volunteers", "see_volunteer_contact"},
}


def actions_of(role):
    return [ACTIONS[name] for name in sorted(MATRIX[role])]


def model_permissions_of(role):
    return set().union(*(action.permissions for action in actions_of(role)))


def page_permissions_of(role):
    """{section slug: {"add", "change", ...}} for the role."""
    grants = {}
    for action in actions_of(role):
        for section, types in action.pages.items():
            grants.setdefault(section, set()).update(types)
    return grants


def collection_permissions_of(role):
    return set().union(*(action.collections for action in actions_of(role)))


def approving_roles():
    return [role for role in ROLES if any(a.approves for a in actions_of(role))]


def all_named_permissions():
    """Every "app_label.codename" the matrix names (pages included)."""
    names = set()
    for action in ACTIONS.values():
        names |= action.permissions | action.collections
        for types in action.pages.values():
            names |= {f"wagtailcore.{kind}_page" for kind in types}
    return names


def find_permissions(name):
    app_label, codename = name.split(".")
    return list(
        Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).select_related("content_type")
    )


# Groups created by Wagtail's own migrations, with rights on the whole tree;
# they have no place beside the five roles and go while nobody is in them.
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]


def setup_groups(warn=None):
    """Create the groups and bring their permissions and the workflow to the
    matrix. Return the groups by name. `warn(message)` receives what had to
    be skipped (a model not migrated yet, a section not created yet)."""
    from . import workflow

    warn = warn or (lambda message: None)
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
    _sync(groups, warn)
    Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS, user__isnull=True).delete()
    workflow.setup_workflow([groups[role] for role in approving_roles()], warn=warn)
    return groups


def _resolve(names, warn):
    found = {}
    for name in sorted(names):
        permissions = find_permissions(name)
        if not permissions:
            warn(f"Droit {name} introuvable (modèle pas encore migré ?) : ignoré.")
        for permission in permissions:
            found[permission.pk] = permission
    return found


def _sections(warn):
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        warn("Aucun site par défaut : droits sur les pages non attribués.")
        return {}
    home = site.root_page
    sections = {HOME: home}
    for page in Page.objects.child_of(home).filter(slug__in=CLX_SECTIONS):
        sections[page.slug] = page
    for slug in CLX_SECTIONS:
        if slug not in sections:
            warn(
                f"Rubrique /{slug}/ absente : droits sur cette rubrique non attribués."
            )
    return sections


def _sync(groups, warn):
    from wagtail.models import (
        Collection,
        GroupCollectionPermission,
        GroupPagePermission,
    )

    sections = _sections(warn)
    page_permissions = {
        permission.codename.removesuffix("_page"): permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[
                f"{kind}_page"
                for kind in (
                    "add",
                    "change",
                    "publish",
                    "bulk_delete",
                    "lock",
                    "unlock",
                )
            ],
        )
    }
    root_collection = Collection.get_first_root_node()

    for role, group in groups.items():
        # Permissions held by the group itself.
        wanted = _resolve(model_permissions_of(role), warn)
        group.permissions.set(wanted.values())

        # Page permissions: exactly the (page, permission) pairs of the matrix.
        wanted_pages = {
            (sections[section].pk, page_permissions[kind].pk)
            for section, kinds in page_permissions_of(role).items()
            if section in sections
            for kind in kinds
        }
        existing = {
            (gpp.page_id, gpp.permission_id): gpp.pk
            for gpp in GroupPagePermission.objects.filter(group=group)
        }
        GroupPagePermission.objects.filter(
            pk__in=[pk for key, pk in existing.items() if key not in wanted_pages]
        ).delete()
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group=group, page_id=page_id, permission_id=perm_id)
            for page_id, perm_id in wanted_pages - existing.keys()
        )

        # Collection permissions, on the root collection only.
        wanted_collections = set()
        if root_collection is not None:
            wanted_collections = {
                (root_collection.pk, pk)
                for pk in _resolve(collection_permissions_of(role), warn)
            }
        existing = {
            (gcp.collection_id, gcp.permission_id): gcp.pk
            for gcp in GroupCollectionPermission.objects.filter(group=group)
        }
        GroupCollectionPermission.objects.filter(
            pk__in=[pk for key, pk in existing.items() if key not in wanted_collections]
        ).delete()
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(
                group=group, collection_id=collection_id, permission_id=perm_id
            )
            for collection_id, perm_id in wanted_collections - existing.keys()
        )


def partner_of_user(user):
    """Slug of the partner a user writes for, from their role (None if none)."""
    for group in user.groups.all():
        if group.name in PARTNER_OF_ROLE:
            return PARTNER_OF_ROLE[group.name]
    return None
