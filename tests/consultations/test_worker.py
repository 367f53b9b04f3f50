"""A large export really runs in the django-q2 worker: `manage.py qcluster` started here, on a
throwaway SQLite file, stopped at the end."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from tests.consultations.conftest import grant_admin_access, make_member, ratify, submit
from datetime import timedelta
from django.utils import timezone
from wagtail.models import Page
from cms.models import BranchIndexPage, BranchPage, Region
from consultations.exports import services
from workflows.models import Consultation, PolicyCommission
from workflows.permissions import branch_officers_group_name

region = Region.objects.create(number=1, name="Europe", slug="europe")
index = Page.get_first_root_node().add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
paris = index.add_child(instance=BranchPage(title="Paris", slug="paris", region=region, country="France",
                                            time_zone="Europe/Paris"))
sydney = index.add_child(instance=BranchPage(title="Sydney", slug="sydney", region=region, country="Australia",
                                             time_zone="Australia/Sydney"))
people = {
    "proposer": make_member("proposer@example.org", "L1", paris),
    "seconder": make_member("seconder@example.org", "L2", paris),
    "paris_officer": make_member("officer.paris@example.org", "L5", paris,
                                 groups=[branch_officers_group_name(paris)], is_staff=True),
    "secretary": make_member("secretary@example.org", "L7", paris, groups=["Secretary"], is_staff=True),
    "policy": make_member("policy@example.org", "L8", paris, groups=["Policy officer"], is_staff=True),
}
consultation = Consultation.objects.create(slug="npf-2026", year=2026, title="Worker test", word_limit=1000,
                                           closes_at=timezone.now() + timedelta(days=30))
health = PolicyCommission.objects.create(name="Health and Care", slug="health-and-care")
consultation.commissions.add(health)
for n in range(6):
    ratify(submit(people, "policy_submission", f"Submission {n}", f"<p>Text <b>{n}</b>.</p>",
                  consultation=consultation, commission=health), people)
job = services.start_export("npf", people["policy"], consultation=consultation)
print("JOB", job.pk, job.status)
"""


def test_a_large_export_runs_in_the_real_worker_and_records_its_progress(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.consultations.worker_settings",
           "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(tmp_path / "media")}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run(manage + ["migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    setup = subprocess.run(manage + ["shell", "-c", SETUP], env=env, cwd=ROOT, check=True, capture_output=True,
                           text=True)
    job_line = next(line for line in setup.stdout.splitlines() if line.startswith("JOB "))
    _, job_id, status = job_line.split()
    assert status == "queued"  # 6 items > EXPORT_INLINE_LIMIT: not run in the request

    def job_row():
        with sqlite3.connect(database, timeout=20) as connection:
            return connection.execute(
                "SELECT status, progress_done, progress_total, file, error FROM workflows_exportjob WHERE id = ?",
                (job_id,),
            ).fetchone()

    assert job_row()[:3] == ("queued", 0, 6)
    worker = subprocess.Popen(manage + ["qcluster"], env=env, cwd=ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180  # generous: CI machines are busy
        row = job_row()
        while row[0] not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.3)
            row = job_row()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:  # django-q2's cluster can hang while stopping: end the group
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    status, done, total, file_name, error = row
    assert (status, done, total, error) == ("done", 6, 6, "")
    doc = docx.Document(tmp_path / "media" / file_name)
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [f"Submission {n}" for n in range(6)]
