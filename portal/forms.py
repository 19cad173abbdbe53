"""Form pieces every public form of the site shares: errors that screen
readers read with their field, and the honeypot that robots fill in."""

import re

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

__all__ = ["AccessibleErrorsMixin", "HoneypotForm"]


class AccessibleErrorsMixin:
    """Screen readers read each error with the field it belongs to."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}-erreurs"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs.update(
                {"aria-describedby": " ".join(described), "aria-invalid": "true"}
            )


class HoneypotForm(forms.Form):
    """A field people never see (hidden by CSS, skipped by the keyboard and
    assistive technologies) and robots that fill every field fill in. With a
    `honeypot_message` the form is refused with that French message; without
    one, the view reads `is_bot` and thanks the robot without acting."""

    honeypot_message = None

    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Last, after the form's own fields.
        self.fields["website"] = self.fields.pop("website")

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

    def clean(self):
        cleaned = super().clean()
        if self.honeypot_message and cleaned.get("website"):
            raise forms.ValidationError(self.honeypot_message, code="honeypot")
        return cleaned


# -- Fields shared by the public forms (registration, appointment, agenda by
# e-mail, volunteer contact) ---------------------------------------------------

PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,30}$")


def clean_french_phone(value):
    """A phone number as typed, spaces tidied; refused in French when it is
    not one (shared by every public form that asks for a phone)."""
    phone = " ".join(value.split())
    if phone and not PHONE_RE.match(phone):
        raise forms.ValidationError(
            _(
                "Ce numéro de téléphone n'est pas valide : utilisez des chiffres, "
                "par exemple 03 21 00 00 00."
            )
        )
    return phone


def consent_label(purpose):
    """The consent checkbox's label: what the data is for, and where to read
    about it."""
    return format_html(
        '{} <a href="/donnees-personnelles/">{}</a>{}',
        purpose,
        _("(voir la page Données personnelles)"),
        ".",
    )


def email_field(help_text, *, required=True):
    """The public forms' e-mail field, with their French messages."""
    error_messages = {
        "invalid": _(
            "Cette adresse e-mail n'est pas valide. Vérifiez-la : elle doit "
            "ressembler à prenom.nom@exemple.fr"
        )
    }
    if required:
        error_messages["required"] = _("Indiquez votre adresse e-mail.")
    return forms.EmailField(
        label=_("Adresse e-mail"),
        required=required,
        max_length=254,
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages=error_messages,
    )
