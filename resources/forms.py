"""The form a learner fills in at the end of a path to ask for its badge."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BadgeRequest


class BadgeRequestForm(forms.ModelForm):
    consent = forms.BooleanField(
        label=_(
            "J'accepte que la médiathèque de Wimille utilise mon nom et mon e-mail "
            "pour traiter ma demande et me délivrer le badge (obligatoire)."
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
    # Honeypot: people never see it; robots fill it in.
    website = forms.CharField(label=_("Ne pas remplir"), required=False)

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
        self.fields["email"].error_messages["required"] = _(
            "Indiquez votre adresse e-mail."
        )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Ce champ doit rester vide."))
        return ""

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
