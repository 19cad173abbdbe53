"""Forms of the volunteers app: the public « Contacter » form and the admin
forms for volunteers and charter signatures."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images.models import Image

from portal.forms import AccessibleErrorsMixin, HoneypotForm
from portal.inputguard import single_line

MESSAGE_MAX_LENGTH = 2000

# Links in any usual spelling, and anything that looks like markup: spam
# almost always carries one, and a volunteer's inbox should not.
_LINK = re.compile(
    r"(https?://|ftp://|www\.|\[url|\[link|"
    r"\b[a-z0-9-]+\.(?:com|net|org|fr|info|biz|ru|io|xyz|top|site|online|shop)\b)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<[^>]*>|<\s*[a-z!/]|&[a-z]+;|&#\d+;", re.IGNORECASE)


class ContactForm(AccessibleErrorsMixin, HoneypotForm):
    """Name, e-mail and a plain-text message; a robot that fills the
    honeypot is thanked without anything being sent (``is_bot``)."""

    name = forms.CharField(
        label=_("Votre nom"),
        max_length=100,
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        help_text=_("Le bénévole vous répondra à cette adresse."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Votre message"),
        min_length=10,
        max_length=MESSAGE_MAX_LENGTH,
        help_text=_("%(n)s caractères au plus, sans lien ni balise HTML.")
        % {"n": MESSAGE_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_message(self):
        message = self.cleaned_data["message"]
        if _MARKUP.search(message):
            raise ValidationError(
                _(
                    "Votre message contient du code ou des balises (comme < ou >) : "
                    "écrivez-le en texte simple."
                ),
                code="markup",
            )
        if _LINK.search(message):
            raise ValidationError(
                _(
                    "Les liens ne sont pas acceptés dans les messages : retirez "
                    "l'adresse du site et décrivez-la en quelques mots."
                ),
                code="link",
            )
        return message

    def clean_name(self):
        name = self.cleaned_data["name"]
        if _MARKUP.search(name) or _LINK.search(name):
            raise ValidationError(
                _("Indiquez seulement votre nom, sans lien ni balise."),
                code="markup",
            )
        return name


class VolunteerAdminForm(WagtailAdminModelForm):
    """Refuses a photo that is not an image with a French message (the
    chooser only offers images, but a tampered POST may not)."""

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is not None and not isinstance(photo, Image):
            raise ValidationError(_("La photo doit être une image."))
        return photo


class CharterSignatureAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].error_messages["invalid_choice"] = _(
                "Cette version de la charte n'existe pas : choisissez-en une "
                "dans la liste."
            )
            self.fields["version"].queryset = self.fields["version"].queryset.filter(
                published=True
            )
        if "volunteer" in self.fields:
            self.fields["volunteer"].required = True
            self.fields["volunteer"].error_messages["invalid_choice"] = _(
                "Ce bénévole n'existe pas : choisissez-le dans la liste."
            )
