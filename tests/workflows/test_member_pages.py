"""Members draft, second, submit and withdraw on the public site; meetings and steering groups."""

from datetime import timedelta

from django.utils import timezone

from steering_groups.models import SteeringGroup, SteeringGroupMembership
from workflows.models import Item, ItemStatus, Meeting

from .conftest import submit_motion


def test_member_drafts_names_a_seconder_who_confirms_then_submits_on_the_site(client, people):
    client.force_login(people["proposer"])
    response = client.post("/my-motions/new/motion/", {
        "title": "Votes for Life", "text": "Restore votes for life.\n\nFor every overseas citizen.",
        "seconders": "seconder@example.org",
    })
    item = Item.objects.get()
    assert response.status_code == 302 and response.url == f"/my-motions/{item.pk}/"
    assert item.text == "<p>Restore votes for life.</p><p>For every overseas citizen.</p>"
    assert item.status == ItemStatus.DRAFT and item.reference is None
    client.post(f"/my-motions/{item.pk}/submit/")
    item.refresh_from_db()
    assert item.status == ItemStatus.AWAITING_SECONDERS and item.reference.startswith("M-")
    client.force_login(people["seconder"])
    assert item.title in client.get("/my-motions/").text
    page = client.get(f"/my-motions/{item.pk}/")
    assert "I second this" in page.text
    client.post(f"/my-motions/{item.pk}/second/")
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS and item.current_stage.name == "Branch meeting"


def test_a_malformed_seconder_address_is_a_form_error_and_nothing_is_saved(client, people):
    client.force_login(people["proposer"])
    response = client.post("/my-motions/new/motion/", {"title": "T", "text": "Text", "seconders": "L3"})
    assert response.status_code == 200
    assert "“L3” is not an email address" in response.text
    assert not Item.objects.exists()


def test_proposer_as_own_seconder_is_refused(client, people):
    client.force_login(people["proposer"])
    response = client.post("/my-motions/new/motion/", {"title": "T", "text": "Text",
                                                       "seconders": "Proposer@example.org"})
    assert "your own address" in response.text
    assert not Item.objects.exists()


def test_policy_submission_over_the_limit_is_a_form_error_with_the_count(client, people, consultation):
    client.force_login(people["proposer"])
    response = client.post("/my-motions/new/policy_submission/", {
        "title": "NHS", "text": " ".join(["word"] * 25), "seconders": "seconder@example.org",
        "consultation": consultation.pk, "commission": consultation.commissions.get().pk,
    })
    assert response.status_code == 200
    assert "25 words" in response.text and "limit is 20" in response.text
    assert not Item.objects.exists()


def test_proposer_withdraws_on_the_site(client, people):
    motion = submit_motion(people)
    client.force_login(people["proposer"])
    assert "Withdraw it" in client.get(f"/my-motions/{motion.pk}/").text
    # The link opens a page that asks first (no JavaScript needed); only the POST withdraws.
    confirm = client.get(f"/my-motions/{motion.pk}/withdraw/")
    assert confirm.status_code == 200 and f"Withdraw {motion.reference}" in confirm.text
    assert "cannot be undone" in confirm.text and 'method="post"' in confirm.text
    motion.refresh_from_db()
    assert motion.status == ItemStatus.IN_PROGRESS
    response = client.post(f"/my-motions/{motion.pk}/withdraw/", {"note": "Overtaken by events."})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert motion.status == ItemStatus.WITHDRAWN
    assert motion.decisions.get().note == "Overtaken by events."


def test_someone_elses_draft_is_not_found(client, people):
    motion = submit_motion(people)
    draft = Item.objects.create(kind="motion", title="x", text="<p>x</p>",
                                pipeline=motion.pipeline, proposer=people["proposer"])
    client.force_login(people["member"])
    assert client.get(f"/my-motions/{draft.pk}/").status_code == 404
    client.post(f"/my-motions/{motion.pk}/withdraw/")
    motion.refresh_from_db()
    assert motion.status == ItemStatus.IN_PROGRESS


def test_drafting_needs_login(client, db):
    response = client.get("/my-motions/new/motion/")
    assert response.status_code == 302 and "/login/" in response.url


def test_minutes_are_published_to_members_once_approved(client, people):
    meeting = Meeting.objects.create(body="gc", title="GC January", starts_at=timezone.now() - timedelta(days=3),
                                     minutes="<p>Secret draft minutes</p>")
    client.force_login(people["member"])
    assert "Secret draft minutes" not in client.get(f"/meetings/{meeting.pk}/").text
    meeting.minutes_status = "approved"
    meeting.save()
    assert "Secret draft minutes" in client.get(f"/meetings/{meeting.pk}/").text
    client.logout()
    assert "Secret draft minutes" not in client.get(f"/meetings/{meeting.pk}/").text


def test_steering_groups_are_listed_publicly(client, people):
    group = SteeringGroup.objects.create(name="Branch Development", slug="branch-development",
                                         remit="<p>Grow and revive branches.</p>")
    SteeringGroupMembership.objects.create(group=group, member=people["member"], role="convener")
    response = client.get("/steering-groups/")
    assert response.status_code == 200
    assert "Branch Development" in response.text and people["member"].get_full_name() in response.text
    assert people["member"].email not in response.text
    assert client.get("/steering-groups/branch-development/").status_code == 200
