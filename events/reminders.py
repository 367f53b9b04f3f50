"""The reminder the day before an event, to the members going, at a sensible hour in each
member's own time zone (theirs, else their branch's), with the time in their zone, the place's
zone and UK time, and the online link. Through the outbox: one per member and start time (a
moved event gets a new one), never two."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cms.times import Moment, zone
from notifications import emails as notification_emails
from notifications.models import NotificationPreference, OutboxEmail
from notifications.services import enqueue_sending

from .models import EventSignUp, ReminderOptOut

SCOPE_KIND = "event-reminders"
OUTBOX_KIND = OutboxEmail.Kind.REMINDER
REMINDER_HOUR = time(10, 0)  # the day before, in the member's own time
LOOK_AHEAD = timedelta(hours=60)  # the day before in any zone falls within this
TOO_LATE = timedelta(hours=1)  # someone who says "going" an hour before needs no reminder


def due_at(starts_at, member_zone):
    """10:00 the day before the event, in the member's own zone."""
    local_day = timezone.localtime(starts_at, zone(member_zone)).date()
    return datetime.combine(local_day - timedelta(days=1), REMINDER_HOUR, tzinfo=zone(member_zone))


def due_sign_ups(now):
    """(sign-up, member zone) of the reminders to send now."""
    sign_ups = (
        EventSignUp.objects.filter(answer=EventSignUp.Answer.GOING, waiting=False, member__is_active=True,
                                   event__live=True, event__starts_at__gt=now + TOO_LATE,
                                   event__starts_at__lte=now + LOOK_AHEAD)
        .exclude(member__email="")
        .exclude(member__in=ReminderOptOut.objects.values("member_id"))
        .exclude(member__in=NotificationPreference.objects.filter(stopped_at__isnull=False).values("member_id"))
        .select_related("event", "member", "member__branch")
    )
    for sign_up in sign_ups:
        if sign_up.reminded_for == sign_up.event.starts_at:
            continue
        member_zone = sign_up.member.zone_name
        if due_at(sign_up.event.starts_at, member_zone) <= now:
            yield sign_up, member_zone


def reminder_email(sign_up, member_zone):
    """The fields of the reminder's outbox row for one member."""
    event, member = sign_up.event, sign_up.member
    key = f"reminder:{sign_up.pk}:{event.starts_at:%Y%m%d%H%M}"
    moment = Moment(event.starts_at, event.time_zone or settings.UK_TIME_ZONE, member_zone, until=event.ends_at)
    mine = timezone.localtime(event.starts_at, zone(member_zone))
    url = notification_emails.unsubscribe_url(member.pk, f"{SCOPE_KIND}:all")
    context = {
        "event": event, "member": member, "moment": moment,
        "your_time": f"{mine:%A} {mine.day} {mine:%B}, {mine:%H:%M}",
        "your_zone": zone(member_zone).key, "event_url": notification_emails.absolute(event.url or "/"),
        "unsubscribe_url": url, "preferences_url": notification_emails.absolute("/motions/notifications/"),
        "branch": event.branch,
    }
    return {
        "key": key, "kind": OUTBOX_KIND, "member": member, "to_email": member.email,
        "subject": f"Reminder: {event.title}, {mine:%A} {mine:%H:%M} your time"[:255],
        "body_text": render_to_string("events/emails/reminder.txt", context),
        "body_html": render_to_string("events/emails/reminder.html", context),
        "headers": notification_emails.headers_for(url, key),
    }


def send_reminders(now=None):
    """Scheduled every 15 minutes: queue the reminders that are due, mark them, send them."""
    now = now or timezone.now()
    rows, reminded = [], []
    for sign_up, member_zone in due_sign_ups(now):
        rows.append(OutboxEmail(**reminder_email(sign_up, member_zone)))
        reminded.append(sign_up)
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    for sign_up in reminded:
        EventSignUp.objects.filter(pk=sign_up.pk).update(reminded_for=sign_up.event.starts_at)
    queued = OutboxEmail.objects.filter(key__in=[r.key for r in rows], status=OutboxEmail.Status.QUEUED)
    return enqueue_sending(queued.values_list("pk", flat=True))


class UnsubscribeScope:
    """The one-click unsubscribe of a reminder: no more event reminders (undone from the same page)."""

    def valid(self, rest):
        return rest == "all"

    def describe(self, member, rest):
        return "reminders of the events you go to"

    def unsubscribe(self, member, rest):
        ReminderOptOut.objects.get_or_create(member=member)

    def resubscribe(self, member, rest):
        ReminderOptOut.objects.filter(member=member).delete()
