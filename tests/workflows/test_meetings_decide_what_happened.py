"""Meetings decide only what happened: nothing is recorded for a meeting before it starts, each
stage says how it is decided and refuses an outcome the votes contradict, absurd or forged vote
counts get a form error (never a 500), minutes wait until every agenda item is decided or
deferred, and nothing still calls a meeting "next" once it has decided."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from workflows import services
from workflows.exceptions import DecisionError
from workflows.models import AgendaEntry, Decision, DecisionRule, Meeting, MeetingBody, Pipeline, Stage

from .conftest import submit_motion

SCREEN = "/admin/workflow/meetings/{}/decisions/"


def branch_stage():
    return Stage.objects.get(pipeline=Pipeline.default_for("motion"), name="Branch meeting")


def plan(branch, days=7, title="Paris branch meeting"):
    """A branch meeting planned ahead (its agenda is built when it is saved)."""
    return Meeting.objects.create(body=MeetingBody.BRANCH, branch=branch, title=title,
                                  starts_at=timezone.now() + timedelta(days=days), time_zone=branch.time_zone)


def begin(meeting, minutes_ago=5):
    """Move the clock on: the meeting began `minutes_ago` (its agenda stays as it was built)."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=minutes_ago))
    meeting.refresh_from_db()
    return meeting


# --------------------------------------------------------------------------- not before it starts


def test_no_decision_is_recorded_for_a_meeting_that_has_not_started(people, branches, submitted_motion):
    meeting = plan(branches["paris"])
    with pytest.raises(DecisionError, match="has not started yet"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=meeting,
                                 votes_for=12, votes_against=1)
    assert not Decision.objects.exists()
    begin(meeting)
    decision = services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=meeting,
                                        votes_for=12, votes_against=1)
    assert decision.meeting == meeting


def test_the_decision_screen_says_the_meeting_has_not_started_and_records_nothing(client, people, branches,
                                                                                  submitted_motion):
    meeting = plan(branches["paris"])
    entry = meeting.agenda.get()
    client.force_login(people["paris_officer"])
    response = client.post(SCREEN.format(meeting.pk), {"record": "1", f"e{entry.pk}-outcome": "carried",
                                                        f"e{entry.pk}-votes_for": "12",
                                                        f"e{entry.pk}-votes_against": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "has not started yet" in html and "Nothing was recorded" in html
    assert not Decision.objects.exists()


# --------------------------------------------------------------------------- decision rules


def test_each_stage_states_how_it_is_decided(db):
    rules = {s.name: s.decision_rule for s in Pipeline.default_for("motion").ordered_stages()}
    assert rules == {"Branch meeting": DecisionRule.SIMPLE_MAJORITY, "GC ratification": DecisionRule.SIMPLE_MAJORITY,
                     "Sent to Conference": DecisionRule.NO_VOTE}
    review = Stage.objects.get(pipeline=Pipeline.default_for("policy_submission"), name="Policy officer review")
    assert review.decision_rule == DecisionRule.NO_VOTE and not review.takes_votes


def test_carried_with_2_for_and_10_against_is_refused_with_the_reason(people, submitted_motion):
    with pytest.raises(DecisionError) as refused:
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=2, votes_against=10)
    assert str(refused.value) == ("With 2 for and 10 against, it cannot have been carried: “Branch meeting” is "
                                  "decided by a simple majority.")
    with pytest.raises(DecisionError, match="cannot have been carried"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=7, votes_against=7)
    assert not Decision.objects.exists()


def test_a_two_thirds_stage_needs_two_thirds_of_the_votes_cast(people, submitted_motion):
    stage = branch_stage()
    stage.decision_rule = DecisionRule.TWO_THIRDS
    stage.save()
    with pytest.raises(DecisionError, match="decided by a two-thirds majority"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=19, votes_against=10,
                                 abstentions=40)
    with pytest.raises(DecisionError, match="cannot have fallen"):
        services.record_decision(submitted_motion, "fell", people["paris_officer"], votes_for=20, votes_against=10)
    decision = services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=20,
                                        votes_against=10, abstentions=40)
    assert decision.outcome == "carried"


def test_fell_with_a_two_thirds_rule_and_a_simple_majority_for_it_stands(people, submitted_motion):
    stage = branch_stage()
    stage.decision_rule = DecisionRule.TWO_THIRDS
    stage.save()
    decision = services.record_decision(submitted_motion, "fell", people["paris_officer"], votes_for=15,
                                        votes_against=10)
    assert decision.outcome == "fell"


def test_a_no_vote_stage_takes_no_votes(people, submitted_motion):
    stage = branch_stage()
    stage.decision_rule = DecisionRule.NO_VOTE
    stage.save()
    stage.refresh_from_db()
    assert stage.takes_votes is False
    with pytest.raises(DecisionError, match="does not take votes"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=3, votes_against=0)
    services.record_decision(submitted_motion, "carried", people["paris_officer"])


@pytest.mark.parametrize("votes", [{"votes_for": "1000001", "votes_against": "0"},
                                   {"votes_for": "10" * 20, "votes_against": "0"},
                                   {"votes_for": "-1", "votes_against": "0"},
                                   {"votes_for": "twelve", "votes_against": "0"}])
def test_absurd_vote_counts_are_refused_by_the_service(people, submitted_motion, votes):
    with pytest.raises(DecisionError):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], **votes)
    assert not Decision.objects.exists()


# --------------------------------------------------------------------------- forged posts: form errors, never a 500


@pytest.mark.parametrize(("field", "value", "message"), [
    ("votes_for", "-3", "cannot be negative"),
    ("votes_for", "1000001", "more votes than could have been cast"),
    ("votes_for", "9" * 40, "more votes than could have been cast"),
    ("votes_against", "lots", "whole number"),
    ("outcome", "elected_by_acclamation", "Select a valid choice"),
])
def test_a_forged_decision_screen_row_is_a_form_error(client, people, branches, submitted_motion, field, value,
                                                      message):
    meeting = begin(plan(branches["paris"]))
    entry = meeting.agenda.get()
    client.force_login(people["paris_officer"])
    data = {"record": "1", f"e{entry.pk}-outcome": "carried", f"e{entry.pk}-votes_for": "12",
            f"e{entry.pk}-votes_against": "1", f"e{entry.pk}-{field}": value}
    response = client.post(SCREEN.format(meeting.pk), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html and "Nothing was recorded" in html
    assert not Decision.objects.exists()


@pytest.mark.parametrize("stage_id", ["99999", "-1", "9" * 30, "stage", ""])
def test_a_tampered_stage_on_the_item_screen_is_a_form_error(client, people, submitted_motion, stage_id):
    client.force_login(people["paris_officer"])
    url = f"/admin/items/inspect/{submitted_motion.pk}/"
    response = client.post(url, {"stage": stage_id, "outcome": "carried", "votes_for": "12", "votes_against": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "reload the page" in html or "This field is required" in html
    assert not Decision.objects.exists()


def test_another_pipelines_stage_is_refused_too(client, people, submitted_motion):
    gc_of_proposals = Stage.objects.get(pipeline=Pipeline.default_for("proposal"), name="GC ratification")
    client.force_login(people["paris_officer"])
    response = client.post(f"/admin/items/inspect/{submitted_motion.pk}/",
                           {"stage": str(gc_of_proposals.pk), "outcome": "carried", "votes_for": "12",
                            "votes_against": "1"})
    assert response.status_code == 200 and "not one of this item" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_item_screen_offers_only_meetings_that_have_started(client, people, branches, submitted_motion):
    future = plan(branches["paris"], title="Paris meeting to come")
    past = begin(plan(branches["paris"], days=3, title="Paris meeting under way"))
    client.force_login(people["paris_officer"])
    response = client.get(f"/admin/items/inspect/{submitted_motion.pk}/")
    choices = list(response.context["form"].fields["meeting"].queryset)
    assert past in choices and future not in choices


# --------------------------------------------------------------------------- the decision screen


def test_every_box_on_the_decision_screen_is_labelled_with_its_item(client, people, branches, submitted_motion):
    meeting = begin(plan(branches["paris"]))
    entry = meeting.agenda.get()
    client.force_login(people["paris_officer"])
    html = client.get(SCREEN.format(meeting.pk)).content.decode()
    reference = submitted_motion.reference
    for label in (f"Outcome for {reference}", f"Votes for {reference}", f"Votes against {reference}",
                  f"Abstentions on {reference}", f"Or defer {reference} to", f"Note on {reference}"):
        assert f'aria-label="{label}"' in html
    for name in ("outcome", "votes_for", "votes_against", "abstentions", "defer_to", "note"):
        assert re.search(rf'<label class="w-field__label"\s+for="id_e{entry.pk}-{name}"', html), name
    assert 'class="vote-count"' in html and 'max="1000000"' in html


def test_one_refused_row_records_nothing_and_says_so(client, people, branches):
    first = submit_motion(people, title="Votes for Life now")
    second = submit_motion(people, title="Overseas constituencies", text="<p>Three seats abroad.</p>")
    meeting = begin(plan(branches["paris"]))
    one, two = meeting.agenda.order_by("position")
    client.force_login(people["paris_officer"])
    response = client.post(SCREEN.format(meeting.pk), {
        "record": "1", f"e{one.pk}-outcome": "carried", f"e{one.pk}-votes_for": "12", f"e{one.pk}-votes_against": "1",
        f"e{two.pk}-outcome": "carried", f"e{two.pk}-votes_for": "2", f"e{two.pk}-votes_against": "10"})
    html = response.content.decode()
    assert "Nothing was recorded" in html and "cannot have been carried" in html
    assert not Decision.objects.filter(item__in=[first, second]).exists()


# --------------------------------------------------------------------------- deferral and minutes


def test_minutes_are_approved_only_when_every_item_is_decided_or_deferred(people, branches):
    first = submit_motion(people, title="Votes for Life now")
    second = submit_motion(people, title="Overseas constituencies", text="<p>Three seats abroad.</p>")
    meeting = plan(branches["paris"])
    later = plan(branches["paris"], days=40, title="Paris autumn meeting")
    officer = people["paris_officer"]
    with pytest.raises(DecisionError, match="has not started yet"):
        services.approve_minutes(meeting, officer, minutes="<p>Quorate.</p>")
    begin(meeting)
    services.record_decision(first, "carried", officer, meeting=meeting, votes_for=9, votes_against=2)
    with pytest.raises(DecisionError, match=r"1 agenda item is neither decided nor deferred") as refused:
        services.approve_minutes(meeting, officer, minutes="<p>Quorate.</p>")
    assert second.reference in str(refused.value)
    services.defer_agenda_entry(meeting.agenda.get(item=second), later, officer)
    assert AgendaEntry.objects.filter(meeting=later, item=second).exists()
    services.approve_minutes(meeting, officer, minutes="<p>Quorate.</p><ul><li>Votes for Life: carried</li></ul>")
    meeting.refresh_from_db()
    assert meeting.minutes_published
    assert "<ul><li>Votes for Life: carried</li></ul>" in meeting.minutes


def test_deferral_goes_only_to_a_later_meeting_of_the_same_body(people, branches, submitted_motion):
    meeting = begin(plan(branches["paris"]))
    entry = meeting.agenda.get()
    earlier = Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris last year",
                                     starts_at=timezone.now() - timedelta(days=300), time_zone="Europe/Paris")
    berlin = plan(branches["berlin"], title="Berlin meeting")
    gc = Meeting.objects.create(body=MeetingBody.GC, title="GC", starts_at=timezone.now() + timedelta(days=20))
    for wrong in (earlier, berlin, gc, meeting):
        with pytest.raises(DecisionError, match="later meeting of the same body"):
            services.defer_agenda_entry(entry, wrong, people["paris_officer"])
    with pytest.raises(DecisionError, match="may not defer"):
        services.defer_agenda_entry(entry, plan(branches["paris"], days=30), people["berlin_officer"])


def test_a_referral_back_at_the_meeting_counts_as_decided_there(people, branches, submitted_motion):
    meeting = begin(plan(branches["paris"]))
    services.record_decision(submitted_motion, "referred_back", people["paris_officer"], meeting=meeting,
                             votes_for=3, votes_against=9)
    assert not meeting.open_agenda_entries().exists()
    services.approve_minutes(meeting, people["paris_officer"], minutes="<p>Referred back.</p>")


def test_minutes_keep_lists_and_line_breaks_and_lose_scripts(client, people, branches, submitted_motion):
    meeting = begin(plan(branches["paris"]))
    services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=meeting, votes_for=9,
                             votes_against=1)
    services.save_minutes(meeting, people["paris_officer"],
                          minutes='<p>Present: A<br>B</p><ol><li>Chair</li><li>Treasurer</li></ol>'
                                  '<p onclick="x()">Closed.</p><script>alert(1)</script>')
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Present: A<br>B</p><ol><li>Chair</li><li>Treasurer</li></ol><p>Closed.</p>"


def test_a_document_travels_with_the_minutes(client, people, branches, submitted_motion, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    meeting = begin(plan(branches["paris"]))
    services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=meeting, votes_for=9,
                             votes_against=1)
    client.force_login(people["paris_officer"])
    refused = client.post(SCREEN.format(meeting.pk), {"save_minutes": "1", "document": SimpleUploadedFile("run.exe", b"MZ")})
    assert refused.status_code == 200 and "cannot be attached" in refused.content.decode()
    assert not meeting.minutes_documents.exists()
    response = client.post(SCREEN.format(meeting.pk), {
        "save_minutes": "1", "document": SimpleUploadedFile("treasurer-report.pdf", b"%PDF-1.4 report"),
        "document_title": "Treasurer's report",
    })
    assert response.status_code == 302
    document = meeting.minutes_documents.get()
    assert document.title == "Treasurer's report"
    services.approve_minutes(meeting, people["paris_officer"], minutes="<p>Accounts received.</p>")
    client.force_login(people["member"])
    assert "Treasurer&#x27;s report" in client.get(meeting.get_absolute_url()).content.decode()
    assert client.post(SCREEN.format(meeting.pk), {"save_minutes": "1", "document": SimpleUploadedFile(
        "fake.pdf", b"%PDF")}).status_code in (302, 403)  # a member never writes minutes
    assert meeting.minutes_documents.count() == 1


def test_forged_minutes_are_a_form_error_not_a_500(client, people, branches, submitted_motion):
    meeting = begin(plan(branches["paris"]))
    client.force_login(people["paris_officer"])
    for forged in ("1", "{not json", '{"blocks": 5}', "[]"):
        response = client.post(SCREEN.format(meeting.pk), {"save_minutes": "1", "minutes": forged})
        assert response.status_code in (200, 302), forged
    meeting.refresh_from_db()
    assert "<script" not in meeting.minutes


# --------------------------------------------------------------------------- "next"


def test_after_the_decision_the_tracker_no_longer_calls_the_meeting_next(client, people, branches, submitted_motion):
    meeting = plan(branches["paris"], days=2)
    page = f"/motions/{submitted_motion.reference}/"
    html = client.get(page).content.decode()
    assert "Next meeting to decide it" in html and meeting.title in html
    begin(meeting)
    services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=meeting, votes_for=9,
                             votes_against=1)
    html = client.get(page).content.decode()
    assert "Next meeting to decide it" not in html and "Next: decided at" not in html
