"""Who votes for what, and once: regional coordinators elected by their region's members only,
paper ballots imported with their paper register and reconciled with the members who voted
online, and no import before the ballot opens."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections import services
from elections.models import Ballot, BallotImport, VoterRegisterEntry

from .conftest import move_to

EUROPE = "coordinator-europe-africa-middle-east"


@pytest.fixture
def regional_ballot(demo_site, secretary, nominate, make_member):
    """Chair and the Europe coordinator contested; ballot open. Made after the demo regions exist."""
    from .conftest import timetable

    election = services.create_election(title="LIEC elections 2027", by=secretary, **timetable("nominations"))
    election.chair_candidates = [nominate(election, "chair") for _ in range(2)]
    election.europe_candidates = [nominate(election, EUROPE) for _ in range(2)]
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election.chair = election.positions.get(key="chair")
    election.europe = election.positions.get(key=EUROPE)
    return election


def test_the_europe_coordinator_is_elected_by_europes_members_only(regional_ballot, demo_site, make_member):
    election = regional_ballot
    rossi = election.europe_candidates[0]
    paris_member = make_member(branch=demo_site["paris"])
    sydney_member = make_member(branch=demo_site["sydney"])
    no_branch_member = make_member()
    assert election.europe.region.slug == "europe-africa-middle-east"

    services.cast_ballot(election, voter=paris_member, rankings={election.europe: [rossi]})
    for outsider, why in ((sydney_member, "your branch (Sydney) is in Asia, Australasia and the Pacific"),
                          (no_branch_member, "you are not in a branch")):
        with pytest.raises(ValidationError) as refused:
            services.cast_ballot(election, voter=outsider, rankings={election.europe: [rossi]})
        assert why in str(refused.value) and "elected by the members of the Europe, Africa and the Middle East" \
            in str(refused.value)
        assert not services.has_voted(election, outsider)
        # They still vote for the posts every member elects.
        services.cast_ballot(election, voter=outsider, rankings={election.chair: [election.chair_candidates[0]]})


def test_the_vote_page_leaves_another_regions_coordinator_off_the_ballot_and_says_why(
        client, regional_ballot, demo_site, make_member):
    election = regional_ballot
    client.force_login(make_member(branch=demo_site["sydney"]))
    page = client.get(reverse("elections:vote", args=[election.slug])).content.decode()
    assert f"p{election.europe.pk}_r1" not in page and f"p{election.chair.pk}_r1" in page
    assert "is elected by the members of the Europe, Africa and the Middle East region" in page
    # A forged ballot for it is refused.
    response = client.post(reverse("elections:vote", args=[election.slug]), {
        f"p{election.europe.pk}_r1": election.europe_candidates[0].pk,
        f"p{election.chair.pk}_r1": election.chair_candidates[0].pk})
    assert services.ballots_in_box(election) == 1  # counted for the Chair, the forged field ignored
    assert Ballot.objects.count() + len(election.pending_ballots.all()) == 1
    assert all(position_id != election.europe.pk for held in election.pending_ballots.all()
               for position_id, _n, _r in held.rankings)
    assert response.status_code == 200


def test_a_member_must_be_paid_up_when_they_vote(regional_ballot, make_member):
    election = regional_ballot
    with pytest.raises(ValidationError, match="Only fully paid-up members can vote"):
        services.cast_ballot(election, voter=make_member(paid_up=False),
                             rankings={election.chair: [election.chair_candidates[0]]})


# --------------------------------------------------------------------------- paper ballots


def chair_file(election, n):
    first = election.chair_candidates[0].display_name
    return "ballot_id,rank,choice\n" + "".join(f"P{i},1,{first}\n" for i in range(1, n + 1))


def test_paper_ballots_are_refused_when_a_paper_voter_also_voted_online(
        regional_ballot, returning_officer, make_member, paper_voters):
    election = regional_ballot
    on_paper = paper_voters(3)
    online_too = on_paper[1]
    services.cast_ballot(election, voter=online_too, rankings={election.chair: [election.chair_candidates[1]]})
    with pytest.raises(ValidationError) as refused:
        services.import_ballots(election, election.chair, text=chair_file(election, 3), file_name="paper.csv",
                                by=returning_officer, paper_register="\n".join(m.membership_number for m in on_paper))
    message = " ".join(refused.value.message_dict["paper_register"])
    assert f"1 member on the paper register also voted online: {online_too.membership_number}" in message
    assert "set their paper ballots aside unopened" in message
    assert BallotImport.objects.count() == 0 and Ballot.objects.count() == 0
    assert not VoterRegisterEntry.objects.filter(channel=VoterRegisterEntry.PAPER).exists()

    # Without that member's envelope the file goes in, and its voters cannot then vote online.
    others = [on_paper[0], on_paper[2]]
    batch = services.import_ballots(election, election.chair, text=chair_file(election, 2), file_name="paper.csv",
                                    by=returning_officer, paper_register=[m.membership_number for m in others])
    assert batch.ballots == 2 and batch.paper_register == sorted(m.membership_number for m in others)
    assert VoterRegisterEntry.objects.filter(channel=VoterRegisterEntry.PAPER).count() == 2
    with pytest.raises(ValidationError, match="already voted"):
        services.cast_ballot(election, voter=others[0], rankings={election.chair: [election.chair_candidates[1]]})
    # The same paper voters cannot be imported twice for the post.
    with pytest.raises(ValidationError, match="are already imported"):
        services.import_ballots(election, election.chair, text=chair_file(election, 2).replace("P", "Q"),
                                file_name="again.csv", by=returning_officer,
                                paper_register=[m.membership_number for m in others])


def test_a_file_with_more_ballots_than_paper_voters_or_no_register_is_refused(
        regional_ballot, returning_officer, paper_voters):
    election = regional_ballot
    with pytest.raises(ValidationError, match="List the membership numbers"):
        services.import_ballots(election, election.chair, text=chair_file(election, 2), file_name="p.csv",
                                by=returning_officer, paper_register="")
    with pytest.raises(ValidationError, match="cannot be more ballots than paper voters"):
        services.import_ballots(election, election.chair, text=chair_file(election, 3), file_name="p.csv",
                                by=returning_officer, paper_register=[m.membership_number for m in paper_voters(2)])
    with pytest.raises(ValidationError, match="No LI member has these numbers: X999"):
        services.import_ballots(election, election.chair, text=chair_file(election, 1), file_name="p.csv",
                                by=returning_officer, paper_register=["X999"])


def test_paper_ballots_for_a_regional_post_come_from_that_regions_members(
        regional_ballot, returning_officer, paper_voters, demo_site):
    election = regional_ballot
    sydney = paper_voters(1, branch=demo_site["sydney"])
    text = "ballot_id,rank,choice\nP1,1," + election.europe_candidates[0].display_name + "\n"
    with pytest.raises(ValidationError, match="these members are not"):
        services.import_ballots(election, election.europe, text=text, file_name="p.csv", by=returning_officer,
                                paper_register=[sydney[0].membership_number])


def test_no_ballots_are_imported_before_the_ballot_opens(regional_ballot, returning_officer, paper_voters, client):
    election = move_to(regional_ballot, "closed")
    voters = paper_voters(1)
    with pytest.raises(ValidationError, match="only once it has opened"):
        services.import_ballots(election, election.chair, text=chair_file(election, 1), file_name="early.csv",
                                by=returning_officer, paper_register=[voters[0].membership_number])
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(returning_officer)
    response = client.post(reverse("elections:import", args=[election.slug]), {
        "position": election.chair.pk, "paper_register": voters[0].membership_number,
        "file": SimpleUploadedFile("early.csv", chair_file(election, 1).encode())})
    assert response.status_code == 400 and "only once it has opened" in response.content.decode()
    assert BallotImport.objects.count() == 0
