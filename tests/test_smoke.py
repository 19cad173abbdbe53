"""Every page of the demo data renders for a visitor, and its edit view
renders in the admin: the cheapest net against a broken template."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_every_demo_page_and_its_admin_editor_render(client, admin_client, demo_data):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 9
    failures = []
    for page in pages:
        url = page.get_url()
        response = client.get(url)
        if response.status_code != 200:
            failures.append((url, response.status_code))
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        if response.status_code != 200:
            failures.append((f"edit {url}", response.status_code))
    assert failures == []
