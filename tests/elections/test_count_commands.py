"""`count_ballots` and `count_election`: the formats of DOMAIN.md, clear errors, non-zero exits."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .builders import OFFICERS, contested, election_document

DATA = Path(__file__).parent / "data"
BURLINGTON = DATA / "burlington-2009-mayor.csv"
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def run_command(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_count_ballots_json_gives_burlington_round_by_round_and_bob_kiss():
    out, _ = run_command("count_ballots", str(BURLINGTON), "--json")
    result = json.loads(out)
    assert result["winner"] == "Bob Kiss"
    assert [r["exhausted"] for r in result["rounds"]] == [4, 7, 18, 151, 607]
    assert result["rounds"][4]["tally"] == {"Bob Kiss": 4313, "Kurt Wright": 4060}
    assert result["rounds"][0]["tally"]["James Simpson"] == 35
    assert [r["excluded"] for r in result["rounds"]] == ["James Simpson", "Write-in", "Dan Smith", "Andy Montroll", None]
    assert all(set(r) == {"tally", "exhausted", "continuing", "excluded", "tie_break"} for r in result["rounds"])
    assert all(r["tie_break"] is None for r in result["rounds"])


def test_count_ballots_prints_a_round_table_for_people():
    out, _ = run_command("count_ballots", str(BURLINGTON))
    assert "8980 ballots, 6 candidates." in out
    assert "Bob Kiss" in out and "4313" in out and "Winner: Bob Kiss" in out


def test_count_ballots_with_a_bad_header_exits_non_zero_naming_line_one(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("ballot,rank,choice\n1,1,Ann\n")
    completed = subprocess.run([sys.executable, str(MANAGE), "count_ballots", str(bad), "--json"],
                               capture_output=True, text=True, cwd=MANAGE.parent)
    assert completed.returncode != 0
    assert "line 1: the header must be ballot_id,rank,choice" in completed.stderr
    assert completed.stdout == ""


def test_count_ballots_counts_nothing_from_bad_lines_unless_told_to_skip_them(tmp_path):
    ballots = tmp_path / "ballots.csv"
    ballots.write_text("ballot_id,rank,choice\n1,1,Ann\n2,x,Bob\n3,1,Ann\n4,1,Bob\n")
    with pytest.raises(CommandError, match="line 3: rank 'x' is not a whole number"):
        run_command("count_ballots", str(ballots))
    out, err = run_command("count_ballots", str(ballots), "--json", "--skip-bad-lines")
    assert "Skipped 1 bad line:" in err and "line 3" in err
    assert json.loads(out)["rounds"][0]["tally"] == {"Ann": 2, "Bob": 1}


def test_count_ballots_seed_makes_the_lot_reproducible(tmp_path):
    ballots = tmp_path / "tie.csv"
    ballots.write_text("ballot_id,rank,choice\n1,1,Ann\n2,1,Bob\n3,1,Cy\n")
    first, _ = run_command("count_ballots", str(ballots), "--json", "--seed", "42")
    again, _ = run_command("count_ballots", str(ballots), "--json", "--seed", "42")
    assert first == again
    assert json.loads(first)["rounds"][0]["tie_break"] == "lot"


def test_count_ballots_without_seed_draws_one_and_says_how_to_repeat_it(tmp_path):
    ballots = tmp_path / "tie.csv"
    ballots.write_text("ballot_id,rank,choice\n1,1,Ann\n2,1,Bob\n")
    out, err = run_command("count_ballots", str(ballots), "--json")
    seed = int(err.split("--seed ")[1].split(")")[0])
    assert run_command("count_ballots", str(ballots), "--json", "--seed", str(seed))[0] == out


def write_election(tmp_path, document):
    path = tmp_path / "election.json"
    path.write_text(json.dumps(document))
    return str(path)


def test_count_election_json_has_positions_and_the_quota_in_the_domain_shape(tmp_path):
    posts = {key: contested(key, key in OFFICERS[6:14], key == "policy-campaigns") for key in OFFICERS}
    posts["chair"] = contested("chair", True, False)
    posts["vice-chair"] = [("vc-u", [True], 0)]
    posts.pop("treasurer")
    out, _ = run_command("count_election", "--from-file", write_election(tmp_path, election_document(posts)), "--json")
    result = json.loads(out)
    assert set(result) == {"positions", "quota"}
    by_key = {p["key"]: p for p in result["positions"]}
    assert [p["key"] for p in result["positions"]] == OFFICERS
    assert by_key["chair"]["status"] == "elected" and by_key["chair"]["winner"] == "chair-w"
    assert by_key["vice-chair"] == {"key": "vice-chair", "status": "unopposed", "winner": "vc-u", "rounds": []}
    assert by_key["treasurer"] == {"key": "treasurer", "status": "vacant", "winner": None, "rounds": []}
    assert by_key["chair"]["rounds"][0] == {"tally": {"chair-w": 3, "chair-r": 2}, "exhausted": 0,
                                            "continuing": 5, "excluded": None, "tie_break": None}
    assert by_key["policy-campaigns"]["winner"] == "policy-campaigns-w"  # before any adjustment
    assert result["quota"] == {
        "first_six": 3, "officers": 11, "filled": 13, "met": True,
        "adjustments": [{"position": "policy-campaigns", "replaced": "policy-campaigns-w", "by": "policy-campaigns-r"}],
    }


def test_count_election_human_report_shows_the_proposed_adjustment(tmp_path):
    posts = {key: contested(key, key in OFFICERS[6:14] or key in ("chair", "vice-chair"), key == "secretary")
             for key in OFFICERS}
    out, _ = run_command("count_election", "--from-file", write_election(tmp_path, election_document(posts)))
    assert "Proposed: at Secretary, secretary-r holder 1 (secretary-r) replaces secretary-w holder 1 (secretary-w)." in out
    assert "Quota met." in out


def test_count_election_missing_field_is_named(tmp_path):
    document = election_document({"chair": contested("chair", True, False)})
    del document["candidates"][0]["holders"][0]["woman"]
    del document["positions"][1]["officer"]
    with pytest.raises(CommandError) as raised:
        run_command("count_election", "--from-file", write_election(tmp_path, document))
    assert "positions[1].officer: missing field" in str(raised.value)
    assert "candidates[0].holders[0].woman: missing field" in str(raised.value)


@pytest.mark.parametrize("ranking, message", [
    (["chair-w", "chair-w"], "ballots[5].ranking[1]: candidate 'chair-w' is ranked twice"),
    (["chair-w", "nobody"], "ballots[5].ranking[1]: unknown candidate 'nobody'"),
    ([], "ballots[5].ranking: blank ballot: it ranks nobody"),
])
def test_count_election_bad_ballot_is_named_and_nothing_is_counted(tmp_path, ranking, message):
    document = election_document({"chair": contested("chair", True, False)})
    document["ballots"].append({"position": "chair", "ranking": ranking})
    path = write_election(tmp_path, document)
    with pytest.raises(CommandError) as raised:
        run_command("count_election", "--from-file", path, "--json")
    assert message in str(raised.value) and "nothing counted" in str(raised.value)
    out, err = run_command("count_election", "--from-file", path, "--json", "--skip-bad-lines")
    assert message in err
    assert json.loads(out)["positions"][0]["rounds"][0]["continuing"] == 5


def test_count_election_on_invalid_json_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"positions": [\n  {"key": "chair",}\n]}')
    with pytest.raises(CommandError, match="line 2, column 19: not valid JSON"):
        run_command("count_election", "--from-file", str(path))
