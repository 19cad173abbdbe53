"""Forms of the agenda: the public ones (registration, appointment, the
agenda by e-mail, with their shared honeypot and accessible errors) and the
admin's (rooms, money, appointments' day sheet)."""

import re
import unicodedata

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from home.models import Partner
from portal.forms import AccessibleErrorsMixin, HoneypotForm
from portal.inputguard import single_line

from .models import AgendaSubscription, EventType
from .models.appointments import Appointment, Device, Need, Result
from .models.finance import DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES
from .models.registrations import format_start
from .registration import max_seats

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


# -- Rooms and money (admin forms; the rules live in events.rooms / finance) ----

FILE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    # OpenDocument and Office Open XML files are ZIP archives.
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


class BookingRequestForm(WagtailAdminModelForm):
    """CLX asks for a room: the model checks dates (not past, end after
    start, series bounded); here, attendance against the room's capacity."""

    def clean(self):
        cleaned = super().clean()
        room = cleaned.get("room")
        attendance = cleaned.get("expected_attendance")
        if room and attendance and room.capacity and attendance > room.capacity:
            self.add_error(
                "expected_attendance",
                _("La salle « %(room)s » accueille %(capacity)s personnes au plus.")
                % {"room": room.name, "capacity": room.capacity},
            )
        return cleaned


class BookingDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("confirm", _("Confirmer")), ("decline", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire pour CLX"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus : dites pourquoi."),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "decline"
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error(
                "comment", _("Indiquez à CLX pourquoi la demande est refusée.")
            )
        return cleaned


class BookingCancelForm(forms.Form):
    """Cancel a confirmed booking, or one of its dates (``date``: the
    stored date's id, empty for every date still to come)."""

    date = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Message pour l'autre partenaire"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Facultatif : il est joint à l'e-mail envoyé."),
    )

    def __init__(self, *args, prefix_id="cancel", **kwargs):
        # Two such forms may share the page (whole booking, one date): their
        # fields need their own ids, or a label would tick another's field.
        super().__init__(*args, auto_id=f"id_{prefix_id}_%s", **kwargs)


class FinancialCommitmentForm(WagtailAdminModelForm):
    """A line of money on an event; the document must really be what its
    name says (a PDF that starts like a PDF…), 10 MB at most. Once proposed,
    a line stays on its event: the field is shown, not editable (a posted
    value is ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # « 45,00 » as French people type and read it (« 45.00 » is accepted).
        amount = self.fields["amount"]
        amount.localize = True
        amount.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        amount.widget.is_localized = True
        if self.instance.pk is not None:
            event = self.instance.event
            field = self.fields["event"]
            field.disabled = True
            field.widget = forms.Select(choices=[(event.pk, event.title)])
            field.help_text = _(
                "Une dépense reste sur l'événement pour lequel elle a été "
                "proposée : pour un autre événement, proposez une nouvelle ligne."
            )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document or not hasattr(document, "read"):
            return document
        if document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("Le document dépasse 10 Mo."))
        extension = document.name.rsplit(".", 1)[-1].lower()
        if extension not in DOCUMENT_EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "Type de document non accepté : PDF, ODT, ODS, DOCX, XLSX, "
                    "PNG ou JPG."
                )
            )
        head = document.read(16)
        document.seek(0)
        if not head.startswith(FILE_SIGNATURES[extension]):
            raise forms.ValidationError(
                _(
                    "Ce fichier n'est pas un vrai fichier .%(extension)s : "
                    "enregistrez le devis ou la facture en PDF et réessayez."
                )
                % {"extension": extension}
            )
        return document


class CommitmentDecisionForm(forms.Form):
    """One party's decision on a line. The party (« town » or « clx ») is the
    form's prefix, sent beside it as `party`: two forms on one page never
    share a field id."""

    PARTIES = ("town", "clx")

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("give", _("Autoriser / donner l'accord")), ("refuse", _("Refuser"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoire pour un refus."),
    )

    def __init__(self, party, *args, **kwargs):
        super().__init__(*args, prefix=party, **kwargs)
        self.party = party
        if party == "clx":
            self.fields["decision"].choices = [
                ("give", _("Donner l'accord de CLX")),
                ("refuse", _("Refuser")),
            ]
        else:
            self.fields["decision"].choices = [
                ("give", _("Autoriser la dépense")),
                ("refuse", _("Refuser")),
            ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == "refuse"
            and not cleaned.get("comment", "").strip()
        ):
            self.add_error("comment", _("Indiquez pourquoi la dépense est refusée."))
        return cleaned


# -- Appointments (events.appointments) ------------------------------------------


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
    future is the rule's business (events.appointments.find_slot)."""

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


# -- The agenda by e-mail ------------------------------------------------------


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
