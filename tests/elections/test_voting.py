"""Stories of the online vote (no browser): one ballot per member, no link from a ballot to its
voter, a receipt to check it was counted, and clear form errors for bad ballots."""

import pytest
from django.urls import reverse

from elections import services
from elections.models import Ballot, PendingBallot, Preference, VoterRegisterEntry

from .conftest import move_to


@pytest.fixture
def ballot_election(election, nominate, secretary):
    """Secretary and Chair contested (3 and 2 candidates), Treasurer unopposed; ballot open."""
    nominees = {
        "secretary": [nominate(election, "secretary") for _ in range(3)],
        "chair": [nominate(election, "chair") for _ in range(2)],
        "treasurer": [nominate(election, "treasurer")],
    }
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election.nominees = nominees
    election.position = {p.key: p for p in election.positions.all()}
    return election


def field(election, key, rank):
    return f"p{election.position[key].pk}_r{rank}"


def test_member_votes_once_and_keeps_a_receipt_that_shows_the_ballot_was_counted(
        client, ballot_election, make_member, returning_officer):
    election, (s1, s2, s3) = ballot_election, ballot_election.nominees["secretary"]
    voter = make_member()
    client.force_login(voter)
    page = client.get(reverse("elections:vote", args=[election.slug])).content.decode()
    assert s1.display_name in page and ballot_election.nominees["treasurer"][0].display_name not in page

    response = client.post(reverse("elections:vote", args=[election.slug]), {
        field(election, "secretary", 1): s2.pk, field(election, "secretary", 2): s1.pk,
    })
    code = response.context["code"]
    assert code in response.content.decode() and len(code) == 14

    # The register says who voted; the ballot says only what was voted.
    assert VoterRegisterEntry.objects.filter(election=election, member=voter).count() == 1
    # The ballot waits in the pool, then reaches the box in a shuffled batch.
    secretary_post = election.position["secretary"]
    assert PendingBallot.objects.get().rankings == [[secretary_post.pk, s2.pk, 1], [secretary_post.pk, s1.pk, 2]]
    services.seal_ballots(election, everything=True)
    ballot = Ballot.objects.get()
    assert list(Preference.objects.filter(ballot=ballot).values_list("nomination", "rank")) == [(s2.pk, 1), (s1.pk, 2)]
    assert not any(f.related_model is type(voter) for f in Ballot._meta.get_fields())
    assert code.replace("-", "") not in ballot.receipt_digest  # only a digest is kept
    assert not {"cast_at", "created_at", "voted_at"} & {f.name for f in Ballot._meta.get_fields()}

    again = client.post(reverse("elections:vote", args=[election.slug]), {field(election, "secretary", 1): s3.pk})
    assert "You have already voted in this election" in again.content.decode()
    assert services.ballots_in_box(election) == 1

    check = client.post(reverse("elections:receipt", args=[election.slug]), {"code": code.lower()})
    assert "it will be counted after the ballot closes" in check.content.decode()
    move_to(election, "counting")
    services.run_count(election, by=returning_officer, seed=1)
    check = client.post(reverse("elections:receipt", args=[election.slug]), {"code": code})
    assert "was counted; the result is not published yet" in check.content.decode()
    services.publish_results(election, by=returning_officer)
    check = client.post(reverse("elections:receipt", args=[election.slug]), {"code": code})
    assert "was counted in the published result" in check.content.decode()
    assert s2.display_name not in check.content.decode()
    wrong = client.post(reverse("elections:receipt", args=[election.slug]), {"code": "AAAA-BBBB-CCCC"})
    assert "No ballot has this receipt code" in wrong.content.decode()


def test_the_same_candidate_ranked_twice_is_a_form_error(client, ballot_election, make_member):
    election, (s1, _s2, _s3) = ballot_election, ballot_election.nominees["secretary"]
    client.force_login(make_member())
    response = client.post(reverse("elections:vote", args=[election.slug]), {
        field(election, "secretary", 1): s1.pk, field(election, "secretary", 2): s1.pk})
    assert f"Secretary: {s1.display_name} is ranked twice." in response.context["form"].errors[field(election, "secretary", 2)]
    assert Ballot.objects.count() == 0 and VoterRegisterEntry.objects.count() == 0


def test_an_unknown_candidate_is_a_form_error(client, ballot_election, make_member):
    election = ballot_election
    chair_candidate = election.nominees["chair"][0]
    client.force_login(make_member())
    response = client.post(reverse("elections:vote", args=[election.slug]), {
        field(election, "secretary", 1): chair_candidate.pk})
    assert "Select a valid choice" in " ".join(response.context["form"].errors[field(election, "secretary", 1)])
    assert Ballot.objects.count() == 0


def test_a_blank_ballot_is_a_form_error(client, ballot_election, make_member):
    client.force_login(make_member())
    response = client.post(reverse("elections:vote", args=[ballot_election.slug]), {})
    assert response.context["form"].non_field_errors() == ["Your ballot is blank: rank at least one candidate."]
    assert Ballot.objects.count() == 0


def test_a_gap_in_the_ranking_is_a_form_error(client, ballot_election, make_member):
    election, (s1, _s2, _s3) = ballot_election, ballot_election.nominees["secretary"]
    client.force_login(make_member())
    response = client.post(reverse("elections:vote", args=[election.slug]), {field(election, "secretary", 2): s1.pk})
    assert "fill your choices in order" in " ".join(response.context["form"].errors[field(election, "secretary", 1)])


def test_a_member_who_is_not_paid_up_cannot_vote(client, ballot_election, make_member):
    election, (s1, _s2, _s3) = ballot_election, ballot_election.nominees["secretary"]
    client.force_login(make_member(paid_up=False))
    response = client.post(reverse("elections:vote", args=[election.slug]), {field(election, "secretary", 1): s1.pk})
    assert "Only fully paid-up members can vote" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_no_vote_outside_the_ballot_window(ballot_election, make_member):
    from django.core.exceptions import ValidationError

    move_to(ballot_election, "counting")
    s1 = ballot_election.nominees["secretary"][0]
    with pytest.raises(ValidationError, match="it is not open now"):
        services.cast_ballot(ballot_election, voter=make_member(), rankings={ballot_election.position["secretary"]: [s1]})
