"""Stories of the returning officer: import ballots counted elsewhere, run the count (rounds,
the lot drawn in the app and recorded), confirm quota adjustments, publish the results page."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elections import services
from elections.models import Ballot, BallotImport, PositionResult

from .conftest import move_to
from .test_count import BURLINGTON_ROUNDS

DATA = Path(__file__).parent / "data"


@pytest.fixture
def contested_election(election, nominate, secretary, make_member, paper_voters):
    """Chair: a man and a woman; Secretary unopposed; the rest vacant. Ballot open; five
    members voted on paper."""
    man = nominate(election, "chair", candidate=make_member("Colin", "Chairman"))
    woman = nominate(election, "chair", candidate=make_member("Carla", "Chairwoman"), woman=True)
    nominate(election, "secretary", candidate=make_member("Sol", "Secretary"))
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "ballot")
    election.man, election.woman = man, woman
    election.chair = election.positions.get(key="chair")
    election.paper_voters = paper_voters(5)
    return election


def vote(election, member, *ranking):
    return services.cast_ballot(election, voter=member, rankings={election.chair: list(ranking)})


def test_the_count_finds_the_winner_proposes_the_quota_replacement_and_publishes_after_confirmation(
        client, contested_election, make_member, returning_officer):
    election, man, woman = contested_election, contested_election.man, contested_election.woman
    for _ in range(3):
        vote(election, make_member(), man, woman)
    vote(election, make_member(), woman)
    with pytest.raises(ValidationError, match="count after that"):
        services.run_count(election, by=returning_officer)
    move_to(election, "counting")
    count = services.run_count(election, by=returning_officer)
    assert count.seed is not None and count.ballots_counted == 4
    chair = PositionResult.objects.get(count=count, position=election.chair)
    assert chair.status == "elected" and chair.winner == man and chair.holder == man
    assert chair.rounds[0]["tally"] == {str(man.pk): 3, str(woman.pk): 1}
    secretary = PositionResult.objects.get(count=count, position__key="secretary")
    assert secretary.status == "unopposed" and secretary.rounds == []
    assert PositionResult.objects.get(count=count, position__key="treasurer").status == "vacant"

    adjustment = count.adjustments.get()
    assert (adjustment.position, adjustment.replaced, adjustment.by) == (election.chair, man, woman)
    assert not count.quota["met"] and count.quota["flags"]  # three of six cannot be met with one post filled

    assert client.get(reverse("elections:results", args=[election.slug])).status_code == 404
    with pytest.raises(ValidationError, match="Accept or reject every proposed quota replacement"):
        services.publish_results(election, by=returning_officer)
    services.confirm_adjustment(adjustment, by=returning_officer)
    chair.refresh_from_db()
    assert chair.holder == woman and chair.winner == man
    services.publish_results(election, by=returning_officer)

    page = client.get(reverse("elections:results", args=[election.slug])).content.decode()
    assert "Carla Chairwoman takes the post of Chair in place of Colin Chairman" in page
    assert "Round 1" in page and 'class="bar' in page and "width:75.0%" in page
    assert "Elected unopposed" in page and "Vacant" in page
    # The results need no script of their own: only the site's static scripts (the menu, the error summary), no inline.
    assert set(re.findall(r"<script\b[^>]*>", page)) == {'<script src="/static/js/nav.js" defer>',
                                                          '<script src="/static/js/error_summary.js" defer>'}


def test_the_results_page_needs_a_fixed_number_of_queries(
        client, contested_election, make_member, returning_officer, django_assert_max_num_queries):
    election = contested_election
    vote(election, make_member(), election.man)
    move_to(election, "counting")
    count = services.run_count(election, by=returning_officer)
    services.confirm_adjustment(count.adjustments.get(), by=returning_officer)
    services.publish_results(election, by=returning_officer)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("elections:results", args=[election.slug])).status_code == 200


def test_a_tie_no_round_breaks_is_drawn_by_lot_in_the_app_and_the_seed_recorded(
        contested_election, make_member, returning_officer):
    election, man, woman = contested_election, contested_election.man, contested_election.woman
    vote(election, make_member(), man)
    vote(election, make_member(), woman)
    move_to(election, "counting")
    first = services.run_count(election, by=returning_officer)
    rounds = PositionResult.objects.get(count=first, position=election.chair).rounds
    assert rounds[0]["tie_break"] == "lot" and "drawn by lot" in rounds[0]["tie_explanation"]
    assert "Colin Chairman" in rounds[0]["tie_explanation"] and "seed" not in rounds[0]["tie_explanation"]
    again = services.run_count(election, by=returning_officer)  # a recount reuses the recorded draw
    assert again.seed == first.seed and again.redraw_reason == ""
    assert PositionResult.objects.get(count=again, position=election.chair).rounds == rounds


def test_only_the_returning_officer_counts(contested_election, secretary):
    move_to(contested_election, "counting")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.run_count(contested_election, by=secretary)


def upload(client, election, text, skip=False):
    data = {"position": election.chair.pk, "file": SimpleUploadedFile("ballots.csv", text.encode()),
            "paper_register": "\n".join(m.membership_number for m in election.paper_voters)}
    if skip:
        data["skip_bad_lines"] = "on"
    return client.post(reverse("elections:import", args=[election.slug]), data)


def test_imported_ballots_with_a_bad_header_are_refused_naming_the_line(client, contested_election, returning_officer):
    client.force_login(returning_officer)
    response = upload(client, contested_election, "id,rank,choice\n1,1,Colin Chairman\n")
    assert response.status_code == 400
    assert "line 1: the header must be ballot_id,rank,choice" in response.content.decode()
    assert BallotImport.objects.count() == 0 and Ballot.objects.count() == 0


def test_bad_lines_refuse_the_whole_file_unless_the_officer_skips_them(client, contested_election, returning_officer):
    client.force_login(returning_officer)
    text = ("ballot_id,rank,choice\nA1,1,Colin Chairman\nA1,2,Carla Chairwoman\nA2,1,Nobody Known\n"
            "A3,1,Carla Chairwoman\nA3,2,Carla Chairwoman\nA4,1,$UNDERVOTE\n")
    response = upload(client, contested_election, text)
    assert "line 4: unknown candidate &#x27;Nobody Known&#x27; (ballot A2)" in response.content.decode()
    assert Ballot.objects.count() == 0
    response = upload(client, contested_election, text, skip=True)
    assert response.status_code == 302
    batch = BallotImport.objects.get()
    assert batch.ballots == 3 and batch.skipped_lines == ["line 4: unknown candidate 'Nobody Known' (ballot A2)"]
    page = client.get(reverse("elections:count", args=[contested_election.slug])).content.decode()
    assert "Skipped:" in page and "Nobody Known" in page
    # The same ballots cannot be imported twice.
    assert "were already imported" in upload(client, contested_election, text, skip=True).content.decode()


def test_burlington_ballots_imported_and_counted_in_the_app_give_the_published_rounds(
        contested_election, make_member, nominate, secretary, returning_officer, paper_voters):
    from elections.models import Election, Nomination, Position

    # A fresh election whose Chair has the six Burlington candidates (names as in the file).
    election = services.create_election(title="Burlington replay", by=secretary, **{
        k: getattr(contested_election, k) for k in ("nominations_open", "nominations_close", "ballot_open",
                                                    "ballot_close")})
    move_to(election, "nominations")
    names = ["Kurt Wright", "Bob Kiss", "Andy Montroll", "Dan Smith", "Write-in", "James Simpson"]
    for name in names:
        first, _, last = name.partition(" ")
        nominate(election, "chair", candidate=make_member(first, last or "-"))  # "Write-in" shows as "Write-in -"
    move_to(election, "closed")
    services.close_nominations(election, by=secretary)
    move_to(election, "counting")
    election = Election.objects.get(pk=election.pk)
    chair = election.positions.get(key="chair")
    text = (DATA / "burlington-2009-mayor.csv").read_text(encoding="utf-8").replace("Write-in", "Write-in -")
    register = [m.membership_number for m in paper_voters(8980)]
    batch = services.import_ballots(election, chair, text=text, file_name="burlington.csv", by=returning_officer,
                                    paper_register=register)
    assert batch.ballots == 8980
    count = services.run_count(election, by=returning_officer, seed=1)
    result = PositionResult.objects.get(count=count, position=chair)
    by_id = {str(n.pk): n.display_name.replace("Write-in -", "Write-in")
             for n in Nomination.objects.filter(position=chair).select_related("candidate")}
    assert [({by_id[c]: v for c, v in r["tally"].items()}, r["exhausted"]) for r in result.rounds] == BURLINGTON_ROUNDS
    assert result.winner.display_name == "Bob Kiss"
    assert chair.outcome == Position.BALLOT
