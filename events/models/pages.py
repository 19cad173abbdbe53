"""Event pages: events with their recurrence, cancelled and extra dates."""

import functools

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from events.agenda import jsonld, recurrence
from events.agenda.panels import NextDatesPanel
from events.blocks import EventBodyBlock
from events.signals import validate_event
from portal.page_forms import PortalPageForm
from portal.prepared import prepared_query
from portal.previews import ReadsStoredMixin

__all__ = [
    "EventType",
    "EventPage",
    "EventPageTag",
    "EventCancellation",
    "EventExtraDate",
    "AUDIENCE_CHOICES",
]

AUDIENCE_CHOICES = [
    ("tout-public", _("Tout public")),
    ("debutants", _("Débutants")),
    ("inities", _("Initiés")),
    ("seniors", _("Seniors")),
    ("jeunes", _("Jeunes")),
    ("familles", _("Familles")),
    ("professionnels", _("Associations et professionnels")),
]

ATTENDANCE_CHOICES = [
    ("offline", _("Sur place")),
    ("online", _("En ligne")),
    ("mixed", _("Sur place et en ligne")),
]

RECURRENCE_CHOICES = [
    ("", _("Une seule date (pas de répétition)")),
    ("weekly", _("Chaque semaine, le même jour (ex. « chaque mardi »)")),
    (
        "monthly_weekday",
        _("Chaque mois, le même jour de la semaine (ex. « le premier samedi »)"),
    ),
    (
        "monthly_last_weekday",
        _("Chaque mois, le dernier même jour (ex. « le dernier vendredi »)"),
    ),
    ("monthly_date", _("Chaque mois, à la même date (ex. « le 15 de chaque mois »)")),
    ("custom", _("Règle personnalisée (RRULE, pour les habitués)")),
]


class EventType(models.Model):
    """Kind of event (petit-déj du libre, install party…), edited by staff."""

    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(
        _("identifiant d'URL"),
        allow_unicode=True,
        unique=True,
        help_text=_(
            "Utilisé dans le filtre de l'agenda, par exemple « install-party »."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("type d'événement")
        verbose_name_plural = _("types d'événement")

    def __str__(self):
        return self.name


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "events.EventPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class VenueSerializer(serializers.Serializer):
    name = serializers.CharField()
    address = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()


class NameSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


def recurrence_fields(*, end_help_text, until_help_text, count_validators=()):
    """The first date and the recurrence that `RecurrenceRuleMixin` and
    `events.agenda.recurrence.expand` read, declared once for events and for room
    slots and bookings: (start, end, recurrence, recurrence_rule,
    recurrence_until, recurrence_count), to unpack in the model's body."""
    return (
        models.DateTimeField(_("début"), help_text=_("Première date, heure de Paris.")),
        models.DateTimeField(_("fin"), help_text=end_help_text),
        models.CharField(
            _("répétition"), max_length=30, choices=RECURRENCE_CHOICES, blank=True
        ),
        models.TextField(
            _("règle RRULE"),
            blank=True,
            help_text=_(
                "Calculée à partir du choix ci-dessus. À remplir seulement pour une "
                "règle personnalisée, par exemple FREQ=MONTHLY;BYDAY=+1SA."
            ),
        ),
        models.DateField(
            _("jusqu'au"), null=True, blank=True, help_text=until_help_text
        ),
        models.PositiveSmallIntegerField(
            _("nombre de dates"),
            null=True,
            blank=True,
            validators=list(count_validators),
            help_text=_("Ou bien un nombre de dates en tout."),
        ),
    )


def recurrence_panels():
    """The editor's panels of the fields of `recurrence_fields()`, in order."""
    return [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("recurrence"),
        FieldRowPanel([FieldPanel("recurrence_until"), FieldPanel("recurrence_count")]),
        FieldPanel("recurrence_rule"),
    ]


class RecurrenceRuleMixin:
    """For a model with start, recurrence (the editor's choice), its until /
    count and recurrence_rule: the stored RFC 5545 rule always matches the
    choice (events and room slots or bookings alike)."""

    def sync_recurrence_rule(self):
        """Write the RRULE matching the editor's choice (kept for custom)."""
        if not self.recurrence:
            self.recurrence_rule = ""
        elif self.start:
            self.recurrence_rule = recurrence.build_rule(
                self.recurrence,
                self.start,
                until=self.recurrence_until,
                count=self.recurrence_count,
                custom=self.recurrence_rule,
            )

    def save(self, *args, **kwargs):
        try:
            self.sync_recurrence_rule()
        except ValidationError:
            pass  # clean() reports it in forms; keep what was typed
        return super().save(*args, **kwargs)


class EventPage(RecurrenceRuleMixin, ReadsStoredMixin, Page):
    # Says which abandoned draft holds a slug (portal/page_forms.py).
    base_form_class = PortalPageForm
    summary = models.TextField(
        _("résumé"),
        max_length=300,
        help_text=_("Une ou deux phrases, reprises dans l'agenda et les flux."),
    )
    body = StreamField(EventBodyBlock(), verbose_name=_("description"), blank=True)
    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("type"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=AUDIENCE_CHOICES, default="tout-public"
    )
    tags = ClusterTaggableManager(
        verbose_name=_("thèmes"),
        through=EventPageTag,
        blank=True,
        help_text=_(
            "Par exemple « logiciels libres », « smartphone », « vie privée »."
        ),
    )
    partners = ParentalManyToManyField(
        "home.Partner", verbose_name=_("organisé par"), blank=True
    )
    facilitators = ParentalManyToManyField(
        "volunteers.Volunteer",
        verbose_name=_("animé par"),
        blank=True,
        related_name="events",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_(
            "Décrit l'image pour qui ne la voit pas. Laisser vide si elle est "
            "décorative."
        ),
    )
    (
        start,
        end,
        recurrence,
        recurrence_rule,
        recurrence_until,
        recurrence_count,
    ) = recurrence_fields(
        end_help_text=_("Fin de la première date, heure de Paris."),
        until_help_text=_("Dernière date possible (laisser vide : sans fin)."),
    )
    attendance_mode = models.CharField(
        _("participation"), max_length=10, choices=ATTENDANCE_CHOICES, default="offline"
    )
    online_url = models.URLField(
        _("lien de participation en ligne"),
        blank=True,
        help_text=_("Obligatoire si l'événement a lieu en ligne."),
    )
    age_min = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    price = models.DecimalField(
        _("prix (€)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    price_details = models.CharField(
        _("précisions sur le prix"), max_length=200, blank=True
    )
    venue = models.ForeignKey(
        "events.Venue",
        verbose_name=_("lieu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    room = models.ForeignKey(
        "events.Room",
        verbose_name=_("salle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_(
            "Salle prêtée par la médiathèque : l'événement doit tenir dans ses "
            "créneaux sans chevaucher une autre réservation."
        ),
    )
    access_motor = models.BooleanField(_("handicap moteur"), default=False)
    access_hearing = models.BooleanField(_("handicap auditif"), default=False)
    access_visual = models.BooleanField(_("handicap visuel"), default=False)
    access_intellectual = models.BooleanField(_("handicap mental"), default=False)
    access_psychic = models.BooleanField(_("handicap psychique"), default=False)
    accessibility_notes = models.TextField(
        _("précisions sur l'accessibilité"),
        blank=True,
        help_text=_("Par exemple « grands écrans, supports en gros caractères »."),
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        null=True,
        blank=True,
        help_text=_("Par date. Laisser vide : pas d'inscription."),
    )
    max_seats_per_registration = models.PositiveSmallIntegerField(
        _("places maximum par inscription"), default=4
    )
    registration_closed = models.BooleanField(
        _("inscriptions fermées"),
        default=False,
        help_text=_("Cocher pour fermer les inscriptions avant le début."),
    )
    registration_opens_at = models.DateTimeField(
        _("ouverture des inscriptions"),
        null=True,
        blank=True,
        help_text=_("Laisser vide : ouvertes dès la publication."),
    )
    # The home page's selection (events.programme.groups.home_selection).
    featured_on_home = models.BooleanField(
        _("à la une sur la page d'accueil"),
        default=False,
        help_text=_(
            "La page d'accueil montre quatre rendez-vous, un par événement : "
            "d'abord les événements cochés « à la une », puis le plus proche "
            "des événements où il reste des places, puis les plus proches des "
            "autres, un seul par type d'événement tant que c'est possible. "
            "Cochez cette case pour qu'un événement y figure toujours tant "
            "qu'il a une date à venir."
        ),
    )
    # Appointments (events.appointments.rules): one-to-one slots instead of seats.
    appointments_enabled = models.BooleanField(
        _("sur rendez-vous"),
        default=False,
        help_text=_(
            "Pour l'assistance informatique : chaque date est découpée en "
            "créneaux individuels que le public réserve. Laisser alors « nombre "
            "de places » vide."
        ),
    )
    appointment_slot_minutes = models.PositiveSmallIntegerField(
        _("durée d'un créneau"),
        choices=[(n, _("%(n)d minutes") % {"n": n}) for n in (15, 20, 30, 45, 60)],
        default=30,
    )
    appointment_places = models.PositiveSmallIntegerField(
        _("personnes reçues en même temps"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_(
            "Le nombre de bénévoles de permanence : autant de rendez-vous en "
            "parallèle sur chaque créneau. Modifiable date par date dans « Rendez-"
            "vous »."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(recurrence_panels(), heading=_("Date et répétition")),
        InlinePanel(
            "cancellations", heading=_("Dates annulées"), label=_("Date annulée")
        ),
        InlinePanel(
            "extra_dates", heading=_("Dates supplémentaires"), label=_("Date en plus")
        ),
        NextDatesPanel(),
        MultiFieldPanel(
            [
                FieldPanel("event_type"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                FieldPanel("tags"),
                FieldPanel("partners"),
                FieldPanel("facilitators"),
            ],
            heading=_("Type, public et organisation"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("room"),
                FieldPanel("attendance_mode"),
                FieldPanel("online_url"),
            ],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_free"),
                FieldRowPanel([FieldPanel("price"), FieldPanel("price_details")]),
            ],
            heading=_("Prix"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("access_motor"),
                        FieldPanel("access_hearing"),
                        FieldPanel("access_visual"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("access_intellectual"), FieldPanel("access_psychic")]
                ),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibilité"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("max_seats_per_registration"),
                FieldRowPanel(
                    [
                        FieldPanel("registration_opens_at"),
                        FieldPanel("registration_closed"),
                    ]
                ),
            ],
            heading=_("Inscriptions"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("appointments_enabled"),
                FieldRowPanel(
                    [
                        FieldPanel("appointment_slot_minutes"),
                        FieldPanel("appointment_places"),
                    ]
                ),
            ],
            heading=_("Rendez-vous individuels"),
        ),
        MultiFieldPanel([FieldPanel("featured_on_home")], heading=_("Page d'accueil")),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image")
        ),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    api_fields = [
        APIField("summary"),
        APIField("start"),
        APIField("end"),
        APIField("recurrence_rule"),
        APIField("event_type", serializer=NameSerializer()),
        APIField("audience"),
        APIField("tags"),
        APIField("venue", serializer=VenueSerializer()),
        APIField("attendance_mode"),
        APIField("is_free"),
        APIField("price"),
        APIField("age_min"),
        APIField("age_max"),
        APIField("access_motor"),
        APIField("access_hearing"),
        APIField("access_visual"),
        APIField("access_intellectual"),
        APIField("access_psychic"),
        APIField("accessibility_notes"),
        APIField("capacity"),
    ]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    @classmethod
    def routing_queryset(cls):
        """How an event is read when a path leads to it (portal.routing and
        the agenda's own route): with the venue and type its page shows (its
        partners and themes: `shown_partners`, `shown_tags`)."""
        return cls.objects.select_related("venue", "event_type")

    @classmethod
    def public_by_slug(cls, slug, *, unrestricted):
        """The live event with this slug (the first in the tree if several),
        with its venue, that a visitor may see: the public forms' page.
        `unrestricted`: no page of the tree has a view restriction
        (`portal.routing.known_unrestricted`), so none is asked for."""
        if unrestricted:
            found = _live_event_by_slug(slug)
            return found[0] if found else None
        return (
            cls.objects.live()
            .public()
            .filter(slug=slug)
            .select_related("venue")
            .order_by("path")
            .first()
        )

    @property
    def agenda_page(self):
        """The agenda this event was routed from (breadcrumbs, « retour à
        l'agenda »), without a query; None when not routed (a preview)."""
        return self.__dict__.get("_cached_parent_obj")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("La fin doit être après le début.")
        if self.attendance_mode in ("online", "mixed") and not self.online_url:
            errors["online_url"] = _("Indiquez le lien pour participer en ligne.")
        if not self.is_free and self.price is None:
            errors["price"] = _("Indiquez un prix, ou cochez « gratuit ».")
        if (
            self.age_min is not None
            and self.age_max is not None
            and self.age_max < self.age_min
        ):
            errors["age_max"] = _("L'âge maximum doit être supérieur à l'âge minimum.")
        if self.recurrence_until and self.recurrence_count:
            errors["recurrence_count"] = _(
                "Choisissez soit une date de fin, soit un nombre de dates, "
                "pas les deux."
            )
        if self.recurrence == "custom" and not self.recurrence_rule.strip():
            errors["recurrence_rule"] = _("Saisissez la règle personnalisée.")
        if self.start and self.recurrence and not errors:
            try:
                self.sync_recurrence_rule()
                recurrence.validate_rule(self.recurrence_rule, self.start)
            except ValidationError as error:
                errors["recurrence_rule"] = error.messages
        if not errors:
            # Rules that need other models (the room must be free: events.rooms.rules)
            # answer this signal; the model never imports them.
            for _receiver, found in validate_event.send(sender=EventPage, event=self):
                errors.update(found or {})
        if errors:
            raise ValidationError(errors)

    # --- occurrences: the public API other apps rely on --------------------

    @property
    def reads_stored_dates(self):
        """A live, saved event reads its dates from the stored occurrences
        (events.agenda.occurrences keeps them); a draft or a preview computes them
        from the fields it holds (events.agenda.recurrence)."""
        return self.reads_stored and self.live

    def occurrences(self, start=None, end=None):
        """Occurrences overlapping [start, end) in date order. Without an end,
        up to a year ahead."""
        if end is None:
            end = max(timezone.now(), self.start) + recurrence.DEFAULT_HORIZON
        if not self.reads_stored_dates:
            return recurrence.expand(self, start=start, end=end)
        model = self.stored_occurrences.model
        if start is None:
            return _occurrences_before(self.pk, end, model=model)
        return _occurrences_between(self.pk, start, end, model=model)

    def get_occurrence(self, start):
        """The occurrence starting at ``start`` (aware datetime or its ISO
        string), or None — also for garbage or out-of-range values."""
        if not self.reads_stored_dates:
            return recurrence.find(self, start)
        wanted = recurrence.parse_key(start)
        if wanted is None:
            return None
        found = _occurrence_at(self.pk, wanted, model=self.stored_occurrences.model)
        return found[0] if found else None

    def next_occurrences(self, limit=6):
        return self.occurrences(start=timezone.now())[:limit]

    @property
    def recurrence_description(self):
        return recurrence.describe(self.recurrence, self.start, self.recurrence_rule)

    @property
    def public_facilitators(self):
        """Facilitators as the public may see them (volunteers app's rule);
        works on previews too, where `facilitators` is held in memory."""
        volunteers = self.facilitators.model.objects
        if self.reads_stored_dates:  # live and saved: what is stored
            return _public_facilitators(self.pk, volunteers=volunteers)
        chosen = self.facilitators.all().values_list("id", flat=True)
        return volunteers.for_public_display().filter(pk__in=chosen)

    @functools.cached_property
    def shown_partners(self):
        """The partners the page names (« Organisé par », the JSON-LD's
        organisers): what is stored, in a prepared query, when the page is
        live and saved; on previews, what the editor chose."""
        if self.reads_stored_dates and "partners" not in getattr(
            self, "_prefetched_objects_cache", {}
        ):
            return _event_partners(self.pk, model=self.partners.model)
        return list(self.partners.all())

    @functools.cached_property
    def shown_tags(self):
        """The page's themes, as `shown_partners`."""
        if self.reads_stored_dates and "tagged_items" not in getattr(
            self, "_cluster_related_objects", {}
        ):
            return _event_tags(self.pk, model=self.tags.through.tag_model())
        return list(self.tags.all())

    @property
    def price_label(self):
        if self.is_free or self.price is None:
            return _("Gratuit")
        return f"{number_format(self.price, 2)} €"

    @property
    def accessibility_flags(self):
        """The five flags French cultural agendas use, as readable labels."""
        labels = [
            (
                self.access_motor,
                _("Accessible aux personnes en situation de handicap moteur"),
            ),
            (
                self.access_hearing,
                _("Accessible aux personnes en situation de handicap auditif"),
            ),
            (
                self.access_visual,
                _("Accessible aux personnes en situation de handicap visuel"),
            ),
            (
                self.access_intellectual,
                _("Accessible aux personnes en situation de handicap mental"),
            ),
            (
                self.access_psychic,
                _("Accessible aux personnes en situation de handicap psychique"),
            ),
        ]
        return [label for flag, label in labels if flag]

    # --- page ------------------------------------------------------------------

    def _dates_shown(self, now):
        """(upcoming dates (12 at most), next date not cancelled, last past
        date when none is upcoming): a few LIMIT queries on the stored
        dates."""
        if not self.reads_stored_dates:
            upcoming = self.occurrences(start=now)
            past = [] if upcoming else self.occurrences(start=self.start, end=now)
            return (
                upcoming[:12],
                next((o for o in upcoming if not o.cancelled), None),
                past[-1] if past else None,
            )
        stored = self.stored_occurrences
        upcoming = _upcoming_occurrences(self.pk, now, model=stored.model)
        next_occurrence = next((o for o in upcoming if not o.cancelled), None)
        if next_occurrence is None and len(upcoming) == 12:
            next_occurrence = (
                stored.filter(end__gt=now, is_cancelled=False).order_by("start").first()
            )
        past = None
        if not upcoming:
            past = stored.filter(end__lte=now).order_by("-start").first()
        return upcoming, next_occurrence, past

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # `page.url` in the template reads the site root paths the request
        # has read already, not the cache again.
        self._wagtail_cached_site_root_paths = self._get_site_root_paths(request)
        # Lazy: read only when the template renders the parts that show them,
        # not when those parts come rendered from portal.fragments.
        dates = functools.cache(lambda: self._dates_shown(timezone.now()))

        def shown():
            upcoming, next_occurrence, past_occurrence = dates()
            return next_occurrence or (upcoming[0] if upcoming else past_occurrence)

        context.update(
            {
                "upcoming_occurrences": SimpleLazyObject(lambda: dates()[0]),
                "next_occurrence": SimpleLazyObject(lambda: dates()[1]),
                "first_occurrence": SimpleLazyObject(
                    lambda: dates()[0][0] if dates()[0] else None
                ),
                "past_occurrence": SimpleLazyObject(lambda: dates()[2]),
                "ics_url": reverse("events:event_ics", kwargs={"slug": self.slug}),
                "jsonld": SimpleLazyObject(
                    lambda: jsonld.as_script_content(
                        jsonld.event_data(self, shown(), request)
                    )
                ),
            }
        )
        return context


# What a public page asks about an event, compiled once (portal.prepared).


@prepared_query
def _occurrences_before(event_pk, end, *, model):
    return model.objects.filter(event=event_pk, start__lt=end).order_by("start")


@prepared_query
def _occurrences_between(event_pk, start, end, *, model):
    return model.objects.filter(event=event_pk, start__lt=end, end__gt=start).order_by(
        "start"
    )


@prepared_query
def _occurrence_at(event_pk, start, *, model):
    return model.objects.filter(event=event_pk, start=start)[:1]


@prepared_query
def _live_event_by_slug(slug):
    return (
        EventPage.objects.live()
        .filter(slug=slug)
        .select_related("venue")
        .order_by("path")[:1]
    )


@prepared_query
def _public_facilitators(event_pk, *, volunteers):
    return volunteers.for_public_display().filter(events=event_pk)


@prepared_query
def _event_partners(event_pk, *, model):
    return model.objects.filter(eventpage=event_pk)


@prepared_query
def _event_tags(event_pk, *, model):
    return model.objects.filter(
        events_eventpagetag_items__content_object=event_pk
    ).order_by("events_eventpagetag_items__id")


@prepared_query
def _upcoming_occurrences(event_pk, now, *, model):
    return model.objects.filter(event=event_pk, end__gt=now).order_by("start")[:12]


class EventCancellation(Orderable):
    """A date of a recurring event that will not happen, with why."""

    page = ParentalKey(
        EventPage, on_delete=models.CASCADE, related_name="cancellations"
    )
    date = models.DateField(
        _("date annulée"), help_text=_("Le jour de la date qui n'aura pas lieu.")
    )
    reason = models.CharField(
        _("motif"),
        max_length=200,
        help_text=_("Affiché au public, par exemple « fermeture de la médiathèque »."),
    )

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("reason")])]

    class Meta(Orderable.Meta):
        verbose_name = _("date annulée")
        verbose_name_plural = _("dates annulées")


class EventExtraDate(Orderable):
    """A date added on top of the rule (or of the single date)."""

    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="extra_dates")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(
        _("fin"), null=True, blank=True, help_text=_("Laisser vide : même durée.")
    )

    panels = [FieldRowPanel([FieldPanel("start"), FieldPanel("end")])]

    class Meta(Orderable.Meta):
        verbose_name = _("date supplémentaire")
        verbose_name_plural = _("dates supplémentaires")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit être après le début.")})
