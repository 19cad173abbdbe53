"""Page bases shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index


class SectionIndexPage(Page):
    """The one page at the top of a section (agenda, parcours, guides,
    bénévoles): a title and a short introduction, directly under home."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    max_count = 1
    parent_page_types = ["home.HomePage"]

    class Meta:
        abstract = True


class OutgoingMail(models.Model):
    """One message the portal sends, stored in the transaction that decided
    to send it and delivered by the task queue (rule in `portal.mail`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("En échec")
        DROPPED = "dropped", _("Abandonné (plus nécessaire)")

    created_at = models.DateTimeField(_("mis en file le"), auto_now_add=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    subject = models.TextField(_("objet"), blank=True)
    from_email = models.TextField(_("expéditeur"), blank=True)
    to = models.JSONField(_("destinataires"), default=list, blank=True)
    cc = models.JSONField(_("copie"), default=list, blank=True)
    bcc = models.JSONField(_("copie cachée"), default=list, blank=True)
    reply_to = models.JSONField(_("répondre à"), default=list, blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    body = models.TextField(_("texte"), blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    # [[content, mimetype], …]: the HTML version, mostly.
    alternatives = models.JSONField(default=list, blank=True)
    # [{"filename", "mimetype", "text" or "base64"}, …]: e.g. the .ics.
    attachments = models.JSONField(default=list, blank=True)

    # What the message is about: when that row is gone before delivery
    # (a registration erased), the message is dropped quietly.
    about_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_id = models.CharField(max_length=64, blank=True)

    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True)
    # Retries stop here; the message is then « en échec » for staff.
    retry_until = models.DateTimeField(_("réessayé jusqu'au"), null=True)
    # A worker that claimed the message and died gives it back after this.
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True)

    class Meta:
        verbose_name = _("envoi d'e-mail")
        verbose_name_plural = _("envois d'e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        permissions = [("resend_outgoingmail", _("Renvoyer un e-mail en échec"))]

    def __str__(self):
        return self.subject or str(self.pk)

    @property
    def recipients_display(self):
        return ", ".join(self.to + self.cc + self.bcc)


class PageCacheGeneration(models.Model):
    """The visitors' page cache generation, for caches each process keeps
    apart (local memory, as under `make run`): the one place every process
    reads, so a page deleted or a backup restored from another process is
    not served from an old copy (rule in `portal.pagecache`). One row."""

    value = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("génération du cache des pages")

    def __str__(self):
        return self.value
