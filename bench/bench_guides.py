"""Practical guides: time and queries of the guide list, a filtered list and
one guide, with the demo guides and then with 100 more guides of 15
illustrated steps each."""

from django.test import Client

from bench.run import timed_get

URLS = [
    "/guides/",
    "/guides/?categorie=fab-lab&page=2",
    "/guides/imprimer-une-piece-en-3d-pla/",
]


def _add_guides(count=100, steps=15):
    from wagtail.images import get_image_model

    from resources.models import GuideIndexPage, GuidePage, Machine

    index = GuideIndexPage.objects.get()
    machine = Machine.objects.first()
    image = get_image_model().objects.first()
    for number in range(count):
        guide = GuidePage(
            title=f"Guide de test {number:03d}",
            slug=f"guide-de-test-{number}",
            summary="Un guide pour mesurer.",
            category="fab-lab",
            difficulty=1 + number % 4,
            duration_minutes=30,
            steps=[
                {
                    "type": "step",
                    "value": {
                        "title": f"Étape {n}",
                        "text": "<p>Faites ceci.</p>",
                        "extras": [
                            {
                                "type": "image",
                                "value": {
                                    "image": image.pk,
                                    "alt_text": "Une image",
                                    "caption": "",
                                },
                            }
                        ],
                    },
                }
                for n in range(steps)
            ],
        )
        guide.machines = [machine]
        index.add_child(instance=guide)
        guide.save_revision().publish()


def run(report):
    client = Client()
    for label in ("demo content", "with 100 guides x 15"):
        urls = URLS
        if label != "demo content":
            _add_guides()
            urls = URLS + ["/guides/guide-de-test-42/"]
        for url in urls:
            status, ms, queries = timed_get(client, url)
            report(f"{label:22} {url:42} {status} {ms:7.1f} ms  {queries:3d} queries")
