"""The workflow engine in the Wagtail admin: items with history, decisions, meetings, pipelines."""

from datetime import timedelta

import pytest
from django.utils import timezone

from workflows import services
from workflows.models import Decision, ItemStatus, Meeting, Pipeline

from .conftest import submit_motion


@pytest.fixture
def paris_motion(people):
    return submit_motion(people)


@pytest.fixture
def berlin_motion(people):
    draft = services.create_draft("motion", people["member"], title="Berlin motion", text="<p>Berlin.</p>",
                                  seconder_emails=["officer.berlin@example.org"])
    services.confirm_seconding(draft, people["berlin_officer"])
    services.submit_item(draft, people["member"])
    return draft


def test_secretary_lists_items_filters_and_exports_csv(client, people, paris_motion, berlin_motion):
    client.force_login(people["secretary"])
    response = client.get("/admin/items/")
    assert response.status_code == 200
    assert paris_motion.reference in response.text and berlin_motion.reference in response.text
    filtered = client.get("/admin/items/", {"branch": people["paris_officer"].branch.slug})
    assert paris_motion.reference in filtered.text and berlin_motion.reference not in filtered.text
    # The same filters as the tracker and the API (workflows.filters): a stage by name, a year.
    by_stage = client.get("/admin/items/", {"stage": paris_motion.current_stage.name})
    assert paris_motion.reference in by_stage.text
    assert paris_motion.reference not in client.get("/admin/items/", {"year": "1999"}).text
    csv = client.get("/admin/items/", {"export": "csv"})
    assert csv.status_code == 200
    content = b"".join(csv.streaming_content).decode() if csv.streaming else csv.content.decode()
    assert "Reference" in content and paris_motion.reference in content
    xlsx = client.get("/admin/items/", {"export": "xlsx"})
    assert xlsx.status_code == 200


def test_admin_item_list_queries_do_not_grow_with_items(client, people, paris_motion):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["secretary"])
    client.get("/admin/items/")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/items/")
    for n in range(5):
        submit_motion(people, title=f"More {n}")
    with CaptureQueriesContext(connection) as more:
        client.get("/admin/items/")
    assert len(more) == len(few)


def test_paris_officer_sees_only_paris_items_and_decides_in_the_admin(client, people, paris_motion, berlin_motion):
    client.force_login(people["paris_officer"])
    listing = client.get("/admin/items/")
    assert paris_motion.reference in listing.text and berlin_motion.reference not in listing.text
    assert client.get(f"/admin/items/inspect/{berlin_motion.pk}/").status_code == 404
    page = client.get(f"/admin/items/inspect/{paris_motion.pk}/")
    assert "Record the decision" in page.text
    response = client.post(f"/admin/items/inspect/{paris_motion.pk}/", {
        "stage": paris_motion.current_stage_id, "outcome": "carried", "votes_for": "8", "votes_against": "1",
        "abstentions": "0",
    })
    assert response.status_code == 302
    paris_motion.refresh_from_db()
    assert paris_motion.current_stage.name == "GC ratification"
    history = client.get(f"/admin/items/inspect/{paris_motion.pk}/")
    assert "Carried" in history.text and people["paris_officer"].get_full_name() in history.text


def test_refused_admin_decision_shows_the_error_and_writes_nothing(client, people, paris_motion):
    client.force_login(people["paris_officer"])
    response = client.post(f"/admin/items/inspect/{paris_motion.pk}/", {
        "stage": paris_motion.current_stage_id, "outcome": "carried", "votes_for": "1", "votes_against": "9",
    })
    assert response.status_code == 200
    assert "cannot have been carried" in response.text
    assert not Decision.objects.exists()


def test_double_submitted_admin_decision_says_already_decided(client, people, paris_motion):
    client.force_login(people["paris_officer"])
    form = {"stage": paris_motion.current_stage_id, "outcome": "fell", "votes_for": "1", "votes_against": "9"}
    client.post(f"/admin/items/inspect/{paris_motion.pk}/", form)
    client.force_login(people["secretary"])
    response = client.post(f"/admin/items/inspect/{paris_motion.pk}/", form)
    assert Decision.objects.count() == 1
    assert response.status_code == 302  # the item is finished: no form any more, a message instead


def test_dashboard_shows_what_waits_for_each_officer(client, people, branches, paris_motion, berlin_motion):
    soon = timezone.now() + timedelta(days=3)
    Meeting.objects.create(body="branch", branch=branches["paris"], title="Paris in spring", starts_at=soon)
    Meeting.objects.create(body="branch", branch=branches["berlin"], title="Berlin in spring", starts_at=soon)
    client.force_login(people["paris_officer"])
    home = client.get("/admin/")
    assert "Waiting for your decision (1)" in home.text and paris_motion.reference in home.text
    assert berlin_motion.reference not in home.text
    assert "Paris in spring" in home.text and "Berlin in spring" not in home.text
    client.force_login(people["secretary"])
    assert "Waiting for your decision (0)" in client.get("/admin/").text


def test_secretary_records_a_whole_gc_agenda_from_one_screen(client, people, paris_motion, berlin_motion):
    for motion, officer in ((paris_motion, "paris_officer"), (berlin_motion, "berlin_officer")):
        services.record_decision(motion, "carried", people[officer], votes_for=5, votes_against=0)
    gc = Meeting.objects.create(body="gc", title="GC March", starts_at=timezone.now() + timedelta(hours=1))
    entries = list(gc.agenda.order_by("position"))
    assert [e.item_id for e in entries] == [paris_motion.pk, berlin_motion.pk]
    Meeting.objects.filter(pk=gc.pk).update(starts_at=timezone.now() - timedelta(minutes=5))  # it has begun
    client.force_login(people["secretary"])
    url = f"/admin/workflow/meetings/{gc.pk}/decisions/"
    bad = {"record": "1",
           f"e{entries[0].pk}-outcome": "carried", f"e{entries[0].pk}-votes_for": "30",
           f"e{entries[0].pk}-votes_against": "2",
           f"e{entries[1].pk}-outcome": "carried"}  # no votes: refused
    response = client.post(url, bad)
    assert "takes votes" in response.text and "Nothing was recorded" in response.text
    assert not Decision.objects.filter(meeting=gc).exists()
    good = dict(bad, **{f"e{entries[1].pk}-outcome": "fell", f"e{entries[1].pk}-votes_for": "3",
                        f"e{entries[1].pk}-votes_against": "25"})
    assert client.post(url, good).status_code == 302
    assert Decision.objects.filter(meeting=gc).count() == 2
    paris_motion.refresh_from_db()
    berlin_motion.refresh_from_db()
    assert paris_motion.current_stage.name == "Sent to Conference" and berlin_motion.status == ItemStatus.FELL
    response = client.post(url, {"save_minutes": "1", "minutes": '{"blocks": [{"key": "a", "type": "unstyled", '
                                 '"text": "The GC met.", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], '
                                 '"entityMap": {}}', "approve": "on"})
    gc.refresh_from_db()
    assert gc.minutes_published


def test_branch_officer_cannot_open_another_branch_meeting_screen(client, people, branches):
    meeting = Meeting.objects.create(body="branch", branch=branches["berlin"], title="Berlin",
                                     starts_at=timezone.now())
    client.force_login(people["paris_officer"])
    response = client.get(f"/admin/workflow/meetings/{meeting.pk}/decisions/")
    assert response.status_code == 302 and response.url == "/admin/"  # Wagtail's "permission denied"


def stage_forms(pipeline, changes=None, extra=None, delete=()):
    data = {"name": pipeline.name, "slug": pipeline.slug, "kind": pipeline.kind, "is_default": "on",
            "description": pipeline.description}
    stages = list(pipeline.stages.order_by("sort_order"))
    rows = [{"id": s.pk, "name": s.name, "deciding_body": s.deciding_body, "outside_body": s.outside_body,
             "allowed_outcomes": s.allowed_outcomes, "advancing_outcomes": s.advancing_outcomes,
             "decision_rule": s.decision_rule, "DELETE": s.name in delete} for s in stages]
    for row in rows:
        row.update((changes or {}).get(row["name"], {}))
    rows += extra or []
    data.update({"stages-TOTAL_FORMS": len(rows), "stages-INITIAL_FORMS": len(stages), "stages-MIN_NUM_FORMS": 1,
                 "stages-MAX_NUM_FORMS": 1000})
    for i, row in enumerate(rows):
        prefix = f"stages-{i}-"
        data[prefix + "id"] = row.get("id", "")
        data[prefix + "ORDER"] = i + 1
        data[prefix + "name"] = row["name"]
        data[prefix + "deciding_body"] = row["deciding_body"]
        data[prefix + "outside_body"] = row.get("outside_body", "")
        data[prefix + "allowed_outcomes"] = row["allowed_outcomes"]
        data[prefix + "advancing_outcomes"] = row["advancing_outcomes"]
        data[prefix + "decision_rule"] = row.get("decision_rule", "simple_majority")
        if row.get("DELETE"):
            data[prefix + "DELETE"] = "on"
    return data


def test_officer_adds_and_renames_stages_without_code_and_history_stays(client, people, paris_motion):
    services.record_decision(paris_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    pipeline = Pipeline.objects.get(slug="motion")
    client.force_login(people["secretary"])
    data = stage_forms(
        pipeline, changes={"GC ratification": {"name": "GC vote", "deciding_body": "liec"}},
        extra=[{"name": "Regional review", "deciding_body": "gc", "allowed_outcomes": ["carried", "fell"],
                "advancing_outcomes": ["carried"], "decision_rule": "two_thirds"}],
    )
    response = client.post(f"/admin/pipeline/edit/{pipeline.pk}/", data)
    assert response.status_code == 302, response.text[:2000]
    names = list(pipeline.stages.order_by("sort_order").values_list("name", flat=True))
    assert names == ["Branch meeting", "GC vote", "Sent to Conference", "Regional review"]
    regional = pipeline.stages.get(name="Regional review")
    assert (regional.decision_rule, regional.takes_votes) == ("two_thirds", True)
    paris_motion.refresh_from_db()
    assert paris_motion.current_stage.name == "GC vote"
    assert paris_motion.decisions.get().stage_name == "Branch meeting"
    # Who decides changed: the LIEC's decider (the secretary) still decides; the next stage is unchanged.
    services.record_decision(paris_motion, "carried", people["secretary"], votes_for=5, votes_against=0)
    paris_motion.refresh_from_db()
    assert paris_motion.current_stage.name == "Sent to Conference"


def test_removing_a_stage_items_wait_at_is_refused(client, people, paris_motion):
    pipeline = Pipeline.objects.get(slug="motion")
    client.force_login(people["secretary"])
    response = client.post(f"/admin/pipeline/edit/{pipeline.pk}/", stage_forms(pipeline, delete=["Branch meeting"]))
    assert response.status_code == 200
    assert "cannot be removed: 1 item is waiting at it" in response.text
    assert pipeline.stages.filter(name="Branch meeting").exists()
