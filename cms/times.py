"""The one way a moment is shown to a person: the place's local time with its zone, UK time,
and, for a signed-in member, their own time.

LI's members live in every time zone and party deadlines are in UK time, so a meeting in
Paris at 19:30 reads "Tuesday 3 March 2026, 19:30 (Europe/Paris) · 18:30 Tuesday UK time",
and a member in Sydney also reads "05:30 Wednesday your time". Pages use the `{% moment %}`
tag (cms/templatetags/times.py), emails `moment_text` and `your_time_text` (per recipient),
exports and admin listings `uk_and_local_text`. Times are formatted here, from the zone
given, never by Django's `date` filter (which converts back to the active zone).

Zones are IANA names ("Europe/Paris"), checked by `validate_time_zone` only.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@lru_cache(maxsize=1)
def known_time_zones():
    """Every IANA zone name this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value):
    """THE check of a zone name (branches, meetings, members' own zone)."""
    if value not in known_time_zones():
        raise ValidationError(f"“{value}” is not a known time zone (for example Europe/Paris).")


@lru_cache(maxsize=1)
def time_zone_choices():
    """(name, label) of the zones a person picks from: the canonical Area/City zones, sorted."""
    names = sorted(
        name for name in known_time_zones()
        if "/" in name and name.split("/")[0] in {
            "Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific",
        }
    )
    return [(name, name.replace("_", " ")) for name in names] + [("UTC", "UTC")]


class TimeZoneSelect(forms.Select):
    """THE widget for a zone: a list to pick from ("Australia/Sydney"), never a name to type; a
    stored zone outside the list (an old alias) stays selectable so a form never loses it."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("", "---------")] + time_zone_choices())

    def optgroups(self, name, value, attrs=None):
        known = {choice for choice, _ in self.choices}
        extra = [v for v in value if v and v not in known]
        if extra:
            self.choices = list(self.choices) + [(v, v) for v in extra]
        return super().optgroups(name, value, attrs)


def uk_zone_name():
    return getattr(settings, "UK_TIME_ZONE", "Europe/London")


def uk_date(moment=None):
    """The UK date of `moment` (now by default): the day deadlines, registers and decisions are dated by."""
    return timezone.localtime(moment or timezone.now(), zone(uk_zone_name())).date()


def zone(name):
    """The ZoneInfo of `name`; UK time for an empty or unknown name (a bad stored value never breaks a page)."""
    try:
        return zoneinfo.ZoneInfo(name or uk_zone_name())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(uk_zone_name())


def member_zone_name(user):
    """The zone a signed-in member reads times in: their own, else their branch's; None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    own = getattr(user, "time_zone", "")
    if own:
        return own
    branch = getattr(user, "branch", None)
    return branch.time_zone if branch is not None else uk_zone_name()


def _clock(moment):
    return f"{moment:%H:%M}"


def _day_and_date(moment):
    return f"{DAYS[moment.weekday()]} {moment.day} {MONTHS[moment.month - 1]} {moment.year}"


@dataclass(frozen=True)
class Moment:
    """One instant as each reader sees it: `local` (the place), `uk`, `yours` (None when it is
    the same as the place's or UK time, or for a visitor)."""

    at: datetime
    place_zone: str
    viewer_zone: str | None = None
    until: datetime | None = None  # the end of an event: "19:30–21:30"

    @property
    def local(self):
        return timezone.localtime(self.at, zone(self.place_zone))

    @property
    def uk(self):
        return timezone.localtime(self.at, zone(uk_zone_name()))

    @property
    def is_uk(self):
        return zone(self.place_zone).key == uk_zone_name()

    def _span(self, start, zone_name):
        """"19:30" or, with an end the same day, "19:30–21:30"."""
        if not self.until:
            return _clock(start)
        end = timezone.localtime(self.until, zone(zone_name))
        if end.date() != start.date():
            return f"{_clock(start)}–{_clock(end)} {DAYS[end.weekday()]}"
        return f"{_clock(start)}–{_clock(end)}"

    def _clock_and_day(self, start, zone_name):
        """"18:30 Tuesday", "18:30–20:30 Tuesday", or across midnight "23:30 Tuesday–01:30 Wednesday"."""
        if self.until:
            end = timezone.localtime(self.until, zone(zone_name))
            if end.date() != start.date():
                return f"{_clock(start)} {DAYS[start.weekday()]}–{_clock(end)} {DAYS[end.weekday()]}"
        return f"{self._span(start, zone_name)} {DAYS[start.weekday()]}"

    @property
    def local_text(self):
        """"Tuesday 3 March 2026, 19:30 (Europe/Paris)"."""
        return f"{_day_and_date(self.local)}, {self._span(self.local, self.place_zone)} ({zone(self.place_zone).key})"

    @property
    def uk_text(self):
        """"18:30 Tuesday UK time" (empty when the place is in the UK: its time is UK time)."""
        if self.is_uk:
            return ""
        return f"{self._clock_and_day(self.uk, uk_zone_name())} UK time"

    @property
    def yours(self):
        if not self.viewer_zone:
            return None
        mine = timezone.localtime(self.at, zone(self.viewer_zone))
        same_as_place = mine.utcoffset() == self.local.utcoffset() and mine.date() == self.local.date()
        same_as_uk = mine.utcoffset() == self.uk.utcoffset() and mine.date() == self.uk.date()
        if same_as_place or same_as_uk:
            return None
        return mine

    @property
    def yours_text(self):
        """"02:30 Wednesday your time" (empty when it adds nothing)."""
        mine = self.yours
        return f"{self._clock_and_day(mine, self.viewer_zone)} your time" if mine else ""

    def parts(self):
        return [part for part in (self.local_text, self.uk_text, self.yours_text) if part]

    @property
    def text(self):
        return " · ".join(self.parts())

    @property
    def iso_utc(self):
        return self.at.astimezone(zoneinfo.ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def moment_text(at, place_zone, viewer_zone=None):
    """The whole line as plain text (emails, feeds' descriptions)."""
    return Moment(at, place_zone, viewer_zone).text if at else ""


def your_time_text(at, place_zone, viewer_zone):
    """Only the reader's own time, "05:30 Wednesday your time", or "" when it adds nothing."""
    return Moment(at, place_zone, viewer_zone).yours_text if at else ""


def uk_and_local_text(at, place_zone):
    """For exports and admin listings: UK time first, then the place's time and zone:
    "3 Mar 2026 18:30 UK time (19:30 Europe/Paris)"."""
    if not at:
        return ""
    moment = Moment(at, place_zone)
    uk = moment.uk
    text = f"{uk.day} {MONTHS[uk.month - 1][:3]} {uk.year} {_clock(uk)} UK time"
    if not moment.is_uk:
        local = moment.local
        day = "" if local.date() == uk.date() else f"{DAYS[local.weekday()][:3]} "
        text += f" ({day}{_clock(local)} {zone(place_zone).key})"
    return text
