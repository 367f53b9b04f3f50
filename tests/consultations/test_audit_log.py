"""A Word export and its sending are written to Wagtail's audit log (each item sent also as a
decision on it), and shown under Reports › Site history to those who may export, not to a member."""

from cms.models import AuditLogEntry
from consultations.exports import services
from consultations.models import ExportJob

SITE_HISTORY = "/admin/reports/site-history/"


def only_entry(action):
    found = list(AuditLogEntry.objects.filter(action=action))
    assert len(found) == 1, f"{action}: {len(found)} entries"
    return found[0]


def test_an_export_and_marking_it_sent_are_logged_and_shown_to_the_policy_officer(
        client, ratified, people, consultation):
    job = services.start_export(ExportJob.Kind.NPF, people["policy"], consultation=consultation)
    made = only_entry("li.export.made")
    assert (made.user, made.object_id, made.data["items"]) == (people["policy"], str(job.pk), 3)
    assert made.message == "Exported 3 items to Word (NPF consultation)"

    decisions_before = AuditLogEntry.objects.filter(action="li.decision.recorded").count()
    sent, _ = services.mark_sent(job, people["policy"])
    entry = only_entry("li.export.sent")
    assert entry.user == people["policy"] and sorted(entry.data["sent"]) == sorted(sent)
    assert AuditLogEntry.objects.filter(action="li.decision.recorded").count() == decisions_before + 3
    services.mark_sent(job, people["policy"])  # nothing left to send: nothing logged
    assert AuditLogEntry.objects.filter(action="li.export.sent").count() == 1

    client.force_login(people["policy"])
    page = client.get(SITE_HISTORY).content.decode()
    assert "Exported 3 items to Word (NPF consultation)" in page and "Marked sent (NPF consultation)" in page
    client.force_login(people["member"])
    assert client.get(SITE_HISTORY).status_code == 302
