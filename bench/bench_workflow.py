"""Benchmark of the workflow engine (prints figures; not a test).

    .venv/bin/python bench/bench_workflow.py [--items 10000] [--decisions 50000] [--record 500]

On its own temporary SQLite database unless DATABASE_URL is set (then that database is used:
give it an empty one). It prints:
- decisions recorded per second through `workflows.services.record_decision` (the real path:
  lock, checks, decision row, item move, agenda, and the after-commit signal whose receivers
  queue notifications for the worker), with the median time per decision;
- the SQL query counts of the admin item list, of one item's admin page (its whole history),
  of the API listing and of one item's history, at 100 items and at the full size (bulk-created),
  and their ratio: the target is 1.00 (queries do not grow with the number of items).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="bench-workflow-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    # The settings of `make run`: side effects (notifications) are queued for the worker, as in production.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


def build_people():
    from django.contrib.auth.models import Group
    from wagtail.models import Page

    from cms.models import BranchIndexPage, BranchPage, Member, Region

    region = Region.objects.create(number=1, name="Europe", slug="europe")
    index = Page.get_first_root_node().add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    branches = [index.add_child(instance=BranchPage(title=name, slug=name.lower(), region=region, country="X",
                                                    time_zone="Europe/Paris"))
                for name in ("Paris", "Berlin", "Madrid", "Sydney")]
    paid = date.today() + timedelta(days=100)

    def member(email, number, branch, group=None):
        m = Member.objects.create_user(email=email, password="x", membership_number=number, branch=branch,
                                       paid_up_until=paid, is_staff=True, first_name=email.split("@")[0])
        if group:
            m.groups.add(Group.objects.get_or_create(name=group)[0])
        return m

    people = {
        "proposer": member("proposer@example.org", "B1", branches[0]),
        "officer": member("officer.paris@example.org", "B2", branches[0], "Paris branch officers"),
        "secretary": member("secretary@example.org", "B3", branches[0], "Secretary"),
    }
    return branches, people


def bulk_items(n_items, n_decisions, branches, people, start=0):
    """Items at every stage of the motion pipeline with decisions, written in bulk (fast)."""
    from django.db import connection
    from django.utils import timezone

    from workflows.models import Decision, Item, Pipeline

    last_pk = Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    pipeline = Pipeline.default_for("motion")
    stages = pipeline.ordered_stages()
    now = timezone.now()
    items = [
        Item(reference=f"M-1999-{start + i:06d}", kind="motion", title=f"Bench motion {start + i}",
             text="<p>Votes for life for every citizen abroad.</p>", status="in_progress", pipeline=pipeline,
             current_stage=stages[(start + i) % 2], branch=branches[(start + i) % len(branches)],
             proposer=people["proposer"], submitted_at=now, created_at=now)
        for i in range(n_items)
    ]
    Item.objects.bulk_create(items, batch_size=2000)
    ids = list(Item.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.executemany("INSERT INTO workflows_motion (item_ptr_id) VALUES (%s)", [(pk,) for pk in ids])
    per_item = max(1, n_decisions // n_items)
    decisions = [
        Decision(item_id=pk, stage=stages[0], stage_name=stages[0].name, deciding_body=stages[0].deciding_body,
                 outcome="referred_back", status_after="in_progress", votes_for=10, votes_against=3, abstentions=1,
                 decided_on=date.today(), recorded_at=now, recorded_by=people["officer"], note="bench")
        for pk in ids for _ in range(per_item)
    ]
    Decision.objects.bulk_create(decisions, batch_size=5000)
    return ids


def count_queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx)


def measure_queries(people, item_id):
    from django.test import Client

    from workflows.models import Item

    client = Client()
    client.force_login(people["secretary"])

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return run

    def history():
        list(Item.objects.get(pk=item_id).history())

    get("/admin/items/")()  # warm caches (content types, permissions)
    return {
        "admin item list (/admin/items/)": count_queries(get("/admin/items/")),
        "admin item page with history": count_queries(get(f"/admin/items/inspect/{item_id}/")),
        "API listing (/api/v2/motions/)": count_queries(get("/api/v2/motions/")),
        "API item with history": count_queries(get(f"/api/v2/motions/{item_id}/")),
        "item.history() selector": count_queries(history),
    }


def record_throughput(people, branches, n):
    """Decisions recorded through the service: n fresh items, each carried at its branch meeting."""
    from workflows import services
    from workflows.models import Item

    ids = bulk_items(n, n, [branches[0]], people, start=1_000_000)
    items = list(Item.objects.filter(pk__in=ids).select_related("current_stage"))
    for item in items:  # start them all at the branch stage
        item.current_stage = item.pipeline.first_stage()
    Item.objects.bulk_update(items, ["current_stage"])
    officer = people["officer"]
    stage = items[0].current_stage
    timings = []
    started = time.perf_counter()
    for item in items:
        t = time.perf_counter()
        services.record_decision(item, "carried", officer, stage=stage, votes_for=12, votes_against=3, abstentions=1)
        timings.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    return n / total, statistics.median(timings) * 1000


def bare_transaction_ms(item_ids, n=100):
    """Baseline, same database, same run: one transaction that locks and updates one item row
    (the floor any state change pays, mostly the commit)."""
    from django.db import transaction
    from django.utils import timezone

    from workflows.models import Item

    timings = []
    for pk in item_ids[:n]:
        t = time.perf_counter()
        with transaction.atomic():
            Item.objects.select_for_update().get(pk=pk)
            Item.objects.filter(pk=pk).update(updated_at=timezone.now())
        timings.append(time.perf_counter() - t)
    return statistics.median(timings) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--record", type=int, default=500, help="decisions recorded through the service")
    args = parser.parse_args()
    tmp = setup_django()
    from django.db import connection

    print(f"Database: {connection.vendor} ({'temporary ' + tmp if tmp else 'DATABASE_URL'})")
    branches, people = build_people()

    small_ids = bulk_items(100, 500, branches, people)
    small = measure_queries(people, small_ids[0])
    t = time.perf_counter()
    bulk_items(args.items - 100, args.decisions - 500, branches, people, start=100)
    print(f"Bulk-created {args.items} items and {args.decisions} decisions in {time.perf_counter() - t:.1f} s")
    large = measure_queries(people, small_ids[0])

    print(f"\nSQL queries per request   at 100 items   at {args.items} items   ratio")
    for name in small:
        print(f"  {name:<34} {small[name]:>6} {large[name]:>14}   {large[name] / small[name]:.2f}")

    per_second, median_ms = record_throughput(people, branches, args.record)
    baseline_ms = bare_transaction_ms(small_ids)
    print(f"\nrecord_decision through the service: {per_second:.1f} decisions/s "
          f"(median {median_ms:.1f} ms per decision, {args.record} decisions, "
          f"with {args.items} items and {args.decisions} decisions in the database)")
    print(f"baseline, one bare locked update in a transaction: median {baseline_ms:.1f} ms; "
          f"service / baseline = {median_ms / baseline_ms:.1f}x")


if __name__ == "__main__":
    main()
