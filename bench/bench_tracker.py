"""The motion tracker and its notifications, measured. Not a test: prints figures.

    .venv/bin/python bench/bench_tracker.py [--runs 7] [--followers 3500] [--items 10000]

On a throwaway SQLite file (tables from the models), with the ORM broker (tasks queued, not run
inline, as in production):
1. Recording a decision through the real admin view (POST of the item's decision form, the
   service, the commit and the signal receiver) on items with no follower and with 3,500
   followers: median request time and the ratio (target ≤ 1.2: the fan-out is the worker's).
2. The worker's side for one decision with 3,500 followers: the fan-out task (outbox rows in
   bulk) and the sending tasks (batches through the local-memory email backend), run as the
   worker runs them.
3. GET /motions/ with 100 and with 10,000 public items: SQL queries and median time, beside a
   trivial Django view (/healthz) in the same run (target: queries that do not grow).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(tmp, email_backend="django.core.mail.backends.locmem.EmailBackend"):
    """Django on a fresh SQLite file in `tmp`, migrated, with the worker's settings (bench_newsletter too)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.notifications.worker_settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = email_backend
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", run_syncdb=True, verbosity=0)


def build_site():
    from importlib import import_module

    from django.apps import apps
    from wagtail.models import Collection, Locale, Page

    from cms.models import BranchIndexPage, BranchPage, Member, Region

    Locale.objects.get_or_create(language_code="en-gb")
    Collection.add_root(name="Root")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    region = Region.objects.create(number=1, name="Europe", slug="europe")
    index = root.add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    branches = {
        slug: index.add_child(instance=BranchPage(title=slug.title(), slug=slug, region=region, country="X",
                                                  time_zone="Europe/Paris"))
        for slug in ("paris", "berlin")
    }
    import_module("workflows.migrations.0003_default_pipelines_and_roles").create(apps, None)
    paid = date.today() + timedelta(days=365)
    people = {
        "proposer": Member.objects.create_user(email="proposer@example.org", password="x", membership_number="B1",
                                               branch=branches["paris"], paid_up_until=paid, first_name="Ada"),
        "seconder": Member.objects.create_user(email="seconder@example.org", password="x", membership_number="B2",
                                               branch=branches["paris"], paid_up_until=paid, first_name="Bea"),
        "berlin_seconder": Member.objects.create_user(email="berlin@example.org", password="x",
                                                      membership_number="B4", branch=branches["berlin"],
                                                      paid_up_until=paid, first_name="Cem"),
        "officer": Member.objects.create_superuser(email="officer@example.org", password="x",
                                                   membership_number="B3", paid_up_until=paid),
    }
    return branches, people


def submitted_motion(people, branch, title):
    from workflows import services

    seconder = people["seconder"] if branch.slug == "paris" else people["berlin_seconder"]
    motion = services.create_draft("motion", people["proposer"], title=title, text="<p>Text.</p>",
                                   branch=branch, seconder_emails=[seconder.email])
    services.confirm_seconding(motion, seconder)
    services.submit_item(motion, people["proposer"])
    return motion


def add_followers(branch, count):
    from cms.models import Member
    from notifications.models import Follow

    members = Member.objects.bulk_create(
        [Member(email=f"follower{n}@example.org", membership_number=f"F{n}", first_name=f"F{n}", password="!")
         for n in range(count)], batch_size=500)
    if members[0].pk is None:
        members = list(Member.objects.filter(email__startswith="follower"))
    Follow.objects.bulk_create([Follow(member=m, branch=branch) for m in members], batch_size=500)


def time_decision(client, motion):
    """(wall, CPU) seconds of one POST of the admin decision form."""
    from django.urls import reverse

    url = reverse("items:inspect", args=[motion.pk])
    data = {"stage": motion.current_stage_id, "outcome": "carried", "votes_for": "12", "votes_against": "3",
            "abstentions": "1"}
    start, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, data)
    elapsed = (time.perf_counter() - start, time.process_time() - cpu)
    assert response.status_code == 302, response.content[:2000]
    return elapsed


def ms(values):
    return f"{statistics.median(values) * 1000:7.1f} ms"


def add_items(branches, people, total):
    """Public items up to `total`, in bulk (a third with a decision)."""
    from django.db import connection
    from django.utils import timezone

    from workflows.models import Decision, Item, ItemStatus, Pipeline

    pipeline = Pipeline.objects.get(kind="motion", is_default=True)
    stages = pipeline.ordered_stages()
    have = Item.objects.count()
    now = timezone.now()
    rows = []
    for n in range(have, total):
        at = stages[n % len(stages)]
        rows.append(Item(reference=f"M-2000-{n:05d}", kind="motion", title=f"Bulk motion {n} on Votes for Life",
                         text="<p>This branch calls for things.</p>", status=ItemStatus.IN_PROGRESS,
                         pipeline=pipeline, current_stage=at, branch=branches["paris" if n % 2 else "berlin"],
                         proposer=people["proposer"], submitted_at=now - timedelta(minutes=n)))
    Item.objects.bulk_create(rows, batch_size=500)
    new = list(Item.objects.filter(reference__startswith="M-2000-", motion__isnull=True).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO workflows_motion (item_ptr_id) VALUES (%s)", [(pk,) for pk in new])
    Decision.objects.bulk_create([
        Decision(item_id=pk, stage=stages[0], stage_name=stages[0].name, deciding_body=stages[0].deciding_body,
                 outcome="carried", status_after=ItemStatus.IN_PROGRESS, next_stage_name=stages[1].name,
                 votes_for=10, votes_against=1, abstentions=0, decided_on=date.today())
        for pk in new[::3]
    ], batch_size=500)


def measure_get(client, url, runs):
    from django.db import connection

    client.get(url)  # warm
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, url
    wall, cpu = [], []
    for _ in range(runs):
        start, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
    return len(queries), wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--followers", type=int, default=3500)
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.core import mail
        from django.test import Client

        from notifications import tasks
        from notifications.models import OutboxEmail

        branches, people = build_site()
        add_followers(branches["paris"], args.followers)
        quiet = [submitted_motion(people, branches["berlin"], f"Quiet {n}") for n in range(args.runs + 1)]
        followed = [submitted_motion(people, branches["paris"], f"Followed {n}") for n in range(args.runs + 1)]
        client = Client()
        client.force_login(people["officer"])
        time_decision(client, quiet[0]), time_decision(client, followed[0])  # warm-up
        quiet_times, followed_times = [], []
        for a, b in zip(quiet[1:], followed[1:], strict=True):  # interleaved: load drifts hit both alike
            quiet_times.append(time_decision(client, a))
            followed_times.append(time_decision(client, b))
        w0, c0 = zip(*quiet_times, strict=True)
        w1, c1 = zip(*followed_times, strict=True)
        print("1. Recording a decision (POST of the admin decision form; fan-out queued for the worker)")
        print(f"   0 followers:    wall median {ms(w0)}, CPU median {ms(c0)}")
        print(f"   {args.followers} followers: wall median {ms(w1)}, CPU median {ms(c1)}")
        print(f"   ratio wall {statistics.median(w1) / statistics.median(w0):.2f}, "
              f"CPU {statistics.median(c1) / statistics.median(c0):.2f} (target ≤ 1.2); "
              f"outbox rows written by the requests: {OutboxEmail.objects.count()}")

        decision = followed[-1].decisions.order_by("-pk").first()
        mail.outbox = []
        start, cpu = time.perf_counter(), time.process_time()
        tasks.fan_out(tasks.NotificationEvent.objects.get_or_create(
            decision=decision, defaults={"kind": "decision", "item": decision.item})[0])
        fanned, fanned_cpu = time.perf_counter() - start, time.process_time() - cpu
        pks = list(OutboxEmail.objects.filter(event__decision=decision).values_list("pk", flat=True))
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(pks), tasks.BATCH_SIZE):
            tasks.send_batch(pks[first:first + tasks.BATCH_SIZE])
        sent, sent_cpu = time.perf_counter() - start, time.process_time() - cpu
        print("2. The worker, one decision with followers (locmem email backend)")
        print(f"   fan-out task: {len(pks)} outbox emails built in {fanned:.2f} s (CPU {fanned_cpu:.2f} s)")
        print(f"   sending tasks: {len(mail.outbox)} emails sent in {sent:.2f} s (CPU {sent_cpu:.2f} s), "
              f"{len(mail.outbox) / sent:.0f} emails/s; total {fanned + sent:.2f} s")

        print("3. GET /motions/ (25 a page) beside GET /healthz")
        for total in (100, args.items):
            add_items(branches, people, total)
            q_list, w_list, c_list = measure_get(client, "/motions/", args.runs)
            q_triv, w_triv, c_triv = measure_get(client, "/healthz", args.runs)
            print(f"   {total:>6} items: /motions/ {q_list} queries, wall {ms(w_list)}, CPU {ms(c_list)} | "
                  f"/healthz {q_triv} queries, wall {ms(w_triv)}, CPU {ms(c_triv)}")


if __name__ == "__main__":
    main()
