"""Two writers at once on the SQLite file of the embedded default: an officer publishing a page
while the editor's autosave runs gets no "database is locked" and loses nothing; a draft saved
while it is submitted never puts the submitted item back to draft."""

import json
import subprocess
import sys

from django.conf import settings

from .conftest import PROJECT, environment

ROUNDS = 40


def writer(database, *args):
    return subprocess.Popen([sys.executable, "-m", "tests.embedded.sqlite_writers", *map(str, args)], cwd=PROJECT,
                            env=environment(database), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def result(process, timeout=300):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    assert "database is locked" not in err
    return json.loads(out.strip().splitlines()[-1])


def test_sqlite_is_configured_for_concurrent_writers():
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "journal_mode=WAL" in options["init_command"] and "synchronous=NORMAL" in options["init_command"]
        assert options["transaction_mode"] == "IMMEDIATE" and options["timeout"] >= 5


def test_a_publish_and_an_autosave_at_once_both_succeed_and_every_revision_is_kept(sqlite_file, tmp_path):
    page = result(writer(sqlite_file, "setup"))["page"]
    go = tmp_path / "go"
    publishing = writer(sqlite_file, "publish", page, ROUNDS, go)
    autosaving = writer(sqlite_file, "autosave", page, ROUNDS, go)
    go.write_text("go")  # both start at the same moment
    assert result(publishing) == {"published": ROUNDS}
    assert result(autosaving) == {"autosaved": ROUNDS}

    import sqlite3

    with sqlite3.connect(sqlite_file) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        revisions = db.execute(
            "SELECT count(*) FROM wagtailcore_revision WHERE object_id = ? AND base_content_type_id = "
            "(SELECT content_type_id FROM wagtailcore_page WHERE id = ?)", (str(page), page)).fetchone()[0]
        title, live = db.execute("SELECT title, live FROM wagtailcore_page WHERE id = ?", (page,)).fetchone()
    assert revisions == 2 * ROUNDS  # nothing lost
    assert live == 1 and title == f"Published {ROUNDS - 1}"


def test_saving_a_draft_while_it_is_submitted_never_reverts_the_submission_on_sqlite(sqlite_file):
    outcomes = result(writer(sqlite_file, "race", 12))["race"]
    assert len(outcomes) == 12
    for outcome in outcomes:
        assert outcome["submit"] == "done", outcome
        assert outcome["status"] == "awaiting_seconders" and outcome["reference"], outcome
        if outcome["edit"] == "done":  # the edit got in first: it is kept
            assert outcome["text"] == "<p>Edited text.</p>"
        else:  # the submission got in first: the edit is refused with a reason, nothing changed
            assert "It was submitted" in outcome["edit"] and "not saved" in outcome["edit"]
            assert outcome["text"] == "<p>First text.</p>"
