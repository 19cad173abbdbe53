"""The public registration form."""

import re

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from home.models import Partner

from .models import AgendaSubscription, EventType
from .models.registrations import format_start
from .registration import max_seats

PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,30}$")


class RegistrationForm(forms.Form):
    """Name, e-mail, optional phone, seats, consent and a honeypot. The
    occurrence is either fixed (hidden, from ``?date=``) or chosen in a
    list of the upcoming open ones."""

    occurrence = forms.ChoiceField(
        label=_("Séance"),
        error_messages={
            "required": _("Choisissez la séance à laquelle vous voulez venir."),
            "invalid_choice": _(
                "Cette séance n'est pas ouverte aux inscriptions : choisissez-en "
                "une autre dans la liste."
            ),
        },
    )
    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom et votre prénom.")},
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_(
            "La confirmation et le lien pour annuler y seront envoyés. "
            "Exemple : prenom.nom@exemple.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _(
                "Cette adresse e-mail n'est pas valide. Vérifiez-la : elle doit "
                "ressembler à prenom.nom@exemple.fr"
            ),
        },
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        required=False,
        max_length=30,
        help_text=_("Seulement pour vous prévenir en cas d'imprévu."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    seats = forms.IntegerField(
        label=_("Nombre de places"),
        min_value=1,
        initial=1,
        error_messages={
            "required": _("Indiquez le nombre de places."),
            "invalid": _("Indiquez un nombre de places, en chiffres."),
            "min_value": _("Réservez au moins une place."),
        },
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Cochez cette case pour vous inscrire : sans votre accord, nous ne "
                "pouvons pas enregistrer vos coordonnées."
            )
        },
    )
    # Honeypot: hidden from people (visually and from screen readers), filled
    # in by robots that complete every field.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, event, occurrences, selected=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.occurrences = {o.key: o for o in occurrences}
        field = self.fields["occurrence"]
        field.choices = [("", _("Choisissez une date"))] + [
            (o.key, format_start(o.start)) for o in occurrences
        ]
        if selected is not None:
            field.widget = forms.HiddenInput()
            field.initial = selected.key
        limit = max_seats(event)
        seats = self.fields["seats"]
        seats.max_value = limit
        seats.validators.append(MaxValueValidator(limit))
        seats.widget.attrs.update({"min": 1, "max": limit})
        seats.error_messages["max_value"] = _(
            "Vous pouvez réserver au plus %(limit_value)s place(s) par inscription."
        )
        seats.help_text = _("De 1 à %(max)s place(s) par inscription.") % {"max": limit}
        self.fields["consent"].label = format_html(
            '{} <a href="/donnees-personnelles/">{}</a>{}',
            _(
                "J'accepte que mes nom, e-mail et téléphone soient utilisés pour "
                "gérer mon inscription, puis effacés après l'atelier"
            ),
            _("(voir la page Données personnelles)"),
            ".",
        )

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(
                _(
                    "Ce numéro de téléphone n'est pas valide : utilisez des chiffres, "
                    "par exemple 03 21 00 00 00."
                )
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(
                _(
                    "Votre inscription n'a pas été enregistrée : un champ réservé aux "
                    "robots a été rempli. Si vous êtes une personne, videz le champ "
                    "« Ne remplissez pas ce champ » ou contactez la médiathèque."
                ),
                code="honeypot",
            )
        return cleaned

    def full_clean(self):
        super().full_clean()
        # Screen readers read the error with the field it belongs to.
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

    @property
    def chosen_occurrence(self):
        return self.occurrences.get(self.cleaned_data.get("occurrence"))


# -- The agenda by e-mail ------------------------------------------------------


class SubscriptionForm(forms.Form):
    """An address, weekly or monthly, optional partners and types, and a
    honeypot. Nothing is sent but a confirmation until the person confirms."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_(
            "Un e-mail de confirmation y sera envoyé. Exemple : prenom.nom@exemple.fr"
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Indiquez votre adresse e-mail."),
            "invalid": _(
                "Cette adresse e-mail n'est pas valide. Vérifiez-la : elle doit "
                "ressembler à prenom.nom@exemple.fr"
            ),
        },
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
    # Honeypot, as on the registration form.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self):
        return bool(self.data.get("website"))

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
