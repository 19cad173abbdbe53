"""`{% prefetched_image %}` (resources/templatetags/prefetched_images.py):
the same HTML as Wagtail's `{% image %}`, without writing to the cache the
renditions prefetched with their image or just read from that cache."""

import pytest
from django.core.cache import caches
from django.template import engines
from wagtail.images import get_image_model
from wagtail_factories import ImageFactory

ATTRS = 'alt="Le plateau" class="guide-figure__img"'


def render(tag, image):
    source = {
        "image": "{% load wagtailimages_tags %}",
        "prefetched_image": "{% load prefetched_images %}",
    }[tag] + f"{{% {tag} image max-800x800 {ATTRS} %}}"
    return engines["django"].from_string(source).render({"image": image})


@pytest.fixture
def renditions_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "prefetched-images-test",
        },
    }
    cache = caches["renditions"]
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_same_html_as_the_image_tag_and_no_cache_write(renditions_cache):
    Image = get_image_model()
    image = ImageFactory()
    expected = render("image", image)  # creates the rendition
    assert 'alt="Le plateau"' in expected and 'class="guide-figure__img"' in expected
    renditions_cache.clear()

    prefetched = Image.objects.prefetch_renditions("max-800x800").get(pk=image.pk)
    assert render("prefetched_image", prefetched) == expected
    assert list(renditions_cache._cache) == []  # nothing written
    # Wagtail's tag writes it, prefetched or not.
    assert render("image", prefetched) == expected
    assert len(renditions_cache._cache) == 1


@pytest.mark.django_db
def test_falls_back_to_the_image_tag_when_not_prefetched_or_not_created(
    renditions_cache,
):
    Image = get_image_model()
    image = ImageFactory()
    # Prefetched before the rendition exists: created, as {% image %} does.
    prefetched = Image.objects.prefetch_renditions("max-800x800").get(pk=image.pk)
    html = render("prefetched_image", prefetched)
    assert image.renditions.filter(filter_spec="max-800x800").count() == 1
    assert html == render("image", Image.objects.get(pk=image.pk))
    # Not prefetched: the same as {% image %}.
    assert render("prefetched_image", Image.objects.get(pk=image.pk)) == html
    assert render("prefetched_image", None) == ""


@pytest.mark.django_db
def test_a_rendition_found_in_the_cache_is_not_written_again(
    renditions_cache, django_assert_num_queries
):
    Image = get_image_model()
    image = ImageFactory()
    expected = render("image", image)  # created, and written to the cache
    (key,) = list(renditions_cache._cache)
    written = renditions_cache._expire_info[key]

    fresh = Image.objects.get(pk=image.pk)
    with django_assert_num_queries(0):
        assert render("prefetched_image", fresh) == expected
    assert renditions_cache._expire_info[key] == written
    # Wagtail's tag writes it again.
    assert render("image", Image.objects.get(pk=image.pk)) == expected
    assert renditions_cache._expire_info[key] != written
