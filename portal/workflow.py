"""The editorial workflow « Validation médiathèque ».

Rule: every change submitted on the site's pages or on the volunteer
directory waits for one approval, « Relecture médiathèque », by the
médiathèque's moderators. Approving publishes the change (or schedules it
when it has a go-live date); rejecting sends it back to its author with the
moderator's comment. Staff who hold the publish permission may still publish
directly without going through it.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowMixin,
    WorkflowPage,
    WorkflowTask,
)

from . import roles

# Snippet models that go through the workflow, once they support it.
WORKFLOW_SNIPPETS = ["volunteers.Volunteer"]

# Wagtail's migrations create a sample workflow on the tree's root; ours
# replaces it, so it is removed while nothing ever went through it.
WAGTAIL_SAMPLE_WORKFLOW = "Moderators approval"


def setup_workflow(groups, warn=None):
    """Create or update the workflow, its single task held by `groups`, and
    assign it to the site's home page and to the workflow-enabled snippets."""
    warn = warn or (lambda message: None)
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

    for label in WORKFLOW_SNIPPETS:
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
