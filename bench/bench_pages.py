"""Foundation pages: time and queries of the home page, a legal page and
search, before and after adding 500 standard pages."""

from django.test import Client

from bench.run import timed_get
from home.models import StandardPage

URLS = ["/", "/mentions-legales/", "/recherche/?q=libre"]


def run(report):
    client = Client()
    for label in ("demo content", "with 500 more pages"):
        if label != "demo content":
            parent = StandardPage.objects.get(slug="a-propos")
            for i in range(500):
                parent.add_child(
                    instance=StandardPage(
                        title=f"Page de test {i} sur le logiciel libre",
                        slug=f"page-{i}",
                        body=[],
                    )
                )
        for url in URLS:
            status, ms, queries = timed_get(client, url)
            report(f"{label:22} {url:24} {status} {ms:7.1f} ms  {queries:3d} queries")
