"""Load test of an online ballot's last minute, as it runs in production (issue 12). Not a test:
prints figures.

    .venv/bin/python bench/bench_ballot.py [--secret] [--arrival spread|burst] [--duplicates 100]

Starts on loopback, and stops at the end, the servers of bench/bench_load.py (its functions,
imported): PostgreSQL (scripts/postgres-local.sh), redis-server (the shared cache and sessions),
gunicorn with 2 x CPUs + 1 workers (--workers) on cms.settings.production and the django-q2
worker (which sends the outbox's emails, to the console backend, into the servers' log). Then:
1. seed_demo, a branch of 3,500 paid-up members (bulk_create), a motion by two of them made by the
   workflow service (create_draft, confirm_seconding, submit_item) waiting at the branch meeting's
   stage (its votes secret with --secret), an online ballot opened by an officer through
   participation.services.open_ballot (its 3,500 emails through the outbox, sent by the worker
   before the votes), and 3,500 signed-in sessions made without the browser (a session row
   with the auth hash, as django.test.Client.force_login does, and a CSRF cookie of our own);
2. the floor: the trivial view (/livez) requested 3,500 times by the same load tool, 80 at once
   and (spread) at the votes' moments;
3. the ballot's window is shortened so that it closes 60 s after the first vote is sent
   (open_ballot refuses a close within the hour; the tests shorten it the same way), and the
   3,500 members vote (POST /votes/<poll>/ with choice and CSRF token; its answer is the vote page
   saying the vote is recorded, checked), a new connection per request
   as from 3,500 browsers. By default (--arrival spread) each vote arrives at its own random moment
   in the first 55 s of that last minute (about 64 a second: an open loop, as people do not wait
   for each other) and is timed from that moment; --arrival burst keeps --concurrency votes in
   flight at once instead (a closed loop: the server's ceiling). In the same run, --duplicates
   members vote again once their first vote is answered, and must be refused;
4. the count: register entries (PollVoter), ballots (box and pool) and the votes answered as
   recorded must be equal, none doubled; after the close, services.close_poll (or the worker's
   schedule, if it came first) records the decision, whose for + against + abstentions must be
   3,500.
The load tool (bench/open_loop.py: one thread, asyncio, a new connection per request) runs in its
own process at a lower priority than the servers, as wrk does in bench_load; its own CPU time is
printed beside the servers'.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_load as load  # noqa: E402  (its server start and stop, reused)
import open_loop  # noqa: E402  (the load tool)

ROOT = load.ROOT
PY = load.PY

VOTERS = 3500
WINDOW = 60  # seconds between the first vote sent and the ballot's close
BRANCH_SLUG = "bench-ballot"
CHOICES = ["for", "for", "for", "against", "against", "abstain"]  # a motion that carries


# --------------------------------------------------------------------------- inside Django


def django_setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def set_up(secret, sessions_path):
    """Inside Django: the branch, its 3,500 members, the motion, the ballot and the sessions."""
    from datetime import date, timedelta
    from importlib import import_module

    django_setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from cms.models import BranchIndexPage, BranchPage, Member, Region
    from participation import services
    from workflows import services as engine

    timings = {}
    t = time.perf_counter()
    now = timezone.now()
    index = BranchIndexPage.objects.get()
    branch = index.add_child(instance=BranchPage(
        title="Bench Ballot", slug=BRANCH_SLUG, country="United Kingdom", time_zone="Europe/London",
        region=Region.objects.order_by("number").first(), first_published_at=now, last_published_at=now))
    paid_up = date.today() + timedelta(days=300)
    password = make_password("demo")  # one hash for all: the session's auth hash is derived from it
    Member.objects.bulk_create([
        Member(email=f"ballot.member{n}@example.org", first_name=f"Voter{n}", last_name="Ballot",
               membership_number=f"V{n:06d}", branch=branch, paid_up_until=paid_up, password=password,
               is_active=True)
        for n in range(VOTERS)
    ], batch_size=1000)
    members = list(Member.objects.filter(branch=branch).order_by("pk"))
    officer = Member.objects.create_superuser(email="ballot.officer@example.org", password="demo",
                                              first_name="Returning", last_name="Officer")
    timings["members"] = time.perf_counter() - t

    t = time.perf_counter()
    proposer, seconder = members[0], members[1]
    motion = engine.create_draft("motion", proposer, title="Votes for Life, by ballot",
                                 text="<p>This branch calls for Votes for Life.</p>", seconder_emails=[seconder.email])
    engine.confirm_seconding(motion, seconder)
    engine.submit_item(motion, proposer)
    motion.refresh_from_db()
    stage = motion.current_stage
    stage.secret_votes = secret
    stage.save(update_fields=["secret_votes"])
    eligible = services.voting_members(services.MeetingBody.BRANCH, branch).count()
    timings["motion"] = time.perf_counter() - t

    t = time.perf_counter()
    poll = services.open_ballot(motion, officer, timezone.now() + timedelta(hours=2))  # its emails on commit
    timings["open_ballot"] = time.perf_counter() - t

    # Signed in as force_login does: the user's id, backend and auth hash in a session row.
    t = time.perf_counter()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = "django.contrib.auth.backends.ModelBackend"
    sessions = []
    for member in members:
        session = store()
        session[SESSION_KEY] = member._meta.pk.value_to_string(member)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = member.get_session_auth_hash()
        session.create()
        csrf = get_random_string(32)  # a CSRF secret of our own, as cookie and form field
        sessions.append({"cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                                   f"{settings.CSRF_COOKIE_NAME}={csrf}", "csrf": csrf, "member": member.pk})
    timings["sessions"] = time.perf_counter() - t
    Path(sessions_path).write_text(json.dumps(sessions))
    print(json.dumps({"poll": poll.pk, "reference": motion.reference, "secret": poll.secret, "eligible": eligible,
                      "officer": officer.pk, "sessions": len(sessions),
                      "timings": {k: round(v, 1) for k, v in timings.items()}}))


def outbox_state(poll_id):
    """Inside Django: the ballot's outbox emails by purpose and status."""
    django_setup()
    from notifications.models import OutboxEmail

    counts = {}
    for key, status in OutboxEmail.objects.filter(key__startswith=f"ballot:{poll_id}:").values_list("key", "status"):
        purpose = key.split(":")[2]
        counts.setdefault(purpose, {}).setdefault(status, 0)
        counts[purpose][status] += 1
    print(json.dumps(counts))


def shorten(poll_id, seconds):
    """Inside Django: the ballot closes `seconds` from now (as the tests shorten a window)."""
    from datetime import timedelta

    django_setup()
    from django.utils import timezone

    from participation.models import Poll

    closes_at = timezone.now() + timedelta(seconds=seconds)
    Poll.objects.filter(pk=poll_id).update(closes_at=closes_at)
    print(json.dumps({"closes_at": closes_at.timestamp()}))


def count(poll_id):
    """Inside Django: what the database holds of the votes."""
    django_setup()
    from django.db.models import Count

    from participation.models import PendingPollBallot, PollBallot, PollVoter

    voters = PollVoter.objects.filter(poll_id=poll_id)
    print(json.dumps({
        "register": voters.count(),
        "register_distinct": voters.values("member_id").distinct().count(),
        "doubled_in_register": voters.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count(),
        "box": PollBallot.objects.filter(poll_id=poll_id).count(),
        "pool": PendingPollBallot.objects.filter(poll_id=poll_id).count(),
        "named_distinct": PollBallot.objects.filter(poll_id=poll_id, voter__isnull=False)
        .values("voter_id").distinct().count(),
    }))


def close(poll_id):
    """Inside Django: once the window has ended, close the ballot (unless the worker's schedule did)."""
    django_setup()
    from django.utils import timezone

    from participation import services
    from participation.models import Poll

    poll = Poll.objects.select_related("opened_by", "decision").get(pk=poll_id)
    while poll.closes_at > timezone.now():
        time.sleep(0.2)
    t = time.perf_counter()
    by = "worker's schedule"
    if poll.closed_at is None:
        try:
            decision = services.close_poll(poll, poll.opened_by)
            by = "services.close_poll"
        except services.ParticipationError:
            decision = Poll.objects.select_related("decision").get(pk=poll_id).decision
    else:
        decision = poll.decision
    poll.refresh_from_db()
    print(json.dumps({
        "by": by, "seconds": round(time.perf_counter() - t, 2), "outcome": decision.outcome,
        "votes_for": decision.votes_for, "votes_against": decision.votes_against,
        "abstentions": decision.abstentions, "note": decision.note,
        "online": [poll.online_for, poll.online_against, poll.online_abstain],
    }))


# --------------------------------------------------------------------------- the load tool (own process)


def answer_said(body):
    """What a vote's answer says, for the checks. A refused second vote: 400 and the page of one
    who has voted (it does not show the error)."""
    return ("receipt" if "receipt-code" in body
            else "recorded" if "is recorded." in body
            else "already" if "already voted" in body or "You have voted" in body
            else "closed" if "has closed" in body
            else "closed, result shown" if "<h2>Result</h2>" in body else "")


def fire(jobs_path, results_path, host, port, concurrency):
    """Sends every job with bench/open_loop.py (one thread, asyncio, a new connection each) and writes
    one result per job: status, seconds, what the answer said, or the exception."""
    run = open_loop.fire(json.loads(Path(jobs_path).read_text()), host, port, concurrency, said=answer_said)
    Path(results_path).write_text(json.dumps(run))


def run_load(jobs, workdir, name, base, concurrency):
    jobs_path, results_path = workdir / f"{name}-jobs.json", workdir / f"{name}-results.json"
    jobs_path.write_text(json.dumps(jobs))
    host, port = base.removeprefix("http://").split(":")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(["nice", "-n", "10", PY, __file__, "_fire", str(jobs_path), str(results_path), host, port,
                    str(concurrency)], cwd=ROOT, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = json.loads(results_path.read_text())
    run["tool_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return run


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


def summary(run, ok):
    results = run["results"]
    seconds = [r["seconds"] for r in results]
    good = [r for r in results if ok(r)]
    exceptions = [r for r in results if r["status"] is None]
    return {"requests": len(results), "ok": len(good), "bad_status": len(results) - len(good) - len(exceptions),
            "exceptions": len(exceptions), "rps": len(results) / run["elapsed"], "elapsed": run["elapsed"],
            "p50": statistics.median(seconds) if seconds else 0, "p99": percentile(seconds, 99),
            "max": max(seconds, default=0)}


def print_row(kind, s):
    print(f"  {kind:<34} {s['requests']:>8} {s['elapsed']:>7.1f} {s['rps']:>8.1f} {s['p50'] * 1000:>8.1f}"
          f" {s['p99'] * 1000:>8.1f} {s['max'] * 1000:>8.1f} {s['bad_status']:>7} {s['exceptions']:>7}")


HEADER = (f"  {'kind':<34} {'requests':>8} {'seconds':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
          f" {'bad':>7} {'except':>7}")


def group_cpu(pgid):
    """CPU seconds (user + system) used so far by the live processes of a process group."""
    return sum(seconds for _, _, group, seconds in load.process_cpu() if group == pgid)


def django_json(command, env, *args):
    return json.loads(load.run([PY, __file__, command, *map(str, args)], env).strip().splitlines()[-1])


def wait_for_outbox(poll, env, purpose, expected, seconds):
    """Until the worker has sent `expected` emails of `purpose` (or `seconds` have passed)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        state = django_json("_outbox", env, poll).get(purpose, {})
        if state.get("sent", 0) >= expected:
            break
        time.sleep(2)
    return state, time.perf_counter() - started


# --------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--secret", action="store_true", help="a secret ballot (the stage's secret_votes)")
    parser.add_argument("--arrival", choices=["spread", "burst"], default="spread",
                        help="spread: the 3,500 votes arrive at random moments over the first --spread seconds of "
                             "the last minute, as from 3,500 browsers (open loop); burst: --concurrency votes in "
                             "flight at once, each slot sending its next as soon as one is answered (closed loop)")
    parser.add_argument("--spread", type=float, default=55.0, help="seconds over which the votes arrive (spread)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="requests in flight at most (default: 80 for burst, 400 for spread)")
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1,
                        help="gunicorn's sync workers (default 2 x CPUs + 1, as the README's production set-up)")
    parser.add_argument("--duplicates", type=int, default=100, help="second votes by members who have voted")
    parser.add_argument("--cache", choices=["redis", "file"], default="redis")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="li-bench-ballot-"))
    workdir.chmod(0o755)
    pg_dir = Path(tempfile.gettempdir()) / f"li-bench-ballot-pg-{os.getpid()}"
    log = open(workdir / "servers.log", "w")
    processes = {}
    pg_started = False
    try:
        t0 = time.perf_counter()
        url = load.run(["scripts/postgres-local.sh", "start", str(pg_dir), str(load.free_port())], os.environ).strip()
        pg_started = True
        env = load.production_env(url, workdir)
        env.pop("VARNISH_URL", None)
        if args.cache == "redis":
            redis_port = load.free_port()
            processes["redis"] = load.start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                             "--save", "", "--appendonly", "no", "--dir", str(workdir)], env, log)
            env["CACHE_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        load.run([PY, "manage.py", "migrate", "--noinput"], env)
        load.run([PY, "manage.py", "collectstatic", "--noinput"], env)
        load.run([PY, "manage.py", "seed_demo"], env)
        seeded_in = time.perf_counter() - t0

        t = time.perf_counter()
        sessions_path = workdir / "sessions.json"
        ballot = django_json("_setup", env, int(args.secret), sessions_path)
        sessions = json.loads(sessions_path.read_text())
        poll = ballot["poll"]
        print(f"Set-up: migrate + seed_demo {seeded_in:.0f}s; ballot set-up {time.perf_counter() - t:.0f}s "
              f"({', '.join(f'{k} {v}s' for k, v in ballot['timings'].items())}): {ballot['eligible']} members with a "
              f"vote, {ballot['sessions']} sessions, {'secret' if ballot['secret'] else 'named'} ballot on "
              f"{ballot['reference']} (poll {poll})")
        if ballot["eligible"] != VOTERS:
            raise SystemExit(f"{ballot['eligible']} members with a vote, not {VOTERS}")

        port = load.free_port()
        base = f"http://127.0.0.1:{port}"
        processes["gunicorn"] = load.start([PY, "-m", "gunicorn", "cms.wsgi", "--workers", str(args.workers), "--bind",
                                            f"127.0.0.1:{port}", "--timeout", "60"], env, log)
        processes["qcluster"] = load.start([PY, "manage.py", "qcluster"], env, log)
        load.wait_http(f"{base}/livez")
        state, waited = wait_for_outbox(poll, env, "opened", VOTERS, 300)
        print(f"Server: gunicorn, {args.workers} workers, cms.settings.production, PostgreSQL, cache: {args.cache}, django-q2 "
              f"worker; the ballot's opening emails sent by the worker: {state} after {waited:.0f}s")

        # A first check that a session signs in and the vote page answers (not counted).
        probe = run_load([{"method": "GET", "path": f"/votes/{poll}/", "cookie": sessions[0]["cookie"]}], workdir,
                         "probe", base, 1)["results"][0]
        if probe["status"] != 200:
            raise SystemExit(f"the vote page answers {probe} to a signed-in member")

        spread = args.arrival == "spread"
        c = args.concurrency or (400 if spread else 80)
        rng = random.Random(12)
        arrivals = sorted(rng.uniform(0, args.spread) for _ in range(VOTERS))
        if spread:
            print(f"\nLoad tool: bench/open_loop.py (one thread, asyncio, a new connection per request), at nice 10; "
                  f"{VOTERS} votes arriving at random moments over {args.spread:.0f}s ({VOTERS / args.spread:.1f}/s "
                  f"on average), each timed from its own moment, at most {c} in flight")
        else:
            print(f"\nLoad tool: bench/open_loop.py (one thread, asyncio, a new connection per request), {c} at once, "
                  f"at nice 10")
        print(HEADER)
        floor = summary(run_load([{"method": "GET", "path": "/livez"}] * VOTERS, workdir, "livez", base, 80),
                        lambda r: r["status"] == 200)
        print_row("floor: trivial view /livez, 80 at once", floor)
        floor_spread = None
        if spread:
            floor_spread = summary(run_load([{"method": "GET", "path": "/livez", "at": at} for at in arrivals],
                                            workdir, "livez-spread", base, c), lambda r: r["status"] == 200)
            print_row("floor: /livez at the votes' moments", floor_spread)

        # A vote answers with the vote page saying it is recorded (a redirect, if one came, would be
        # followed as the browser does, and timed with the vote).
        votes = [{"method": "POST", "path": f"/votes/{poll}/", "cookie": s["cookie"], "member": s["member"],
                  "body": f"choice={rng.choice(CHOICES)}&csrfmiddlewaretoken={s['csrf']}", "follow": True}
                 for s in sessions]
        rng.shuffle(votes)
        if spread:
            # The second votes come 5 s after their member's first (checked below to be after its answer).
            for vote, at in zip(votes, arrivals, strict=True):
                vote["at"] = at
            jobs = votes + [{**first, "duplicate": True, "at": first["at"] + 5.0}
                            for first in sorted(votes, key=lambda v: v["at"])[:args.duplicates]]
            jobs.sort(key=lambda job: job["at"])
        else:
            # The second votes go in the same run, among the first votes, well after their member's first
            # vote was answered (job 400 on; checked below), so that they come before the close.
            jobs = list(votes)
            for k, first in enumerate(votes[:args.duplicates]):
                jobs.insert(400 + 31 * k, {**first, "duplicate": True})
        closes_at = django_json("_shorten", env, poll, WINDOW)["closes_at"]
        load_average = os.getloadavg()
        cpu_before = {name: group_cpu(processes[name].pid) for name in ("gunicorn",)}
        fired_at = time.time()
        run = run_load(jobs, workdir, "votes", base, c)
        cpu = {name: group_cpu(processes[name].pid) - cpu_before[name] for name in cpu_before}
        secret = ballot["secret"]
        firsts = [r for r, job in zip(run["results"], jobs, strict=True) if not job.get("duplicate")]
        seconds = [(r, job) for r, job in zip(run["results"], jobs, strict=True) if job.get("duplicate")]
        voted = {"elapsed": run["elapsed"], "results": firsts}

        def recorded(r):
            return r["status"] == 200 and r["said"] == ("receipt" if secret else "recorded")

        vote_summary = summary(voted, recorded)
        print_row(f"votes ({'secret' if secret else 'named'})", vote_summary)
        print(f"  {'':<34} {'':>8} {'':>7} {vote_summary['rps'] / floor['rps']:>8.2f} × the trivial view's req/s")
        duplicate_summary = summary({"elapsed": run["elapsed"], "results": [r for r, _ in seconds]},
                                    lambda r: r["status"] == 400 and r["said"] == "already")
        print_row("duplicate votes (must be refused)", duplicate_summary)
        last_answer = fired_at + run["elapsed"]
        print(f"  first vote sent {closes_at - fired_at:.1f}s before the close; last answered "
              f"{closes_at - last_answer:+.1f}s before it; load average before the votes "
              f"{' '.join(f'{x:.2f}' for x in load_average)} (2 CPUs, shared)")
        print(f"  CPU of the gunicorn workers during the run: {cpu['gunicorn']:.1f}s, "
              f"{cpu['gunicorn'] * 1000 / len(jobs):.1f} ms per request (refusals after the close included); "
              f"CPU of the load tool: {run['tool_cpu']:.1f}s")

        first_answered = {r["member"]: r["sent"] + r["seconds"] for r in firsts if recorded(r)}
        if first_answered:
            in_window = max(first_answered.values()) - run["started"]
            print(f"  recorded: {len(first_answered)} votes in {in_window:.1f}s from the first sent, "
                  f"{len(first_answered) / in_window:.1f} votes/s (the req/s above includes the fast refusals "
                  f"after the close)")
        done = set(first_answered)
        again = [job for _, job in seconds]
        after_first = sum(1 for r, job in seconds if r["sent"] > first_answered.get(job["member"], float("inf")))
        dup_before_close = all(fired_at + (r["sent"] - run["started"]) + r["seconds"] < closes_at for r, _ in seconds)

        bad = [r for r in voted["results"] if not recorded(r)]
        kinds = {}
        for r in bad:
            key = r.get("error") or f"{r['status']} {r['said'] or ''}".strip()
            kinds[key] = kinds.get(key, 0) + 1

        held = django_json("_count", env, poll)
        ballots = held["box"] + held["pool"]
        closed = django_json("_close", env, poll)
        total = closed["votes_for"] + closed["votes_against"] + closed["abstentions"]
        receipts, receipts_waited = wait_for_outbox(poll, env, "receipt", len(done), 180)

        print(f"\nVotes sent {len(votes)}; answered as recorded {len(done)}; not recorded {len(bad)}"
              + (f" ({', '.join(f'{k}: {n}' for k, n in sorted(kinds.items()))})" if kinds else ""))
        print(f"Register entries (PollVoter) {held['register']} (distinct members {held['register_distinct']}, "
              f"doubled {held['doubled_in_register']}); ballots {ballots} (box {held['box']}, pool {held['pool']}"
              + (f", named voters distinct {held['named_distinct']}" if not secret else "") + ")")
        same = held["register"] == ballots == len(done)
        print(f"Ballots counted == register entries == votes answered as recorded: {same} "
              f"({ballots} == {held['register']} == {len(done)}); lost {len(done) - min(ballots, held['register'])}, "
              f"doubled {held['doubled_in_register'] + max(0, ballots - len(done))}")
        refused = duplicate_summary["ok"]
        print(f"Duplicate votes: {len(again)} sent ({after_first} after their member's first vote was answered, "
              f"{'all answered' if dup_before_close else 'not all answered'} before the close), "
              f"{refused} refused as 'already voted', {len(again) - refused} otherwise answered; extra rows: "
              f"{held['register'] - len(done)}")
        print(f"Closed by {closed['by']} in {closed['seconds']}s: {closed['outcome']}, {closed['votes_for']} for, "
              f"{closed['votes_against']} against, {closed['abstentions']} abstentions = {total} "
              f"({'==' if total == VOTERS else '!='} {VOTERS}); note: {closed['note']}")
        print(f"Receipt emails in the outbox (written in batches by the worker): {receipts}, "
              f"{receipts_waited:.0f}s after the count")
        errors = vote_summary["bad_status"] + vote_summary["exceptions"]
        print(f"\nTargets: 0 errors (got {errors}), 0 lost (got {len(done) - min(ballots, held['register'])}), "
              f"p99 under 1 s (got {vote_summary['p99']:.2f} s); votes {vote_summary['rps']:.1f}/s, p50 "
              f"{vote_summary['p50'] * 1000:.0f} ms; trivial view {floor['rps']:.1f}/s, p50 {floor['p50'] * 1000:.0f} ms, "
              f"p99 {floor['p99'] * 1000:.0f} ms"
              + (f"; at the votes' moments p50 {floor_spread['p50'] * 1000:.0f} ms, p99 {floor_spread['p99'] * 1000:.0f} ms"
                 if floor_spread else ""))
    finally:
        load.tear_down(processes, ("qcluster", "gunicorn", "redis"), log, pg_dir if pg_started else None, workdir)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "_setup":
        set_up(bool(int(sys.argv[2])), sys.argv[3])
    elif command == "_outbox":
        outbox_state(int(sys.argv[2]))
    elif command == "_shorten":
        shorten(int(sys.argv[2]), float(sys.argv[3]))
    elif command == "_count":
        count(int(sys.argv[2]))
    elif command == "_close":
        close(int(sys.argv[2]))
    elif command == "_fire":
        fire(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        main()
