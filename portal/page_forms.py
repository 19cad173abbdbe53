"""The admin form every page type of the portal is edited with.

Wagtail 8 autosaves the « add page » form: as soon as a title is typed, a
draft page exists, with the slug made from that title. Someone who closes
the tab and starts again the next day with the same title is then told that
the slug is « déjà utilisé » by a page they never knowingly created. This
form says which page it is (their own draft, never published, when it was
last saved) and links to it, so they can pick it up where they left off, or
delete it."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal import formats

__all__ = ["PortalPageForm", "abandoned_draft"]


def abandoned_draft(parent, slug, exclude):
    """The never-published draft under `parent` holding `slug`, if any."""
    siblings = parent.get_children().filter(slug=slug, first_published_at=None)
    if exclude.pk:
        siblings = siblings.exclude(pk=exclude.pk)
    return siblings.filter(live=False).specific().first()


class PortalPageForm(WagtailAdminPageForm):
    def clean(self):
        slug = self.cleaned_data.get("slug")
        cleaned_data = super().clean()
        if not (slug and self.has_error("slug") and self.parent_page):
            return cleaned_data
        draft = abandoned_draft(self.parent_page, slug, self.instance)
        if draft is None:
            return cleaned_data
        saved = draft.latest_revision_created_at
        when = f"{formats.day(saved)} à {formats.time_of_day(saved)}" if saved else ""
        mine = self.for_user is not None and draft.owner_id == self.for_user.pk
        self.errors["slug"] = self.error_class(
            [
                format_html(
                    '{} <a href="{}">{}</a>',
                    (
                        _(
                            "Vous avez déjà commencé une page « %(title)s » à "
                            "cette adresse : un brouillon jamais publié, "
                            "enregistré automatiquement le %(when)s. "
                            "Reprenez-le, ou choisissez une autre adresse "
                            "(champ « Slug », onglet « Promotion »)."
                        )
                        if mine
                        else _(
                            "Une page « %(title)s » en brouillon, jamais "
                            "publiée, occupe déjà cette adresse (dernier "
                            "enregistrement le %(when)s). Choisissez une "
                            "autre adresse (champ « Slug », onglet « Promotion »)."
                        )
                    )
                    % {"title": draft.title, "when": when},
                    reverse("wagtailadmin_pages:edit", args=[draft.pk]),
                    _("Reprendre ce brouillon"),
                )
            ]
        )
        return cleaned_data
