"""The alternative-vote count and the gender quota, as DOMAIN.md specifies them.

Pure Python, no Django: the same code counts ballots cast on the site, ballots imported
from a file, and whole elections described in a JSON file (`count_election --from-file`).

Vocabulary:
- a *candidate* is an id (a string): one person, or one job-share pair (one vote, one candidacy);
- a *ranking* is a ballot's preferences for one position, best first, no repeats;
- a *round* records the tally of continuing candidates, exhausted and continuing ballots,
  who was excluded or elected, and how any tie was broken.

Counting rules (DOMAIN.md, "The count"):
1. every ballot counts for its highest-ranked continuing candidate; none left: exhausted;
2. more than half of the continuing ballots wins; a sole remaining candidate wins;
3. otherwise exactly one candidate is excluded: the fewest votes; a tie for fewest is broken
   backwards (keep the tied candidates with fewest votes in the previous round, back to round 1),
   then by lot (a seeded RNG or an injected chooser, e.g. the returning officer's draw);
4. zero ballots, or every ballot exhausted before a win: no result, flagged.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

ELECTED = "elected"
UNOPPOSED = "unopposed"
VACANT = "vacant"
NO_RESULT = "no_result"
SITTING = "sitting"  # a by-election: a post not up for election, its sitting holders counted in the quota

PREVIOUS_ROUND = "previous_round"
LOT = "lot"

IGNORED_CHOICES = frozenset({"$UNDERVOTE", "$OVERVOTE"})
CSV_HEADER = ("ballot_id", "rank", "choice")

# A chooser draws one candidate among tied ones (the one to exclude). It receives the tied
# candidates sorted, so the draw never depends on the order ballots arrived in.
Chooser = Callable[[Sequence[str]], str]


# --------------------------------------------------------------------------- the lot


class SeededLot:
    """The lot drawn by a seeded random generator: the same seed draws the same candidates."""

    def __init__(self, seed: int):
        self.seed = seed
        self._random = random.Random(seed)

    def __call__(self, tied: Sequence[str]) -> str:
        return self._random.choice(sorted(tied))

    def describe(self) -> str:
        return "drawn by lot"


def describe_chooser(chooser: Chooser) -> str:
    describe = getattr(chooser, "describe", None)
    return describe() if describe else "drawn by lot"


# --------------------------------------------------------------------------- round records


@dataclass(frozen=True)
class TieBreak:
    """How a tie for fewest votes was broken in one round."""

    method: str  # PREVIOUS_ROUND or LOT
    tied: tuple[str, ...]  # the candidates tied for fewest votes in this round
    explanation: str
    drawn: str | None = None  # the candidate the lot fell on (method LOT)


@dataclass
class Round:
    """One round of a count."""

    number: int
    tally: dict[str, int]  # continuing candidates only, most votes first
    exhausted: int
    continuing: int
    excluded: str | None = None
    elected: str | None = None
    tie_break: TieBreak | None = None

    def to_json(self) -> dict:
        return {
            "tally": dict(self.tally),
            "exhausted": self.exhausted,
            "continuing": self.continuing,
            "excluded": self.excluded,
            "tie_break": self.tie_break.method if self.tie_break else None,
        }


@dataclass
class PositionCount:
    """The count of one position's ballots: its rounds, winner and runners-up."""

    candidates: tuple[str, ...]
    ballots: int
    rounds: list[Round] = field(default_factory=list)
    winner: str | None = None
    status: str = NO_RESULT  # ELECTED or NO_RESULT
    flag: str | None = None  # why there is no result
    runners_up: list[str] = field(default_factory=list)  # best first (DOMAIN.md, quota)

    def to_json(self) -> dict:
        return {"status": self.status, "winner": self.winner, "rounds": [r.to_json() for r in self.rounds]}


# --------------------------------------------------------------------------- the count


def count_position(
    rankings: Iterable[Sequence[str]],
    candidates: Sequence[str] | None = None,
    *,
    seed: int | None = None,
    chooser: Chooser | None = None,
    label: Callable[[str], str] = str,
) -> PositionCount:
    """Count one position's ballots by alternative vote.

    `rankings`: one sequence of candidate ids per ballot, best first (an empty one is a
    ballot with no valid preference: exhausted from round 1). `candidates`: every candidate
    standing (those ranked by nobody still appear, with 0 votes); by default the ones ranked.
    A lot, when needed, is drawn by `chooser`, else by a generator seeded with `seed`;
    a count that needs a lot and has neither raises LotNeeded (never a silent draw).
    `label` names candidates in tie-break explanations (ids by default).
    """
    papers: Counter[tuple[str, ...]] = Counter()
    for ranking in rankings:
        papers[_first_occurrences(ranking)] += 1
    if candidates is None:
        seen: dict[str, None] = {}
        for paper in papers:
            seen.update(dict.fromkeys(paper))
        candidates = list(seen)
    candidates = tuple(dict.fromkeys(candidates))
    unknown = {c for paper in papers for c in paper} - set(candidates)
    if unknown:
        raise ValueError(f"ballots rank candidates who are not standing: {', '.join(sorted(unknown))}")
    total = sum(papers.values())
    result = PositionCount(candidates=candidates, ballots=total)
    if total == 0:
        result.flag = "No ballots: no result."
        return result
    if not candidates:
        result.flag = "No candidates: no result."
        return result

    continuing = set(candidates)
    excluded_order: list[str] = []
    while True:
        tally = dict.fromkeys(candidates, 0)
        exhausted = 0
        for paper, n in papers.items():
            for choice in paper:
                if choice in continuing:
                    tally[choice] += n
                    break
            else:
                exhausted += n
        tally = {c: tally[c] for c in candidates if c in continuing}
        live = total - exhausted
        this_round = Round(
            number=len(result.rounds) + 1,
            tally=dict(sorted(tally.items(), key=lambda item: -item[1])),
            exhausted=exhausted,
            continuing=live,
        )
        result.rounds.append(this_round)
        if live == 0:
            result.flag = f"Every ballot was exhausted by round {this_round.number}: no result."
            break
        leader = max(tally, key=lambda c: tally[c])
        if 2 * tally[leader] > live or len(continuing) == 1:
            this_round.elected = leader
            result.winner = leader
            result.status = ELECTED
            break
        loser, tie_break = _fewest_votes(result.rounds, chooser, seed, label)
        this_round.excluded = loser
        this_round.tie_break = tie_break
        continuing.discard(loser)
        excluded_order.append(loser)

    if result.winner is not None:
        result.runners_up = _runners_up(result.rounds, result.winner, excluded_order)
    return result


def _first_occurrences(ranking: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ranking))


def _fewest_votes(
    rounds: list[Round], chooser: Chooser | None, seed: int | None, label: Callable[[str], str]
) -> tuple[str, TieBreak | None]:
    """The candidate to exclude after the last round, and how any tie was broken."""
    current = rounds[-1]
    fewest = min(current.tally.values())
    tied = sorted(c for c, votes in current.tally.items() if votes == fewest)
    if len(tied) == 1:
        return tied[0], None
    initial = tuple(tied)
    steps = []
    for earlier in reversed(rounds[:-1]):
        low = min(earlier.tally[c] for c in tied)
        kept = [c for c in tied if earlier.tally[c] == low]
        if len(kept) < len(tied):
            steps.append(f"round {earlier.number}: {_names(kept, label)} had fewest ({low})")
        tied = kept
        if len(tied) == 1:
            explanation = (
                f"{_names(initial, label)} tied on {fewest}; broken by earlier rounds ({'; '.join(steps)}): "
                f"{label(tied[0])} excluded."
            )
            return tied[0], TieBreak(PREVIOUS_ROUND, initial, explanation)
    if chooser is None:
        if seed is None:
            raise LotNeeded(current.number, tuple(tied))
        chooser = SeededLot(seed)
    drawn = chooser(tuple(tied))
    if drawn not in tied:
        raise ValueError(f"the lot must fall on one of {_names(tied)}, not {drawn!r}")
    history = f" (earlier rounds left {_names(tied, label)} tied)" if len(rounds) > 1 else ""
    explanation = (
        f"{_names(initial, label)} tied on {fewest}{history}; {label(drawn)} excluded, {describe_chooser(chooser)}."
    )
    return drawn, TieBreak(LOT, initial, explanation, drawn=drawn)


class LotNeeded(ValueError):
    """A tie survives every earlier round and no seed or chooser was given to draw the lot."""

    def __init__(self, round_number: int, tied: tuple[str, ...]):
        self.round_number, self.tied = round_number, tied
        super().__init__(f"round {round_number}: {_names(tied)} are tied; a lot is needed (give a seed)")


def _names(candidates: Iterable[str], label: Callable[[str], str] = str) -> str:
    return ", ".join(label(c) for c in candidates)


def _runners_up(rounds: list[Round], winner: str, excluded_order: list[str]) -> list[str]:
    """Runners-up, best first (DOMAIN.md): the candidates still in the count when the winner
    was found, by their tally in that round, then the excluded ones, last excluded first.

    Interpretation: runners-up level in the final round are ordered by the earlier rounds,
    backwards (as the exclusion tie-break does), then by candidate id so the order is stable.
    """
    final = rounds[-1]
    still_in = [c for c in final.tally if c != winner]

    def backwards_key(candidate: str):
        return tuple(-r.tally.get(candidate, 0) for r in reversed(rounds)) + (candidate,)

    return sorted(still_in, key=backwards_key) + list(reversed(excluded_order))


# --------------------------------------------------------------------------- the quota


def weight_of(women: int, holders: int) -> Fraction:
    """A holder's weight for the quota: women among the holders / number of holders."""
    if holders <= 0:
        raise ValueError("a candidacy has at least one holder")
    return Fraction(women, holders)


@dataclass
class QuotaPost:
    """One position as the quota sees it (in officer-list order)."""

    key: str
    officer: bool
    contested: bool  # went to a ballot; only contested posts can be adjusted
    holder: str | None  # the candidate holding the post (None: vacant or no result)
    weights: Mapping[str, Fraction]  # candidate id -> weight, for the holder and runners-up
    runners_up: Sequence[str] = ()
    # Place in the officer list (1–14). None: the post's order among the officer posts given.
    number: int | None = None
    # A post not up for election (by-election): its sitting holder counts, is never replaced.
    sitting: bool = False


@dataclass(frozen=True)
class Adjustment:
    """A proposed replacement of a post's holder by a runner-up of greater weight."""

    position: str
    replaced: str
    by: str
    rule: str  # "first_six" or "overall"

    def to_json(self) -> dict:
        return {"position": self.position, "replaced": self.replaced, "by": self.by}


@dataclass
class QuotaResult:
    """The quota check after the proposed adjustments."""

    first_six: Fraction
    officers: Fraction
    filled: int
    met: bool
    first_six_met: bool
    overall_met: bool
    adjustments: list[Adjustment] = field(default_factory=list)
    holders: dict[str, str | None] = field(default_factory=dict)  # position -> holder after adjustments

    def to_json(self) -> dict:
        return {
            "first_six": fraction_to_json(self.first_six),
            "officers": fraction_to_json(self.officers),
            "filled": self.filled,
            "met": self.met,
            "adjustments": [a.to_json() for a in self.adjustments],
        }

    def flags(self) -> list[str]:
        messages = []
        if not self.first_six_met:
            messages.append(
                f"Quota unmet: posts 1–6 count as {fraction_to_text(self.first_six)} women (at least 3 needed; a shared post "
                "counts as half)."
            )
        if not self.overall_met:
            messages.append(
                f"Quota unmet: the {self.filled} officers count as {fraction_to_text(self.officers)} women "
                "(at least half must be women)."
            )
        return messages


def fraction_to_json(value: Fraction) -> int | float:
    """Weights are multiples of 1/2, exact as floats; whole numbers print as integers."""
    return int(value) if value.denominator == 1 else float(value)


def fraction_to_text(value: Fraction) -> str:
    whole, rest = divmod(value, 1)
    if rest == 0:
        return str(int(whole))
    return f"{value.numerator}/{value.denominator}" if whole == 0 else f"{int(whole)} {rest.numerator}/{rest.denominator}"


def officer_list(posts: Sequence[QuotaPost]) -> list[tuple[int, QuotaPost]]:
    """The officer posts with their place in the officer list (1–14), in that order.

    A post's place is its `number`, or else its order among the officer posts given. Two posts
    in one place, or a place outside 1–14, is an error (ValueError naming them)."""
    places: dict[int, QuotaPost] = {}
    order = 0
    for post in posts:
        if not post.officer:
            continue
        order += 1
        place = post.number if post.number is not None else order
        if not 1 <= place <= 14:
            raise ValueError(f"{post.key}: place {place} is not in the officer list (1–14)")
        if place in places:
            raise ValueError(f"{places[place].key} and {post.key} both take place {place} in the officer list")
        places[place] = post
    return sorted(places.items())


def quota_figures(posts: Sequence[QuotaPost], holders: Mapping[str, str | None]) -> QuotaResult:
    """The quota as it stands with these holders (position key -> candidate id, or None).

    Officers are the voting posts filled: the winners (or their replacements) of this election
    and, in a by-election, the sitting holders of the posts not up for election. Posts 1–6 are
    the first six places of the officer list, whichever of them are contested."""
    listed = officer_list(posts)

    def weight(post: QuotaPost) -> Fraction:
        holder = holders.get(post.key)
        return Fraction(0) if holder is None else Fraction(post.weights[holder])

    filled = [post for _place, post in listed if holders.get(post.key) is not None]
    first_six = sum((weight(post) for place, post in listed if place <= 6), Fraction(0))
    officers = sum((weight(post) for post in filled), Fraction(0))
    first_six_met = first_six >= 3
    overall_met = 2 * officers >= len(filled)
    return QuotaResult(
        first_six=first_six, officers=officers, filled=len(filled), met=first_six_met and overall_met,
        first_six_met=first_six_met, overall_met=overall_met, holders=dict(holders),
    )


def apply_quota(posts: Sequence[QuotaPost]) -> QuotaResult:
    """Check the gender quota and propose replacements (DOMAIN.md, "Quota" and "By-elections").

    Officers are the voting posts that were filled. C1: the weight of posts 1–6 (the first six
    places of the officer list) is at least 3. C2: twice the weight of all officers is at least
    their number. If C1 fails, walk posts 6 → 1; at each contested post whose holder weighs less
    than 1, replace the holder by the post's best runner-up of greater weight; stop once C1
    holds. Then if C2 fails, walk the officer list 14 → 1 the same way. Uncontested posts and
    sitting officers (posts not up in a by-election) count but are never touched. What is still
    unmet is reported (met False), for the returning officers.
    """
    listed = officer_list(posts)
    holders = {p.key: p.holder for p in posts}
    adjustments: list[Adjustment] = []

    def weight(post: QuotaPost) -> Fraction:
        holder = holders[post.key]
        return Fraction(0) if holder is None else Fraction(post.weights[holder])

    def c1() -> bool:
        return quota_figures(posts, holders).first_six_met

    def c2() -> bool:
        return quota_figures(posts, holders).overall_met

    def walk(walked: Sequence[QuotaPost], holds: Callable[[], bool], rule: str) -> None:
        for post in reversed(walked):
            if holds():
                return
            holder = holders[post.key]
            if not post.contested or post.sitting or holder is None or weight(post) >= 1:
                continue
            current = weight(post)
            replaced_here = {a.replaced for a in adjustments if a.position == post.key}
            for runner_up in post.runners_up:
                if runner_up == holder or runner_up in replaced_here:
                    continue
                if Fraction(post.weights[runner_up]) > current:
                    adjustments.append(Adjustment(post.key, holder, runner_up, rule))
                    holders[post.key] = runner_up
                    break

    if not c1():
        walk([post for place, post in listed if place <= 6], c1, "first_six")
    if not c2():
        walk([post for _place, post in listed], c2, "overall")

    result = quota_figures(posts, holders)
    result.adjustments = adjustments
    return result


def one_post_each(holdings: Iterable[tuple[str, str, str, bool]]) -> list[str]:
    """One person, one post (DOMAIN.md): `holdings` are (person key, name, post title, sitting)
    for every holder of every candidacy and every sitting officer. Returns one message per
    person found in two posts or more (nobody is elected to two posts; the quota never counts
    a person twice)."""
    posts: dict[str, list[tuple[str, str, bool]]] = {}
    for person, name, title, sitting in holdings:
        posts.setdefault(person, []).append((name, title, sitting))
    messages = []
    for entries in posts.values():
        if len(entries) < 2:
            continue
        name = entries[0][0]
        sits = [title for _name, title, sitting in entries if sitting]
        stands = [title for _name, title, sitting in entries if not sitting]
        parts = []
        if sits:
            parts.append(f"sits as {_and(sits)}")
        if stands:
            parts.append(f"is a candidate for {_and(stands)}")
        messages.append(f"One person, one post: {name} {' and '.join(parts)}.")
    return messages


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class OnePostEach(ValueError):
    """A person is a candidate (or sitting officer) in two posts: the count does not run."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


# --------------------------------------------------------------------------- whole elections


@dataclass(frozen=True)
class Holder:
    name: str
    woman: bool
    id: str | None = None  # the person (e.g. membership number): one person, one post


def holders_weight(holders: Sequence[Holder]) -> Fraction:
    return weight_of(sum(1 for h in holders if h.woman), len(holders))


@dataclass(frozen=True)
class Candidate:
    """One candidacy: one person, or a job-share pair (two holders, one vote)."""

    id: str
    position: str
    holders: tuple[Holder, ...]

    @property
    def weight(self) -> Fraction:
        return holders_weight(self.holders)

    @property
    def name(self) -> str:
        return " & ".join(h.name for h in self.holders)


@dataclass(frozen=True)
class Position:
    key: str
    title: str
    officer: bool
    number: int | None = None  # place in the officer list (1–14); None: its order among the officer posts
    sitting: tuple[Holder, ...] | None = None  # not up for election: its sitting holders

    @property
    def is_sitting(self) -> bool:
        return self.sitting is not None


@dataclass
class ElectionSpec:
    """An election as the count needs it: positions in officer-list order, candidates, ballots."""

    positions: list[Position]
    candidates: list[Candidate]
    ballots: list[tuple[str, tuple[str, ...]]]  # (position key, ranking)
    seed: int | None = None

    def candidates_for(self, key: str) -> list[Candidate]:
        return [c for c in self.candidates if c.position == key]


@dataclass
class PositionResult:
    position: Position
    status: str  # ELECTED, UNOPPOSED, VACANT, NO_RESULT, SITTING
    winner: str | None
    count: PositionCount | None = None  # only for positions that went to a ballot

    @property
    def rounds(self) -> list[Round]:
        return self.count.rounds if self.count else []

    def to_json(self) -> dict:
        return {
            "key": self.position.key,
            "status": self.status,
            "winner": self.winner,
            "rounds": [r.to_json() for r in self.rounds],
        }


@dataclass
class ElectionResult:
    positions: list[PositionResult]
    quota: QuotaResult

    def to_json(self) -> dict:
        return {"positions": [p.to_json() for p in self.positions], "quota": self.quota.to_json()}


def position_status(candidates: int) -> str | None:
    """Before any ballot: vacant with no valid nomination, unopposed with one, else None (ballot)."""
    if candidates == 0:
        return VACANT
    if candidates == 1:
        return UNOPPOSED
    return None


def sitting_id(position_key: str) -> str:
    """The quota's id for the sitting holders of a post not up for election."""
    return f"sitting:{position_key}"


def count_election(spec: ElectionSpec, *, chooser: Chooser | None = None) -> ElectionResult:
    """Count every position of an election, then check the quota and propose adjustments.

    Refuses (OnePostEach) when a person is a candidate for two posts, or sits in one post and
    stands for another: nobody is elected to two posts, nobody counts twice in the quota."""
    clashes = one_post_each(
        [(h.id, h.name, next(p.title for p in spec.positions if p.key == c.position), False)
         for c in spec.candidates for h in c.holders if h.id]
        + [(h.id, h.name, p.title, True) for p in spec.positions if p.sitting for h in p.sitting if h.id]
    )
    if clashes:
        raise OnePostEach(clashes)
    if chooser is None and spec.seed is not None:
        chooser = SeededLot(spec.seed)
    by_position: dict[str, list[tuple[str, ...]]] = {p.key: [] for p in spec.positions}
    for key, ranking in spec.ballots:
        by_position[key].append(ranking)
    results, quota_posts = [], []
    for position in spec.positions:
        if position.is_sitting:
            holder = sitting_id(position.key)
            results.append(PositionResult(position, SITTING, None))
            quota_posts.append(QuotaPost(
                key=position.key, officer=position.officer, contested=False, holder=holder,
                weights={holder: holders_weight(position.sitting)}, number=position.number, sitting=True,
            ))
            continue
        standing = spec.candidates_for(position.key)
        status = position_status(len(standing))
        count = None
        if status == VACANT:
            winner = None
        elif status == UNOPPOSED:
            winner = standing[0].id
        else:
            count = count_position(by_position[position.key], [c.id for c in standing], chooser=chooser)
            status, winner = count.status, count.winner
        results.append(PositionResult(position, status, winner, count))
        quota_posts.append(QuotaPost(
            key=position.key,
            officer=position.officer,
            contested=count is not None,
            holder=winner,
            weights={c.id: c.weight for c in standing},
            runners_up=count.runners_up if count else (),
            number=position.number,
        ))
    return ElectionResult(results, apply_quota(quota_posts))


# --------------------------------------------------------------------------- file formats


@dataclass
class InputError:
    """One problem in an input file: where (line number or field path) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class InputFileError(ValueError):
    """A file that cannot be counted as it is; `errors` names every bad line or field."""

    def __init__(self, errors: list[InputError], *, skippable: bool = False):
        self.errors = errors
        self.skippable = skippable  # bad lines or ballots that skip_bad_lines could leave out
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ParsedBallots:
    """Ballots read from a normalized CSV: ballot ids in file order and their rankings."""

    ballots: dict[str, tuple[str, ...]]
    skipped: list[InputError] = field(default_factory=list)
    candidates: tuple[str, ...] = ()  # every choice named, in order of first appearance

    @property
    def rankings(self) -> list[tuple[str, ...]]:
        return list(self.ballots.values())


def parse_ballot_csv(
    text: str, *, known_candidates: Iterable[str] | None = None, skip_bad_lines: bool = False
) -> ParsedBallots:
    """Read ballots in the normalized format `ballot_id,rank,choice` (one row per ranking).

    `$UNDERVOTE`/`$OVERVOTE` rows are ignored (a ballot with nothing else is still a ballot,
    exhausted from round 1); a choice repeated on a ballot counts once, at its first rank.
    A bad line (bad header, missing field, rank not a whole number ≥ 1, two choices at one
    rank, a choice not in `known_candidates`) raises InputFileError naming every bad line,
    unless `skip_bad_lines`: then the bad lines are left out and listed in `skipped`.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise InputFileError([InputError("line 1", "the file is empty (expected the header ballot_id,rank,choice)")])
    if tuple(h.strip().lower() for h in header) != CSV_HEADER:
        raise InputFileError([InputError(
            "line 1", f"the header must be ballot_id,rank,choice, not {','.join(header) or '(blank)'}"
        )])
    known = set(known_candidates) if known_candidates is not None else None
    ranks: dict[str, dict[int, tuple[str, int]]] = {}
    errors: list[InputError] = []
    choices: dict[str, None] = {}
    for line_number, row in enumerate(reader, start=2):
        where = f"line {line_number}"
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(InputError(where, f"expected 3 fields (ballot_id,rank,choice), found {len(row)}"))
            continue
        ballot_id, rank_text, choice = (cell.strip() for cell in row)
        if not ballot_id:
            errors.append(InputError(where, "the ballot_id is blank"))
            continue
        try:
            rank = int(rank_text)
        except ValueError:
            errors.append(InputError(where, f"rank {rank_text!r} is not a whole number (ballot {ballot_id})"))
            continue
        if rank < 1:
            errors.append(InputError(where, f"rank {rank} must be 1 or more (ballot {ballot_id})"))
            continue
        if not choice:
            errors.append(InputError(where, f"the choice is blank (ballot {ballot_id})"))
            continue
        if choice in IGNORED_CHOICES:
            ranks.setdefault(ballot_id, {})  # still a ballot, even if it ranks nobody
            continue
        if known is not None and choice not in known:
            errors.append(InputError(where, f"unknown candidate {choice!r} (ballot {ballot_id})"))
            continue
        ballot = ranks.setdefault(ballot_id, {})
        if rank in ballot:
            other, other_line = ballot[rank]
            errors.append(InputError(
                where, f"ballot {ballot_id} already has {other!r} at rank {rank} (line {other_line})"
            ))
            continue
        ballot[rank] = (choice, line_number)
        choices[choice] = None
    if errors and not skip_bad_lines:
        raise InputFileError(errors, skippable=True)
    ballots = {
        ballot_id: _first_occurrences([ranked[rank][0] for rank in sorted(ranked)])
        for ballot_id, ranked in ranks.items()
    }
    return ParsedBallots(ballots=ballots, skipped=errors if skip_bad_lines else [], candidates=tuple(choices))


@dataclass
class ParsedElection:
    spec: ElectionSpec
    skipped: list[InputError] = field(default_factory=list)


def parse_election(document: object, *, skip_bad_lines: bool = False) -> ParsedElection:
    """Read an election described in JSON (DOMAIN.md, "File formats") into an ElectionSpec.

    Every problem is named by its field path (`candidates[2].holders[0].woman`). Bad ballots
    (unknown position or candidate, a candidate ranked twice, a blank ranking) can be skipped
    with `skip_bad_lines`; structural problems (positions, candidates, seed) cannot.
    """
    errors: list[InputError] = []
    if not isinstance(document, dict):
        raise InputFileError([InputError("(top level)", "expected a JSON object with positions, candidates, ballots")])
    for name in ("positions", "candidates", "ballots"):
        if name not in document:
            errors.append(InputError(name, "missing field"))
        elif not isinstance(document[name], list):
            errors.append(InputError(name, "must be a list"))
    if errors:
        raise InputFileError(errors)

    positions: list[Position] = []
    for i, item in enumerate(document["positions"]):
        where = f"positions[{i}]"
        if not _check_object(item, where, {"key": str, "title": str, "officer": bool}, errors):
            continue
        if any(p.key == item["key"] for p in positions):
            errors.append(InputError(f"{where}.key", f"position {item['key']!r} appears twice"))
            continue
        number = item.get("number")
        if number is not None:
            if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 14:
                errors.append(InputError(f"{where}.number", f"must be a place in the officer list, 1 to 14, not {number!r}"))
                continue
            if not item["officer"]:
                errors.append(InputError(f"{where}.number", "only officer posts have a place in the officer list"))
                continue
            clash = next((p for p in positions if p.number == number), None)
            if clash is not None:
                errors.append(InputError(f"{where}.number", f"place {number} is already {clash.key!r}"))
                continue
        sitting = None
        if "sitting" in item:
            sitting = _parse_holders(item["sitting"], f"{where}.sitting", errors)
            if sitting is None:
                continue
        positions.append(Position(item["key"], item["title"], item["officer"], number,
                                  tuple(sitting) if sitting is not None else None))
    if any(p.number is not None for p in positions):
        unnumbered = [p.key for p in positions if p.officer and p.number is None]
        if unnumbered:
            errors.append(InputError("positions", "when some officer posts carry a number, every one must: "
                                     f"{', '.join(unnumbered)} has none"))
    position_keys = {p.key for p in positions}
    sitting_keys = {p.key for p in positions if p.is_sitting}

    candidates: list[Candidate] = []
    for i, item in enumerate(document["candidates"]):
        where = f"candidates[{i}]"
        if not _check_object(item, where, {"id": str, "position": str, "holders": list}, errors):
            continue
        if any(c.id == item["id"] for c in candidates):
            errors.append(InputError(f"{where}.id", f"candidate {item['id']!r} appears twice"))
            continue
        if item["position"] not in position_keys:
            errors.append(InputError(f"{where}.position", f"unknown position {item['position']!r}"))
            continue
        if item["position"] in sitting_keys:
            errors.append(InputError(f"{where}.position",
                                     f"{item['position']!r} is not up for election (it has sitting holders)"))
            continue
        holders = _parse_holders(item["holders"], f"{where}.holders", errors)
        if holders is not None:
            candidates.append(Candidate(item["id"], item["position"], tuple(holders)))

    seed = document.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        errors.append(InputError("seed", f"must be a whole number, not {seed!r}"))
    if errors:
        raise InputFileError(errors)

    standing = {c.id: c.position for c in candidates}
    ballots: list[tuple[str, tuple[str, ...]]] = []
    bad: list[InputError] = []
    for i, item in enumerate(document["ballots"]):
        where = f"ballots[{i}]"
        problems: list[InputError] = []
        if _check_object(item, where, {"position": str, "ranking": list}, problems):
            key, ranking = item["position"], item["ranking"]
            if key not in position_keys:
                problems.append(InputError(f"{where}.position", f"unknown position {key!r}"))
            elif not ranking:
                problems.append(InputError(f"{where}.ranking", "blank ballot: it ranks nobody"))
            else:
                seen: set[str] = set()
                for j, choice in enumerate(ranking):
                    at = f"{where}.ranking[{j}]"
                    if not isinstance(choice, str):
                        problems.append(InputError(at, f"expected a candidate id, not {choice!r}"))
                    elif choice not in standing:
                        problems.append(InputError(at, f"unknown candidate {choice!r}"))
                    elif standing[choice] != key:
                        problems.append(InputError(at, f"candidate {choice!r} stands for {standing[choice]!r}, not {key!r}"))
                    elif choice in seen:
                        problems.append(InputError(at, f"candidate {choice!r} is ranked twice"))
                    else:
                        seen.add(choice)
        if problems:
            bad.extend(problems)
        else:
            ballots.append((item["position"], tuple(item["ranking"])))
    if bad and not skip_bad_lines:
        raise InputFileError(bad, skippable=True)
    return ParsedElection(ElectionSpec(positions, candidates, ballots, seed), skipped=bad)


def _parse_holders(items: object, where: str, errors: list[InputError]) -> list[Holder] | None:
    """A candidacy's (or a sitting post's) holders: one, or two for a job-share; each with
    `name`, `woman` and optionally `id` (the person, for one person, one post)."""
    if not isinstance(items, list):
        errors.append(InputError(where, "must be a list"))
        return None
    if not 1 <= len(items) <= 2:
        errors.append(InputError(where, "one holder, or two for a job-share"))
        return None
    holders = []
    for j, holder in enumerate(items):
        if not _check_object(holder, f"{where}[{j}]", {"name": str, "woman": bool}, errors):
            continue
        person = holder.get("id")
        if person is not None and not (isinstance(person, str) and person.strip()):
            errors.append(InputError(f"{where}[{j}].id", f"must be a non-blank string, not {person!r}"))
            continue
        holders.append(Holder(holder["name"], holder["woman"], person))
    return holders if len(holders) == len(items) else None


def load_election(text: str, *, skip_bad_lines: bool = False) -> ParsedElection:
    """Parse an election file's text (JSON); a syntax error names its line and column."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError([InputError(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}")]) from None
    return parse_election(document, skip_bad_lines=skip_bad_lines)


def _check_object(item: object, where: str, fields: dict[str, type], errors: list[InputError]) -> bool:
    if not isinstance(item, dict):
        errors.append(InputError(where, "expected an object"))
        return False
    ok = True
    for name, kind in fields.items():
        if name not in item:
            errors.append(InputError(f"{where}.{name}", "missing field"))
            ok = False
        elif not isinstance(item[name], kind) or (kind is not bool and isinstance(item[name], bool)):
            errors.append(InputError(f"{where}.{name}", f"must be {_kind_name(kind)}, not {item[name]!r}"))
            ok = False
    return ok


def _kind_name(kind: type) -> str:
    return {str: "a string", bool: "true or false", list: "a list", int: "a whole number"}.get(kind, kind.__name__)


# --------------------------------------------------------------------------- plain-text reports


def format_rounds(count: PositionCount, name: Callable[[str], str] = str) -> str:
    """A round-by-round table (candidates as rows, rounds as columns), then the outcome."""
    lines = []
    if not count.rounds:
        return count.flag or "No rounds."
    order = list(count.rounds[0].tally)
    width = max([len(name(c)) for c in order] + [len("continuing"), len("candidate")])
    header = f"{'candidate':<{width}}" + "".join(f"{'round ' + str(r.number):>10}" for r in count.rounds)
    lines.append(header)
    for candidate in order:
        cells = "".join(
            f"{r.tally[candidate]:>10}" if candidate in r.tally else f"{'–':>10}" for r in count.rounds
        )
        lines.append(f"{name(candidate):<{width}}{cells}")
    lines.append(f"{'exhausted':<{width}}" + "".join(f"{r.exhausted:>10}" for r in count.rounds))
    lines.append(f"{'continuing':<{width}}" + "".join(f"{r.continuing:>10}" for r in count.rounds))
    for r in count.rounds:
        if r.excluded:
            lines.append(f"Round {r.number}: {name(r.excluded)} excluded.")
        if r.tie_break:
            lines.append(f"  Tie: {r.tie_break.explanation}")
        if r.elected:
            lines.append(f"Round {r.number}: {name(r.elected)} elected with {r.tally[r.elected]} of {r.continuing}.")
    if count.flag:
        lines.append(count.flag)
    return "\n".join(lines)
