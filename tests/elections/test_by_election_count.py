"""By-elections and one person, one post in the count module and `count_election --from-file`.

The quota is judged on the whole LIEC after the election (DOMAIN.md, "By-elections"): the
sitting officers of the posts not up for election count with their declared weights and are
never replaced; "posts 1–6" are the first six places of the officer list.
"""

import json
import subprocess
import sys
from fractions import Fraction
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from elections.count import SITTING, OnePostEach, count_election, parse_election

DATA = Path(__file__).parent / "data"
YOUTH_BY_ELECTION = DATA / "by-election-youth-officer.json"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"

TITLES = ["Chair", "Vice-Chair", "Vice-Chair / Membership", "Secretary", "Treasurer", "Policy & Campaigns Officer",
          "Women's Officer", "BAME Officer", "Disability & Carers Officer", "LGBT+ Officer", "Youth Officer",
          "Trade Union Liaison Officer", "Political Education & Training Officer", "Communications Officer"]


def key(title):
    return title.lower().replace(" ", "-")


def by_election(up, sitting_women, candidates, ballots):
    """An election document: the posts in `up` are contested, every other officer post has one
    sitting holder (a woman when her place is in `sitting_women`)."""
    positions = []
    for number, title in enumerate(TITLES, start=1):
        position = {"key": key(title), "title": title, "officer": True, "number": number}
        if title not in up:
            position["sitting"] = [{"name": f"Sitting {title}", "woman": number in sitting_women, "id": f"S{number}"}]
        positions.append(position)
    return {"positions": positions, "candidates": candidates, "ballots": ballots, "seed": 1}


def person(candidate_id, post, name, woman, member=None):
    holder = {"name": name, "woman": woman}
    if member:
        holder["id"] = member
    return {"id": candidate_id, "position": key(post), "holders": [holder]}


def votes(post, ranking, n):
    return [{"position": key(post), "ranking": ranking}] * n


def run(document):
    return count_election(parse_election(document).spec)


def command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("count_election", "--from-file", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_demo_by_election_keeps_the_man_who_won_youth_officer_7_to_3():
    """The audit's case: Youth Officer alone was up; the old count took "posts 1–6" to be this
    election's posts and proposed his woman runner-up. With the 13 sitting officers, 7 of the
    14 are women: the quota is met and nobody is replaced."""
    result = json.loads(command(YOUTH_BY_ELECTION, "--json"))
    statuses = {p["key"]: p["status"] for p in result["positions"]}
    assert statuses.pop("youth-officer") == "elected"
    assert set(statuses.values()) == {"sitting"} and len(statuses) == 13
    youth = next(p for p in result["positions"] if p["key"] == "youth-officer")
    assert youth["winner"] == "dan" and youth["rounds"][0]["tally"] == {"dan": 7, "ella": 3}
    sitting = next(p for p in result["positions"] if p["key"] == "chair")
    assert sitting == {"key": "chair", "status": "sitting", "winner": None, "rounds": []}
    assert result["quota"] == {"first_six": 3.5, "officers": 7, "filled": 14, "met": True, "adjustments": []}


def test_the_command_prints_sitting_officers_for_people():
    out = command(YOUTH_BY_ELECTION)
    assert "Chair [chair]: sitting" in out
    assert "Not up for election: Gareth Hughes (sitting, counted in the quota)." in out
    assert "Posts 1–6 count as 3 1/2 women; the 14 officers count as 7 women (a shared post counts as half)." in out
    assert "Quota met." in out


def test_a_by_election_for_treasurer_alone_does_not_unseat_a_man_when_the_liec_meets_the_quota():
    document = by_election(
        up={"Treasurer"}, sitting_women={1, 2, 3, 7, 8, 9, 10},
        candidates=[person("tom", "Treasurer", "Tom", False), person("ann", "Treasurer", "Ann", True)],
        ballots=votes("Treasurer", ["tom", "ann"], 5) + votes("Treasurer", ["ann", "tom"], 4),
    )
    result = run(document)
    assert result.quota.adjustments == []
    assert result.quota.met and result.quota.first_six == 3 and result.quota.officers == 7
    assert result.quota.holders["treasurer"] == "tom"


def test_a_by_election_still_replaces_when_the_whole_liec_falls_short_in_posts_1_to_6():
    document = by_election(
        up={"Treasurer"}, sitting_women={1, 2, 7, 8, 9, 10, 11},
        candidates=[person("tom", "Treasurer", "Tom", False), person("ann", "Treasurer", "Ann", True)],
        ballots=votes("Treasurer", ["tom", "ann"], 5) + votes("Treasurer", ["ann", "tom"], 4),
    )
    quota = run(document).quota
    assert [(a.position, a.replaced, a.by, a.rule) for a in quota.adjustments] == [
        ("treasurer", "tom", "ann", "first_six")]
    assert quota.met and quota.first_six == 3


def test_sitting_officers_are_never_replaced_even_when_the_quota_is_unmet():
    document = by_election(
        up={"Youth Officer"}, sitting_women=set(),
        candidates=[person("dan", "Youth Officer", "Dan", False), person("ella", "Youth Officer", "Ella", True)],
        ballots=votes("Youth Officer", ["dan", "ella"], 7) + votes("Youth Officer", ["ella"], 3),
    )
    result = run(document)
    # Only the contested post can change; the sitting men stay and the quota is flagged.
    assert [(a.position, a.by) for a in result.quota.adjustments] == [("youth-officer", "ella")]
    assert not result.quota.met and result.quota.officers == 1 and result.quota.filled == 14
    assert {p.status for p in result.positions if p.position.key != "youth-officer"} == {SITTING}


def test_a_job_share_sitting_with_one_woman_counts_half():
    document = by_election(up={"Youth Officer"}, sitting_women={1, 2, 3}, candidates=[
        person("dan", "Youth Officer", "Dan", False)], ballots=[])
    document["positions"][0]["sitting"] = [{"name": "A", "woman": True}, {"name": "B", "woman": False}]
    assert run(document).quota.first_six == Fraction(5, 2)


def test_posts_1_to_6_follow_the_number_not_the_order_in_the_file():
    document = by_election(up={"Youth Officer"}, sitting_women={1, 2, 3}, candidates=[
        person("dan", "Youth Officer", "Dan", False)], ballots=[])
    document["positions"].reverse()  # the file lists Communications first: places still come from `number`
    assert run(document).quota.first_six == 3


def test_file_errors_name_the_field():
    document = by_election(up={"Youth Officer"}, sitting_women=set(), candidates=[
        person("dan", "Youth Officer", "Dan", False), person("eve", "Chair", "Eve", True)], ballots=[])
    document["positions"][1]["number"] = 1
    document["positions"][2]["number"] = 15
    with pytest.raises(ValueError) as error:
        parse_election(document)
    message = str(error.value)
    assert "positions[1].number: place 1 is already 'chair'" in message
    assert "positions[2].number: must be a place in the officer list, 1 to 14, not 15" in message
    assert "candidates[1].position: 'chair' is not up for election (it has sitting holders)" in message


def test_a_person_standing_for_both_auditor_posts_stops_the_count(tmp_path):
    document = {
        "positions": [{"key": "chair", "title": "Chair", "officer": True},
                      {"key": "auditor-1", "title": "Auditor (first post)", "officer": False},
                      {"key": "auditor-2", "title": "Auditor (second post)", "officer": False}],
        "candidates": [person("c", "Chair", "Chris", False, "L1"),
                       {"id": "a1", "position": "auditor-1", "holders": [{"name": "Jo Bloggs", "woman": True, "id": "L9"}]},
                       {"id": "a2", "position": "auditor-2", "holders": [{"name": "Jo Bloggs", "woman": True, "id": "L9"}]}],
        "ballots": [],
    }
    with pytest.raises(OnePostEach) as error:
        run(document)
    assert error.value.messages == [
        "One person, one post: Jo Bloggs is a candidate for Auditor (first post) and Auditor (second post)."]
    path = tmp_path / "election.json"
    path.write_text(json.dumps(document))
    completed = subprocess.run([sys.executable, str(MANAGE), "count_election", "--from-file", str(path), "--json"],
                               capture_output=True, text=True, cwd=MANAGE.parent)
    assert completed.returncode == 1 and completed.stdout == ""
    assert "Jo Bloggs is a candidate for Auditor (first post) and Auditor (second post)" in completed.stderr
    with pytest.raises(CommandError, match="nothing counted"):
        call_command("count_election", "--from-file", str(path))


def test_a_sitting_officer_standing_for_another_post_stops_the_count():
    document = by_election(up={"Chair"}, sitting_women={2, 3, 4}, candidates=[
        person("t", "Chair", "Sitting Treasurer", False, "S5"), person("u", "Chair", "Una", True, "L7")], ballots=[])
    with pytest.raises(OnePostEach, match="Sitting Treasurer sits as Treasurer and is a candidate for Chair"):
        run(document)


def test_without_number_a_position_takes_its_order_among_the_officer_posts():
    document = by_election(up={"Youth Officer"}, sitting_women={1, 2, 3}, candidates=[
        person("dan", "Youth Officer", "Dan", False)], ballots=[])
    for position in document["positions"]:
        del position["number"]
    assert run(document).quota.first_six == 3
