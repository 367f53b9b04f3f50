"""Sending newsletter emails in batches: one provider request for up to NEWSLETTER_BATCH_SIZE
recipients, with per-recipient merge data (name, unsubscribe link) and headers (List-Unsubscribe),
through django-anymail's batch sending when the backend is an anymail one. Any other backend
(SMTP, console, locmem) sends the outbox rows one by one, as notifications does.

The outbox rows stay the record: claimed atomically before the request (notifications.services.claim),
marked sent or failed together after it, so a provider outage loses nothing (failed, retried
with backoff by notifications' sweep, one by one from the stored bodies) and sends nothing twice."""

import logging
from datetime import timedelta

from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone
from django.utils.html import escape

from cms.models import Member
from notifications import emails as notification_emails
from notifications import services as notification_services
from notifications.models import OutboxEmail

from .models import Newsletter
from .services import newsletter_id_of

logger = logging.getLogger(__name__)

NAME_FIELD, UNSUBSCRIBE_FIELD = "name", "unsubscribe_url"
# The provider puts merge values in as they are: the HTML part takes the name escaped, the text part as typed.
NAME_HTML_FIELD = "name_html"
# Statuses a provider gives a recipient it will never deliver to (suppressed, bad address).
REFUSED = {"rejected", "invalid"}


def supports_batch_sending(connection):
    """Anymail backends send one message to many recipients with merge data, one request."""
    return bool(getattr(connection, "esp_name", None)) and getattr(settings, "NEWSLETTER_BATCH_SENDING", True)


def merge_field(name):
    """The provider's merge-field syntax: "{{name}}" (Amazon SES, Postmark, SparkPost) by default;
    NEWSLETTER_MERGE_FIELD, e.g. "*|%s|*" for Mandrill or "%%recipient.%s%%" for Mailgun."""
    return getattr(settings, "NEWSLETTER_MERGE_FIELD", "{{%s}}") % name


def send_batch(pks, connection=None):
    """Send these newsletter outbox emails. Returns how many were sent by this call."""
    own = connection is None
    connection = connection or get_connection()
    try:
        if not supports_batch_sending(connection):
            return notification_services.send_outbox_emails(pks, connection)
        claimed = notification_services.claim(pks)
        by_newsletter = {}
        for email in claimed:
            by_newsletter.setdefault(newsletter_id_of(email), []).append(email)
        sent = 0
        for newsletter_id, group in by_newsletter.items():
            newsletter = Newsletter.objects.filter(pk=newsletter_id).first() if newsletter_id else None
            if newsletter is None or not newsletter.template_html:
                # Not a newsletter's row (a test send), or built before templates were kept: one by one.
                sent += sum(notification_services.send_claimed(email, connection) for email in group)
                continue
            sent += _send_group(newsletter, group, connection)
        return sent
    finally:
        if own:
            try:
                connection.close()
            except Exception:
                logger.exception("Closing the email connection failed")


def _placeholders_to_merge_fields(text, name_field=NAME_FIELD):
    return (text.replace(notification_emails.NAME, merge_field(name_field))
            .replace(notification_emails.UNSUBSCRIBE, merge_field(UNSUBSCRIBE_FIELD)))


def _send_group(newsletter, group, connection):
    names = dict(Member.objects.filter(pk__in=[e.member_id for e in group]).values_list("pk", "first_name"))
    message = AnymailMessage(
        subject=group[0].subject, body=_placeholders_to_merge_fields(newsletter.template_text),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[e.to_email for e in group], connection=connection,
    )
    message.attach_alternative(_placeholders_to_merge_fields(newsletter.template_html, NAME_HTML_FIELD), "text/html")
    message.merge_data = {
        e.to_email: {NAME_FIELD: names.get(e.member_id) or "member",
                     NAME_HTML_FIELD: escape(names.get(e.member_id) or "member"),
                     UNSUBSCRIBE_FIELD: (e.headers or {}).get("List-Unsubscribe", "<>")[1:-1]}
        for e in group
    }
    message.merge_headers = {
        e.to_email: {"List-Unsubscribe": e.headers["List-Unsubscribe"],
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        for e in group if (e.headers or {}).get("List-Unsubscribe")
    }
    message.tags = ["newsletter"]
    message.metadata = {"newsletter": str(newsletter.pk)}
    pks = [e.pk for e in group]
    claim = group[0].claim
    try:
        message.send()
    except Exception as error:  # the whole request failed: every row is retried (one by one)
        attempts = max(e.attempts for e in group)
        delay = notification_services.retry_delay(attempts)
        OutboxEmail.objects.filter(pk__in=pks, claim=claim, status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.warning("Newsletter %s: a batch of %s failed, retry in %ss: %s", newsletter.pk, len(pks), delay, error)
        return 0
    statuses = getattr(getattr(message, "anymail_status", None), "recipients", None) or {}
    refused = [e.pk for e in group if getattr(statuses.get(e.to_email), "status", None) in REFUSED]
    now = timezone.now()
    if refused:
        OutboxEmail.objects.filter(pk__in=refused, claim=claim).update(
            status=OutboxEmail.Status.GIVEN_UP, given_up_at=now,
            last_error="The provider refused this address (rejected or invalid).")
    accepted = [pk for pk in pks if pk not in set(refused)]
    OutboxEmail.objects.filter(pk__in=accepted, claim=claim).update(status=OutboxEmail.Status.SENT, sent_at=now,
                                                                    last_error="")
    return len(accepted)
