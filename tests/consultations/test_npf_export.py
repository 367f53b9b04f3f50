"""The policy officer exports what the GC ratified: from the command line, as a job, and then
records that it was sent (through record_decision)."""

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from consultations.exports import services
from consultations.models import ExportJob
from workflows.lines import number_lines
from workflows.models import Decision, ItemStatus

from .docx_helpers import body_paragraphs_after, num_pr, numbered_lines, unnumbered


def headings(doc, level):
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_export_npf_command_writes_ratified_submissions_by_commission(ratified, consultation, tmp_path, capsys):
    output = tmp_path / "npf.docx"
    call_command("export_npf", "--consultation", "npf-2026", "--output", str(output))
    assert "Wrote" in capsys.readouterr().out

    doc = docx.Document(output)
    assert doc.paragraphs[0].text == "Labour International"
    assert headings(doc, 1) == ["Britain in the World", "Health and Care"]
    # The pending one (still at the policy officer) is not there; within a commission, oldest first.
    assert headings(doc, 2) == ["Votes for life", "Fair trade", "Care for returning citizens"]

    votes = body_paragraphs_after(doc, "Votes for life")
    reference = ratified["votes"].reference
    assert votes[0].text == f"Reference {reference} · Submitted by Paris branch"
    assert votes[-1].text.startswith("Ratified by the General Committee on ")
    assert votes[-1].text.endswith(": 23 for, 2 against, 1 abstention.")
    gc = Decision.objects.get(item=ratified["votes"], deciding_body="gc")
    assert f"{gc.decided_on.day} {gc.decided_on:%B %Y}" in votes[-1].text
    sentence = next(p for p in votes if unnumbered(p).startswith("Members abroad"))
    assert [r.text for r in sentence.runs if r.bold] == ["a vote for life"]
    assert [(h.text, h.address) for h in sentence.hyperlinks] == [("the evidence", "https://example.org/votes")]
    assert [unnumbered(p) for p in votes if num_pr(p)] == [
        "register once", "online", "vote from anywhere", "Legislate", "Fund the registration service",
    ]
    # Each line of the text begins with its number, as on the submission's page.
    assert numbered_lines(votes) == [(line.number, line.text) for line in number_lines(ratified["votes"].text)]
    care = body_paragraphs_after(doc, "Care for returning citizens")
    assert care[0].text.endswith("Submitted by Sydney branch")
    assert care[-1].text.endswith(": 30 for, 0 against, 0 abstentions.")


def test_export_npf_command_can_pick_submissions(ratified, tmp_path):
    output = tmp_path / "picked.docx"
    call_command("export_npf", "--consultation", "npf-2026", "--output", str(output),
                 "--submission", ratified["care"].reference.lower())
    assert headings(docx.Document(output), 2) == ["Care for returning citizens"]


def test_unknown_consultation_is_a_clear_error_and_no_file(ratified, tmp_path):
    output = tmp_path / "nothing.docx"
    with pytest.raises(CommandError, match="No NPF consultation “npf-1999”. Known consultations: npf-2026."):
        call_command("export_npf", "--consultation", "npf-1999", "--output", str(output))
    assert not output.exists()


def test_nothing_ratified_is_a_clear_error_not_an_empty_file(people, consultation, tmp_path):
    output = tmp_path / "nothing.docx"
    with pytest.raises(CommandError, match="Nothing to export for “Building a fairer Britain” \\(2026\\)"):
        call_command("export_npf", "--consultation", "npf-2026", "--output", str(output))
    assert not output.exists()


def test_picking_a_submission_that_is_not_ratified_is_refused(ratified, tmp_path):
    with pytest.raises(CommandError, match=f"Not ratified and waiting to be sent .*: {ratified['pending'].reference}"):
        call_command("export_npf", "--consultation", "npf-2026", "--output", str(tmp_path / "x.docx"),
                     "--submission", ratified["pending"].reference)


def test_the_command_exits_non_zero_from_the_shell(ratified, tmp_path):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "export_npf", "--consultation", "nope", "--output",
                                   str(tmp_path / "x.docx")])
    assert exit_info.value.code != 0


def test_dropped_characters_are_named_by_the_command(people, consultation, tmp_path, capsys):
    from .conftest import ratify, submit

    item = ratify(submit(people, "policy_submission", "Bell", "<p>Ring\x07 the bell</p>", consultation=consultation,
                         commission=consultation.commissions.first()), people)
    call_command("export_npf", "--consultation", "npf-2026", "--output", str(tmp_path / "bell.docx"))
    assert f"{item.reference}: 1 character dropped (U+0007)" in capsys.readouterr().out


def test_conference_export_has_the_ratified_motions(ratified, tmp_path):
    output = tmp_path / "conference.docx"
    call_command("export_conference", "--output", str(output))
    doc = docx.Document(output)
    assert headings(doc, 1) == ["Motions to Conference"]
    assert headings(doc, 2) == ["Votes for Life now"]
    assert doc.paragraphs[1].text.startswith("Motions to Labour Party Conference")


def test_policy_officer_exports_as_a_job_then_marks_the_submissions_as_exported(ratified, people, consultation):
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)
    assert job.status == ExportJob.Status.DONE
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.affected_items == []
    assert set(job.items.values_list("reference", flat=True)) == {
        ratified["votes"].reference, ratified["care"].reference, ratified["trade"].reference,
    }
    with job.file.open("rb") as handle:
        assert headings(docx.Document(handle), 2) == ["Votes for life", "Fair trade", "Care for returning citizens"]

    sent, not_sent = services.mark_sent(job, people["policy"])
    assert sorted(sent) == sorted(job.items.values_list("reference", flat=True)) and not_sent == {}
    for key in ("votes", "care", "trade"):
        item = ratified[key]
        item.refresh_from_db()
        assert item.status == ItemStatus.FINISHED and item.current_stage is None
        last = item.decisions.order_by("-pk").first()
        assert (last.outcome, last.stage_name, last.recorded_by) == ("exported", "Exported to the NPF", people["policy"])
    job.refresh_from_db()
    assert job.sent_by == people["policy"] and job.sent_at is not None

    # A second click sends nothing twice, and nothing is left to export.
    sent, not_sent = services.mark_sent(job, people["policy"])
    assert sent == [] and set(not_sent) == set(job.items.values_list("reference", flat=True))
    with pytest.raises(services.ExportError, match="Nothing to export"):
        services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)


def test_marking_as_sent_goes_through_record_decision_rules(ratified, people, consultation, monkeypatch):
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation,
                                references=[ratified["care"].reference])
    calls = []
    real = services.record_decision

    def spy(item, outcome, by, **kwargs):
        calls.append((item.reference, outcome, kwargs["stage"].name))
        return real(item, outcome, by, **kwargs)

    monkeypatch.setattr(services, "record_decision", spy)
    # A member with no role: record_decision refuses, nothing is recorded, the officer is told why.
    sent, not_sent = services.mark_sent(job, people["member"])
    assert sent == [] and "may not record decisions" in not_sent[ratified["care"].reference]
    sent, _ = services.mark_sent(job, people["policy"])
    assert sent == [ratified["care"].reference]
    assert calls == [(ratified["care"].reference, "exported", "Exported to the NPF")] * 2


def test_only_the_policy_officer_exports_npf_submissions(ratified, people, consultation):
    for who in ("member", "paris_officer"):
        with pytest.raises(services.ExportError, match="Only the policy officer"):
            services.start_export(ExportJob.Kind.NPF, people[who], consultation=consultation)
    assert not ExportJob.objects.exists()


def test_large_exports_go_to_the_worker_queue(ratified, people, consultation, monkeypatch):
    from django_q.models import OrmQ

    # Not inline: the task is queued on the ORM broker for the worker, and the job waits for it.
    # (test_worker.py runs a real qcluster; here the test settings' inline mode is switched off.)
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)
    monkeypatch.setattr(services, "INLINE_LIMIT", 1)
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)
    assert job.status == ExportJob.Status.QUEUED and job.task_id
    assert OrmQ.objects.count() == 1
    # What the worker then runs:
    from consultations.exports.tasks import run_export_job_task

    run_export_job_task(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.progress_done == 3 and job.file


def test_a_failed_export_is_recorded_on_the_job(ratified, people, consultation, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_document", broken)
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)
    assert job.status == ExportJob.Status.FAILED and "disk full" in job.error and not job.file
    with pytest.raises(services.ExportError, match="Only a finished export"):
        services.mark_sent(job, people["policy"])


def test_withdrawn_since_the_export_is_not_sent(ratified, people, consultation):
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)
    services.record_decision(ratified["trade"], "withdrawn", people["policy"])
    sent, not_sent = services.mark_sent(job, people["policy"])
    assert ratified["trade"].reference not in sent and "withdrawn" in not_sent[ratified["trade"].reference]
    assert len(sent) == 2

