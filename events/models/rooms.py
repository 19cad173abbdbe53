"""Rooms of a venue, the slots the médiathèque lends them on, their closures,
and the booking requests CLX makes for them.

A slot or a booking is one first date plus an optional recurrence, expanded
by `events.agenda.recurrence` (same rules, same DST care as events). A booking's
dates are stored in `BookingDate` rows, widened by its setup and tidy-up
time, so that the overlap check in `events.rooms.rules` reads a bounded range of
rows instead of expanding every booking of the room.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Orderable

from events.agenda import recurrence
from events.models.pages import (
    RecurrenceRuleMixin,
    recurrence_fields,
    recurrence_panels,
)

__all__ = [
    "Room",
    "RoomSlot",
    "RoomClosure",
    "Booking",
    "BookingDate",
    "format_span",
]

# A series may not run further than this (a room is lent for a season, not
# for ever); also bounds how many dates one request stores.
MAX_SERIES_DAYS = 400
MAX_SETUP_MINUTES = 240


def new_feed_token():
    return secrets.token_urlsafe(24)


def format_span(start, end):
    """« samedi 5 décembre 2026, 9 h 30 – 12 h 30 » in Paris time."""
    local_start = timezone.localtime(start, recurrence.local_tz())
    local_end = timezone.localtime(end, recurrence.local_tz())
    day = date_format(local_start, "l j F Y")
    start_time = date_format(local_start, "G \\h i").replace(" h 00", " h")
    end_time = date_format(local_end, "G \\h i").replace(" h 00", " h")
    if local_start.date() != local_end.date():
        return f"{day}, {start_time} – {date_format(local_end, 'l j F Y')}, {end_time}"
    return f"{day}, {start_time} – {end_time}"


class _NoDates:
    """What `recurrence.expand` reads as extra and cancelled dates, for
    slots and bookings, which have neither."""

    def all(self):
        return ()


class RecurringSpan(RecurrenceRuleMixin, models.Model):
    """A first date (start, end) and an optional recurrence, read by
    `events.agenda.recurrence.expand` exactly like an event."""

    (
        start,
        end,
        recurrence,
        recurrence_rule,
        recurrence_until,
        recurrence_count,
    ) = recurrence_fields(
        end_help_text=_("Fin de la première date."),
        until_help_text=_("Dernière date possible."),
        count_validators=[MaxValueValidator(400)],
    )

    extra_dates = _NoDates()
    cancellations = _NoDates()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _(
                "La fin doit être après le début (une plage de durée nulle ne "
                "réserve rien)."
            )
        elif (
            self.start
            and self.end
            and self.end - self.start > datetime.timedelta(hours=24)
        ):
            errors["end"] = _("Une même date ne peut pas dépasser 24 heures.")
        if self.recurrence_until and self.recurrence_count:
            errors["recurrence_count"] = _(
                "Choisissez soit une date de fin, soit un nombre de dates, "
                "pas les deux."
            )
        if self.recurrence == "custom" and not self.recurrence_rule.strip():
            errors["recurrence_rule"] = _("Saisissez la règle personnalisée.")
        if (
            self.start
            and self.recurrence_until
            and self.recurrence_until < timezone.localtime(self.start).date()
        ):
            errors["recurrence_until"] = _(
                "La dernière date ne peut pas être avant la première."
            )
        if self.start and self.recurrence and not errors:
            try:
                self.sync_recurrence_rule()
                recurrence.validate_rule(self.recurrence_rule, self.start)
            except ValidationError as error:
                errors["recurrence_rule"] = error.messages
        if errors:
            raise ValidationError(errors)

    def dates(self, start=None, end=None):
        """(start, end) pairs overlapping [start, end), in order."""
        return [
            (occ.start, occ.end)
            for occ in recurrence.expand(self, start=start, end=end)
        ]

    @property
    def recurrence_description(self):
        return recurrence.describe(self.recurrence, self.start, self.recurrence_rule)


class Room(ClusterableModel):
    """A room of a venue that the médiathèque lends to the association."""

    venue = models.ForeignKey(
        "events.Venue",
        verbose_name=_("lieu"),
        on_delete=models.CASCADE,
        related_name="rooms",
    )
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Ce que la salle permet, le matériel, la clé à demander…"),
    )
    capacity = models.PositiveIntegerField(
        _("capacité"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
        help_text=_("Nombre de personnes que la salle peut accueillir."),
    )
    feed_token = models.CharField(
        _("jeton du flux privé"),
        max_length=64,
        unique=True,
        default=new_feed_token,
        editable=False,
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("name"), FieldPanel("capacity")]),
                FieldPanel("description"),
                FieldPanel("sort_order"),
            ],
            heading=_("Salle"),
        ),
        InlinePanel(
            "slots",
            heading=_("Créneaux convenus avec CLX"),
            label=_("Créneau"),
            help_text=_(
                "Quand la salle est mise à disposition de l'association, par "
                "exemple « le premier samedi du mois, 9 h – 12 h 30 »."
            ),
        ),
        InlinePanel(
            "closures",
            heading=_("Fermetures"),
            label=_("Fermeture"),
            help_text=_("Vacances, événements de la médiathèque : aucun créneau."),
        ),
    ]

    class Meta:
        ordering = ["venue__name", "sort_order", "name"]
        verbose_name = _("salle")
        verbose_name_plural = _("salles")

    def __str__(self):
        return f"{self.name} ({self.venue.name})"


class RoomSlot(Orderable, RecurringSpan):
    """When the room is available to the association."""

    room = ParentalKey(Room, on_delete=models.CASCADE, related_name="slots")
    label = models.CharField(
        _("intitulé"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « petit-déj du libre »."),
    )

    panels = [
        FieldPanel("label"),
        *recurrence_panels(),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")

    def __str__(self):
        description = self.recurrence_description or format_span(self.start, self.end)
        return f"{self.label or _('Créneau')} – {description}"


class RoomClosure(Orderable):
    """Days when the room is closed, whatever the slots say (inclusive)."""

    room = ParentalKey(Room, on_delete=models.CASCADE, related_name="closures")
    first_day = models.DateField(_("du"))
    last_day = models.DateField(_("au (inclus)"))
    reason = models.CharField(
        _("motif"),
        max_length=200,
        help_text=_("Par exemple « vacances de Noël »."),
    )

    panels = [
        FieldRowPanel(
            [FieldPanel("first_day"), FieldPanel("last_day"), FieldPanel("reason")]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")

    def __str__(self):
        return f"{self.reason} ({self.first_day} – {self.last_day})"

    def clean(self):
        super().clean()
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError(
                {"last_day": _("Le dernier jour ne peut pas être avant le premier.")}
            )

    @property
    def span(self):
        """The closure as aware [start, end) in Paris time."""
        start = recurrence.localize(
            datetime.datetime.combine(self.first_day, datetime.time())
        )
        end = recurrence.localize(
            datetime.datetime.combine(
                self.last_day + datetime.timedelta(days=1), datetime.time()
            )
        )
        return start, end


class BookingQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Booking.Status.PENDING)

    def confirmed(self):
        return self.filter(status=Booking.Status.CONFIRMED)


class Booking(RecurringSpan):
    """A request by CLX to use a room, one date or a series, that the
    médiathèque confirms or declines (see `events.rooms.rules`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        CONFIRMED = "confirmed", _("Confirmée")
        DECLINED = "declined", _("Refusée")
        CANCELLED = "cancelled", _("Annulée")

    room = models.ForeignKey(
        Room,
        verbose_name=_("salle"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    purpose = models.CharField(
        _("objet"),
        max_length=200,
        help_text=_("Par exemple « petit-déj du libre de janvier »."),
    )
    details = models.TextField(_("précisions"), blank=True)
    setup_minutes = models.PositiveSmallIntegerField(
        _("installation (minutes)"),
        default=15,
        validators=[MaxValueValidator(MAX_SETUP_MINUTES)],
        help_text=_("Temps pour installer avant le début."),
    )
    tidy_minutes = models.PositiveSmallIntegerField(
        _("rangement (minutes)"),
        default=15,
        validators=[MaxValueValidator(MAX_SETUP_MINUTES)],
        help_text=_("Temps pour ranger et balayer après la fin."),
    )
    expected_attendance = models.PositiveIntegerField(
        _("participants attendus"),
        validators=[MinValueValidator(1), MaxValueValidator(2000)],
    )
    status = models.CharField(
        _("état"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
    )
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_comment = models.TextField(_("commentaire de la médiathèque"), blank=True)
    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement créé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="room_bookings",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("réservation de salle")
        verbose_name_plural = _("réservations de salle")
        permissions = [
            ("decide_booking", _("Confirmer ou refuser une demande de salle")),
        ]

    def __str__(self):
        return f"{self.purpose} – {format_span(self.start, self.end)}"

    @property
    def setup(self):
        return datetime.timedelta(minutes=self.setup_minutes or 0)

    @property
    def tidy(self):
        return datetime.timedelta(minutes=self.tidy_minutes or 0)

    @property
    def series_end(self):
        """The date after which a series may not run (bounded on purpose)."""
        return self.start + datetime.timedelta(days=MAX_SERIES_DAYS)

    def clean(self):
        super().clean()
        errors = {}
        now = timezone.now()
        if self.start and self.start < now:
            errors["start"] = _("Cette date est passée : choisissez une date à venir.")
        if (
            self.start
            and self.recurrence_until
            and self.recurrence_until
            > (self.start + datetime.timedelta(days=MAX_SERIES_DAYS)).date()
        ):
            errors["recurrence_until"] = _(
                "Une série ne peut pas dépasser un peu plus d'un an : "
                "refaites une demande pour la saison suivante."
            )
        if errors:
            raise ValidationError(errors)

    def planned_dates(self):
        """The booking's dates as (start, end), a series bounded in time."""
        return self.dates(start=self.start, end=self.series_end)


class BookingDate(models.Model):
    """One date of a booking, stored, with the room blocked from setup to
    tidy-up; rewritten whenever the booking's dates change."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="booked_dates"
    )
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    blocked_start = models.DateTimeField(_("salle occupée dès"))
    blocked_end = models.DateTimeField(_("salle occupée jusqu'à"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("date réservée")
        verbose_name_plural = _("dates réservées")
        indexes = [
            models.Index(
                fields=["room", "blocked_start"], name="events_bookingdate_range"
            )
        ]

    def __str__(self):
        return format_span(self.start, self.end)
