"""iCalendar (RFC 5545) feeds of branch events and meetings, written by hand: the format is small and fixed.

A public feed: it never carries an online meeting link (those are for signed-in members only,
on the site), only the place and the page to read more."""

from datetime import UTC, timedelta

from django.utils import timezone

PRODID = "-//Labour International//Branch events//EN"
# UIDs must not change with the host name the feed was fetched from.
UID_DOMAIN = "branch-events.labour-international"


def escape_text(value):
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line):
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(value):
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# A meeting has a start only; calendars show it as two hours long.
MEETING_LENGTH = timedelta(hours=2)


def branch_calendar(branch, events, request=None, meetings=()):
    """The whole VCALENDAR text for a branch's events and meetings (the Meeting records officers
    schedule), times in UTC, one stable UID per event and per meeting."""
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'Labour International {branch.title}')}",
        f"X-WR-TIMEZONE:{branch.time_zone}",
    ]
    for event in events:
        end = event.ends_at or event.starts_at
        url = event.get_full_url(request)
        lines += [
            "BEGIN:VEVENT",
            f"UID:event-{event.pk}@{UID_DOMAIN}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{escape_text(event.title)}",
        ]
        if event.place:
            lines.append(f"LOCATION:{escape_text(event.place)}")
        if event.intro:
            lines.append(f"DESCRIPTION:{escape_text(event.intro)}")
        if url:
            lines.append(f"URL:{url}")
        lines += ["END:VEVENT"]
    for meeting in meetings:
        path = meeting.get_absolute_url()
        url = request.build_absolute_uri(path) if request is not None else path
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{UID_DOMAIN}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(meeting.starts_at + MEETING_LENGTH)}",
            f"SUMMARY:{escape_text(meeting.title)}",
        ]
        if meeting.place:
            lines.append(f"LOCATION:{escape_text(meeting.place)}")
        lines += [
            f"DESCRIPTION:{escape_text(f'{branch.title} branch meeting. Agenda and (for members) how to join: {url}')}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
