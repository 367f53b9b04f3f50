"""The officers' amendment screens in the admin, as the officer uses them: the agenda pack download
(a real .docx with line numbers and the amendments under their motion), settling a text where carried
amendments clash, compositing; and who may not."""

import io
from datetime import timedelta

import docx
import pytest
from django.test import Client
from django.utils import timezone

from amendments.models import Composite
from workflows import services as engine
from workflows.models import ItemRevision, ItemStatus, Meeting, MeetingBody, Outcome

from ..workflows.conftest import make_member, submit_motion
from .test_amendments import TEXT, carry, table


@pytest.fixture
def meeting_with_amendments(people, branches):
    motion = submit_motion(people, text=TEXT)
    meeting = Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris branch meeting",
                                     starts_at=timezone.now() + timedelta(days=7), place="Café")
    first = table(motion, people["seconder"], people["proposer"], change="replace", first_line=1, last_line=1,
                  text="<p>New first words \x1b<script>x</script>.</p>", reason="Clearer.")
    other = make_member("third@example.org", "L9", branches["paris"])
    second = table(motion, other, people["seconder"], change="delete", first_line=1, last_line=2)
    return motion, meeting, first, second


def signed_in(member):
    client = Client()
    client.force_login(member)
    return client


def test_the_officer_downloads_the_agenda_pack(people, meeting_with_amendments):
    motion, meeting, first, second = meeting_with_amendments
    client = signed_in(people["paris_officer"])
    index = client.get("/admin/amendments/")
    assert f"/admin/amendments/meetings/{meeting.pk}/pack.docx" in index.content.decode()
    response = client.get(f"/admin/amendments/meetings/{meeting.pk}/pack.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "agenda-pack.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert motion.reference in text and motion.title in text
    assert first.reference in text and second.reference in text
    assert "Replace line 1" in text and "Delete lines 1–2" in text
    assert "restore votes for life" in text
    assert "<script>" not in text and "\x1b" not in text


def test_another_branchs_officer_gets_no_pack(people, meeting_with_amendments):
    _, meeting, _, _ = meeting_with_amendments
    response = signed_in(people["berlin_officer"]).get(f"/admin/amendments/meetings/{meeting.pk}/pack.docx")
    assert response.status_code == 404


def test_the_officer_settles_a_text_where_carried_amendments_clash(people, meeting_with_amendments):
    motion, _, first, second = meeting_with_amendments
    officer = people["paris_officer"]
    carry(first, officer)
    carry(second, officer)
    client = signed_in(officer)
    index = client.get("/admin/amendments/").content.decode()
    assert f"Settle the text of {motion.reference}" in index
    page = client.get(f"/admin/amendments/settle/{motion.pk}/")
    assert page.status_code == 200 and second.reference in page.content.decode()
    refused = signed_in(people["berlin_officer"]).post(f"/admin/amendments/settle/{motion.pk}/", {"text": "Hijack"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "permission denied"
    motion.refresh_from_db()
    assert "Hijack" not in motion.text
    response = client.post(f"/admin/amendments/settle/{motion.pk}/",
                           {"text": "Settled first paragraph.\n\nIt asks the GC to send it on."})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.text == "<p>Settled first paragraph.</p><p>It asks the GC to send it on.</p>"
    assert motion.revisions.last().reason == ItemRevision.Reason.RESOLVED
    carry(motion, officer)


def test_the_secretary_composites_through_the_admin(people, branches):
    officer = people["paris_officer"]
    first = submit_motion(people, title="Votes for life", text=TEXT)
    second = submit_motion(people, title="Votes abroad", text="<p>Votes abroad.</p>")
    for m in (first, second):
        engine.record_decision(m, Outcome.CARRIED, officer, votes_for=5, votes_against=1)
    data = {"sources": f"{first.reference}, {second.reference.lower()}", "title": "Votes for all abroad",
            "text": "One composite text."}
    refused = signed_in(officer).post("/admin/amendments/composite/", data)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's "permission denied"
    assert not Composite.objects.exists()
    response = signed_in(people["secretary"]).post("/admin/amendments/composite/", data)
    composite = Composite.objects.get()
    assert response.status_code == 302 and response["Location"] == composite.get_absolute_url()
    bad = signed_in(people["secretary"]).post("/admin/amendments/composite/",
                                              {**data, "sources": "M-1999-999, " + first.reference})
    assert "No motion has the reference M-1999-999" in bad.content.decode()
    first.refresh_from_db()
    assert first.status == ItemStatus.COMPOSITED
    page = Client().get(first.get_absolute_url()).content.decode()
    assert "Composited into" in page and composite.reference in page
    page = Client().get(composite.get_absolute_url()).content.decode()
    assert first.reference in page and second.reference in page
    api = Client().get(f"/api/v2/motions/{first.pk}/").json()
    assert api["composited_into"]["reference"] == composite.reference


def test_the_api_lists_a_motions_amendments_and_their_fates(people, meeting_with_amendments):
    motion, _, first, second = meeting_with_amendments
    carry(first, people["paris_officer"])
    data = Client().get(f"/api/v2/motions/{motion.pk}/").json()
    by_reference = {a["reference"]: a for a in data["amendments"]}
    assert by_reference[first.reference]["status"] == "finished"
    assert by_reference[first.reference]["fate"].startswith("Carried by the branch meeting on")
    assert by_reference[first.reference]["merged"] is True
    assert by_reference[second.reference]["fate"] == "Waiting for the branch meeting's decision"
    assert by_reference[second.reference]["lines"] == {"first": 1, "last": 2}
