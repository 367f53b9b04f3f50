"""The demo elections of seed_demo: a published 2025 election and an open by-election, idempotent."""

import io

from django.urls import reverse

from elections import demo
from elections.models import Ballot, Election, Nomination, Position, VoterRegisterEntry


def test_demo_elections_are_complete_published_and_idempotent(client, demo_site):
    demo.seed(io.StringIO())
    counts = (Election.objects.count(), Nomination.objects.count(), Ballot.objects.count())
    demo.seed(io.StringIO())
    assert (Election.objects.count(), Nomination.objects.count(), Ballot.objects.count()) == counts

    election = Election.objects.get(slug=demo.FULL_ELECTION)
    outcomes = set(election.positions.values_list("outcome", flat=True))
    assert outcomes == {Position.UNOPPOSED, Position.VACANT, Position.BALLOT}
    assert election.is_published and Ballot.objects.filter(election=election).count() == \
        VoterRegisterEntry.objects.filter(election=election).count() > 50
    assert Nomination.objects.filter(position__election=election, status=Nomination.WITHDRAWN).count() == 1
    assert Nomination.objects.filter(position__election=election, branch__slug="paris").exists()
    assert election.published_count.adjustments.filter(accepted=True).exists()

    page = client.get(reverse("elections:results", args=[election.slug]))
    assert page.status_code == 200 and "Round 1" in page.content.decode()
    by_election = Election.objects.get(slug=demo.BY_ELECTION)
    assert by_election.nominations_are_open()
    assert client.get(reverse("elections:detail", args=[by_election.slug])).status_code == 200
