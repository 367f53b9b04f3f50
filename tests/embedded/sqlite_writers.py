"""Writers run as separate processes against one SQLite file (python -m tests.embedded.sqlite_writers
MODE ...), as the web server, an editor's autosave and the worker write in `make run`.

- setup: a page to edit; prints its id.
- publish PAGE_ID N GO_FILE: an officer publishes N revisions of the page.
- autosave PAGE_ID N GO_FILE: the editor's autosave saves N draft revisions of the same page.
- race N: N times, a draft is saved and submitted at the same moment from two threads.
Each prints one JSON line with what it did; any error ends it with a traceback (exit 1).
"""

import json
import os
import sys
import threading
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
django.setup()

from wagtail.models import Page  # noqa: E402


def wait_for_go(go_file):
    while not Path(go_file).exists():
        time.sleep(0.01)


def setup():
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Branch news", slug="branch-news"))
    print(json.dumps({"page": page.pk}))


def publish(page_id, count, go_file):
    wait_for_go(go_file)
    for n in range(count):
        page = Page.objects.get(pk=page_id)
        page.title = f"Published {n}"
        page.save_revision().publish()
    print(json.dumps({"published": count}))


def autosave(page_id, count, go_file):
    wait_for_go(go_file)
    for n in range(count):
        page = Page.objects.get(pk=page_id)
        page.title = f"Autosaved {n}"
        page.save_revision()
    print(json.dumps({"autosaved": count}))


def race(count):
    """Save a draft and submit it at once, from two threads; report what each saw."""
    from datetime import date, timedelta

    from django.db import connection

    from cms.models import BranchPage, Member, Region
    from tests.conftest import restore_migration_data
    from workflows import services
    from workflows.exceptions import ItemError
    from workflows.models import Item

    restore_migration_data()
    root = Page.get_first_root_node()
    region = Region.objects.create(number=1, name="Europe", slug="europe")
    branch = root.add_child(instance=BranchPage(title="Paris", slug="paris-race", country="France", region=region,
                                                time_zone="Europe/Paris"))
    paid = date.today() + timedelta(days=100)
    proposer = Member.objects.create_user(email="p@example.org", membership_number="R1", branch=branch,
                                          paid_up_until=paid)
    Member.objects.create_user(email="s@example.org", membership_number="R2", branch=branch, paid_up_until=paid)
    outcomes = []
    for n in range(count):
        draft = services.create_draft("motion", proposer, title=f"Motion {n}", text="<p>First text.</p>",
                                      seconder_emails=["s@example.org"])
        barrier = threading.Barrier(2)
        seen = {}

        def act(name, action, draft=draft, barrier=barrier, seen=seen):
            stale = Item.objects.get(pk=draft.pk)  # both opened the draft before either acted
            barrier.wait(timeout=10)
            try:
                action(stale)
                seen[name] = "done"
            except ItemError as error:
                seen[name] = str(error)
            finally:
                connection.close()

        edit = threading.Thread(target=act, args=("edit", lambda item: services.update_draft(
            item, proposer, title=item.title, text="<p>Edited text.</p>")))
        submit = threading.Thread(target=act, args=("submit", lambda item: services.submit_item(item, proposer)))
        for thread in (edit, submit):
            thread.start()
        for thread in (edit, submit):
            thread.join(timeout=60)
        final = Item.objects.get(pk=draft.pk)
        outcomes.append({"edit": seen.get("edit"), "submit": seen.get("submit"), "status": final.status,
                         "text": final.text, "reference": final.reference})
    print(json.dumps({"race": outcomes}))


if __name__ == "__main__":
    mode, *args = sys.argv[1:]
    {"setup": setup, "publish": lambda p, n, g: publish(int(p), int(n), g),
     "autosave": lambda p, n, g: autosave(int(p), int(n), g), "race": lambda n: race(int(n))}[mode](*args)
