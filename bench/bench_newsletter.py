"""A newsletter to 3,500 members, measured. Not a test: prints figures.

    .venv/bin/python bench/bench_newsletter.py [--members 3500] [--runs 5]

On a throwaway SQLite file (tables from the models), in one run:
1. Building the outbox: newsletters.services.build_outbox (recipients query, the email rendered
   once, one personalised row per member with its signed unsubscribe link and headers, bulk
   insert), CPU and wall, beside a bare bulk_create of the very same rows (the floor).
   Target: within 2x the floor.
2. Sending the 3,500 rows as the worker does (newsletters.sending.send_batch, 100 per task)
   through a fake anymail backend that accepts at most 100 recipients per request (batch
   sending with merge data). Target: under 60 s of worker time.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(tmp):
    from bench_tracker import setup_django as setup_on_sqlite  # the same fresh, migrated SQLite file

    setup_on_sqlite(tmp, email_backend="tests.newsletters.backends.BatchProviderBackend")


def build_site(members):
    from wagtail.models import Collection, Locale, Page
    from wagtail.rich_text import RichText

    from cms.models import BranchIndexPage, BranchPage, Member, Region
    from newsletters.models import Newsletter

    Locale.objects.get_or_create(language_code="en-gb")
    Collection.add_root(name="Root")
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    region = Region.objects.create(number=1, name="Europe", slug="europe")
    index = root.add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    paris = index.add_child(instance=BranchPage(title="Paris", slug="paris", region=region, country="France",
                                                time_zone="Europe/Paris"))
    Member.objects.bulk_create(
        [Member(email=f"member{n}@example.org", membership_number=f"M{n}", first_name=f"Member{n}",
                last_name="Abroad", branch=paris, password="!") for n in range(members)], batch_size=500)
    paragraph = ("<p>Our branch meets on the second Tuesday of the month at 19:30 Paris time. "
                 "<b>Everyone is welcome</b>; read the <a href=\"https://example.org/motion\">motion</a>.</p>")
    newsletter = Newsletter.objects.create(
        subject="Paris branch: June newsletter", audience="branch", branch=paris, intro="News from the branch.",
        body=[("heading", "Our next meeting"), ("rich_text", RichText(paragraph * 12)),
              ("quote", {"text": "Organise wherever you live.", "attribution": "LI"}),
              ("heading", "Campaigns"), ("rich_text", RichText(paragraph * 8))])
    return newsletter


def timed(function):
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=3500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(tmp)
        from django.db import connection

        from newsletters import sending, services
        from notifications.models import OutboxEmail
        from tests.newsletters.backends import BatchProviderBackend

        newsletter = build_site(args.members)
        rows_of = OutboxEmail.objects.filter(key__startswith=f"newsletter:{newsletter.pk}:")
        fields = ["key", "kind", "member_id", "to_email", "subject", "body_text", "body_html", "headers"]
        build_cpu, build_wall, floor_cpu, floor_wall = [], [], [], []
        for _ in range(args.runs):
            rows_of.delete()
            count, cpu, wall = timed(lambda: services.build_outbox(newsletter))
            build_cpu.append(cpu)
            build_wall.append(wall)
            same = [OutboxEmail(**values) for values in rows_of.values(*fields)]
            rows_of.delete()
            _, cpu, wall = timed(lambda rows=same: OutboxEmail.objects.bulk_create(rows, batch_size=500,
                                                                                   ignore_conflicts=True))
            floor_cpu.append(cpu)
            floor_wall.append(wall)
        size = sum(len(r.body_html) + len(r.body_text) for r in same) / len(same)
        print(f"newsletter to {count} members, {size / 1024:.1f} KiB of body per email, {args.runs} runs, median")
        print(f"1. building the outbox   cpu {statistics.median(build_cpu) * 1000:7.0f} ms"
              f"   wall {statistics.median(build_wall) * 1000:7.0f} ms")
        print(f"   bare bulk_create      cpu {statistics.median(floor_cpu) * 1000:7.0f} ms"
              f"   wall {statistics.median(floor_wall) * 1000:7.0f} ms")
        print(f"   ratio                 cpu {statistics.median(build_cpu) / statistics.median(floor_cpu):7.2f}x"
              f"   wall {statistics.median(build_wall) / statistics.median(floor_wall):7.2f}x   (target <= 2x)")

        rows_of.delete()
        services.build_outbox(newsletter)
        pks = list(rows_of.order_by("pk").values_list("pk", flat=True))
        BatchProviderBackend.reset()
        batch = services.batch_size()

        def send_all():
            return sum(sending.send_batch(pks[start:start + batch]) for start in range(0, len(pks), batch))

        sent, cpu, wall = timed(send_all)
        assert sent == len(pks) == rows_of.filter(status="sent").count(), (sent, len(pks))
        print(f"2. sending {sent} emails: {BatchProviderBackend.requests} provider requests "
              f"(at most 100 recipients each), {len(pks) // batch + bool(len(pks) % batch)} worker tasks")
        print(f"   worker time           cpu {cpu:7.2f} s    wall {wall:7.2f} s    (target < 60 s)")
        print(f"   database: {connection.vendor}")


if __name__ == "__main__":
    main()
