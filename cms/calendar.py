"""iCalendar (RFC 5545) feeds of branch events, written by hand: the format is small and fixed."""

from datetime import UTC

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


def branch_calendar(branch, events, request=None):
    """The whole VCALENDAR text for a branch's events, times in UTC, one stable UID per event."""
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
        description = "\n".join(part for part in (event.intro, event.online_link) if part)
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        if url:
            lines.append(f"URL:{url}")
        lines += ["END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
