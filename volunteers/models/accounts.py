"""Which admin account a volunteer facilitates with.

The rule: an account is a volunteer's – and so sees the appointment sheets
of the events that volunteer facilitates – only through a `VolunteerAccount`
row, which the médiathèque (Modération, Administration) sets in the admin.
Nothing an account can change about itself (its e-mail, its name) makes it
a facilitator."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class VolunteerAccount(models.Model):
    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        verbose_name=_("bénévole"),
        on_delete=models.CASCADE,
        related_name="account",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.CASCADE,
        related_name="volunteer_account",
        help_text=_(
            "Le compte de l'administration avec lequel ce bénévole voit et note "
            "les rendez-vous des séances qu'il anime."
        ),
    )
    created_at = models.DateTimeField(_("relié le"), auto_now_add=True)

    panels = [FieldPanel("volunteer"), FieldPanel("user")]

    class Meta:
        ordering = ["volunteer__display_name"]
        verbose_name = _("compte d'un bénévole")
        verbose_name_plural = _("comptes des bénévoles")

    def __str__(self):
        return f"{self.volunteer} – {self.user.get_username()}"
