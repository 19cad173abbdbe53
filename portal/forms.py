"""Form pieces every public form of the site shares: the markup of one
field, errors that screen readers read with their field, and the honeypot
that robots fill in."""

import html
import re

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import Jinja2
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

__all__ = [
    "PUBLIC_FORM_RENDERER",
    "AccessibleErrorsMixin",
    "HoneypotForm",
    "PublicBoundField",
]


class PublicBoundField(BoundField):
    """A field of a public form, in the shape every public form shares
    (`{{ field.as_field_group }}`, or templates/includes/form_field.html):
    its label (a star when it is required), its help and its errors, whose
    ids are the ones Django's aria-describedby and `AccessibleErrorsMixin`
    name ("<id>_helptext", "<id>-erreurs"). Choices (radio buttons, several
    checkboxes) are a fieldset with a legend; a single checkbox has its
    label after the box.

    Built here rather than in an included template: a form page shows a
    dozen of them, and the include with its conditions took a sixth of the
    appointment form's time (issue 31)."""

    def as_field_group(self):
        widget = self.field.widget
        auto_id = self.auto_id
        errors = self.errors
        error_class = " form-field--error" if errors else ""
        required = " *" if self.field.required else ""
        help_line = errors_line = ""
        if self.help_text:
            help_line = format_html(
                '\n    <p class="help" id="{}_helptext">{}</p>', auto_id, self.help_text
            )
        if errors:
            errors_line = format_html(
                '\n    <ul class="errorlist" id="{}-erreurs">{}</ul>',
                auto_id,
                format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
            )
        input_type = getattr(widget, "input_type", None)
        if input_type == "radio" or getattr(widget, "allow_multiple_selected", False):
            described = [f"{auto_id}_helptext"] if self.help_text else []
            if errors:
                described.append(f"{auto_id}-erreurs")
            return format_html(
                '\n<fieldset class="form-field form-choices{}"{}>'
                "\n    <legend>{}{}</legend>{}{}"
                '\n    <ul class="choices__list">{}\n    </ul>'
                "\n</fieldset>\n",
                error_class,
                format_html(' aria-describedby="{}"', " ".join(described))
                if described
                else "",
                self.label,
                required,
                help_line,
                errors_line,
                format_html_join(
                    "",
                    '\n        <li>{} <label for="{}">{}</label></li>',
                    (
                        (choice.tag(), choice.id_for_label, choice.choice_label)
                        for choice in self
                    ),
                ),
            )
        if input_type == "checkbox":
            return format_html(
                '\n<div class="form-field form-field--checkbox{}">{}'
                '\n    {}\n    <label for="{}">{}{}</label>{}\n</div>\n',
                error_class,
                errors_line,
                self,
                auto_id,
                self.label,
                required,
                help_line,
            )
        return format_html(
            '\n<div class="form-field{}">\n    <label for="{}">{}{}</label>{}{}'
            "\n    {}\n</div>\n",
            error_class,
            auto_id,
            self.label,
            required,
            help_line,
            errors_line,
            self,
        )


class PublicFormRenderer(Jinja2):
    """Django's own widget templates drawn by Jinja2, but for the plain
    `<input>` (text, e-mail, number, checkbox, one radio button…) and the
    `<select>` with its options, written here as Django's `input.html`,
    `select.html`, `select_option.html` and `attrs.html` write them. A form
    page draws a few dozen widgets: Django's template engine spent a third
    to a half of the page's time on them, and Jinja2 still a tenth, a
    select of a dozen dates alone a tenth of the registration form (issue
    31). Only for the public forms: Wagtail's admin widgets have no Jinja2
    templates, and the project overrides none of Django's widget
    templates."""

    input_templates = frozenset(
        f"django/forms/widgets/{name}.html"
        for name in (
            "checkbox color date datetime email file hidden number password "
            "search tel text time url"
        ).split()
    )
    option_templates = frozenset(
        {
            "django/forms/widgets/radio_option.html",
            "django/forms/widgets/checkbox_option.html",
        }
    )
    select_template = "django/forms/widgets/select.html"
    select_option_template = "django/forms/widgets/select_option.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in self.input_templates or (
            template_name in self.option_templates and not widget.get("wrap_label")
        ):
            return input_html(widget)
        if template_name == self.select_template and all(
            option["template_name"] == self.select_option_template
            for _group, options, _index in widget["optgroups"]
            for option in options
        ):
            return select_html(widget)
        return super().render(template_name, context, request)


def input_html(widget):
    """A widget's context as Django's `django/forms/widgets/input.html`
    writes it: the value unless None, then its attributes."""
    value = "" if widget["value"] is None else f' value="{_escaped(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value escaped
        f'<input type="{_escaped(widget["type"])}" name="{_escaped(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def select_html(widget):
    """A widget's context as Django's `select.html` writes it, each option
    as `select_option.html` does."""
    parts = [f'<select name="{_escaped(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escaped(group_name)}">')
        parts.extend(
            f'\n  <option value="{_escaped(option["value"])}"'
            f"{_attrs(option['attrs'])}>{_escaped(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped


def _attrs(attrs):
    # As `attrs.html`: each attribute in order, a True one alone, a False
    # one left out.
    return "".join(
        f" {_escaped(name)}"
        if value is True
        else f' {_escaped(name)}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _escaped(value):
    # Django's conditional_escape, without the lazy-string check its escape
    # makes on each of a form page's few hundred attribute values.
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


# One instance, so that its Jinja2 environment is built once per process.
PUBLIC_FORM_RENDERER = PublicFormRenderer()


class AccessibleErrorsMixin:
    """Screen readers read each error with the field it belongs to, in the
    public forms' field markup (`PublicBoundField`)."""

    bound_field_class = PublicBoundField
    default_renderer = PUBLIC_FORM_RENDERER

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
