"""portal.prepared: a queryset compiled once per shape gives what the ORM
gives, for every value, in as many queries; what it cannot prepare is run by
the ORM; a builder that depends on more than its parameters is refused.
(Under the test settings every prepared call is also compiled by the ORM and
compared: PREPARED_QUERY_CHECK; these tests turn it off where they check
the production path.)"""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from events.factories import create_event, paris
from events.models import EventPage, Occurrence
from home.models import Partner
from portal.prepared import prepared_query

pytestmark = pytest.mark.django_db


@prepared_query
def events_by_slug(slug):
    return (
        EventPage.objects.live()
        .filter(slug=slug)
        .select_related("venue", "event_type")
        .prefetch_related("partners")
    )


@prepared_query
def occurrences_from(event_pk, start, *, model):
    return model.objects.filter(event=event_pk, end__gt=start).order_by("start")


@prepared_query
def pages_at(url_paths):
    return EventPage.objects.filter(url_path__in=url_paths).order_by("path")


@pytest.fixture
def production(settings):
    settings.PREPARED_QUERY_CHECK = False
    for prepared in (events_by_slug, occurrences_from, pages_at):
        prepared.forget()


@pytest.fixture
def two_events(agenda):
    partner = Partner.objects.create(
        name="Médiathèque « Les Jardins de l’écrit »", slug="médiathèque-test"
    )
    first = create_event(
        agenda,
        title="Conférence : sécurité numérique, les bons réflexes",
        slug="conférence-sécurité-numérique",
        start=paris(2027, 1, 9, 10),
        partners=[partner],
    )
    second = create_event(
        agenda,
        title="Install party « spéciale rentrée »",
        slug="install-party-spéciale-rentrée",
        start=paris(2027, 1, 16, 14),
        recurrence="weekly",
        recurrence_count=10,
    )
    return first, second


def test_same_instances_as_the_orm_for_every_value(two_events, production):
    first, second = two_events
    for event in (first, second, first):
        with CaptureQueriesContext(connection) as queries:
            (found,) = events_by_slug(event.slug)
            # Related objects came with the row and the prefetch: no query.
            names = (found.venue.name, found.event_type.name)
            partners = [p.name for p in found.partners.all()]
        assert len(queries) == 2  # the event row, then its partners
        assert found == event and type(found) is EventPage
        assert found.title == event.title
        assert names == (event.venue.name, event.event_type.name)
        assert partners == [p.name for p in event.partners.all()]
    assert events_by_slug("pas-d-événement-ici") == []
    assert events_by_slug.shapes() == (1, 0)  # compiled once, not by the ORM


def test_datetimes_and_lists_are_parameters(two_events, production):
    _, weekly = two_events
    model = Occurrence
    every = list(model.objects.filter(event=weekly).order_by("start"))
    assert len(every) > 3
    for cut in (every[0].start, every[2].end, every[-1].end):
        expected = [o for o in every if o.end > cut]
        assert occurrences_from(weekly.pk, cut, model=model) == expected
        assert all(timezone.is_aware(o.start) for o in expected)
    first, _ = two_events
    # A list's length is part of the shape: each length its own SQL.
    assert pages_at([first.url_path]) == [first]
    assert pages_at([first.url_path, weekly.url_path]) == [first, weekly]
    with CaptureQueriesContext(connection) as queries:
        assert pages_at([]) == []
    assert len(queries) == 0
    # Two datetimes, two list lengths prepared; the empty list is the ORM's.
    assert occurrences_from.shapes() == (1, 0)
    assert pages_at.shapes() == (2, 1)


def test_what_cannot_be_prepared_is_run_by_the_orm(two_events, production):
    @prepared_query
    def titled(prefix):
        return EventPage.objects.filter(title__startswith=prefix).order_by("path")

    first, second = two_events
    assert titled("Conférence") == [first]
    assert titled("Install party « spé") == [second]
    assert titled.shapes() == (0, 1)


def test_a_builder_reading_the_clock_is_refused(two_events):
    @prepared_query
    def upcoming(event_pk):
        return Occurrence.objects.filter(event=event_pk, end__gt=timezone.now())

    with pytest.raises(ImproperlyConfigured, match="positional argument"):
        upcoming(two_events[1].pk)


def test_a_wrong_parameter_type_says_so(two_events):
    with pytest.raises(TypeError, match="keyword argument"):
        occurrences_from(two_events[0].pk, None, model=Occurrence)


def test_the_check_mode_compares_every_call(two_events, settings):
    """Under PREPARED_QUERY_CHECK a builder whose query changes after the
    first compile (here: reading a module global) is caught on the call."""
    state = {"day": datetime.date(2027, 1, 1)}

    @prepared_query
    def after(event_pk):
        return Occurrence.objects.filter(event=event_pk, start__date__gt=state["day"])

    weekly = two_events[1]
    after(weekly.pk)
    state["day"] = datetime.date(2027, 2, 1)
    with pytest.raises(AssertionError, match="stale"):
        after(weekly.pk)


def test_public_forms_find_an_accented_event_both_ways(two_events, production):
    """The registration and appointment forms find their event by slug:
    prepared when no page has a view restriction, by `.public()` else."""
    first, _ = two_events
    for unrestricted in (True, False):
        found = EventPage.public_by_slug(first.slug, unrestricted=unrestricted)
        assert found == first and found.venue.name == first.venue.name
    PageViewRestriction.objects.create(page=first, restriction_type="login")
    assert EventPage.public_by_slug(first.slug, unrestricted=False) is None
    first.unpublish()
    assert EventPage.public_by_slug(first.slug, unrestricted=True) is None


@prepared_query
def public_volunteers(pks):
    from volunteers.models import Volunteer

    return Volunteer.objects.for_public_display().filter(pk__in=pks).order_by("pk")


def test_children_are_prefetched_by_a_prepared_query_too(db, production):
    # `for_public_display` prefetches each volunteer's skills (a ParentalKey's
    # children): that query is compiled once per number of volunteers as
    # well, and every volunteer reads its own skills, none for one without.
    from tests.factories.volunteers import CharterVersionFactory, listed_volunteer
    from volunteers.models import Volunteer

    public_volunteers.forget()
    version = CharterVersionFactory()
    camille = listed_volunteer(
        version, display_name="Camille L.", skills=["Réseaux « maison »", "Linux"]
    )
    zoé = listed_volunteer(version, display_name="Zoé B.", skills=["Bureautique"])
    léon = listed_volunteer(version, display_name="Léon D.")
    expected = {
        v.pk: sorted(item.tag.name for item in v.skill_items.all())
        for v in Volunteer.objects.for_public_display()
    }
    assert expected[camille.pk] == ["Linux", "Réseaux « maison »"]
    for pks in ([camille.pk, zoé.pk, léon.pk], [léon.pk, zoé.pk, camille.pk]):
        with CaptureQueriesContext(connection) as queries:
            found = public_volunteers(pks)
            skills = {
                v.pk: sorted(item.tag.name for item in v.skill_items.all())
                for v in found
            }
            owners = {
                item.content_object.pk for v in found for item in v.skill_items.all()
            }
        assert len(queries) == 2  # the volunteers, then all their skills
        assert skills == {pk: expected[pk] for pk in pks}
        assert skills[léon.pk] == []
        assert owners == {camille.pk, zoé.pk}
    assert public_volunteers.shapes() == (1, 0)
    assert public_volunteers.prefetch_shapes() == (1, 0)
    # Adding a skill shows at once: nothing of the rows is kept.
    léon.skills.add("Impression 3D")
    léon.save()
    (found,) = public_volunteers([léon.pk])
    assert [item.tag.name for item in found.skill_items.all()] == ["Impression 3D"]
