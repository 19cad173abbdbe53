"""« Envois en échec »: the messages the queue gave up on, for staff.

A message lands here after a day of failed deliveries (`portal.mail`).
Staff holding the matrix action `resend_failed_mail` (`portal/roles.py`) see
the list with the last error and send a message again with « Renvoyer »; the
dashboard shows them how many are waiting. Nobody adds or edits one by hand.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import mail
from .models import OutgoingMail

VIEW = "portal.view_outgoingmail"
RESEND = "portal.resend_outgoingmail"


class FailedMailPolicy(ModelPermissionPolicy):
    """Viewing only, through Django's permissions (`user.has_perm`)."""

    denied = ("add", "change", "delete")

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(
            [a for a in actions if a not in self.denied]
        )


register_permission_policy(OutgoingMail, FailedMailPolicy(OutgoingMail))


class ErrorColumn(Column):
    def get_value(self, instance):
        text = instance.last_error or ""
        return text if len(text) <= 120 else text[:119] + "…"


class FailedMailIndexView(IndexView):
    any_permission_required = ["view"]
    page_title = gettext_lazy("Envois en échec")

    def get_base_queryset(self):
        return super().get_base_queryset().filter(status=OutgoingMail.Status.FAILED)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm(RESEND):
            buttons.append(
                Button(
                    _("Renvoyer"),
                    url=reverse("failed_mail:resend", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=5,
                )
            )
        return buttons


class FailedMailViewSet(ModelViewSet):
    model = OutgoingMail
    icon = "warning"
    menu_label = gettext_lazy("Envois en échec")
    menu_name = "envois-en-echec"
    menu_order = 900
    url_prefix = "envois-en-echec"
    name = "failed_mail"
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = FailedMailIndexView
    exclude_form_fields = []
    list_display = [
        "subject",
        Column(
            "recipients_display", label=gettext_lazy("Destinataires"), sort_key="to"
        ),
        ErrorColumn("last_error", label=gettext_lazy("Dernière erreur")),
        "attempts",
        DateColumn("last_attempt_at", label=gettext_lazy("Dernière tentative")),
        DateColumn("created_at", label=gettext_lazy("Mis en file le")),
    ]
    search_fields = ["subject", "to"]
    inspect_view_fields = [
        "subject",
        "to",
        "cc",
        "created_at",
        "attempts",
        "last_attempt_at",
        "last_error",
        "body",
    ]

    def get_urlpatterns(self):
        kept = [
            pattern
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "edit", "copy", "delete")
        ]
        return kept + [
            path("<int:pk>/renvoyer/", resend_view, name="resend"),
        ]


def resend_view(request, pk):
    """GET asks for confirmation, POST sends the message again."""
    if not request.user.has_perm(RESEND):
        raise PermissionDenied
    outgoing = get_object_or_404(OutgoingMail, pk=pk)
    back = reverse("failed_mail:index")
    if request.method == "POST":
        if mail.resend(outgoing):
            messages.success(
                request,
                _("« %(subject)s » est de nouveau en file d'envoi.")
                % {"subject": outgoing.subject},
            )
        else:
            messages.warning(request, _("Ce message n'est plus en échec."))
        return redirect(back)
    return render(
        request,
        "portal/admin/resend_mail.html",
        {"outgoing": outgoing, "back_url": back},
    )
