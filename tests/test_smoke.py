"""Every page of the demo data renders for a visitor, and its edit view
renders in the admin: the cheapest net against a broken template. One
subtest per page, so one broken page type does not hide the others."""

import pytest
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def test_every_demo_page_and_its_admin_editor_render(
    client, admin_client, demo_data, subtests
):
    pages = Page.objects.live().filter(depth__gt=1).specific()
    assert pages.count() >= 9
    for page in pages:
        url = page.get_url()
        with subtests.test(msg=f"{type(page).__name__} {url}"):
            assert client.get(url).status_code == 200
            response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
            assert response.status_code == 200, f"edit {url}"


def test_every_demo_draft_opens_in_the_admin_editor(admin_client, demo_data, subtests):
    # The event drafted from the confirmed room booking is not live yet.
    drafts = Page.objects.not_live().specific()
    assert drafts.exists()
    for page in drafts:
        with subtests.test(msg=f"{type(page).__name__} {page.slug}"):
            response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
            assert response.status_code == 200
