"""Count time of the alternative-vote count (elections/count.py). Not a test: prints figures.

    .venv/bin/python bench/bench_count.py [--runs 7]

1. A whole election the size of LI: 3,500 ballots on 19 posts (14 officers, 3 regional
   coordinators, 2 auditors; 2–5 candidates a post, random partial rankings), counted with
   the quota, as `count_election` does.
2. The Burlington 2009 file (8,980 ballots): reading the CSV and counting it, as `count_ballots` does.
Each figure is the median of several runs, with the fastest and slowest.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elections.count import (  # noqa: E402 (the path above makes the project importable)
    Candidate,
    ElectionSpec,
    Holder,
    Position,
    count_election,
    count_position,
    parse_ballot_csv,
)

BURLINGTON = ROOT / "tests" / "elections" / "data" / "burlington-2009-mayor.csv"


def li_sized_election(voters=3500, seed=2023) -> ElectionSpec:
    rng = random.Random(seed)
    positions = [Position(f"officer-{i}", f"Officer {i}", True) for i in range(1, 15)]
    positions += [Position(f"coordinator-{i}", f"Regional coordinator {i}", False) for i in range(1, 4)]
    positions += [Position(f"auditor-{i}", f"Auditor {i}", False) for i in range(1, 3)]
    candidates, standing = [], {}
    for position in positions:
        ids = [f"{position.key}-c{j}" for j in range(rng.randint(2, 5))]
        standing[position.key] = ids
        candidates += [Candidate(c, position.key, (Holder(c, rng.random() < 0.4),)) for c in ids]
    ballots = []
    for _ in range(voters):
        for position in positions:
            order = standing[position.key][:]
            rng.shuffle(order)
            ballots.append((position.key, tuple(order[: rng.randint(1, len(order))])))
    return ElectionSpec(positions, candidates, ballots, seed=1)


def timed(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def report(label, figures):
    median, fastest, slowest = figures
    print(f"{label}: median {median * 1000:.1f} ms (fastest {fastest * 1000:.1f}, slowest {slowest * 1000:.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    spec = li_sized_election()
    result = count_election(spec)
    rounds = sum(len(p.rounds) for p in result.positions)
    print(f"Election: {len(spec.positions)} posts, 3500 ballots each ({len(spec.ballots)} rankings), "
          f"{rounds} rounds in all; {runs} runs")
    report("  count_election (19 posts + quota)", timed(lambda: count_election(spec), runs))

    text = BURLINGTON.read_text(encoding="utf-8")
    parsed = parse_ballot_csv(text)
    print(f"Burlington 2009: {len(parsed.ballots)} ballots, winner "
          f"{count_position(parsed.rankings, parsed.candidates).winner}; {runs} runs")
    report("  read the CSV", timed(lambda: parse_ballot_csv(text), runs))
    report("  count", timed(lambda: count_position(parsed.rankings, parsed.candidates), runs))
    report("  read + count", timed(lambda: count_position(*_read(text)), runs))


def _read(text):
    parsed = parse_ballot_csv(text)
    return parsed.rankings, parsed.candidates


if __name__ == "__main__":
    main()
