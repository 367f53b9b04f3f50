"""Failure drills: the database refusing a write mid-decision, the email provider failing, the
worker killed mid-queue. (Two officers deciding at once: tests/workflows/test_concurrency.py.)"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import DatabaseError, connection
from django.utils import timezone

from notifications import services as notification_services
from notifications import tasks as notification_tasks
from notifications.models import OutboxEmail
from workflows import services
from workflows.models import Decision, Item
from workflows.signals import decision_recorded

from .conftest import make_member, submit_motion

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------- the database refuses a write


def test_database_refusing_the_item_update_leaves_no_half_recorded_decision(
    people, django_capture_on_commit_callbacks
):
    motion = submit_motion(people)
    before = Item.objects.values().get(pk=motion.pk)
    heard = []
    decision_recorded.connect(lambda **kw: heard.append(kw), dispatch_uid="drill", weak=False)
    mail.outbox.clear()
    with connection.cursor() as cursor:  # the Decision row is written, then the item's UPDATE is refused
        cursor.execute("CREATE TEMP TRIGGER refuse_item_update BEFORE UPDATE ON workflows_item "
                       "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
            services.record_decision(motion, "carried", people["paris_officer"], votes_for=9, votes_against=1)
        assert Decision.objects.filter(item_id=motion.pk).count() == 0
        assert Item.objects.values().get(pk=motion.pk) == before
        assert heard == [] and mail.outbox == [] and OutboxEmail.objects.count() == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS refuse_item_update")
        decision_recorded.disconnect(dispatch_uid="drill")

    # Once the database accepts writes again, the same decision is recorded normally.
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.record_decision(Item.objects.get(pk=motion.pk), "carried", people["paris_officer"],
                                            votes_for=9, votes_against=1)
    assert decision.item.status == "in_progress" and Decision.objects.filter(item_id=motion.pk).count() == 1


# --------------------------------------------------------------------------- the email provider fails


class IntermittentProvider:
    """An email backend like a provider that refuses every other message (a partial outage)."""

    calls = 0
    delivered = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        from anymail.exceptions import AnymailAPIError

        IntermittentProvider.calls += 1
        if IntermittentProvider.calls % 2:
            raise AnymailAPIError("The provider answered 503 Service Unavailable")
        IntermittentProvider.delivered.extend(messages)
        return len(messages)


def test_provider_outage_loses_no_email_and_sends_none_twice(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.hardening.test_failure_drills.IntermittentProvider"
    IntermittentProvider.calls, IntermittentProvider.delivered = 0, []
    motion = submit_motion(people)
    followers = [make_member(f"follower{n}@example.org", f"F{n}", people["proposer"].branch) for n in range(5)]
    for member in followers:
        notification_services.follow(member, motion)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_decision(motion, "carried", people["paris_officer"], votes_for=9, votes_against=1)
    emails = OutboxEmail.objects.filter(event__decision__item=motion)
    expected = {m.email for m in followers} | {people["proposer"].email, people["seconder"].email}
    assert set(emails.values_list("to_email", flat=True)) == expected
    assert emails.filter(status=OutboxEmail.Status.FAILED).exists()  # the outage hit this batch

    # Retries run (each backoff taken as passed) until the provider took everything; every batch
    # task is delivered twice, as a broker may do after a restart: the second sends nothing again.
    for _ in range(8):
        due = list(emails.filter(status=OutboxEmail.Status.FAILED).values_list("pk", flat=True))
        OutboxEmail.objects.filter(pk__in=due).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        notification_tasks.send_batch(due)
        notification_tasks.send_batch(due)
    assert emails.filter(status=OutboxEmail.Status.SENT).count() == len(expected)
    delivered = [address for message in IntermittentProvider.delivered for address in message.to]
    assert sorted(delivered) == sorted(expected)  # every one arrived, none twice


# --------------------------------------------------------------------------- the worker dies mid-queue


def _effects(path):
    if not path.exists():
        return [], []
    with sqlite3.connect(path, timeout=30) as db:
        try:
            effects = [row[0] for row in db.execute("SELECT key FROM effects")]
            runs = [row[0] for row in db.execute("SELECT key FROM runs")]
        except sqlite3.OperationalError:
            return [], []
    return effects, runs


def _wait_for(path, count, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        effects, _ = _effects(path)
        if len(effects) >= count:
            return
        time.sleep(0.2)


def _start_worker(env, log):
    return subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def test_worker_killed_mid_queue_and_restarted_runs_every_task_once(tmp_path):
    tasks = 24
    runs_db = tmp_path / "runs.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.hardening.worker_settings",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}", "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "manage.py", "migrate", "django_q", "--noinput"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    enqueue = ("import django; django.setup()\nfrom django_q.tasks import async_task\n"
               f"for key in range({tasks}):\n"
               f"    async_task('tests.hardening.drill_tasks.record_run', key, {str(runs_db)!r}, 0.4)\n")
    subprocess.run([sys.executable, "-c", enqueue], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)

    log = open(tmp_path / "worker.log", "w")
    worker = _start_worker(env, log)
    try:
        _wait_for(runs_db, 4, 180)
        os.killpg(worker.pid, signal.SIGKILL)  # a crash: no time to finish or hand anything back
        worker.wait(timeout=30)
        done_at_kill, _ = _effects(runs_db)
        assert 4 <= len(done_at_kill) < tasks, "the worker must be killed mid-queue"

        worker = _start_worker(env, log)
        _wait_for(runs_db, tasks, 240)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        log.close()
    effects, runs = _effects(runs_db)
    assert sorted(effects) == list(range(tasks)), (tmp_path / "worker.log").read_text()[-3000:]
    # Tasks taken by the killed worker are given again: the few in flight may have run twice,
    # their effect still once; every other task ran exactly once.
    repeated = {key for key in runs if runs.count(key) > 1}
    assert len(repeated) <= 2 + 4  # workers + tasks fetched ahead (bulk)
    assert set(runs) == set(range(tasks))
