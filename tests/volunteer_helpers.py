"""Helpers for volunteer tests that drive the Wagtail admin."""

from django.urls import reverse

ADD_URL = "wagtailsnippets_volunteers_volunteer:add"
EDIT_URL = "wagtailsnippets_volunteers_volunteer:edit"
INSPECT_URL = "wagtailsnippets_volunteers_volunteer:inspect"
LIST_URL = "wagtailsnippets_volunteers_volunteer:list"


def volunteer_form_data(**overrides):
    """The POST of the volunteer edit form, as a browser sends it (unticked
    checkboxes are simply absent)."""
    data = {
        "display_name": "Camille",
        "photo": "",
        "bio": "Je aide à installer Linux.",
        "skills": "Linux, LibreOffice",
        "languages": "français",
        "availability": "le samedi",
        "partner": "",
        "active": "on",
        "first_name": "Camille",
        "last_name": "Dupont-Secret",
        "email": "camille.dupont@prive.invalid",
        "phone": "06 12 34 56 78",
        "membership_status": "member",
        "show_bio": "on",
        "show_skills": "on",
        "accepts_contact": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def admin_url(name, *args):
    return reverse(name, args=args)
