"""/api/v2/motions/: public items of all kinds with their history; never drafts or personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steering_groups.models import SteeringGroup, SteeringGroupMembership
from tests.workflows.conftest import submit_motion
from workflows import services


@pytest.fixture
def items(people, consultation):
    motion = submit_motion(people)
    services.record_decision(motion, "carried", people["paris_officer"], votes_for=11, votes_against=2, abstentions=1)
    draft = services.create_draft("motion", people["proposer"], title="Secret draft", text="<p>Not yet</p>")
    submission = services.create_draft(
        "policy_submission", people["proposer"], title="NHS workforce", text="<p>Train more nurses.</p>",
        consultation=consultation, commission=consultation.commissions.get(), seconder_emails=["seconder@example.org"],
    )
    services.confirm_seconding(submission, people["seconder"])
    services.submit_item(submission, people["proposer"])
    group = SteeringGroup.objects.create(name="Procedures", slug="procedures")
    SteeringGroupMembership.objects.create(group=group, member=people["member"], role="member")
    proposal = services.create_draft("proposal", people["member"], title="Standing orders", text="<p>Adopt.</p>",
                                     steering_group=group)
    services.submit_item(proposal, people["member"])
    return {"motion": motion, "draft": draft, "submission": submission, "proposal": proposal}


def test_api_lists_public_items_of_all_kinds_with_history(client, items):
    response = client.get("/api/v2/motions/")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"]["total_count"] == 3
    by_ref = {i["reference"]: i for i in body["items"]}
    assert items["draft"].reference not in by_ref
    motion = by_ref[items["motion"].reference]
    assert motion["kind"] == "motion" and motion["branch"]["slug"] == "paris"
    assert motion["stage"]["name"] == "GC ratification" and motion["status"] == "in_progress"
    assert motion["history"][0]["outcome"] == "carried"
    assert motion["history"][0]["votes"] == {"for": 11, "against": 2, "abstentions": 1}
    assert {i["kind"] for i in body["items"]} == {"motion", "policy_submission", "proposal"}


def test_api_never_shows_personal_data(client, items, people):
    content = client.get("/api/v2/motions/").content.decode() + client.get(
        f"/api/v2/motions/{items['motion'].pk}/").content.decode()
    for member in people.values():
        assert member.email not in content
        assert f'"{member.membership_number}"' not in content
        assert member.last_name not in content


def test_api_detail_has_reference_stage_status_and_history(client, items):
    response = client.get(f"/api/v2/motions/{items['motion'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert {"reference", "stage", "status", "history", "text"} <= set(body)
    assert client.get(f"/api/v2/motions/{items['draft'].pk}/").status_code == 404


@pytest.mark.parametrize("query, expected", [
    ("kind=policy_submission", ["submission"]),
    ("branch=paris", ["motion", "submission"]),
    ("status=in_progress&kind=proposal", ["proposal"]),
    ("stage=GC%20ratification", ["motion"]),
    ("q=nurses", ["submission"]),
])
def test_api_filters(client, items, query, expected):
    body = client.get(f"/api/v2/motions/?{query}").json()
    assert sorted(i["reference"] for i in body["items"]) == sorted(items[k].reference for k in expected)


@pytest.mark.parametrize("query", ["kind=resolution", "status=draft", "branch=atlantis", "stage=Nowhere",
                                   "colour=red", "limit=abc", "limit=1000"])
def test_api_bad_filter_is_a_400_with_a_message(client, items, query):
    response = client.get(f"/api/v2/motions/?{query}")
    assert response.status_code == 400
    assert response.json()["message"]


def test_api_listing_queries_do_not_grow_with_items(client, items, people):
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v2/motions/")
    for n in range(4):
        motion = submit_motion(people, title=f"Motion {n}")
        services.record_decision(motion, "fell", people["paris_officer"], votes_for=1, votes_against=9)
    with CaptureQueriesContext(connection) as more:
        body = client.get("/api/v2/motions/").json()
    assert body["meta"]["total_count"] == 7
    assert len(more) == len(few)
