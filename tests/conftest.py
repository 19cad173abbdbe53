"""Shared fixtures: the site's page tree, demo data, users per role."""

import pytest
from django.core.management import call_command

from portal import demo


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded and generated files go to a throw-away folder per test.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo_data(db):
    """The whole demo content, as `make run` loads it."""
    call_command("setup_portal", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def home_page(db):
    """The site's tree without any app's demo content: home, index pages,
    legal pages and partners."""
    demo.load(with_accounts=False, with_apps=False)
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def role_user(db, django_user_model):
    """Factory: a user in the given role's group (groups are created first)."""
    from django.contrib.auth.models import Group

    from portal import roles

    def make(group_name, username=None, **extra):
        call_command("setup_portal", verbosity=0)
        user = django_user_model.objects.create_user(
            username=username or group_name.lower().replace(" ", "-"),
            email=f"{abs(hash(group_name))}@exemple.invalid",
            password="motdepasse-de-test",
            **extra,
        )
        user.groups.add(Group.objects.get(name=group_name))
        return user

    make.roles = roles
    return make
