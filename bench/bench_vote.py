"""Benchmark of one vote's CPU: a member's vote in an online ballot (issue 12) beside the trivial
view, in one process. Not a test: prints figures.

    .venv/bin/python bench/bench_vote.py [--votes 600] [--secret] [--profile 25]

On a fresh SQLite database in its own temporary directory it runs seed_demo and sets up a branch
ballot as bench/bench_ballot.py does (its set_up: the members, the motion, the ballot, signed-in
sessions), with sessions read from the cache as in production (cached_db). Then each member in turn
casts a vote (POST /votes/<poll>/, the answer being the vote page saying it is recorded) and,
interleaved, the trivial view (/livez) is requested; it prints the median CPU time
(time.process_time) of each, their ratio and the vote's query count. The load test of the same
vote, on the production set-up, is bench/bench_ballot.py; this bench says where a vote's CPU goes
(--profile N prints the N functions with the most cumulative time over all the votes).
"""

import argparse
import cProfile
import json
import logging
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-vote-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

import bench_ballot  # noqa: E402  (its set_up)
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=600)
    parser.add_argument("--secret", action="store_true", help="a secret ballot (receipt codes, the pool)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def run(args):
    # As production: the session read from the cache, written through to the database.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": 100_000}  # as Redis: no session evicted
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    bench_ballot.VOTERS = args.votes + 2
    sessions_path = WORKDIR / "sessions.json"
    stdout = sys.stdout
    sys.stdout = open(os.devnull, "w")  # set_up prints its JSON for bench_ballot's parent process
    try:
        bench_ballot.set_up(args.secret, sessions_path)
    finally:
        sys.stdout = stdout
    from participation.models import Poll, PollVoter

    poll = Poll.objects.get(item__title="Votes for Life, by ballot")
    sessions = json.loads(sessions_path.read_text())
    url = f"/votes/{poll.pk}/"
    choices = bench_ballot.CHOICES

    def client_for(session):
        client = Client(enforce_csrf_checks=True)
        for pair in session["cookie"].split("; "):
            name, value = pair.split("=", 1)
            client.cookies[name] = value
        return client

    def vote(n):
        session = sessions[n]
        response = client_for(session).post(url, {"choice": choices[n % len(choices)],
                                                  "csrfmiddlewaretoken": session["csrf"]})
        assert response.status_code == 200 and b"recorded" in response.content, response.content[:400]

    trivial = Client()
    trivial.get("/livez")
    vote(0)  # warm: templates, content types, the site
    with CaptureQueriesContext(connection) as queries:
        vote(1)
    vote_queries = len(queries)
    if args.profile:
        for query in queries.captured_queries:
            print("  ", query["sql"][:300])
    profile = cProfile.Profile() if args.profile else None
    times = {"trivial view (/livez)": [], "a vote, answered with its page": []}
    for n in range(2, args.votes):
        started = time.process_time()
        trivial.get("/livez")
        times["trivial view (/livez)"].append(time.process_time() - started)
        started = time.process_time()
        if profile:
            profile.enable()
        vote(n)
        if profile:
            profile.disable()
        times["a vote, answered with its page"].append(time.process_time() - started)
    assert PollVoter.objects.filter(poll=poll).count() == args.votes
    floor = statistics.median(times["trivial view (/livez)"])
    kind = "secret" if args.secret else "named"
    print(f"A {kind} ballot, {args.votes - 2} votes interleaved with the trivial view, in one process (CPU time, median):")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<34}{median * 1000:>8.2f} ms{median / floor:>8.1f}x trivial")
    print(f"  queries per vote: {vote_queries}")
    if profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
        print("Own time per vote by package (the profiler's overhead included):")
        by_package = {}
        for (path, _, _), (_, _, own_time, _, _) in stats.stats.items():
            package = path.split("site-packages/")[1].split("/")[:2] if "site-packages/" in path else [path]
            by_package["/".join(package)] = by_package.get("/".join(package), 0) + own_time
        for package, total in sorted(by_package.items(), key=lambda kv: -kv[1])[:args.profile]:
            print(f"  {total / (args.votes - 2) * 1000:7.3f} ms  {package.replace(str(ROOT) + '/', '')}")

if __name__ == "__main__":
    main()
