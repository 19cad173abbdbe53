"""Forms of appointments « sur rendez-vous »: the public booking form, moving
it, and the admin's day sheet (outcome, places)."""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models.appointments import Appointment, Device, Need, Result
from portal.forms import (
    AccessibleErrorsMixin,
    HoneypotForm,
    clean_french_phone,
    consent_label,
    email_field,
)
from portal.inputguard import single_line


def _one_line(value):
    """Short fields hold one line of text: the portal's one rule for names
    (`portal.inputguard.single_line`: no line break of any kind, no tab, no
    direction override), then no other control character."""
    single_line(value)
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise forms.ValidationError(
            _(
                "Ce champ doit tenir sur une seule ligne, sans caractère spécial "
                "(retour à la ligne, tabulation…)."
            ),
            code="control_character",
        )
    return value


class AppointmentSlotField(forms.CharField):
    """The chosen slot's key (ISO start); whether it exists, is free and
    future is the rule's business (events.appointments.rules.find_slot)."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Horaire du rendez-vous"),
            max_length=40,
            error_messages={
                "required": _("Choisissez l'horaire de votre rendez-vous."),
                "max_length": _("Cet horaire n'est pas valide : choisissez-en un."),
            },
            **kwargs,
        )

    def validate(self, value):
        super().validate(value)
        _one_line(value)


class AppointmentForm(AccessibleErrorsMixin, HoneypotForm):
    """Slot, device, need, name, e-mail or phone, consent, and a honeypot.
    The slots are radio buttons drawn by the template from the rule's list."""

    slot = AppointmentSlotField()
    device = forms.ChoiceField(
        label=_("Vous venez avec"),
        choices=Device.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Dites-nous avec quel appareil vous venez."),
            "invalid_choice": _("Choisissez un appareil dans la liste."),
        },
    )
    system = forms.CharField(
        label=_("Son système, si vous le connaissez (facultatif)"),
        required=False,
        max_length=80,
        help_text=_("Par exemple : Windows 10, Android, iPhone, Linux Mint."),
        validators=[_one_line],
    )
    need = forms.ChoiceField(
        label=_("Vous avez besoin d'aide pour"),
        choices=Need.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Dites-nous pour quoi vous avez besoin d'aide."),
            "invalid_choice": _("Choisissez un besoin dans la liste."),
        },
    )
    need_details = forms.CharField(
        label=_("En quelques mots (facultatif, sauf pour « autre chose »)"),
        required=False,
        max_length=300,
        help_text=_(
            "Par exemple : « renouveler ma carte grise en ligne ». 300 caractères "
            "au plus."
        ),
        validators=[_one_line],
    )
    name = forms.CharField(
        label=_("Nom et prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[_one_line],
        error_messages={"required": _("Indiquez votre nom et votre prénom.")},
    )
    email = email_field(
        _(
            "La confirmation et le lien « gérer mon rendez-vous » y sont envoyés. "
            "Exemple : prenom.nom@exemple.fr"
        ),
        required=False,
    )
    phone = forms.CharField(
        label=_("Ou bien votre téléphone"),
        required=False,
        max_length=30,
        help_text=_(
            "Sans e-mail, notez bien votre horaire : pour le changer, appelez la "
            "médiathèque."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Cochez cette case pour prendre rendez-vous : sans votre accord, "
                "nous ne pouvons pas enregistrer vos coordonnées."
            )
        },
    )
    honeypot_message = _(
        "Votre demande n'a pas été enregistrée : un champ réservé aux "
        "robots a été rempli. Si vous êtes une personne, videz le champ "
        "« Ne remplissez pas ce champ » ou contactez la médiathèque."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_label(
            _(
                "J'accepte que mon nom, mon contact et ma demande servent à préparer "
                "et suivre ce rendez-vous, puis soient effacés après la permanence"
            )
        )

    def clean_phone(self):
        return clean_french_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (
            "email" in cleaned
            and "phone" in cleaned
            and not cleaned["email"]
            and not cleaned["phone"]
        ):
            self.add_error(
                "email",
                _(
                    "Indiquez une adresse e-mail ou, à défaut, un numéro de "
                    "téléphone, pour que nous puissions vous prévenir."
                ),
            )
        if cleaned.get("need") == Need.OTHER and not cleaned.get("need_details"):
            self.add_error(
                "need_details",
                _("Dites-nous en quelques mots ce dont vous avez besoin."),
            )
        return cleaned


class AppointmentMoveForm(AccessibleErrorsMixin, forms.Form):
    """The other free slot to move an appointment to."""

    slot = AppointmentSlotField()


class AppointmentOutcomeForm(forms.ModelForm):
    """What the volunteers note about one appointment on the day sheet."""

    class Meta:
        model = Appointment
        fields = [
            "attendance",
            "result",
            "referred_to",
            "free_software_installed",
            "computer_restored",
            "notes",
        ]
        widgets = {
            "attendance": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }

    def clean_referred_to(self):
        return _one_line(self.cleaned_data["referred_to"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") == Result.REFERRED and not cleaned.get("referred_to"):
            self.add_error(
                "referred_to", _("Indiquez vers qui la personne a été orientée.")
            )
        return cleaned


class AppointmentPlacesForm(forms.Form):
    """Volunteers on duty for one date."""

    places = forms.IntegerField(
        label=_("Bénévoles de permanence (rendez-vous en parallèle)"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Vide : la valeur de l'événement."),
    )
