"""The real thing: a `manage.py qcluster` worker (a subprocess) on a SQLite file sends the
emails of a recorded decision; every follower's email arrives once, through the outbox."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from email import message_from_string
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, env, timeout=600):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
                          timeout=timeout)


def outbox_counts(db, kind="decision"):
    """Emails of one kind by status (the proposer's seconding emails go through the same outbox)."""
    with sqlite3.connect(db, timeout=30) as connection:
        return dict(connection.execute(
            "SELECT status, COUNT(*) FROM notifications_outboxemail WHERE kind = ? GROUP BY status", (kind,)))


def test_a_real_worker_sends_every_follower_the_decision_once(tmp_path):
    db, mail_dir = tmp_path / "worker.sqlite3", tmp_path / "mail"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
           "DATABASE_URL": f"sqlite:///{db}", "WORKER_TEST_MAIL_DIR": str(mail_dir), "PYTHONPATH": str(ROOT)}
    run(["manage.py", "migrate", "--run-syncdb", "--noinput"], env)
    scenario = json.loads(run(["-m", "tests.notifications.worker_scenario"], env).stdout.strip().splitlines()[-1])
    expected = scenario["expected"]
    assert outbox_counts(db) == {} and outbox_counts(db, "seconding") == {}  # nothing built without the worker

    worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if outbox_counts(db).get("sent") == expected:
                break
            if worker.poll() is not None:
                raise AssertionError(f"the worker stopped: {worker.stderr.read()[-2000:]}")
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()

    assert outbox_counts(db) == {"sent": expected}
    messages = []
    for path in mail_dir.iterdir():
        chunks = path.read_text().split("-" * 79)
        messages += [message_from_string(chunk.strip()) for chunk in chunks if chunk.strip()]
    assert outbox_counts(db, "seconding") == {"sent": 1}  # the proposer's request to the seconder
    decisions = [m for m in messages if m["Subject"].startswith(f"{scenario['reference']}:")]
    assert len(messages) == expected + 1
    recipients = [m["To"] for m in decisions]
    assert len(recipients) == expected and len(set(recipients)) == expected
    sample = next(m for m in decisions if m["To"] == "follower7@example.org")
    assert sample["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = sample.get_payload(0).get_payload(decode=True).decode()
    assert f"New stage: {scenario['next_stage']}" in text
    assert f"http://testserver/motions/{scenario['reference']}/#timeline" in text
