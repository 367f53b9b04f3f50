"""The member's open ballots on their home page (cms.home): each election whose ballot is open now,
until when (UK time and theirs), and whether they have voted. Two queries."""

from datetime import timedelta

from django.utils import timezone

from cms.home import MEMBERS, register_home_panel

from .models import Election, VoterRegisterEntry


def open_ballots(request, last_visit):
    member, now = request.user, timezone.now()
    # The database narrows to ballots around now; the model's rule (deadlines keep their minute) decides.
    elections = [election for election in Election.objects.filter(
        nominations_decided_at__isnull=False, published_at__isnull=True, ballot_open__lte=now,
        ballot_close__gte=now - timedelta(minutes=1)).order_by("ballot_close", "pk")
        if election.ballot_is_open(now)]
    voted = set(VoterRegisterEntry.objects.filter(member=member, election__in=elections)
                .values_list("election_id", flat=True)) if elections else set()
    for election in elections:
        election.has_voted = election.pk in voted
    return {"elections": elections, "may_vote": member.is_paid_up(timezone.localdate(now))}


def register():
    register_home_panel("ballots", 40, open_ballots, "elections/home/ballots.html", audience=MEMBERS)
