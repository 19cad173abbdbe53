"""Forms of the resources app: the one a learner fills in at the end of a
path to ask for its badge, and the admin's awarding tools (one person, a CSV
file, the people present at a workshop, a decision on a request, revoking,
erasing a recipient). They validate input; the decisions are `awarding.py`'s."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from events.models import Registration
from portal import formats
from portal.forms import AccessibleErrorsMixin, HoneypotForm
from portal.inputguard import single_line

from .models import BadgeClass, BadgeRequest


class BadgeRequestForm(AccessibleErrorsMixin, HoneypotForm, forms.ModelForm):
    honeypot_message = _("Ce champ doit rester vide.")

    consent = forms.BooleanField(
        label=_(
            "J'accepte que la médiathèque de Wimille utilise mon nom et mon e-mail "
            "pour traiter ma demande et me délivrer le badge."
        ),
        help_text=_(
            "Vos données sont conservées le temps de la demande puis avec le badge ; "
            "voir la page « Données personnelles »."
        ),
        error_messages={
            "required": _(
                "Sans votre accord, nous ne pouvons pas traiter votre demande : "
                "cochez la case."
            )
        },
    )
    show_name = forms.BooleanField(
        label=_("J'accepte que mon nom figure sur la page publique de vérification."),
        required=False,
        help_text=_("Sinon, la page dira seulement que le badge a été décerné."),
    )
    evidence_url = forms.URLField(
        label=_("Lien vers une réalisation (facultatif)"),
        required=False,
        assume_scheme="https",
        help_text=_("Par exemple une photo de votre impression 3D en ligne."),
    )

    class Meta:
        model = BadgeRequest
        fields = [
            "name",
            "email",
            "evidence_text",
            "evidence_url",
            "consent",
            "show_name",
        ]
        labels = {
            "name": _("Votre nom"),
            "email": _("Votre adresse e-mail"),
            "evidence_text": _(
                "Ce que vous avez fait (facultatif si vous donnez un lien)"
            ),
            "evidence_url": _("Lien vers une réalisation (facultatif)"),
        }
        help_texts = {
            "name": _("Tel qu'il apparaîtra sur le badge."),
            "email": _(
                "Le badge est rattaché à cette adresse ; elle n'est jamais publiée."
            ),
            "evidence_text": _(
                "Quelques phrases : les étapes suivies, ce que vous avez réalisé."
            ),
            "evidence_url": _("Par exemple une photo de votre impression 3D en ligne."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "evidence_text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _(
            "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
        )
        self.fields["name"].error_messages["required"] = _("Indiquez votre nom.")
        self.fields["name"].validators.append(single_line)
        self.fields["email"].error_messages["required"] = _(
            "Indiquez votre adresse e-mail."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("evidence_text", "").strip() and not cleaned.get(
            "evidence_url"
        ):
            if "evidence_url" not in self.errors:
                self.add_error(
                    "evidence_text",
                    _("Décrivez ce que vous avez fait ou donnez un lien."),
                )
        return cleaned


# --- Admin: the awarding tools ---------------------------------------------


class AwardForm(forms.Form):
    badge_class = forms.ModelChoiceField(BadgeClass.objects.all(), label=_("Badge"))
    name = forms.CharField(label=_("Nom du titulaire"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail du titulaire"),
        help_text=_("Il reçoit le lien vers son badge ; jamais publié."),
    )
    show_name = forms.BooleanField(
        label=_("La personne accepte que son nom soit affiché"),
        required=False,
    )
    evidence_narrative = forms.CharField(
        label=_("Preuve (texte)"), widget=forms.Textarea, required=False
    )
    evidence_url = forms.URLField(
        label=_("Preuve (lien)"), required=False, assume_scheme="https"
    )


class CsvImportForm(forms.Form):
    badge_class = forms.ModelChoiceField(BadgeClass.objects.all(), label=_("Badge"))
    csv_file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Deux colonnes : nom, e-mail (une ligne d'en-tête est acceptée). "
            "Une seule ligne fausse et rien n'est décerné."
        ),
    )
    evidence_narrative = forms.CharField(
        label=_("Preuve commune (facultatif)"),
        required=False,
        help_text=_("Par exemple « A suivi l'atelier du 12 décembre »."),
    )

    MAX_SIZE = 1024 * 1024

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > self.MAX_SIZE:
            raise ValidationError(_("Le fichier dépasse 1 Mo."))
        return upload


class AttendeesForm(forms.Form):
    badge_class = forms.ModelChoiceField(BadgeClass.objects.all(), label=_("Badge"))
    occurrence = forms.ChoiceField(
        label=_("Séance"),
        help_text=_("Les personnes cochées présentes sur la feuille d'émargement."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.occurrences = {}
        rows = (
            Registration.objects.filter(attended=True)
            .values("event_id", "event__title", "occurrence_start")
            .annotate(present=Count("pk"))
            .order_by("-occurrence_start")[:200]
        )
        choices = []
        for row in rows:
            key = f"{row['event_id']}|{int(row['occurrence_start'].timestamp())}"
            self.occurrences[key] = (row["event_id"], row["occurrence_start"])
            choices.append(
                (
                    key,
                    _("%(title)s – %(date)s (%(n)s présents)")
                    % {
                        "title": row["event__title"],
                        "date": formats.short_datetime(row["occurrence_start"]),
                        "n": row["present"],
                    },
                )
            )
        self.fields["occurrence"].choices = choices


class EraseForm(forms.Form):
    email = forms.EmailField(label=_("E-mail de la personne"))
    revoke = forms.BooleanField(
        label=_("Révoquer aussi ses badges"),
        required=False,
        help_text=_(
            "Sinon, ses badges restent vérifiables par elle seule : le document "
            "public ne garde que l'empreinte de l'adresse, sans nom ni e-mail."
        ),
    )


class DeclineForm(forms.Form):
    message = forms.CharField(
        label=_("Message à la personne"),
        widget=forms.Textarea,
        help_text=_("Envoyé par e-mail : expliquez ce qui manque."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la révocation"),
        max_length=255,
        help_text=_("Public : il figure dans la liste de révocation."),
    )


class ApproveForm(forms.Form):
    pass
