"""Admin forms of financial commitments: a line and a partner's decision on
it (the rules live in `events.finance.rules`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from events.models.finance import DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES

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
