"""The email telling a member they moved up from an event's waiting list and have a place, with
the event's time in their own zone (theirs, else their branch's), the place's and UK time.

Through the outbox, keyed by the move: a sign-up moves up once per answer (`answered_at` changes
with every new answer), so the same move never sends two emails, even when the waiting list is
moved up again by another request; a member who leaves and comes back on the list is told again."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cms.times import Moment, zone
from notifications import emails as notification_emails
from notifications.models import NotificationPreference, OutboxEmail
from notifications.services import enqueue_sending

from .models import EventSignUp

OUTBOX_KIND = OutboxEmail.Kind.MOVED_UP


def key_of(sign_up):
    return f"moved-up:{sign_up.pk}:{sign_up.answered_at:%Y%m%d%H%M%S%f}"


def moved_up_email(sign_up):
    """The fields of the outbox row telling `sign_up`'s member they have a place now."""
    event, member = sign_up.event, sign_up.member
    member_zone = member.zone_name
    key = key_of(sign_up)
    mine = timezone.localtime(event.starts_at, zone(member_zone))
    context = {
        "event": event, "member": member, "branch": event.branch,
        "moment": Moment(event.starts_at, event.time_zone or settings.UK_TIME_ZONE, member_zone, until=event.ends_at),
        "your_time": f"{mine:%A} {mine.day} {mine:%B}, {mine:%H:%M}", "your_zone": zone(member_zone).key,
        "event_url": notification_emails.absolute(event.url or "/"),
    }
    return {
        "key": key, "kind": OUTBOX_KIND, "member": member, "to_email": member.email,
        "subject": f"You have a place: {event.title}, {mine:%A} {mine.day} {mine:%B} {mine:%H:%M} your time"[:255],
        "body_text": render_to_string("events/emails/moved_up.txt", context),
        "body_html": render_to_string("events/emails/moved_up.html", context),
        # A one-off answer to the member's own sign-up, not a list: no List-Unsubscribe.
        "headers": {"Message-ID": f"<{key.replace(':', '.')}@{notification_emails.message_id_domain()}>"},
    }


def tell_moved_up(sign_up_pks):
    """Queue and send the emails of these moves (after the move's transaction has committed).
    Members who stopped all emails, or have no address, are not written to; they see their place
    on the event's page. Returns how many were queued."""
    sign_ups = (
        EventSignUp.objects.filter(pk__in=list(sign_up_pks), answer=EventSignUp.Answer.GOING, waiting=False,
                                   member__is_active=True)
        .exclude(member__email="")
        .exclude(member__in=NotificationPreference.objects.filter(stopped_at__isnull=False).values("member_id"))
        .select_related("event", "member", "member__branch")
    )
    rows = [OutboxEmail(**moved_up_email(sign_up)) for sign_up in sign_ups]
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
    queued = OutboxEmail.objects.filter(key__in=[row.key for row in rows], status=OutboxEmail.Status.QUEUED)
    return enqueue_sending(queued.values_list("pk", flat=True))
