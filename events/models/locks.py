"""The row that stands for one occurrence of an event while its places are
decided (`RegistrationList` for seats, `AppointmentSession` for
appointment slots).

Every decision about an occurrence's places runs inside one transaction
that first takes `locked(event, occurrence_start)`: the occurrence's row,
made if it is missing, then read again with a row lock
(`select_for_update`) held until the transaction ends, so two requests for
the last place are decided one after the other – on PostgreSQL by the row
lock, on SQLite because every transaction takes the database's write lock
when it begins (`transaction_mode` IMMEDIATE in `portal/settings/base.py`).
Once the occurrence's personal data is erased (`purge`), the row stays,
with `purged_at` and whatever anonymous counts its feature keeps.
"""

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import formats

__all__ = ["OccurrenceLock"]


def format_start(start):
    """« samedi 5 décembre 2026 à 09:30 », in Paris time."""
    local = timezone.localtime(start)
    return _("%(date)s à %(time)s") % {
        "date": formats.day(local),
        "time": formats.time_of_day(local),
    }


class OccurrenceLock(models.Model):
    """One occurrence of an event, as a whole, for one feature that gives
    places at it. A subclass declares `event` (a foreign key to
    `events.EventPage` with its own `related_name`) and its `Meta`'s
    names; the pair (event, occurrence_start) is unique."""

    occurrence_start = models.DateTimeField(
        gettext_lazy("début de la séance"), db_index=True
    )
    purged_at = models.DateTimeField(
        gettext_lazy("données personnelles effacées le"), null=True, blank=True
    )
    created_at = models.DateTimeField(gettext_lazy("créée le"), auto_now_add=True)

    #: What `locked` reads with the row (`select_related`).
    locked_with = ()

    class Meta:
        abstract = True
        ordering = ["-occurrence_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence_start"],
                name="%(app_label)s_%(class)s_one_per_occurrence",
            )
        ]

    def __str__(self):
        return f"{self.event.title} – {format_start(self.occurrence_start)}"

    @classmethod
    def locked(cls, event, occurrence_start):
        """The occurrence's row (made if missing), locked until the
        transaction ends; `event` is an `EventPage` or its primary key.
        Call it inside `transaction.atomic()`."""
        event_id = getattr(event, "pk", event)
        row, _created = cls.objects.get_or_create(
            event_id=event_id, occurrence_start=occurrence_start
        )
        # Only this row: the event and page read with it (`locked_with`) are
        # not locked, so two dates of one event are decided side by side.
        return (
            cls.objects.select_for_update(of=("self",))
            .select_related(*cls.locked_with)
            .get(pk=row.pk)
        )

    @classmethod
    def purge(cls, occurrences, erase, now, dry_run=False):
        """Erase the personal data of `occurrences` (dicts with `event_id`,
        `occurrence_start` and `total`, the rows to erase), one
        transaction per occurrence under its lock: `erase(row, occurrence)`
        erases and returns how many rows went, and may set the anonymous
        counts its feature keeps on `row`; `row.purged_at` is then `now`.
        With `dry_run`, only counts. Returns (rows erased, occurrences)."""
        erased = count = 0
        for occurrence in occurrences:
            count += 1
            if dry_run:
                erased += occurrence["total"]
                continue
            with transaction.atomic():
                row = cls.locked(occurrence["event_id"], occurrence["occurrence_start"])
                erased += erase(row, occurrence)
                row.purged_at = now
                row.save()
        return erased, count
