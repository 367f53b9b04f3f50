"""The ballot's emails, through the outbox (one per member and purpose, never two): the link when
a ballot opens, a reminder a day before it closes to those who have not voted, and a receipt.
Receipts are written in batches by the worker (a vote asks for the next batch, at most one batch
every RECEIPT_BATCH seconds per ballot), so that a ballot's last minute, when most members vote,
spends its CPU on the votes and not on thousands of tasks of one email each.
Times are given in UK time and in each member's own zone. A secret ballot's receipt email never
holds the receipt code (the outbox is read by officers and kept in backups): the code is shown
once on the screen."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from cms.times import Moment, uk_zone_name
from notifications import emails as notification_emails
from notifications.models import NotificationPreference, OutboxEmail
from notifications.services import enqueue_sending

from .models import Poll, PollVoter

OUTBOX_KIND = OutboxEmail.Kind.BALLOT


def _row(poll, member, purpose, subject, template, **extra):
    key = f"ballot:{poll.pk}:{purpose}:{member.pk}"
    moment = Moment(poll.closes_at, uk_zone_name(), member.zone_name)
    context = {"poll": poll, "item": poll.item, "member": member, "closes": moment,
               "vote_url": notification_emails.absolute(reverse("participation:vote", args=[poll.pk])),
               "item_url": notification_emails.absolute(poll.item.get_absolute_url()),
               "site_url": notification_emails.absolute("/"), **extra}
    return OutboxEmail(key=key, kind=OUTBOX_KIND, member=member, to_email=member.email, subject=subject[:255],
                       body_text=render_to_string(f"participation/emails/{template}.txt", context),
                       body_html=render_to_string(f"participation/emails/{template}.html", context),
                       headers={"Message-ID": f"<{key.replace(':', '.')}@{notification_emails.message_id_domain()}>"})


def _queue(rows):
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    queued = OutboxEmail.objects.filter(key__in=[r.key for r in rows], status=OutboxEmail.Status.QUEUED)
    return enqueue_sending(list(queued.values_list("pk", flat=True)))


def _stopped():
    return NotificationPreference.objects.filter(stopped_at__isnull=False).values("member_id")


def send_ballot_opened(poll_id):
    from .services import voting_members

    poll = Poll.objects.select_related("item", "branch", "stage").get(pk=poll_id)
    members = voting_members(poll.body, poll.branch).exclude(email="").exclude(pk__in=_stopped()).select_related("branch")
    return _queue([_row(poll, member, "opened", f"Your vote: {poll.item.reference} {poll.item.title}", "opened")
                   for member in members])


RECEIPT_BATCH = 10  # seconds


def receipts_due(poll_id, now=None):
    """After a vote is committed: make sure a batch of receipts is coming. The first vote of each
    RECEIPT_BATCH seconds schedules one (django-q2 runs it on its next scheduler round, within about
    half a minute); every vote before that batch runs is committed by then, so it is in it. The
    scheduled sweep (tasks.py) sends any receipt a lost batch left behind."""
    if cache.add(f"participation:receipts-due:{poll_id}", True, RECEIPT_BATCH):
        now = now or timezone.now()
        Schedule.objects.create(name=f"Ballot {poll_id}: receipts ({now:%H:%M:%S})", func="participation.emails.send_receipts",
                                args=str(poll_id), schedule_type=Schedule.ONCE, repeats=-1,
                                next_run=now + timedelta(seconds=RECEIPT_BATCH))


def send_receipts(poll_id):
    """A receipt to every member who voted in this online ballot and has none yet ("your vote on …
    was recorded on <the register's day>"; never the code nor the choice)."""
    poll = Poll.objects.select_related("item").get(pk=poll_id)
    if poll.is_live:
        return 0
    receipted = OutboxEmail.objects.filter(key__startswith=f"ballot:{poll.pk}:receipt:").values("member_id")
    voters = (PollVoter.objects.filter(poll=poll).exclude(member_id__in=receipted).exclude(member__email="")
              .select_related("member__branch"))
    subject = f"Your vote on {poll.item.reference} is recorded"
    return _queue([_row(poll, voter.member, "receipt", subject, "receipt", voted_on=voter.voted_on) for voter in voters])


def send_missing_receipts():
    """Scheduled sweep: the receipts of online ballots, open or closed in the last day, that a lost
    batch (a worker stopped mid-task) left unsent."""
    since = timezone.now() - timedelta(days=1)
    polls = Poll.objects.filter(way=Poll.Way.BALLOT).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
    return sum(send_receipts(pk) for pk in polls.values_list("pk", flat=True))


def send_reminders(now=None):
    """Scheduled: a day before a ballot closes, remind the members with a vote who have not voted."""
    from .services import BALLOT_REMINDER_BEFORE, voting_members

    now = now or timezone.now()
    sent = 0
    for poll in Poll.objects.filter(way=Poll.Way.BALLOT, closed_at__isnull=True, reminded=False,
                                    closes_at__gt=now, closes_at__lte=now + BALLOT_REMINDER_BEFORE).select_related("item", "branch"):
        members = (voting_members(poll.body, poll.branch).exclude(email="").exclude(pk__in=_stopped())
                   .exclude(pk__in=PollVoter.objects.filter(poll=poll).values("member_id")).select_related("branch"))
        sent += _queue([_row(poll, member, "reminder", f"Reminder: your vote on {poll.item.reference} closes soon",
                             "reminder") for member in members])
        Poll.objects.filter(pk=poll.pk).update(reminded=True)
    return sent
