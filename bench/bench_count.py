"""Count time of the alternative-vote count (elections/count.py). Not a test: prints figures.

    .venv/bin/python bench/bench_count.py [--runs 7] [--database]

1. A whole election the size of LI: 3,500 ballots on 19 posts (14 officers, 3 regional
   coordinators, 2 auditors; 2–5 candidates a post, random partial rankings), counted with
   the quota, as `count_election` does.
2. The Burlington 2009 file (8,980 ballots): reading the CSV and counting it, as `count_ballots` does.
3. With --database: the same election in the app (an in-memory SQLite database): casting a
   ballot online, and the returning officer's count (services.run_count: reading every
   ballot, counting 19 posts, the quota, writing the results).
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
    parser.add_argument("--database", action="store_true", help="also time the count in the app (slower to set up)")
    options = parser.parse_args()
    runs = options.runs

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
    if options.database:
        bench_in_the_app(spec, max(3, runs // 2))


def _read(text):
    parsed = parse_ballot_csv(text)
    return parsed.rankings, parsed.candidates


def bench_in_the_app(spec, runs):
    """The same election in the app's database, counted by the returning officer's service."""
    import os

    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from cms.models import Member
    from elections import services
    from elections.models import Ballot, Election, Nomination, Position, Preference, VoterRegisterEntry

    officer = Member.objects.create_superuser(email="bench@example.org", password="x")
    paid = timezone.localdate() + timedelta(days=365)
    now = timezone.now()
    election = Election.objects.create(
        title="Bench", slug="bench", nominations_open=now - timedelta(days=30), nominations_close=now - timedelta(days=20),
        ballot_open=now - timedelta(days=10), ballot_close=now + timedelta(days=1), nominations_decided_at=now)
    proposer = Member.objects.create(email="p@example.org", membership_number="P1", paid_up_until=paid)
    seconder = Member.objects.create(email="s@example.org", membership_number="S1", paid_up_until=paid)
    nominations = {}
    for order, position_spec in enumerate(spec.positions):
        position = Position.objects.create(election=election, key=position_spec.key, title=position_spec.title,
                                           officer=position_spec.officer, sort_order=order, outcome=Position.BALLOT)
        for candidate in spec.candidates_for(position_spec.key):
            member = Member.objects.create(email=f"{candidate.id}@example.org", membership_number=candidate.id,
                                           first_name=candidate.id, paid_up_until=paid)
            nominations[candidate.id] = Nomination.objects.create(
                position=position, candidate=member, proposer=proposer, seconder=seconder, statement="Bench.",
                candidate_is_woman=candidate.holders[0].woman, submitted_by=member, status=Nomination.VALID)
    voters = Member.objects.bulk_create([Member(email=f"v{i}@example.org", membership_number=f"V{i}",
                                                paid_up_until=paid) for i in range(3500)])
    by_voter = [spec.ballots[i * len(spec.positions):(i + 1) * len(spec.positions)] for i in range(3500)]
    positions = {p.key: p for p in election.positions.all()}

    sample = by_voter[:200]
    cast_times = []
    for voter, papers in zip(voters[:200], sample, strict=True):
        rankings = {positions[key]: [nominations[c] for c in ranking] for key, ranking in papers}
        start = time.perf_counter()
        services.cast_ballot(election, voter=voter, rankings=rankings)
        cast_times.append(time.perf_counter() - start)
    VoterRegisterEntry.objects.bulk_create([VoterRegisterEntry(election=election, member=v) for v in voters[200:]])
    ballots = Ballot.objects.bulk_create([Ballot(election=election) for _ in voters[200:]])
    Preference.objects.bulk_create([
        Preference(ballot=ballot, position=positions[key], nomination=nominations[c], rank=rank)
        for ballot, papers in zip(ballots, by_voter[200:], strict=True)
        for key, ranking in papers for rank, c in enumerate(ranking, start=1)
    ], batch_size=5000)
    Election.objects.filter(pk=election.pk).update(ballot_close=now - timedelta(seconds=1))
    election.refresh_from_db()
    print(f"In the app (in-memory SQLite): 3500 ballots on 19 posts "
          f"({Preference.objects.count()} preferences); {runs} runs")
    report("  cast one ballot online (200 voters)",
           (statistics.median(cast_times), min(cast_times), max(cast_times)))
    report("  run_count (read ballots, count, quota, record)",
           timed(lambda: services.run_count(election, by=officer, seed=1), runs))


if __name__ == "__main__":
    main()
