"""French dates and times, in one place.

The formats themselves are Django's named formats for French, set in
`portal/formats/fr/formats.py` (`FORMAT_MODULE_PATH`): « 6 décembre 2026 »,
« 06/12/2026 », « 9 h 30 », « décembre 2026 ». The helpers below are the
site's few spoken forms built on them, always in local (Paris) time; the
template filters `heure` and `jour` (portal_tags) call them.

In HTML the hour's spaces are non-breaking, so « 9 h 30 » never wraps on a
phone; plain text (mails, feed titles) keeps ordinary spaces.
"""

import datetime
import functools

from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, time_format

NBSP = "\u00a0"
# « samedi 6 décembre 2026 »: the day of an event, as people say it; without
# the year where the context gives it (lists of the coming weeks).
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DAY_MONTH_FORMAT = "l j F"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@functools.lru_cache(maxsize=4096)
def _formatted(value, format_name, language):
    """A named format of a naive date or time of day, per language: an
    event's page, the agenda and the forms write the same few days and
    hours dozens of times per page, and Django's formatting (parsing the
    format, translating month and day names) was a tenth of a cold event
    page. The formats read nothing else than the value and the language."""
    if isinstance(value, datetime.time):
        return time_format(value, format_name)
    return date_format(value, format_name)


def _day_of(value):
    value = _local(value)
    return value.date() if isinstance(value, datetime.datetime) else value


def time_of_day(value, *, html=False):
    """« 9 h 30 » in local time (non-breaking spaces with `html`)."""
    if not value:
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.time()
    text = _formatted(value, "TIME_FORMAT", translation.get_language())
    return text.replace(" ", NBSP) if html else text


def day(value, *, year=True):
    """« samedi 6 décembre 2026 » (« samedi 6 décembre » without `year`) in
    local time."""
    if not value:
        return ""
    return _formatted(
        _day_of(value),
        WEEKDAY_DATE_FORMAT if year else WEEKDAY_DAY_MONTH_FORMAT,
        translation.get_language(),
    )


def long_date(value):
    """« 6 décembre 2026 » in local time."""
    return _formatted(_day_of(value), "DATE_FORMAT", translation.get_language())


def weekday_names():
    """« lundi » … « dimanche », Monday first."""
    return [str(WEEKDAYS[number]) for number in range(7)]


def short_date(value):
    """« 06/12/2026 » in local time."""
    return date_format(_local(value), "SHORT_DATE_FORMAT")


def short_datetime(value):
    """« 06/12/2026 09:30 » in local time (admin lists, exports)."""
    return date_format(_local(value), "SHORT_DATETIME_FORMAT")


def month(value):
    """« décembre 2026 » (a date or a datetime)."""
    return date_format(value, "YEAR_MONTH_FORMAT")
