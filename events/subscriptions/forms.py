"""The public form of the agenda by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import AgendaSubscription, EventType
from home.models import Partner
from portal.forms import (
    AccessibleErrorsMixin,
    HoneypotForm,
    email_field,
)


class SubscriptionForm(AccessibleErrorsMixin, HoneypotForm):
    """An address, weekly or monthly, optional partners and types, and a
    honeypot. Nothing is sent but a confirmation until the person confirms."""

    email = email_field(
        _("Un e-mail de confirmation y sera envoyé. Exemple : prenom.nom@exemple.fr")
    )
    frequency = forms.ChoiceField(
        label=_("À quel rythme ?"),
        choices=AgendaSubscription.Frequency.choices,
        initial=AgendaSubscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choisissez un rythme : chaque semaine ou chaque mois."),
            "invalid_choice": _("Choisissez « chaque semaine » ou « chaque mois »."),
        },
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Organisés par (facultatif)"),
        queryset=Partner.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ne cochez rien pour recevoir les rendez-vous de tous."),
        error_messages={
            "invalid_choice": _(
                "Ce partenaire n'existe pas : choisissez dans la liste."
            )
        },
    )
    event_types = forms.ModelMultipleChoiceField(
        label=_("Types de rendez-vous (facultatif)"),
        queryset=EventType.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ne cochez rien pour recevoir tous les types."),
        error_messages={
            "invalid_choice": _("Ce type n'existe pas : choisissez dans la liste.")
        },
    )
