"""Business actions of notifications: following, preferences, unsubscribing, and the outbox
(claim, send, fail with backoff, retry now, give up). Views, the admin and tasks call these."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from cms.models import BranchPage, Member
from workflows.models import Consultation, Item

from . import emails, tokens
from .models import Follow, NotificationPreference, OutboxEmail

logger = logging.getLogger(__name__)

# Backoff between attempts: 1, 2, 4 … minutes, at most an hour; retried until sent or given up.
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
# A row left "sending" this long (the worker died mid-send) goes back to be retried.
STALE_SENDING = timedelta(minutes=30)
# Outbox emails sent per worker task.
BATCH_SIZE = 100


class FollowError(Exception):
    """A follow or unfollow that cannot be done, with a message for the member."""


# --------------------------------------------------------------------------- follows


def _target_kwargs(target):
    if isinstance(target, Item):
        if not target.is_public:
            raise FollowError("This item is not public yet.")
        return {"item": target}
    if isinstance(target, BranchPage):
        return {"branch": target}
    if isinstance(target, Consultation):
        return {"consultation": target}
    raise FollowError("Only items, branches and consultations can be followed.")


def follow(member, target, *, reason=Follow.Reason.CHOSEN):
    """`member` follows an item, a branch or a consultation (idempotent)."""
    if not getattr(member, "is_authenticated", False):
        raise FollowError("Log in to follow.")
    kwargs = _target_kwargs(target)
    try:
        with transaction.atomic():
            found, _ = Follow.objects.get_or_create(member=member, **kwargs, defaults={"reason": reason})
    except IntegrityError:  # a concurrent click created it
        found = Follow.objects.get(member=member, **kwargs)
    return found


def unfollow(member, target):
    """`member` stops following `target`. Returns whether a follow was removed. Proposers and
    seconders still hear about their own items (only "stop all emails" stops that)."""
    kwargs = _target_kwargs(target)
    deleted, _ = Follow.objects.filter(member=member, **kwargs).delete()
    return bool(deleted)


def is_own_item(member, item):
    """Proposer or confirmed seconder: they always hear about the item."""
    if not getattr(member, "is_authenticated", False):
        return False
    return item.proposer_id == member.pk or item.secondings.filter(member=member, confirmed_at__isnull=False).exists()


def follow_own_item(item):
    """The proposer and the confirmed seconders of a submitted item follow it (idempotent)."""
    rows = []
    if item.proposer_id:
        rows.append(Follow(member_id=item.proposer_id, item_id=item.pk, reason=Follow.Reason.PROPOSER))
    for member_id in item.secondings.filter(confirmed_at__isnull=False).values_list("member_id", flat=True):
        rows.append(Follow(member_id=member_id, item_id=item.pk, reason=Follow.Reason.SECONDER))
    Follow.objects.bulk_create(rows, ignore_conflicts=True)


def carry_follows(source_ids, item):
    """The followers of the items `source_ids` follow `item` too, for the same reason (idempotent)."""
    rows = [Follow(member_id=member_id, item_id=item.pk, reason=reason)
            for member_id, reason in Follow.objects.filter(item_id__in=source_ids).values_list("member_id", "reason")]
    Follow.objects.bulk_create(rows, ignore_conflicts=True)


# --------------------------------------------------------------------------- preferences


def preference_of(member):
    """The member's preference row, made with the defaults if missing: for the actions that change it."""
    preference, _ = NotificationPreference.objects.get_or_create(member=member)
    return preference


def current_preference(member):
    """What the member chose, or the defaults (an email each time) if they never chose: writes nothing,
    so the preferences page a GET shows leaves the database as it was (no row means the defaults)."""
    return NotificationPreference.objects.filter(member=member).first() or NotificationPreference(member=member)


def set_delivery(member, delivery):
    """Each email at once, or one weekly digest. Choosing either turns emails back on."""
    if delivery not in NotificationPreference.Delivery.values:
        raise FollowError("Choose how often you want to hear from us.")
    preference = preference_of(member)
    preference.delivery = delivery
    if preference.delivery == NotificationPreference.Delivery.WEEKLY and preference.last_digest_at is None:
        preference.last_digest_at = timezone.now()
    preference.stopped_at = None
    preference.save()
    return preference


def unsubscribe(token):
    """Act on a signed unsubscribe token: stop that follow, or stop all emails. Idempotent.
    Returns (member, scope, what) where `what` says in words what was stopped; raises
    tokens.BadToken (nothing changed) for a forged or expired token."""
    member, scope, what = describe_unsubscribe(token)
    if scope == tokens.ALL:
        preference = preference_of(member)
        if preference.stopped_at is None:
            preference.stopped_at = timezone.now()
            preference.save(update_fields=["stopped_at", "updated_at"])
        return member, scope, what
    kind, _, pk = scope.partition(":")
    if kind in tokens.SCOPE_HANDLERS:
        tokens.SCOPE_HANDLERS[kind].unsubscribe(member, pk)
        return member, scope, what
    Follow.objects.filter(member=member, **{f"{kind}_id": int(pk)}).delete()
    return member, scope, what


# What "stop all emails" stops: every app that writes to members checks `stopped_at`
# (newsletters.audiences, events.reminders and events.waiting_list as well as the tracker's).
ALL_EMAILS = "all emails from the site: motion tracker emails, newsletters and event reminders"


def describe_unsubscribe(token):
    """What an unsubscribe token would stop, changing nothing (the page a GET of the link shows).
    Returns (member, scope, what); raises tokens.BadToken for a forged or expired token."""
    member_id, scope = tokens.read_token(token)
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise tokens.BadToken("This unsubscribe link is for an account that no longer exists.")
    if scope == tokens.ALL:
        return member, scope, ALL_EMAILS
    kind, _, pk = scope.partition(":")
    if kind in tokens.SCOPE_HANDLERS:
        return member, scope, tokens.SCOPE_HANDLERS[kind].describe(member, pk)
    return member, scope, _scope_label(kind, int(pk))


def _scope_label(kind, pk):
    if kind == "item":
        item = Item.objects.filter(pk=pk).first()
        return f"emails about {item.reference} {item.title}" if item else "emails about this item"
    if kind == "branch":
        branch = BranchPage.objects.filter(pk=pk).first()
        return f"emails about the motions of the {branch.title} branch" if branch else "emails about this branch"
    consultation = Consultation.objects.filter(pk=pk).first()
    return f"emails about submissions to {consultation}" if consultation else "emails about this consultation"


def resubscribe(token):
    """Undo an unsubscribe from the same link (follow again, or emails back on)."""
    member_id, scope = tokens.read_token(token)
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise tokens.BadToken("This link is for an account that no longer exists.")
    if scope == tokens.ALL:
        preference = preference_of(member)
        preference.stopped_at = None
        preference.save(update_fields=["stopped_at", "updated_at"])
        return member
    kind, _, pk = scope.partition(":")
    if kind in tokens.SCOPE_HANDLERS:
        tokens.SCOPE_HANDLERS[kind].resubscribe(member, pk)
        return member
    model = {"item": Item, "branch": BranchPage, "consultation": Consultation}[kind]
    target = model.objects.filter(pk=int(pk)).first()
    if target is None:
        raise tokens.BadToken("What this link was about no longer exists.")
    follow(member, target)
    return member


# --------------------------------------------------------------------------- outbox


def retry_delay(attempts):
    """Seconds to wait after the `attempts`-th failed attempt."""
    return min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def _claimable(now):
    return Q(status=OutboxEmail.Status.QUEUED) | Q(status=OutboxEmail.Status.FAILED, next_attempt_at__lte=now)


def claim(pks, now=None):
    """Atomically take outbox emails for sending: one UPDATE that marks them with this task's
    claim token, so two workers never take the same email. A queued email is taken at once; a
    failed one once its next attempt is due. Returns the emails taken."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    taken = (
        OutboxEmail.objects.filter(pk__in=list(pks)).filter(_claimable(now))
        .update(status=OutboxEmail.Status.SENDING, claimed_at=now, claim=token, attempts=F("attempts") + 1)
    )
    if not taken:
        return []
    return list(OutboxEmail.objects.filter(claim=token, status=OutboxEmail.Status.SENDING).order_by("pk"))


def build_message(email, connection=None):
    body_text, body_html = emails.bodies_to_send(email)
    message = EmailMultiAlternatives(
        subject=email.subject, body=body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.to_email],
        headers=dict(email.headers or {}), connection=connection,
    )
    if body_html:
        message.attach_alternative(body_html, "text/html")
    return message


def send_claimed(email, connection):
    """Send one email already taken by `claim` and record the result at once (sent, or failed with
    the error and the next attempt): a crash can lose at most the record of this one email, never
    others. Public for the senders of other apps (newsletters' batches) that claim for themselves."""
    try:
        build_message(email, connection).send()
    except Exception as error:  # any provider failure (AnymailError or other): keep it and retry later
        delay = retry_delay(email.attempts)
        OutboxEmail.objects.filter(pk=email.pk, claim=email.claim, status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.warning("Outbox email %s failed (attempt %s), retry in %ss: %s", email.pk, email.attempts, delay, error)
        return False
    OutboxEmail.objects.filter(pk=email.pk, claim=email.claim).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def send_outbox_email(pk, connection=None):
    """Claim, send and mark one outbox email. Returns True if this call sent it."""
    return bool(send_outbox_emails([pk], connection))


def send_outbox_emails(pks, connection=None):
    """Claim a batch and send it through one backend connection (the backend from settings).
    Returns how many this call sent; emails another task holds or already sent are skipped."""
    claimed = claim(pks)
    if not claimed:
        return 0
    own_connection = connection is None
    connection = connection or get_connection()
    sent = 0
    for email in claimed:
        sent += send_claimed(email, connection)
    if own_connection:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not undo what was marked
            logger.exception("Closing the email connection failed")
    return sent


def release_stale(now=None):
    """Emails left "sending" by a worker that stopped mid-send go back to be retried."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(status=OutboxEmail.Status.SENDING, claimed_at__lt=now - STALE_SENDING).update(
        status=OutboxEmail.Status.FAILED, next_attempt_at=now,
        last_error="The worker stopped while sending: retried (the provider may have received it).",
    )


def retry_now(email):
    """An officer asks for a failed (or given-up) email to be tried again at once."""
    if email.status in (OutboxEmail.Status.SENT, OutboxEmail.Status.SENDING):
        raise FollowError(f"This email is {email.get_status_display().lower()}: nothing to retry.")
    OutboxEmail.objects.filter(pk=email.pk, status=email.status).update(
        status=OutboxEmail.Status.FAILED, next_attempt_at=timezone.now(), given_up_at=None, given_up_by=None
    )
    enqueue_sending([email.pk])


def give_up(email, by):
    """An officer stops retrying an email that cannot be delivered (kept, with its error)."""
    updated = OutboxEmail.objects.filter(
        pk=email.pk, status__in=[OutboxEmail.Status.QUEUED, OutboxEmail.Status.FAILED]
    ).update(status=OutboxEmail.Status.GIVEN_UP, given_up_at=timezone.now(), given_up_by=by)
    if not updated:
        raise FollowError(f"This email is {email.get_status_display().lower()}: it cannot be given up.")


def enqueue_sending(pks):
    """Enqueue the sending of these outbox emails by the worker (notifications.tasks.send_batch),
    BATCH_SIZE per task."""
    pks = list(pks)
    for start in range(0, len(pks), BATCH_SIZE):
        async_task("notifications.tasks.send_batch", pks[start:start + BATCH_SIZE], group="outbox")
    return len(pks)
