"""The alternative-vote count (elections/count.py): rounds, tie-breaks, no-result cases, the CSV."""

from pathlib import Path

import pytest

from elections.count import (
    LOT,
    NO_RESULT,
    PREVIOUS_ROUND,
    InputFileError,
    LotNeeded,
    count_position,
    parse_ballot_csv,
)

DATA = Path(__file__).parent / "data"

# The published rounds of Burlington 2009 (tests/elections/data/README.md).
BURLINGTON_ROUNDS = [
    ({"Kurt Wright": 2951, "Bob Kiss": 2585, "Andy Montroll": 2063, "Dan Smith": 1306, "Write-in": 36,
      "James Simpson": 35}, 4),
    ({"Kurt Wright": 2955, "Bob Kiss": 2599, "Andy Montroll": 2067, "Dan Smith": 1315, "Write-in": 37}, 7),
    ({"Kurt Wright": 2960, "Bob Kiss": 2605, "Andy Montroll": 2080, "Dan Smith": 1317}, 18),
    ({"Kurt Wright": 3294, "Bob Kiss": 2981, "Andy Montroll": 2554}, 151),
    ({"Kurt Wright": 4060, "Bob Kiss": 4313}, 607),
]


@pytest.fixture(scope="module")
def burlington():
    return parse_ballot_csv((DATA / "burlington-2009-mayor.csv").read_text(encoding="utf-8"))


def test_burlington_2009_gives_the_published_rounds_and_bob_kiss_wins(burlington):
    assert len(burlington.ballots) == 8980
    result = count_position(burlington.rankings, burlington.candidates)
    assert [(r.tally, r.exhausted) for r in result.rounds] == BURLINGTON_ROUNDS
    assert [r.excluded for r in result.rounds] == ["James Simpson", "Write-in", "Dan Smith", "Andy Montroll", None]
    assert all(r.continuing + r.exhausted == 8980 for r in result.rounds)
    assert result.winner == "Bob Kiss" and result.rounds[-1].elected == "Bob Kiss"
    assert result.runners_up[0] == "Kurt Wright"


def test_a_majority_of_first_preferences_wins_in_round_one():
    result = count_position([["a"], ["a", "b"], ["b"]], ["a", "b", "c"])
    assert len(result.rounds) == 1
    assert result.rounds[0].tally == {"a": 2, "b": 1, "c": 0}
    assert result.winner == "a"


def test_a_tie_for_fewest_is_broken_by_the_previous_round():
    ballots = [["a"]] * 5 + [["b"]] * 3 + [["c"]] * 2 + [["d", "c"]] * 1
    # Round 1: a 5, b 3, c 2, d 1 -> d excluded; round 2: a 5, b 3, c 3 -> b/c tie on 3;
    # round 1 had c 2 < b 3, so c is excluded.
    result = count_position(ballots, ["a", "b", "c", "d"])
    second = result.rounds[1]
    assert second.tally == {"a": 5, "b": 3, "c": 3}
    assert second.excluded == "c"
    assert second.tie_break.method == PREVIOUS_ROUND
    assert "round 1" in second.tie_break.explanation
    assert second.to_json()["tie_break"] == "previous_round"


def test_a_tie_no_round_breaks_is_drawn_by_lot_and_recorded():
    ballots = [["a"]] * 2 + [["b"]] * 1 + [["c"]] * 1
    drawn = []

    def returning_officer_draws(tied):
        drawn.append(tuple(tied))
        return "c"

    result = count_position(ballots, ["a", "b", "c"], chooser=returning_officer_draws)
    first = result.rounds[0]
    assert drawn == [("b", "c")]
    assert first.excluded == "c"
    assert first.tie_break.method == LOT and first.tie_break.drawn == "c"
    assert first.to_json()["tie_break"] == "lot"


def test_a_lot_without_seed_or_chooser_is_refused_not_drawn_silently():
    with pytest.raises(LotNeeded) as raised:
        count_position([["a"], ["b"]], ["a", "b"])
    assert raised.value.tied == ("a", "b")


def test_zero_ballots_give_no_result_flagged():
    result = count_position([], ["a", "b"])
    assert result.status == NO_RESULT and result.winner is None and "No ballots" in result.flag


def test_ballots_all_exhausted_give_no_result_flagged():
    result = count_position([[], []], ["a", "b"])
    assert result.status == NO_RESULT
    assert result.rounds[0].exhausted == 2 and result.rounds[0].continuing == 0
    assert "exhausted" in result.flag


def test_csv_repeated_choice_counts_once_at_its_first_rank_and_undervotes_are_ignored():
    parsed = parse_ballot_csv(
        "ballot_id,rank,choice\n"
        "1,1,Ann\n1,2,Ann\n1,3,Bob\n"
        "2,2,Bob\n2,1,$UNDERVOTE\n2,3,Ann\n"
        "3,1,$OVERVOTE\n"
    )
    assert parsed.ballots == {"1": ("Ann", "Bob"), "2": ("Bob", "Ann"), "3": ()}


def test_csv_with_a_bad_header_is_refused_naming_line_one():
    with pytest.raises(InputFileError) as raised:
        parse_ballot_csv("id,rank,candidate\n1,1,Ann\n")
    assert str(raised.value.errors[0]).startswith("line 1: the header must be ballot_id,rank,choice")


def test_csv_bad_lines_are_all_named_and_nothing_is_counted():
    text = "ballot_id,rank,choice\n1,1,Ann\n1,first,Bob\n2,1\n3,1,Ann\n3,1,Bob\n"
    with pytest.raises(InputFileError) as raised:
        parse_ballot_csv(text)
    assert [e.where for e in raised.value.errors] == ["line 3", "line 4", "line 6"]
    assert "not a whole number" in raised.value.errors[0].message


def test_csv_bad_lines_can_be_skipped_and_are_listed():
    text = "ballot_id,rank,choice\n1,1,Ann\n1,first,Bob\n2,1,Bob\n"
    parsed = parse_ballot_csv(text, skip_bad_lines=True)
    assert parsed.ballots == {"1": ("Ann",), "2": ("Bob",)}
    assert [e.where for e in parsed.skipped] == ["line 3"]


def test_csv_choice_not_standing_is_an_error_when_candidates_are_known():
    with pytest.raises(InputFileError) as raised:
        parse_ballot_csv("ballot_id,rank,choice\n1,1,Ann\n2,1,Zed\n", known_candidates=["Ann", "Bob"])
    assert str(raised.value.errors[0]) == "line 3: unknown candidate 'Zed' (ballot 2)"
