"""Business actions of newsletters: test-send, send (now or at a UK time), cancel a scheduled
send, and building the outbox. The admin and the worker call these; every check is here."""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from notifications.models import OutboxEmail
from notifications.services import enqueue_sending

from . import audiences, emails
from .models import Newsletter

OUTBOX_KIND = OutboxEmail.Kind.NEWSLETTER  # newsletters and their test sends
# A time "now" typed a moment ago is still now; further back it is a mistake.
PAST_TOLERANCE = timedelta(minutes=2)


class NewsletterError(Exception):
    """An action refused, with a message for the officer; nothing was changed."""


def _check(user, newsletter):
    if not audiences.may_manage(user, newsletter):
        raise NewsletterError("You can only send newsletters to your own members.")


def uk_time(naive):
    """An aware datetime from a date and time typed in UK time."""
    return timezone.make_aware(naive, zoneinfo.ZoneInfo(settings.UK_TIME_ZONE))


def recipient_count(newsletter):
    return audiences.recipients(newsletter).count()


def send_test(newsletter, by):
    """Email the newsletter, as a member will get it, to the officer `by` alone (marked [Test])."""
    _check(by, newsletter)
    if not by.email:
        raise NewsletterError("Your account has no email address to send a test to.")
    key = f"newsletter-test:{newsletter.pk}:{by.pk}:{timezone.now():%Y%m%d%H%M%S%f}"
    personaliser = emails.Personaliser(emails.render(newsletter, subject_prefix="[Test] "), newsletter.kind)
    email = OutboxEmail.objects.create(key=key, kind=OUTBOX_KIND, member=by, to_email=by.email,
                                       **personaliser.for_recipient(by.first_name, by.pk, key))
    transaction.on_commit(lambda: enqueue_sending([email.pk]))
    return email


def send(newsletter, by, at=None):
    """Send `newsletter` once: now (`at` None) or at `at` (aware). One conditional UPDATE takes it
    from draft to scheduled, so a double click, or two officers at once, send it once."""
    _check(by, newsletter)
    now = timezone.now()
    at = at or now
    if at < now - PAST_TOLERANCE:
        raise NewsletterError("That time has passed: choose a time to come, or send now.")
    if not newsletter.subject.strip():
        raise NewsletterError("Give the newsletter a subject before sending it.")
    with transaction.atomic():
        taken = Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.DRAFT).update(
            status=Newsletter.Status.SCHEDULED, send_at=at, sent_by=by)
        if not taken:
            raise NewsletterError("This newsletter has already been sent or scheduled.")
        if at <= now:
            transaction.on_commit(lambda: async_task("newsletters.tasks.send_newsletter", newsletter.pk,
                                                     group="newsletters"))
    newsletter.refresh_from_db()
    return newsletter


def cancel(newsletter, by):
    """A scheduled newsletter back to draft, while the worker has not started on it."""
    _check(by, newsletter)
    if not Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SCHEDULED).update(
            status=Newsletter.Status.DRAFT, send_at=None, sent_by=None):
        raise NewsletterError("Only a scheduled newsletter that has not started sending can be cancelled.")
    newsletter.refresh_from_db()
    return newsletter


def outbox_key(newsletter_id, member_id):
    return f"newsletter:{newsletter_id}:{member_id}"


def build_outbox(newsletter):
    """One outbox email per recipient (key unique per newsletter and member, so building again
    after a crash adds nothing), in bulk. Returns how many recipients it has."""
    personaliser = emails.Personaliser(emails.render(newsletter), newsletter.kind)
    Newsletter.objects.filter(pk=newsletter.pk).update(template_text=personaliser.template.text,
                                                       template_html=personaliser.template.html)
    rows = []
    for member_id, address, first_name in audiences.recipients(newsletter).values_list("pk", "email", "first_name"):
        key = outbox_key(newsletter.pk, member_id)
        rows.append(OutboxEmail(key=key, kind=OUTBOX_KIND, member_id=member_id, to_email=address,
                                **personaliser.for_recipient(first_name, member_id, key)))
    OutboxEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def newsletter_id_of(email):
    """The newsletter an outbox email of kind "newsletter" belongs to (its key), or None."""
    prefix, _, rest = email.key.partition(":")
    if prefix != "newsletter":
        return None
    newsletter_id, _, _ = rest.partition(":")
    return int(newsletter_id) if newsletter_id.isdigit() else None


def start_sending(newsletter_id, now=None):
    """The worker's side of sending: build the outbox of a newsletter that is due, then enqueue
    its sending in batches. Idempotent: run twice (the minute sweep and the task sent at once),
    it creates no second row, and each email is claimed by one sender only."""
    now = now or timezone.now()
    started = Newsletter.objects.filter(
        pk=newsletter_id, status__in=[Newsletter.Status.SCHEDULED, Newsletter.Status.SENDING],
        send_at__lte=now, sent_at__isnull=True,
    ).update(status=Newsletter.Status.SENDING)
    if not started:
        return 0
    newsletter = Newsletter.objects.select_related("branch", "region", "campaign", "consultation").get(
        pk=newsletter_id)
    count = build_outbox(newsletter)
    Newsletter.objects.filter(pk=newsletter_id).update(status=Newsletter.Status.SENT, sent_at=timezone.now(),
                                                       recipient_count=count)
    queued = list(OutboxEmail.objects.filter(key__startswith=f"newsletter:{newsletter_id}:",
                                             status=OutboxEmail.Status.QUEUED).order_by("pk")
                  .values_list("pk", flat=True))
    return enqueue_newsletter_batches(queued)


def enqueue_newsletter_batches(pks):
    """Sending tasks of BATCH_SIZE emails each (newsletters.tasks.send_newsletter_batch)."""
    size = batch_size()
    for start in range(0, len(pks), size):
        async_task("newsletters.tasks.send_newsletter_batch", pks[start:start + size], group="outbox")
    return len(pks)


def batch_size():
    return int(getattr(settings, "NEWSLETTER_BATCH_SIZE", 100))


def due_newsletters(now=None):
    now = now or timezone.now()
    return Newsletter.objects.filter(status__in=[Newsletter.Status.SCHEDULED, Newsletter.Status.SENDING],
                                     send_at__lte=now, sent_at__isnull=True).values_list("pk", flat=True)


def parse_uk_datetime(text):
    """A "YYYY-MM-DDTHH:MM" (datetime-local input) in UK time, as an aware datetime; None if empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return uk_time(datetime.fromisoformat(text).replace(tzinfo=None))
    except ValueError:
        raise NewsletterError("Give the time as a date and a time (UK time).") from None
