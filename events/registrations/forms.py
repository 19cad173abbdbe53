"""Public form of a registration and the seats form of its signed link."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from events.models.registrations import format_start
from events.registrations.rules import max_seats
from portal.forms import (
    PUBLIC_FORM_RENDERER,
    AccessibleErrorsMixin,
    HoneypotForm,
    PublicBoundField,
    clean_french_phone,
    consent_label,
    email_field,
)
from portal.inputguard import single_line


class RegistrationForm(AccessibleErrorsMixin, HoneypotForm):
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
        validators=[single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom et votre prénom.")},
    )
    email = email_field(
        _(
            "La confirmation et le lien pour annuler y seront envoyés. "
            "Exemple : prenom.nom@exemple.fr"
        )
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
    honeypot_message = _(
        "Votre inscription n'a pas été enregistrée : un champ réservé aux "
        "robots a été rempli. Si vous êtes une personne, videz le champ "
        "« Ne remplissez pas ce champ » ou contactez la médiathèque."
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
        self.fields["consent"].label = consent_label(
            _(
                "J'accepte que mes nom, e-mail et téléphone soient utilisés pour "
                "gérer mon inscription, puis effacés après l'atelier"
            )
        )

    def clean_phone(self):
        return clean_french_phone(self.cleaned_data["phone"])

    @property
    def chosen_occurrence(self):
        return self.occurrences.get(self.cleaned_data.get("occurrence"))


class ManageSeatsForm(forms.Form):
    """The owner's « gérer mon inscription » form: a new number of seats."""

    bound_field_class = PublicBoundField
    default_renderer = PUBLIC_FORM_RENDERER

    seats = forms.TypedChoiceField(
        label=_("Nombre de places"),
        coerce=int,
        error_messages={
            "required": _("Indiquez le nombre de places."),
            "invalid_choice": _("Choisissez un nombre de places dans la liste."),
        },
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats"].choices = [
            (n, str(n)) for n in range(1, max_seats(event) + 1)
        ]
