"""The period of the report: a calendar year, or any range of days."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .build import Period

FIRST_YEAR, LAST_YEAR = 2000, 2100
LONGEST = datetime.timedelta(days=366 * 5)


class PeriodForm(forms.Form):
    annee = forms.IntegerField(
        label=_("Année"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Saisissez une année, par exemple 2026.")},
    )
    du = forms.DateField(
        label=_("ou du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date, par exemple 01/09/2026.")},
    )
    au = forms.DateField(
        label=_("au (inclus)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Saisissez une date, par exemple 30/06/2027.")},
    )

    def clean(self):
        data = super().clean()
        first, last = data.get("du"), data.get("au")
        if bool(first) != bool(last) and not self.errors:
            raise forms.ValidationError(
                _("Pour une période, donnez le premier et le dernier jour.")
            )
        if first and last:
            if last < first:
                self.add_error("au", _("Le dernier jour est avant le premier."))
            elif last - first > LONGEST:
                self.add_error("au", _("Une période dure cinq ans au plus."))
            elif not (FIRST_YEAR <= first.year and last.year <= LAST_YEAR):
                self.add_error("du", _("Choisissez des dates entre 2000 et 2100."))
        return data

    def period(self):
        """The period asked for; the current year when nothing valid was."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data.get("du") and data.get("au"):
                return Period.days(data["du"], data["au"])
            if data.get("annee"):
                return Period.year(data["annee"])
        return Period.year(timezone.localdate().year)
