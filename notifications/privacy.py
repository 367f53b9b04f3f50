"""Notifications' part of a member's download and erasure (cms.privacy): what they follow, how they
hear about it and the emails sent to them, all deleted when they are erased."""

from cms.privacy import iso, member_data_section, on_erasure

from .models import Follow, NotificationPreference, OutboxEmail


def _follow_target(follow):
    if follow.item_id:
        return {"item": follow.item.reference}
    if follow.branch_id:
        return {"branch": follow.branch.slug}
    return {"consultation": follow.consultation.slug}


@member_data_section("follows")
def follows(member):
    return [
        {"follows": _follow_target(f), "reason": f.reason, "since": iso(f.created_at)}
        for f in Follow.objects.filter(member=member).select_related("item", "branch", "consultation")
    ]


@member_data_section("notification_preferences")
def notification_preferences(member):
    preference = NotificationPreference.objects.filter(member=member).first()
    return {
        "delivery": preference.delivery if preference else "immediate",
        "stopped_all_emails_at": iso(preference.stopped_at) if preference else None,
    }


@member_data_section("emails_sent_to_you")
def emails_sent_to_you(member):
    return [
        {"subject": e.subject, "to": e.to_email, "status": e.status, "created_at": iso(e.created_at),
         "sent_at": iso(e.sent_at)}
        for e in OutboxEmail.objects.filter(member=member).order_by("created_at", "pk")
    ]


@on_erasure
def erase_follows_preferences_and_emails(member, email):
    Follow.objects.filter(member=member).delete()
    NotificationPreference.objects.filter(member=member).delete()
    OutboxEmail.objects.filter(member=member).delete()
    OutboxEmail.objects.filter(to_email__iexact=email).delete()
