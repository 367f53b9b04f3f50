"""Taking part's share of a member's download and erasure (cms.privacy). The download says which
meetings they attended and in which votes they voted; how they voted only for named votes (which
are published); never for secret ones, which no record links to them."""

from django.utils import timezone

from cms.privacy import iso, member_data_section, on_erasure

from .models import Attendance, Delegate, PollBallot, PollVoter


@member_data_section("taking_part")
def taking_part(member):
    named = {b.poll_id: b.get_choice_display() for b in PollBallot.objects.filter(voter=member)}
    return {
        "gc_delegate": [{"branch": d.branch.title, "role": d.get_role_display(), "since": iso(d.since),
                         "until": iso(d.until)} for d in Delegate.objects.filter(member=member).select_related("branch")],
        "meetings_attended": [{"meeting": a.meeting.title, "way": a.get_way_display(), "at": iso(a.at)}
                              for a in Attendance.objects.filter(member=member).select_related("meeting")],
        "votes_cast": [{"item": v.poll.item.reference, "vote": v.poll.get_way_display(), "day": iso(v.voted_on),
                        "how": named.get(v.poll_id, "secret" if v.poll.secret else None)}
                       for v in PollVoter.objects.filter(member=member).select_related("poll", "poll__item")],
    }


@on_erasure
def end_delegacies(member, email):
    """A delegate who leaves stops being one today; the record of meetings and votes stays, and
    names them "Former member"."""
    Delegate.objects.filter(member=member, until__isnull=True).update(until=timezone.localdate())
