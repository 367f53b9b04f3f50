"""Event sign-ups' part of a member's download and erasure (cms.privacy)."""

from cms.privacy import iso, member_data_section, on_erasure

from .models import EventSignUp, ReminderOptOut
from .services import move_up


@member_data_section("event_sign_ups")
def event_sign_ups(member):
    return [{"event": s.event.title, "starts_at": iso(s.event.starts_at), "answer": s.answer, "waiting": s.waiting,
             "answered_at": iso(s.answered_at)}
            for s in EventSignUp.objects.filter(member=member).select_related("event")]


@on_erasure
def erase_sign_ups(member, email):
    events = [s.event for s in EventSignUp.objects.filter(member=member).select_related("event")]
    EventSignUp.objects.filter(member=member).delete()
    ReminderOptOut.objects.filter(member=member).delete()
    for event in events:  # their places go to the waiting lists
        move_up(event)
