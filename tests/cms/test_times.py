"""Every time is right, for every member: a meeting in Sydney, New York or Paris reads in the
place's time with its zone, in UK time, and in the signed-in member's own time — in winter and
in summer time, including the weeks when Europe and America change their clocks on different
Sundays."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from cms import times

PARIS, NEW_YORK, SYDNEY = "Europe/Paris", "America/New_York", "Australia/Sydney"


def at(zone, *args):
    return datetime(*args, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(("starts", "zone", "place", "uk"), [
    # Paris in winter (CET, UTC+1) and in summer (CEST, UTC+2): one hour ahead of the UK either way.
    (at(PARIS, 2026, 1, 13, 19, 30), PARIS, "Tuesday 13 January 2026, 19:30 (Europe/Paris)", "18:30 Tuesday UK time"),
    (at(PARIS, 2026, 7, 14, 19, 30), PARIS, "Tuesday 14 July 2026, 19:30 (Europe/Paris)", "18:30 Tuesday UK time"),
    # New York: five hours behind in winter, so 19:00 there is past midnight in the UK ...
    (at(NEW_YORK, 2026, 1, 13, 19, 0), NEW_YORK, "Tuesday 13 January 2026, 19:00 (America/New_York)",
     "00:00 Wednesday UK time"),
    # ... but only four hours between America's change (8 March 2026) and Europe's (29 March 2026).
    (at(NEW_YORK, 2026, 3, 17, 19, 0), NEW_YORK, "Tuesday 17 March 2026, 19:00 (America/New_York)",
     "23:00 Tuesday UK time"),
    (at(NEW_YORK, 2026, 7, 14, 19, 0), NEW_YORK, "Tuesday 14 July 2026, 19:00 (America/New_York)",
     "00:00 Wednesday UK time"),
    # Sydney: eleven hours ahead in January (its summer), nine in July (UK summer, Sydney winter).
    (at(SYDNEY, 2026, 1, 14, 19, 0), SYDNEY, "Wednesday 14 January 2026, 19:00 (Australia/Sydney)",
     "08:00 Wednesday UK time"),
    (at(SYDNEY, 2026, 7, 15, 19, 0), SYDNEY, "Wednesday 15 July 2026, 19:00 (Australia/Sydney)",
     "10:00 Wednesday UK time"),
    # After Sydney leaves summer time (5 April 2026), with the UK already on BST: nine hours.
    (at(SYDNEY, 2026, 4, 8, 19, 0), SYDNEY, "Wednesday 8 April 2026, 19:00 (Australia/Sydney)",
     "10:00 Wednesday UK time"),
])
def test_a_meeting_reads_in_the_place_time_and_uk_time(starts, zone, place, uk):
    moment = times.Moment(starts, zone)
    assert moment.text == f"{place} · {uk}"


def test_a_london_meeting_is_not_told_twice_in_uk_time():
    assert times.moment_text(at("Europe/London", 2026, 7, 14, 19, 0), "Europe/London") == \
        "Tuesday 14 July 2026, 19:00 (Europe/London)"


@pytest.mark.parametrize(("starts", "zone", "viewer", "yours"), [
    (at(PARIS, 2026, 1, 13, 19, 30), PARIS, SYDNEY, "05:30 Wednesday your time"),   # AEDT, UTC+11
    (at(PARIS, 2026, 7, 14, 19, 30), PARIS, SYDNEY, "03:30 Wednesday your time"),   # AEST, UTC+10
    (at(SYDNEY, 2026, 1, 14, 19, 0), SYDNEY, NEW_YORK, "03:00 Wednesday your time"),
    (at(SYDNEY, 2026, 7, 15, 19, 0), SYDNEY, NEW_YORK, "05:00 Wednesday your time"),
    (at(NEW_YORK, 2026, 3, 17, 19, 0), NEW_YORK, PARIS, "00:00 Wednesday your time"),  # CET, EDT
    (at(NEW_YORK, 2026, 3, 31, 19, 0), NEW_YORK, PARIS, "01:00 Wednesday your time"),  # CEST, EDT
])
def test_a_member_reads_it_in_their_own_time(starts, zone, viewer, yours):
    assert times.your_time_text(starts, zone, viewer) == yours
    assert times.moment_text(starts, zone, viewer).endswith(f" · {yours}")


def test_own_time_is_left_out_when_it_is_the_place_or_uk_time():
    paris = at(PARIS, 2026, 1, 13, 19, 30)
    assert times.your_time_text(paris, PARIS, "Europe/Berlin") == ""  # same clock as Paris
    assert times.your_time_text(paris, PARIS, "Europe/London") == ""
    assert times.moment_text(paris, PARIS, None) == "Tuesday 13 January 2026, 19:30 (Europe/Paris) · 18:30 Tuesday UK time"


def test_an_event_with_an_end_reads_as_a_span_even_across_midnight():
    starts, ends = at(NEW_YORK, 2026, 1, 13, 18, 0), at(NEW_YORK, 2026, 1, 13, 20, 0)
    assert times.Moment(starts, NEW_YORK, until=ends).text == (
        "Tuesday 13 January 2026, 18:00–20:00 (America/New_York) · 23:00 Tuesday–01:00 Wednesday UK time")


def test_exports_and_admin_lists_read_uk_time_first_then_the_place():
    assert times.uk_and_local_text(at(PARIS, 2026, 1, 13, 19, 30), PARIS) == \
        "13 Jan 2026 18:30 UK time (19:30 Europe/Paris)"
    assert times.uk_and_local_text(at(SYDNEY, 2026, 7, 15, 8, 0), SYDNEY) == \
        "14 Jul 2026 23:00 UK time (Wed 08:00 Australia/Sydney)"


def test_the_template_tag_reads_the_same_whatever_the_active_zone():
    """Django's `date` filter converts to the active zone: the tag never does."""
    from django.utils import timezone

    template = Template("{% load times %}{% moment when zone %}")
    for active in ("Europe/London", "Asia/Tokyo", "UTC"):
        with timezone.override(active):
            html = template.render(Context({"when": at(PARIS, 2026, 1, 13, 19, 30), "zone": PARIS,
                                            "viewer_zone": SYDNEY}))
        assert ">Tuesday 13 January 2026, 19:30 (Europe/Paris)<" in html
        assert "18:30 Tuesday UK time" in html and "05:30 Wednesday your time" in html
        assert 'datetime="2026-01-13T18:30:00Z"' in html


def test_a_zone_is_checked_one_way():
    times.validate_time_zone("Australia/Sydney")
    for bad in ("Mars/Olympus_Mons", "", "../../etc/passwd", "Europe/Paris\x00"):
        with pytest.raises(ValidationError):
            times.validate_time_zone(bad)
    assert ("Australia/Sydney", "Australia/Sydney") in times.time_zone_choices()
