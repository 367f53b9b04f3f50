"""Tasks run by the django-q2 worker: the fan-out of an event to its followers (outbox rows
in bulk, sending enqueued in batches), sending batches, retrying what failed, weekly digests.

Every task is idempotent: run twice, it creates no second outbox row and sends nothing twice.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cms.models import Member
from workflows import services as workflow_services
from workflows.models import AgendaEntry, Decision, Item, PolicySubmission, Seconding

from . import emails, services, tokens
from .models import Follow, NotificationEvent, NotificationPreference, OutboxEmail
from .services import enqueue_sending

logger = logging.getLogger(__name__)

# A queued email whose batch task was lost (broker restart) is picked up by the retry sweep after this.
LOST_BATCH_AFTER = timedelta(minutes=5)


def send_batch(pks):
    return services.send_outbox_emails(pks)


# --------------------------------------------------------------------------- fan-out


def fan_out_decision(decision_id):
    """Enqueued (once) by the decision_recorded receiver, after commit."""
    decision = Decision.objects.select_related("item", "meeting").filter(pk=decision_id).first()
    if decision is None:
        return 0
    event, _ = NotificationEvent.objects.get_or_create(
        decision=decision,
        defaults={"kind": NotificationEvent.Kind.DECISION, "item": decision.item, "meeting": decision.meeting},
    )
    return fan_out(event)


def fan_out_agenda(agenda_entry_id):
    """Enqueued (once) by the item_put_on_agenda receiver, after commit."""
    entry = AgendaEntry.objects.select_related("item", "meeting").filter(pk=agenda_entry_id).first()
    if entry is None:  # taken off the agenda again before the worker got to it
        return 0
    event, _ = NotificationEvent.objects.get_or_create(
        agenda_entry=entry,
        defaults={"kind": NotificationEvent.Kind.AGENDA, "item": entry.item, "meeting": entry.meeting},
    )
    return fan_out(event)


def recipients(event):
    """{member_id: (email, first_name, scope)} of who hears about `event` now.

    Followers of the item, of its branch and of its consultation with immediate delivery, and
    always its proposer and confirmed seconders (scope "all": only stopping all emails stops
    that). Members who stopped all emails and inactive accounts are left out. Three queries.
    """
    item = event.item
    consultation_id = (
        item.policysubmission.consultation_id if item.kind == "policy_submission" else None
    )
    targets = Q(item_id=item.pk)
    if item.branch_id:
        targets |= Q(branch_id=item.branch_id)
    if consultation_id:
        targets |= Q(consultation_id=consultation_id)
    rank = {"item": 0, "consultation": 1, "branch": 2}
    found = {}
    rows = (
        Follow.objects.filter(targets, member__is_active=True)
        .filter(Q(member__notification_preference__isnull=True)
                | Q(member__notification_preference__stopped_at__isnull=True,
                    member__notification_preference__delivery=NotificationPreference.Delivery.IMMEDIATE))
        .values_list("member_id", "member__email", "member__first_name", "item_id", "branch_id", "consultation_id")
    )
    for member_id, email, first_name, item_id, branch_id, cons_id in rows:
        kind, pk = ("item", item_id) if item_id else ("consultation", cons_id) if cons_id else ("branch", branch_id)
        current = found.get(member_id)
        if current is None or rank[kind] < rank[current[2].partition(":")[0]]:
            found[member_id] = (email, first_name, f"{kind}:{pk}")
    own_ids = set(item.secondings.filter(confirmed_at__isnull=False).values_list("member_id", flat=True))
    if item.proposer_id:
        own_ids.add(item.proposer_id)
    if own_ids:
        own = Member.objects.filter(pk__in=own_ids, is_active=True).filter(
            Q(notification_preference__isnull=True) | Q(notification_preference__stopped_at__isnull=True)
        ).values_list("pk", "email", "first_name")
        for member_id, email, first_name in own:
            found[member_id] = (email, first_name, tokens.ALL)
    return found


def recipients_time_zones(member_ids):
    """{member id: the zone they read times in (their own, else their branch's)}, in one query."""
    return {pk: own or branch_zone or settings.UK_TIME_ZONE for pk, own, branch_zone in
            Member.objects.filter(pk__in=list(member_ids)).values_list("pk", "time_zone", "branch__time_zone")}


def fan_out(event):
    """Create the outbox emails of `event` in bulk (one per recipient, never two) and enqueue
    their sending in batches. Returns how many emails are queued for it."""
    event.item = Item.objects.select_related("branch", "current_stage").get(pk=event.item_id)
    template = emails.event_template(event)
    people = recipients(event)
    zones = recipients_time_zones(people) if template.moment else {}
    rows = []
    for member_id, (address, first_name, scope) in people.items():
        if not address:
            continue
        key = f"event:{event.pk}:{member_id}"
        rows.append(OutboxEmail(key=key, kind=event.kind, member_id=member_id, event=event, to_email=address,
                                **template.for_recipient(first_name, member_id, scope, key,
                                                         time_zone=zones.get(member_id))))
    OutboxEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    NotificationEvent.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    queued = list(
        OutboxEmail.objects.filter(event=event, status=OutboxEmail.Status.QUEUED).values_list("pk", flat=True)
    )
    return enqueue_sending(queued)


# --------------------------------------------------------------------------- retries


def retry_due_emails():
    """Scheduled every minute: send again what failed once its backoff has passed, what a
    stopped worker left half-done, and queued emails whose batch task was lost."""
    now = timezone.now()
    services.release_stale(now)
    due = OutboxEmail.objects.filter(
        Q(status=OutboxEmail.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=OutboxEmail.Status.QUEUED, created_at__lte=now - LOST_BATCH_AFTER)
    ).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:5000]
    return enqueue_sending(due)


# --------------------------------------------------------------------------- digests


def send_weekly_digests(now=None):
    """Scheduled weekly: one email per member who chose the weekly digest, with what happened
    since their last digest on the items, branches and consultations they follow. Idempotent
    per ISO week. Queries do not grow with the number of members."""
    now = now or timezone.now()
    week = now.isocalendar()
    default_since = now - timedelta(days=7)
    preferences = list(
        NotificationPreference.objects.filter(
            delivery=NotificationPreference.Delivery.WEEKLY, stopped_at__isnull=True, member__is_active=True
        ).select_related("member", "member__branch")
    )
    if not preferences:
        return 0
    since_of = {p.member_id: min(p.last_digest_at or default_since, now) for p in preferences}
    earliest = min(since_of.values())
    events = list(
        NotificationEvent.objects.filter(created_at__gte=earliest, created_at__lt=now)
        .select_related("item", "item__branch", "decision", "meeting")
        .order_by("created_at", "pk")
    )
    consultation_of = dict(
        PolicySubmission.objects.filter(pk__in={e.item_id for e in events}).values_list("pk", "consultation_id")
    )
    follows = {}
    for member_id, item_id, branch_id, cons_id in Follow.objects.filter(member_id__in=since_of).values_list(
        "member_id", "item_id", "branch_id", "consultation_id"
    ):
        targets = follows.setdefault(member_id, set())
        targets.add(("item", item_id) if item_id else ("branch", branch_id) if branch_id else ("consultation", cons_id))
    rows = []
    for preference in preferences:
        member = preference.member
        targets = follows.get(member.pk, set())
        mine = [
            e for e in events
            if e.created_at >= since_of[member.pk] and (
                ("item", e.item_id) in targets or ("branch", e.item.branch_id) in targets
                or ("consultation", consultation_of.get(e.item_id)) in targets
            )
        ]
        if not mine or not member.email:
            continue
        key = f"digest:{member.pk}:{week.year}-W{week.week:02d}"
        template = emails.digest_template(mine, since_of[member.pk], now, viewer_zone=member.zone_name)
        rows.append(OutboxEmail(key=key, kind=OutboxEmail.Kind.DIGEST, member=member, to_email=member.email,
                                **template.for_recipient(member.first_name, member.pk, tokens.ALL, key)))
    OutboxEmail.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    NotificationPreference.objects.filter(pk__in=[p.pk for p in preferences]).update(last_digest_at=now)
    queued = OutboxEmail.objects.filter(key__in=[r.key for r in rows], status=OutboxEmail.Status.QUEUED)
    return enqueue_sending(queued.values_list("pk", flat=True))


# --------------------------------------------------------------------------- seconding


def send_seconding_request(seconding_id):
    """Enqueued after the proposer invited an address to second an item (or asked again after
    changing the text): email the confirm/decline link to the member who has that address.

    An address that is no active member's gets NO email: the site never mails people outside
    the party (it cannot be used to send mail to any address, and a motion's text and its
    proposer's name stay among members). The proposer is told the same thing in both cases."""
    seconding = (
        Seconding.objects.select_related("item", "item__proposer", "item__branch").filter(pk=seconding_id).first()
    )
    if seconding is None or seconding.withdrawn_at or seconding.declined_at or not seconding.link_nonce:
        return 0
    if seconding.item.status not in workflow_services.SECONDABLE_STATUSES:
        return 0
    member = seconding.member or (
        get_user_model().objects.filter(email__iexact=seconding.email, is_active=True).order_by("pk").first()
    )
    if member is None or not member.is_active:
        return 0
    item = seconding.item
    key = f"seconding:{seconding.pk}:{seconding.link_nonce}"
    # The link answers for the member without a password: like a sign-in link it is made when the
    # email is sent (seconding_link_for_email), never stored in the outbox row officers can read.
    link = emails.SIGN_IN_LINK
    context = {
        "member": member, "item": item, "link": link, "again": seconding.named_at < seconding.requested_at,
        "proposer_name": item.proposer.get_full_name() if item.proposer else "A member",
        "expires_at": workflow_services.seconding_link_expires_at(seconding),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = f"{context['proposer_name']} asks you to second “{item.title}”"
    OutboxEmail.objects.bulk_create([OutboxEmail(
        key=key, kind=OutboxEmail.Kind.SECONDING, member=member, to_email=member.email, subject=subject[:255],
        body_text=render_to_string("notifications/emails/seconding_request.txt", context),
        body_html=render_to_string("notifications/emails/seconding_request.html", context),
        headers={"Message-ID": _message_id(key)},
    )], ignore_conflicts=True)
    return enqueue_sending(
        OutboxEmail.objects.filter(key=key, status=OutboxEmail.Status.QUEUED).values_list("pk", flat=True)
    )


def seconding_link_for_email(email):
    """The confirm/decline link of a seconding request email (its key: seconding:<id>:<nonce>). A
    link replaced since (withdrawn, or asked again) is made as it was: it then says it is no longer valid."""
    _, pk, nonce = email.key.split(":", 2)
    token = workflow_services.seconding_link_token(Seconding(pk=int(pk), link_nonce=nonce))
    return emails.absolute(reverse("workflows:seconding_link", args=[token]))


def _message_id(key):
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"<{digest}@{emails.message_id_domain()}>"


def send_seconding_answer(seconding_id):
    """Tell the proposer that an invited seconder confirmed (with their name) or declined."""
    seconding = Seconding.objects.select_related("item", "item__proposer", "member").filter(pk=seconding_id).first()
    if seconding is None or seconding.withdrawn_at or not (seconding.confirmed_at or seconding.declined_at):
        return 0
    item, proposer = seconding.item, seconding.item.proposer
    if proposer is None or not proposer.is_active or not proposer.email:
        return 0
    answer = "confirmed" if seconding.confirmed_at else "declined"
    key = f"seconding-answer:{seconding.pk}:{answer}:{(seconding.confirmed_at or seconding.declined_at):%Y%m%d%H%M%S}"
    seconder_name = seconding.member.get_full_name() if seconding.member else seconding.email
    context = {
        "proposer": proposer, "seconding": seconding, "item": item, "seconder_name": seconder_name or seconding.email,
        "item_url": emails.absolute(reverse("workflows:my_item", args=[item.pk])),
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    subject = (f"{context['seconder_name']} seconds “{item.title}”" if seconding.confirmed_at
               else f"{seconding.email} declined to second “{item.title}”")
    OutboxEmail.objects.bulk_create([OutboxEmail(
        key=key[:120], kind=OutboxEmail.Kind.SECONDING, member=proposer, to_email=proposer.email,
        subject=subject[:255],
        body_text=render_to_string("notifications/emails/seconding_answer.txt", context),
        body_html=render_to_string("notifications/emails/seconding_answer.html", context),
        headers={"Message-ID": _message_id(key[:120])},
    )], ignore_conflicts=True)
    return enqueue_sending(
        OutboxEmail.objects.filter(key=key[:120], status=OutboxEmail.Status.QUEUED).values_list("pk", flat=True)
    )


def stop_seconding_request(seconding_id):
    """An invitation was withdrawn: its emails not sent yet are not sent (its link is dead anyway)."""
    return OutboxEmail.objects.filter(
        key__startswith=f"seconding:{seconding_id}:", status__in=[OutboxEmail.Status.QUEUED, OutboxEmail.Status.FAILED]
    ).update(status=OutboxEmail.Status.GIVEN_UP, given_up_at=timezone.now(),
             last_error="The proposer withdrew the invitation before it was sent.")
