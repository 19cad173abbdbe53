"""Who follows the agenda (or a partner's events) from another server."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Follower", "FederatedEvent"]


class Follower(models.Model):
    ACCEPTED = "accepted"
    BLOCKED = "blocked"
    GONE = "gone"
    STATE_CHOICES = [
        (ACCEPTED, _("abonné")),
        (BLOCKED, _("bloqué")),
        (GONE, _("serveur injoignable")),
    ]

    local_actor = models.SlugField(
        _("compte suivi"),
        max_length=100,
        help_text=_("« agenda », ou l'identifiant d'un partenaire."),
    )
    actor_url = models.URLField(_("compte abonné"), max_length=500)
    inbox = models.URLField(_("boîte de réception"), max_length=500)
    shared_inbox = models.URLField(
        _("boîte partagée du serveur"), max_length=500, blank=True
    )
    state = models.CharField(
        _("état"), max_length=20, choices=STATE_CHOICES, default=ACCEPTED
    )
    failures = models.PositiveIntegerField(_("échecs de livraison"), default=0)
    failing_since = models.DateTimeField(_("en échec depuis"), null=True, blank=True)
    created_at = models.DateTimeField(_("abonné le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonné du fédivers")
        verbose_name_plural = _("abonnés du fédivers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_actor", "actor_url"], name="fediverse_follower_unique"
            )
        ]

    def __str__(self):
        return self.actor_url

    @property
    def delivery_inbox(self):
        return self.shared_inbox or self.inbox


class FederatedEvent(models.Model):
    """An event sent to followers (Create): later publications are Updates,
    a withdrawal a Delete. Kept by page id, so a deleted page still gets
    its Delete."""

    event_id = models.PositiveIntegerField(_("événement"), unique=True)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now=True)

    class Meta:
        verbose_name = _("événement fédéré")
        verbose_name_plural = _("événements fédérés")

    def __str__(self):
        return str(self.event_id)
