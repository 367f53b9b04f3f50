"""The votes on motions open to the member, on their home page (cms.home): online ballots of the
bodies they have a vote in, and live polls of the meetings they are checked in to, with the close
in UK time and theirs and whether they have voted."""

from django.db.models import Q
from django.utils import timezone

from cms.home import MEMBERS, register_home_panel

from . import services
from .models import Attendance, Poll, PollVoter


def open_votes(request, last_visit):
    member, now = request.user, timezone.now()
    present = Attendance.objects.filter(member=member, way=Attendance.Way.ONLINE).values("meeting_id")
    polls = list(Poll.objects.filter(closed_at__isnull=True).filter(
        Q(way=Poll.Way.BALLOT, closes_at__gt=now) | Q(way=Poll.Way.LIVE, meeting_id__in=present))
        .select_related("item", "branch", "meeting").order_by("closes_at", "pk")[:20])
    polls = [poll for poll in polls if poll.is_live or not services.why_cannot_vote(member, poll.body, poll.branch)]
    if not polls:
        return None
    voted = set(PollVoter.objects.filter(member=member, poll__in=polls).values_list("poll_id", flat=True))
    for poll in polls:
        poll.has_voted = poll.pk in voted
    return {"polls": polls}


def register():
    register_home_panel("motion_votes", 41, open_votes, "participation/home/votes.html", audience=MEMBERS)
