"""Demo content, as `load_demo_data` loads it: the site's skeleton
(`portal.factories.create_site_tree`), one account per role, then each app's
demo content (`<app>/demo/`: data, files, and a short loop of factory
calls). Every step looks for what exists first, so running it again keeps
editors' changes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from events import demo as events_demo
from resources import demo as resources_demo
from volunteers import demo as volunteers_demo

from . import roles
from .factories import UserFactory, create_site_tree

# In this order: later ones point at earlier ones (facilitators, guides'
# steps, rooms' requesters).
APP_DEMOS = [volunteers_demo, events_demo, resources_demo]

DEMO_PASSWORD = "atelier-wimille-2026"
DEMO_ACCOUNTS = [
    # username, first name, last name, group, superuser
    ("admin", "Alice", "Administratrice", roles.ADMINISTRATION, True),
    ("moderation", "Marc", "Modérateur", roles.MODERATION, False),
    ("redaction", "Rose", "Rédactrice", roles.MEDIATHEQUE_EDITORS, False),
    ("clx-redaction", "Claude", "Contributeur", roles.CLX_EDITORS, False),
    ("clx-coordination", "Camille", "Coordinatrice", roles.CLX_COORDINATION, False),
]


def _demo_email(username):
    # Wagtail notifies by e-mail (workflow, comments): in dev the console
    # shows who receives what.
    return f"{username}@atelier-wimille.test"


def _ensure_accounts():
    created = 0
    for username, first, last, group_name, superuser in DEMO_ACCOUNTS:
        created += not get_user_model().objects.filter(username=username).exists()
        user = UserFactory(
            username=username,
            email=_demo_email(username),
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            is_superuser=superuser,
            is_staff=superuser,
        )
        if not user.email:
            user.email = _demo_email(username)
            user.save(update_fields=["email"])
        user.groups.add(Group.objects.get(name=group_name))
    return created


def load(with_accounts=True, with_apps=True):
    """Load what is missing; return the report, one French line per step."""
    report = []
    home = create_site_tree(report)
    # Accounts first: demo content names who asked for a room or proposed
    # an expense.
    if with_accounts:
        report.append(f"Comptes de démonstration créés : {_ensure_accounts()}.")
    for app_demo in APP_DEMOS if with_apps else []:
        report.extend(app_demo.load(home))
    return report
