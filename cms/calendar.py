"""iCalendar (RFC 5545) feeds: the one writer, on the `icalendar` library (escaping, folding at
75 octets, CRLF line ends are its work). Times are in UTC; each event and each meeting has one
UID whichever feed carries it, so a member subscribed to two feeds sees it once.

A public feed never carries an online meeting link (those are for signed-in members only, on
the site): only the place and the page to read more."""

from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Labour International//Calendars//EN"
# UIDs must not change with the host name the feed was fetched from.
UID_DOMAIN = "branch-events.labour-international"


def new_calendar(name, zone_name=None):
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if zone_name:
        calendar.add("x-wr-timezone", zone_name)
    return calendar


def add_entry(calendar, *, uid, starts_at, ends_at=None, summary, place="", description="", url=""):
    """One VEVENT. Without a known end it has none (a calendar shows the start), never an invented one."""
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    if ends_at and ends_at > starts_at:
        event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    if place:
        event.add("location", place)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    calendar.add_component(event)


def as_text(calendar):
    return calendar.to_ical().decode("utf-8")


def meeting_url(meeting, request=None):
    path = meeting.get_absolute_url()
    return request.build_absolute_uri(path) if request is not None else path


def add_meeting(calendar, meeting, request=None, description=""):
    url = meeting_url(meeting, request)
    add_entry(calendar, uid=f"meeting-{meeting.pk}", starts_at=meeting.starts_at,
              ends_at=getattr(meeting, "ends_at", None), summary=meeting.title, place=meeting.place,
              description=description or f"Agenda and (for members) how to join: {url}", url=url)


def branch_calendar(branch, events, request=None, meetings=()):
    """The whole VCALENDAR text for a branch's events and meetings (the Meeting records officers
    schedule)."""
    calendar = new_calendar(f"Labour International {branch.title}", branch.time_zone)
    for event in events:
        add_entry(calendar, uid=f"event-{event.pk}", starts_at=event.starts_at, ends_at=event.ends_at,
                  summary=event.title, place=event.place, description=event.intro,
                  url=event.get_full_url(request) or "")
    for meeting in meetings:
        url = meeting_url(meeting, request)
        add_meeting(calendar, meeting, request,
                    description=f"{branch.title} branch meeting. Agenda and (for members) how to join: {url}")
    return as_text(calendar)


def meetings_calendar(meetings, request=None):
    """The VCALENDAR text of meetings of every body (the tracker's meetings feed)."""
    calendar = new_calendar("Labour International meetings")
    for meeting in meetings:
        where = meeting.branch.title if meeting.branch_id else (
            meeting.steering_group.name if meeting.steering_group_id else "Labour International")
        add_meeting(calendar, meeting, request, description=f"{meeting.get_body_display()}, {where}")
    return as_text(calendar)
