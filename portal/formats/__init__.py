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

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format

NBSP = "\u00a0"
# « samedi 6 décembre 2026 »: the day of an event, as people say it; without
# the year where the context gives it (lists of the coming weeks).
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DAY_MONTH_FORMAT = "l j F"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def time_of_day(value, *, html=False):
    """« 9 h 30 » in local time (non-breaking spaces with `html`)."""
    if not value:
        return ""
    text = date_format(_local(value), "TIME_FORMAT")
    return text.replace(" ", NBSP) if html else text


def day(value, *, year=True):
    """« samedi 6 décembre 2026 » (« samedi 6 décembre » without `year`) in
    local time."""
    if not value:
        return ""
    return date_format(
        _local(value), WEEKDAY_DATE_FORMAT if year else WEEKDAY_DAY_MONTH_FORMAT
    )


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
