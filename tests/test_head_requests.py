"""HEAD answers wherever GET does (RFC 9110 § 9.3.2): same status, same
headers, no body. The agenda's own views (feeds, month grid, registration)
are covered by the agenda's tests."""

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page

from resources.models import BadgeAssertion, BadgeClass
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


def public_urls():
    urls = [page.url for page in Page.objects.live().public().specific() if page.url]
    badge = BadgeClass.objects.first()
    awarded = BadgeAssertion.objects.first()
    urls += [
        "/recherche/",
        "/recherche/?q=libre",
        "/robots.txt",
        "/sitemap.xml",
        "/api/v2/pages/",
        reverse("resources:issuer"),
        reverse("resources:revocation_list"),
        reverse("resources:badge_class", args=[badge.slug]),
        reverse("resources:badge_class_image", args=[badge.slug]),
        reverse("resources:request_badge", args=[badge.slug]),
        reverse("resources:request_sent", args=[badge.slug]),
        reverse("resources:assertion", args=[awarded.uid]),
        reverse("resources:assertion_verify", args=[awarded.uid]),
        reverse("resources:assertion_image", args=[awarded.uid]),
        "/page-qui-n-existe-pas/",
    ]
    volunteer = Volunteer.objects.publicly_listed().filter(accepts_contact=True)
    volunteer = volunteer.exclude(email="").first()
    if volunteer is not None:
        urls.append(f"/benevoles/{volunteer.pk}/contacter/")
    document = get_document_model().objects.first()
    if document is not None:
        urls.append(document.url)
    return urls


def test_head_gets_the_status_and_headers_of_get(client, demo_data):
    urls = public_urls()
    assert len(urls) > 25
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code, url
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert body == b"", url
        assert head.get("Content-Type") == get.get("Content-Type"), url
        assert head.status_code != 405, url


def test_head_is_refused_nowhere_a_get_is_answered(client, demo_data):
    # The badge documents were the ones answering 405 to HEAD.
    for url in ("/badges/emetteur", "/robots.txt", "/recherche/?q=libre"):
        response = client.head(url, HTTP_ACCEPT="application/ld+json")
        assert response.status_code == 200, url
