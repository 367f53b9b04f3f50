"""The emails followers get: built once per event from templates, then personalised per
recipient (greeting and unsubscribe link), with List-Unsubscribe headers (RFC 8058)."""

from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from cms.times import your_time_text

from . import tokens

NAME = "[[recipient-name]]"
UNSUBSCRIBE = "[[unsubscribe-url]]"
YOUR_TIME = "[[recipient-own-time]]"


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(member_id, scope):
    return absolute(reverse("tracker:unsubscribe", args=[tokens.make_token(member_id, scope)]))


def message_id_domain():
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def headers_for(url, key):
    domain = message_id_domain()
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        # Stable per outbox row: a resend after a worker crash is recognisably the same email.
        "Message-ID": f"<{key.replace(':', '.')}@{domain}>",
    }


# Links that sign someone in are never stored in an outbox row (officers read the outbox and
# backups hold it): the row keeps this placeholder and the app that wrote the email registers how
# to make the link for its kind; the link is made when the email is sent.
SIGN_IN_LINK = "[[sign-in-url]]"
_send_time_links = {}


def register_send_time_link(kind, make_link):
    """`make_link(outbox_email)` gives the SIGN_IN_LINK of the emails of this kind."""
    _send_time_links[kind] = make_link


def bodies_to_send(email):
    """(text, html) of an outbox email as sent: its stored bodies with any send-time link filled in."""
    make_link = _send_time_links.get(email.kind)
    if make_link is None or SIGN_IN_LINK not in email.body_text + email.body_html:
        return email.body_text, email.body_html
    url = make_link(email)
    return email.body_text.replace(SIGN_IN_LINK, url), email.body_html.replace(SIGN_IN_LINK, escape(url))


class Template:
    """A rendered subject/text/html with placeholders for the recipient. `moment` (an instant and
    the zone of its place, e.g. a meeting's start) is shown in each recipient's own time too."""

    def __init__(self, subject, text, html, moment=None):
        self.subject, self.text, self.html = subject, text, html
        self.moment = moment

    def your_time(self, time_zone):
        """" · 05:30 Wednesday your time" for a recipient in `time_zone` (empty when it adds nothing)."""
        if self.moment is None or not time_zone:
            return ""
        text = your_time_text(*self.moment, time_zone)
        return f" · {text}" if text else ""

    def for_recipient(self, first_name, member_id, scope, key, time_zone=None):
        url = unsubscribe_url(member_id, scope)
        name = first_name or "member"
        yours = self.your_time(time_zone)
        return {
            "subject": self.subject,
            "body_text": self.text.replace(NAME, name).replace(UNSUBSCRIBE, url).replace(YOUR_TIME, yours),
            "body_html": self.html.replace(NAME, escape(name)).replace(UNSUBSCRIBE, escape(url))
            .replace(YOUR_TIME, escape(yours)),
            "headers": headers_for(url, key),
        }


def event_template(event):
    """The email of one event (an item put on an agenda, or a decision on it)."""
    item, decision, meeting = event.item, event.decision, event.meeting
    item_url = absolute(item.get_absolute_url()) + "#timeline"
    if event.kind == "decision":
        where = decision.body_label
        subject = f"{item.reference}: {decision.get_outcome_display().lower()} ({where})"
    else:
        subject = f"{item.reference} is on the agenda of {meeting.title}"
    context = {
        "event": event, "item": item, "decision": decision, "meeting": meeting, "item_url": item_url,
        "name": NAME, "unsubscribe_url": UNSUBSCRIBE, "site_url": settings.SITE_URL.rstrip("/"),
        "preferences_url": absolute(reverse("tracker:preferences")), "your_time": YOUR_TIME,
    }
    return Template(
        subject[:255],
        render_to_string("notifications/emails/event.txt", context),
        render_to_string("notifications/emails/event.html", context),
        moment=(meeting.starts_at, meeting.time_zone) if meeting is not None and event.kind != "decision" else None,
    )


def digest_template(events, since, until, viewer_zone=None):
    """The weekly digest of the events a member follows (meeting times also in `viewer_zone`,
    the member's own: a digest is written for one member)."""
    context = {
        "events": events, "since": since, "until": until, "name": NAME, "unsubscribe_url": UNSUBSCRIBE,
        "site_url": settings.SITE_URL.rstrip("/"), "preferences_url": absolute(reverse("tracker:preferences")),
        "viewer_zone": viewer_zone,
    }
    for event in events:
        event.item_url = absolute(event.item.get_absolute_url()) + "#timeline"
    count = len(events)
    subject = f"Motion tracker: {count} update{'s' if count != 1 else ''} this week"
    return Template(
        subject,
        render_to_string("notifications/emails/digest.txt", context),
        render_to_string("notifications/emails/digest.html", context),
    )
