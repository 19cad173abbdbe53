"""Applies the roles matrix of `portal/roles.py` to the database.

Rule: after `apply_matrix()` the five groups hold exactly the permissions the
matrix gives them (model, page and collection permissions no longer listed
are removed, never merged with what an earlier version left), and the
workflow « Validation médiathèque » has one task, « Relecture médiathèque »,
held by the approving roles, on the whole page tree and on the snippets of
`roles.WORKFLOW_SNIPPETS`. Approving publishes the change (or schedules it
when it has a go-live date); rejecting sends it back to its author with the
moderator's comment; staff holding the publish permission still publish
directly. Permissions of models that do not exist yet are skipped with a
warning, so setting up never fails half-way. `setup_portal` calls it; it can
run any number of times.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
    WorkflowPage,
    WorkflowTask,
)

from . import roles

# Groups created by Wagtail's own migrations, with rights on the whole tree;
# they have no place beside the five roles and go while nobody is in them.
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]

# Wagtail's migrations create a sample workflow on the tree's root; ours
# replaces it, so it is removed while nothing ever went through it.
WAGTAIL_SAMPLE_WORKFLOW = "Moderators approval"

PAGE_PERMISSION_TYPES = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


def _ignore(message):
    pass


def apply_matrix(warn=None):
    """Create the groups and bring their permissions and the workflow to the
    matrix. Return the groups by name. `warn(message)` receives what had to
    be skipped (a model not migrated yet, a section not created yet)."""
    warn = warn or _ignore
    groups = {}
    for role in roles.ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        groups[role] = group
    _sync(groups, warn)
    Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS, user__isnull=True).delete()
    setup_workflow([groups[role] for role in roles.approving_roles()], warn=warn)
    return groups


def find_permissions(name):
    """The Permission rows behind an "app_label.codename" name."""
    app_label, codename = name.split(".")
    return list(
        Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).select_related("content_type")
    )


def _permission_index():
    """Every Permission by "app_label.codename", in one query."""
    index = {}
    for permission in Permission.objects.select_related("content_type"):
        name = f"{permission.content_type.app_label}.{permission.codename}"
        index.setdefault(name, []).append(permission)
    return index


def _resolve(names, warn, index):
    found = {}
    for name in sorted(names):
        permissions = index.get(name, [])
        if not permissions:
            warn(f"Droit {name} introuvable (modèle pas encore migré ?) : ignoré.")
        for permission in permissions:
            found[permission.pk] = permission
    return found


def _sections(warn):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        warn("Aucun site par défaut : droits sur les pages non attribués.")
        return {}
    home = site.root_page
    sections = {roles.HOME: home}
    for page in Page.objects.child_of(home).filter(slug__in=roles.CLX_SECTIONS):
        sections[page.slug] = page
    missing = [slug for slug in roles.CLX_SECTIONS if slug not in sections]
    if len(missing) == len(roles.CLX_SECTIONS):
        # A new database: the tree comes with load_demo_data, which applies
        # the matrix again once the sections exist.
        warn(
            "Rubriques du site pas encore créées : leurs droits seront attribués "
            "par load_demo_data (ou en relançant setup_portal)."
        )
    else:
        for slug in missing:
            warn(
                f"Rubrique /{slug}/ absente : droits sur cette rubrique non attribués."
            )
    return sections


def _sync(groups, warn):
    sections = _sections(warn)
    page_permissions = {
        permission.codename.removesuffix("_page"): permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[f"{kind}_page" for kind in PAGE_PERMISSION_TYPES],
        )
    }
    root_collection = Collection.get_first_root_node()
    index = _permission_index()

    for role, group in groups.items():
        # Permissions held by the group itself.
        wanted = _resolve(roles.model_permissions_of(role), warn, index)
        group.permissions.set(wanted.values())

        # Page permissions: exactly the (page, permission) pairs of the matrix.
        wanted_pages = {
            (sections[section].pk, page_permissions[kind].pk)
            for section, kinds in roles.page_permissions_of(role).items()
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
                for pk in _resolve(roles.collection_permissions_of(role), warn, index)
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


# --- The workflow « Validation médiathèque » --------------------------------


def setup_workflow(groups, warn=None):
    """Create or update the workflow, its single task held by `groups`, and
    assign it to the site's home page and to the workflow-enabled snippets."""
    warn = warn or _ignore
    workflow, _ = Workflow.objects.get_or_create(name=roles.WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])

    task = GroupApprovalTask.objects.filter(name=roles.TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=roles.TASK_NAME)
    if not task.active:
        task.active = True
        task.save(update_fields=["active"])
    if {g.pk for g in task.groups.all()} != {g.pk for g in groups}:
        task.groups.set(groups)

    # Exactly one task in the workflow: ours.
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        warn("Aucun site par défaut : circuit de validation non rattaché aux pages.")
    else:
        WorkflowPage.objects.update_or_create(
            page_id=site.root_page_id, defaults={"workflow": workflow}
        )

    for label in roles.WORKFLOW_SNIPPETS:
        # The matrix names models by label, as it names permissions.
        try:
            model = apps.get_model(label)
        except LookupError:
            warn(f"Modèle {label} introuvable : circuit non rattaché.")
            continue
        if not issubclass(model, WorkflowMixin):
            warn(f"{label} ne gère pas encore les circuits de validation : ignoré.")
            continue
        WorkflowContentType.objects.update_or_create(
            content_type=ContentType.objects.get_for_model(model),
            defaults={"workflow": workflow},
        )

    _remove_wagtail_sample()
    return workflow


def _remove_wagtail_sample():
    sample = Workflow.objects.filter(name=WAGTAIL_SAMPLE_WORKFLOW).first()
    if sample is None or sample.workflow_states.exists():
        return
    task_ids = list(sample.workflow_tasks.values_list("task_id", flat=True))
    sample.delete()
    for task in GroupApprovalTask.objects.filter(pk__in=task_ids):
        if not task.workflow_tasks.exists() and not task.task_states.exists():
            task.delete()
