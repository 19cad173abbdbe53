"""The public forms' renderer (portal.forms.PublicFormRenderer) writes the
plain <input> and the <select> widgets in Python: what it writes must stay
what Django's own widget templates write, for every input type, attribute
and value a stranger can send back (accents, quotes, « », markup), so that
a Django upgrade changing its templates shows here."""

import datetime
import re

from django import forms
from django.forms.renderers import DjangoTemplates

from portal.forms import PUBLIC_FORM_RENDERER


class EveryInput(forms.Form):
    name = forms.CharField(
        label="Nom et prénom",
        max_length=80,
        help_text="Comme sur votre carte « lecteur ».",
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "x y"}),
    )
    email = forms.EmailField(required=False)
    phone = forms.CharField(required=False, widget=forms.TextInput({"type": "tel"}))
    seats = forms.IntegerField(min_value=1, max_value=4)
    website = forms.URLField(required=False, assume_scheme="https")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}))
    agree = forms.BooleanField(label="J'accepte")
    device = forms.ChoiceField(
        choices=[("pc", "Ordinateur portable"), ("tel", "Téléphone « malin »")],
        widget=forms.RadioSelect,
    )
    topics = forms.MultipleChoiceField(
        choices=[("a", "Réseaux & box"), ("b", "Courriel <pièces jointes>")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    where = forms.ChoiceField(choices=[("", "—"), ("w", "Wimille")])
    date = forms.ChoiceField(
        choices=[
            ("", "Choisissez une date"),
            (
                "Vacances « d'hiver » <b>",
                [
                    ("2026-12-19T09:30:00+01:00", "samedi 19 décembre à 09:30"),
                    ('"><script>', "L'atelier <i>spécial</i> & « libre »"),
                ],
            ),
            ("2027-01-09T09:30:00+01:00", "samedi 9 janvier 2027 à 09:30"),
        ],
        widget=forms.Select(attrs={"aria-describedby": "aide", "disabled": False}),
    )
    places = forms.TypedMultipleChoiceField(
        choices=[(1, "Une"), (2, "Deux & plus")],
        coerce=int,
        required=False,
        widget=forms.SelectMultiple,
    )
    note = forms.CharField(widget=forms.Textarea, required=False)


HOSTILE = {
    "name": 'Zoé "L\'Hôpital" <script>alert(1)</script> & « amis »',
    "email": "zoé@exemple.invalid",
    "phone": "03 21 00 00 00",
    "seats": "9",  # out of range: bound with an error
    "website": "javascript:alert('x')",
    "secret": "mot de passe \" ' < >",
    "hidden": "\u202econtrôle",
    "day": "2026-12-06",
    "at": "09:30",
    "agree": "on",
    "device": "tel",
    "topics": ["a", "b"],
    "where": "w",
    "date": '"><script>',
    "places": ["2", "<x>"],
    "note": "</textarea><b>gras</b>",
}


def _rendered(form):
    """Each field's widget, whitespace next to tags aside (Jinja2 and
    Django's templates place their line breaks differently: a browser shows
    the same)."""
    return {
        name: re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", str(form[name])))
        for name in form.fields
    }


def test_every_input_is_written_as_djangos_templates_write_it():
    for data in (None, {}, HOSTILE):
        ours = EveryInput(data, renderer=PUBLIC_FORM_RENDERER)
        django = EveryInput(data, renderer=DjangoTemplates())
        if data is not None:
            ours.is_valid(), django.is_valid()
        assert _rendered(ours) == _rendered(django)


def test_initial_values_of_every_type_too():
    initial = {
        "name": "Camille « Cam » D'Aubigny",
        "seats": 2,
        "day": datetime.date(2026, 12, 6),
        "at": datetime.time(9, 30),
        "agree": True,
        "device": "pc",
        "topics": ["b"],
        "date": "2027-01-09T09:30:00+01:00",
        "places": [1, 2],
    }
    ours = EveryInput(initial=initial, renderer=PUBLIC_FORM_RENDERER)
    django = EveryInput(initial=initial, renderer=DjangoTemplates())
    assert _rendered(ours) == _rendered(django)
    assert "&lt;script&gt;" in str(
        EveryInput(HOSTILE, renderer=PUBLIC_FORM_RENDERER)["name"]
    )
