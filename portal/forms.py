"""Form pieces every public form of the site shares: errors that screen
readers read with their field, and the honeypot that robots fill in."""

from django import forms
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
