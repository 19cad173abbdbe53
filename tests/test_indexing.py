"""The tests' rule for Wagtail's search and reference indexes
(tests/indexing.py): written after each save in a test marked `indexed`,
as on the site, and not at all elsewhere."""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from tests.factories.guides import make_guide, make_image
from tests.indexing import indexing, reads_an_index

pytestmark = [pytest.mark.django_db, pytest.mark.indexed]


def _indexed(guide):
    page_type = ContentType.objects.get_for_model(guide, for_concrete_model=False)
    searchable = IndexEntry.objects.filter(
        content_type__in=[page_type, ContentType.objects.get(model="page")],
        object_id=str(guide.pk),
    ).exists()
    referencing = ReferenceIndex.objects.filter(object_id=str(guide.pk)).exists()
    return searchable, referencing


def test_a_marked_test_writes_both_indexes_as_the_site_does(home_page):
    guide = make_guide(title="Graver du bois", image=make_image())
    assert _indexed(guide) == (True, True)


def test_with_indexing_off_neither_index_is_written(home_page):
    with indexing(False):
        guide = make_guide(title="Graver du bois", image=make_image())
    assert _indexed(guide) == (False, False)


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ('client.get("/recherche/", {"q": "imprimante"})', True),
        ('client.get("/api/v2/pages/?search=secret")', True),
        ('client.get(LIST_URL + "?q=jour")', True),
        ("ReferenceIndex.get_references_to(photo)", True),
        ('call_command("update_index")', True),
        ('re.search(r"/agenda/(evenement-\\d+)/", url)', False),
        ('client.get("/agenda/?type=atelier")', False),
    ],
)
def test_a_module_that_reads_an_index_is_recognised(source, reads):
    assert reads_an_index(source) is reads
