"""Benchmark of the branch pages: does /branches/paris/ stay fast and flat as news piles up?

Not a test: run it and read the figures.

    .venv/bin/python bench/bench_branches.py [--requests 30] [--extra-news 2000]

On a fresh SQLite database in its own temporary directory it runs seed_demo, then adds news
pages to the Paris branch: first up to 20, measuring; then up to 2,000 extra pages in all,
measuring again. For /branches/paris/ and /branches/ it prints the median request time beside
a trivial Django view measured in the same run (and their ratio), and the SQL query count.
"""

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-branches-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402


def trivial(request):
    return HttpResponse("ok")


def bench_urlconf():
    from cms import urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/trivial/", trivial)] + urls.urlpatterns
    sys.modules["bench_urls"] = module
    return "bench_urls"


def median_ms(client, url, requests):
    client.get(url)  # warm caches
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def add_news(branch, count, start):
    from cms.models import NewsPage

    today = date.today()
    for batch in range(start, start + count, 200):
        with transaction.atomic():  # one commit per 200 pages: the bench measures reads, not fsyncs
            for n in range(batch, min(batch + 200, start + count)):
                branch.add_child(instance=NewsPage(title=f"Bench news {n}", slug=f"bench-news-{n}",
                                                   date=today - timedelta(days=n % 3650), intro="A benchmark item."))


def measure(client, label, requests, news_count):
    trivial_ms = median_ms(client, "/bench/trivial/", requests)
    print(f"\n{label}: Paris has {news_count} news pages")
    print(f"  {'page':<18}{'median ms':>10}{'x trivial':>11}{'queries':>9}")
    print(f"  {'trivial view':<18}{trivial_ms:>10.2f}{1:>11.1f}{query_count(client, '/bench/trivial/'):>9}")
    counts = {}
    for url in ("/branches/paris/", "/branches/"):
        ms = median_ms(client, url, requests)
        counts[url] = query_count(client, url)
        print(f"  {url:<18}{ms:>10.2f}{ms / trivial_ms:>11.1f}{counts[url]:>9}")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--extra-news", type=int, default=2000)
    args = parser.parse_args()
    try:
        with override_settings(ROOT_URLCONF=bench_urlconf(), MEDIA_ROOT=str(WORKDIR / "media")):
            run(args)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def run(args):
    from cms.models import BranchPage, NewsPage

    print(f"Fresh SQLite database in {WORKDIR}")
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    print(f"migrate + seed_demo: {time.perf_counter() - start:.1f} s")
    paris = BranchPage.objects.get(slug="paris")
    client = Client()

    existing = NewsPage.objects.child_of(paris).count()
    first_batch = max(0, 20 - existing)
    add_news(paris, first_batch, 0)
    small = measure(client, "At 20 news pages", args.requests, NewsPage.objects.child_of(paris).count())

    start = time.perf_counter()
    add_news(paris, args.extra_news - first_batch, first_batch)
    print(f"\nadded {args.extra_news} extra news pages in all ({time.perf_counter() - start:.1f} s)")
    large = measure(client, f"At {args.extra_news} extra news pages", args.requests,
                    NewsPage.objects.child_of(paris).count())

    print("\nQuery counts, 20 vs 2,000 news pages:")
    for url in small:
        verdict = "flat" if small[url] == large[url] else "GROWS"
        print(f"  {url:<18}{small[url]:>4} -> {large[url]:<4} {verdict}")


if __name__ == "__main__":
    main()
