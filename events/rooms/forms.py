"""Admin forms of room bookings: the request, the médiathèque's decision, a
cancellation (the rules live in `events.rooms.rules`)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm


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
