"""Benchmark of uncached pages: CPU time of /branches/paris/ and /motions/ beside a minimal Wagtail page.

Not a test: run it and read the figures.

    .venv/bin/python bench/bench_uncached.py [--rounds 60]

On a fresh SQLite database in its own temporary directory it runs seed_demo, adds a minimal
Wagtail page (a StandardPage with one paragraph, /minimal/), then requests the three pages in turn,
interleaved, in one process, with the public-page cache off, and prints the median CPU time
(time.process_time) of each, its ratio to the minimal page, and its query count.
"""

import argparse
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-uncached-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

URLS = {"minimal Wagtail page": "/minimal/", "branch home": "/branches/paris/", "tracker": "/motions/"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    try:
        run(args)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)


def run(args):
    from wagtail.models import Site

    from cms.models import StandardPage
    from workflows.models import Item

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    home = Site.objects.get(is_default_site=True).root_page
    if not StandardPage.objects.filter(slug="minimal").exists():
        home.add_child(instance=StandardPage(title="Minimal", slug="minimal",
                                             body=[("rich_text", "<p>One paragraph.</p>")]))
    print(f"migrate + seed_demo: {time.perf_counter() - start:.1f} s; {Item.objects.public().count()} public items")
    client = Client()
    times = {name: [] for name in URLS}
    counts = {}
    for name, url in URLS.items():
        assert client.get(url).status_code == 200, url  # warm: site root, content types, templates
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
    for _ in range(args.rounds):
        for name, url in URLS.items():
            started = time.process_time()
            client.get(url)
            times[name].append(time.process_time() - started)
    minimal = statistics.median(times["minimal Wagtail page"])
    print(f"\nUncached, {args.rounds} rounds interleaved in one process (CPU time, median):")
    print(f"  {'page':<24}{'url':<18}{'CPU ms':>8}{'× minimal':>11}{'queries':>9}")
    for name, url in URLS.items():
        median = statistics.median(times[name])
        print(f"  {name:<24}{url:<18}{median * 1000:>8.1f}{median / minimal:>11.2f}{counts[name]:>9}")


if __name__ == "__main__":
    main()
