"""The five roles of the two partners, as Wagtail groups, and what each may do.

The rule: CLX writes, the médiathèque approves. Nothing a CLX account writes
goes live without a member of « Médiathèque – Modération » approving it in the
workflow « Validation médiathèque »; médiathèque staff publish directly.

This module is data only: `MATRIX` (role → actions) and `ACTIONS` (action →
concrete permissions) are the one source of truth, and the functions below
only read them. `portal/access.py` applies them to the database (groups,
permissions, workflow) each time `setup_portal` runs. Code that asks « may
this user… » calls `user.has_perm(...)` on a permission an action grants,
never a group name.

To add a role action: add an `Action` to `ACTIONS`, add its name to the roles
of `MATRIX` that hold it, run `manage.py setup_portal`, and add the cell to
`tests/test_permission_matrix.py` if a user can try it in the admin.
"""

from dataclasses import dataclass, field

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
# Snippet models (app_label.ModelName) that go through the workflow, beside
# the whole page tree.
WORKFLOW_SNIPPETS = ["volunteers.Volunteer"]

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
    "countersign_charters": Action(
        _(
            "Contresigner la charte au nom de la médiathèque et suivre les "
            "bénévoles qui doivent la signer"
        ),
        permissions=frozenset({"volunteers.countersign_chartersignature"}),
    ),
    "manage_charters": Action(
        _("Gérer les versions de la charte et les signatures"),
        permissions=_crud(
            "volunteers.charterversion", "add", "change", "delete", "view"
        )
        | _crud("volunteers.chartersignature", "add", "change", "delete", "view"),
    ),
    "link_volunteer_accounts": Action(
        _(
            "Relier un compte à la fiche d'un bénévole (il voit alors les "
            "rendez-vous des séances qu'il anime)"
        ),
        permissions=_crud(
            "volunteers.volunteeraccount", "add", "change", "delete", "view"
        ),
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
    "manage_fediverse_followers": Action(
        _("Voir et bloquer les abonnés de l'agenda sur le fédivers"),
        permissions=_crud("events.follower", "view", "change", "delete"),
    ),
    "see_appointments": Action(
        _("Voir les rendez-vous d'assistance et leur feuille du jour"),
        permissions=frozenset({"events.view_appointment"}),
    ),
    "manage_appointments": Action(
        _(
            "Noter le suivi des rendez-vous, fixer les bénévoles de permanence, "
            "annuler ou effacer un rendez-vous"
        ),
        permissions=frozenset(
            {"events.change_appointment", "events.delete_appointment"}
        ),
    ),
    "record_facilitated_appointments": Action(
        _("Voir et noter les rendez-vous des séances que l'on anime"),
        permissions=frozenset({"events.record_appointment"}),
    ),
    "report_appointments": Action(
        _("Voir le bilan anonyme des rendez-vous"),
        permissions=frozenset({"events.report_appointment"}),
    ),
    "award_badges": Action(
        _("Traiter les demandes de badge, attribuer et révoquer des badges"),
        permissions=frozenset({"resources.award_badge"})
        | _crud("resources.badgerequest", "view", "change")
        | _crud("resources.badgeassertion", "view"),
    ),
    "add_media": Action(
        # Documents are uploaded by the médiathèque only (manage_media).
        _("Ajouter des images (modifier les siennes), choisir images et documents"),
        collections=frozenset(
            {
                "wagtailimages.add_image",
                "wagtailimages.choose_image",
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
    "request_rooms": Action(
        _("Demander une salle (une date ou une série)"),
        permissions=_crud("events.booking", "add", "view")
        | _crud("events.room", "view"),
    ),
    "see_bookings": Action(
        _("Voir les salles, les demandes et le flux iCalendar des réservations"),
        permissions=_crud("events.booking", "view") | _crud("events.room", "view"),
    ),
    "decide_bookings": Action(
        _("Confirmer ou refuser une demande de salle"),
        permissions=frozenset({"events.decide_booking"})
        | _crud("events.booking", "view"),
    ),
    "manage_rooms": Action(
        _("Gérer les salles, leurs créneaux et leurs fermetures"),
        permissions=_crud("events.room", "add", "change", "delete", "view"),
    ),
    "propose_commitments": Action(
        _("Proposer et modifier les engagements financiers d'un événement"),
        permissions=_crud("events.financialcommitment", "add", "change", "view"),
    ),
    "authorise_town_commitments": Action(
        _("Autoriser un engagement financier de la ville"),
        permissions=frozenset(
            {
                "events.authorise_town_commitment",
                "events.export_financialcommitment",
                "events.view_financialcommitment",
            }
        ),
    ),
    "agree_clx_commitments": Action(
        _("Donner l'accord de CLX à un engagement partagé"),
        permissions=frozenset(
            {"events.agree_clx_commitment", "events.view_financialcommitment"}
        ),
    ),
    "manage_membership": Action(
        _("Voir et enregistrer l'adhésion annuelle de la ville à CLX"),
        permissions=_crud("home.membership", "add", "change", "view"),
    ),
    "see_membership": Action(
        _("Voir si l'adhésion annuelle de la ville à CLX est payée (lecture seule)"),
        permissions=_crud("home.membership", "view"),
    ),
    "resend_failed_mail": Action(
        _("Voir les envois d'e-mails en échec et les renvoyer"),
        permissions=frozenset(
            {"portal.view_outgoingmail", "portal.resend_outgoingmail"}
        ),
    ),
    "see_convention_report": Action(
        _("Voir et exporter le bilan de la convention (comptes anonymes)"),
        permissions=frozenset({"events.view_convention_report"}),
    ),
    "manage_users": Action(
        _("Gérer les comptes et les groupes"),
        permissions=_crud("auth.user", "add", "change", "delete", "view")
        | _crud("auth.group", "add", "change", "delete", "view"),
    ),
}

_CLX = {
    "open_admin",
    "write_sections",
    "read_reference",
    "add_media",
    "record_facilitated_appointments",
    "request_rooms",
    "propose_commitments",
}
_MEDIATHEQUE_STAFF = {
    "open_admin",
    "write_site",
    "publish_site",
    "read_reference",
    "manage_media",
    "see_registrations",
    "manage_registrations",
    "export_registrations",
    "see_appointments",
    "manage_appointments",
    "record_facilitated_appointments",
    "report_appointments",
    "manage_agenda_subscribers",
    "manage_fediverse_followers",
    "award_badges",
    "countersign_charters",
    "see_bookings",
    "manage_rooms",
    "propose_commitments",
    "authorise_town_commitments",
    "manage_membership",
    "resend_failed_mail",
    "see_convention_report",
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
    "link_volunteer_accounts",
    "decide_bookings",
}

MATRIX = {
    ADMINISTRATION: _MODERATION | {"edit_settings", "manage_users"},
    MODERATION: _MODERATION,
    MEDIATHEQUE_EDITORS: _MEDIATHEQUE_STAFF | {"manage_venues_machines"},
    CLX_EDITORS: _CLX,
    # The club's coordinators keep its volunteers' entries (and need their
    # contact details to do so); their changes still go through approval.
    # They also see, read-only, whether the town paid its membership of CLX.
    CLX_COORDINATION: _CLX
    | {
        "edit_volunteers",
        "see_volunteer_contact",
        "agree_clx_commitments",
        "see_membership",
        "see_convention_report",
    },
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
