"""Recording decisions: the one service that moves items through their stages."""

import pytest
from django.db import IntegrityError, transaction

from workflows import services, signals
from workflows.exceptions import AlreadyDecided, DecisionError
from workflows.models import Decision, ItemRevision, ItemStatus, Pipeline, Stage

from .conftest import submit_motion


def stage(kind, name):
    return Stage.objects.get(pipeline=Pipeline.default_for(kind), name=name)


def test_paris_officer_carries_a_motion_to_gc_ratification(people, submitted_motion):
    branch = stage("motion", "Branch meeting")
    assert submitted_motion.current_stage == branch
    decision = services.record_decision(
        submitted_motion, "carried", people["paris_officer"], stage=branch, votes_for=12, votes_against=3,
        abstentions=1,
    )
    submitted_motion.refresh_from_db()
    assert submitted_motion.current_stage == stage("motion", "GC ratification")
    assert submitted_motion.status == ItemStatus.IN_PROGRESS
    assert (decision.stage_name, decision.outcome, decision.votes_for, decision.votes_against, decision.abstentions) == (
        "Branch meeting", "carried", 12, 3, 1)
    assert decision.recorded_by == people["paris_officer"]
    assert decision.next_stage_name == "GC ratification"


def test_motion_goes_through_every_stage_and_finishes_when_sent_to_conference(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    services.record_decision(submitted_motion, "carried", people["secretary"], votes_for=30, votes_against=2)
    services.record_decision(submitted_motion, "sent", people["policy"])
    submitted_motion.refresh_from_db()
    assert submitted_motion.status == ItemStatus.FINISHED
    assert submitted_motion.current_stage is None
    assert [d.stage_name for d in submitted_motion.history()] == ["Branch meeting", "GC ratification", "Sent to Conference"]


def test_berlin_officer_cannot_decide_a_paris_motion(people, submitted_motion):
    with pytest.raises(DecisionError, match="may not record decisions"):
        services.record_decision(submitted_motion, "carried", people["berlin_officer"], votes_for=5, votes_against=0)
    assert not Decision.objects.exists()


def test_member_and_policy_officer_cannot_decide_for_a_branch(people, submitted_motion):
    for who in ("member", "policy", "proposer"):
        with pytest.raises(DecisionError):
            services.record_decision(submitted_motion, "carried", people[who], votes_for=5, votes_against=0)
    assert not Decision.objects.exists()


def test_only_the_secretary_decides_for_the_gc(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    with pytest.raises(DecisionError, match="may not record"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    services.record_decision(submitted_motion, "fell", people["secretary"], votes_for=3, votes_against=20)
    submitted_motion.refresh_from_db()
    assert submitted_motion.status == ItemStatus.FELL


def test_an_outcome_the_stage_does_not_allow_is_refused(people, submitted_motion):
    with pytest.raises(DecisionError, match="cannot record “Sent”"):
        services.record_decision(submitted_motion, "sent", people["paris_officer"])
    with pytest.raises(DecisionError, match="not an outcome"):
        services.record_decision(submitted_motion, "approved-ish", people["paris_officer"])
    assert not Decision.objects.exists()


@pytest.mark.parametrize("votes", [(-1, 0, 0), (3, -2, 0), (3, 1, -1), ("three", 1, 0), (2.5, 1, 0)])
def test_negative_or_non_whole_votes_are_refused(people, submitted_motion, votes):
    with pytest.raises(DecisionError):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=votes[0],
                                 votes_against=votes[1], abstentions=votes[2])
    assert not Decision.objects.exists()
    submitted_motion.refresh_from_db()
    assert submitted_motion.current_stage.name == "Branch meeting"


def test_votes_are_required_where_the_stage_takes_votes(people, submitted_motion):
    with pytest.raises(DecisionError, match="takes votes"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"])
    assert not Decision.objects.exists()


def test_votes_must_agree_with_the_outcome(people, submitted_motion):
    with pytest.raises(DecisionError, match="cannot have been carried"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=2, votes_against=9)
    with pytest.raises(DecisionError, match="cannot have fallen"):
        services.record_decision(submitted_motion, "fell", people["paris_officer"], votes_for=9, votes_against=2)


def test_votes_are_refused_where_the_stage_takes_none(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    services.record_decision(submitted_motion, "carried", people["secretary"], votes_for=5, votes_against=0)
    with pytest.raises(DecisionError, match="does not take votes"):
        services.record_decision(submitted_motion, "sent", people["policy"], votes_for=1, votes_against=0)


def test_carried_as_amended_keeps_the_old_text_and_stores_the_new(people, submitted_motion):
    old_text = submitted_motion.text
    decision = services.record_decision(
        submitted_motion, "carried_as_amended", people["paris_officer"], votes_for=9, votes_against=1,
        amended_text="<p>This branch calls for Votes for Life, with automatic registration.</p>",
    )
    submitted_motion.refresh_from_db()
    assert "automatic registration" in submitted_motion.text
    assert decision.amended_revision.text == submitted_motion.text
    texts = list(ItemRevision.objects.filter(item=submitted_motion).values_list("text", "reason"))
    assert (old_text, "draft") in texts and (submitted_motion.text, "amended") in texts


def test_carried_as_amended_needs_the_amended_text(people, submitted_motion):
    with pytest.raises(DecisionError, match="amended text"):
        services.record_decision(submitted_motion, "carried_as_amended", people["paris_officer"], votes_for=9,
                                 votes_against=1)
    assert not Decision.objects.exists()


def test_no_decision_on_a_withdrawn_item(people, submitted_motion):
    services.withdraw_item(submitted_motion, people["proposer"])
    with pytest.raises(DecisionError, match="withdrawn"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    assert list(submitted_motion.decisions.values_list("outcome", flat=True)) == ["withdrawn"]


def test_no_decision_on_a_finished_item(people, submitted_motion):
    services.record_decision(submitted_motion, "fell", people["paris_officer"], votes_for=1, votes_against=5)
    with pytest.raises(DecisionError, match="fell"):
        services.record_decision(submitted_motion, "carried", people["secretary"], votes_for=5, votes_against=0)
    assert submitted_motion.decisions.count() == 1


def test_no_decision_on_a_draft(people):
    draft = services.create_draft("motion", people["proposer"], title="Draft", text="<p>Text</p>")
    with pytest.raises(DecisionError, match="not been submitted"):
        services.record_decision(draft, "carried", people["secretary"], votes_for=1, votes_against=0)


def test_a_second_decision_for_the_same_stage_is_already_decided(people, submitted_motion):
    branch = stage("motion", "Branch meeting")
    services.record_decision(submitted_motion, "carried", people["paris_officer"], stage=branch, votes_for=5,
                             votes_against=0)
    with pytest.raises(AlreadyDecided, match="already been decided"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], stage=branch, votes_for=5,
                                 votes_against=0)
    assert submitted_motion.decisions.count() == 1


def test_referred_back_returns_to_the_previous_stage(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    services.record_decision(submitted_motion, "referred_back", people["secretary"], votes_for=10, votes_against=4)
    submitted_motion.refresh_from_db()
    assert submitted_motion.current_stage.name == "Branch meeting"
    assert submitted_motion.status == ItemStatus.IN_PROGRESS


def test_decisions_are_append_only(people, submitted_motion):
    decision = services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5,
                                        votes_against=0)
    decision.note = "rewritten"
    with pytest.raises(DecisionError):
        decision.save()
    with pytest.raises(DecisionError):
        decision.delete()
    with pytest.raises(DecisionError):
        Decision.objects.filter(pk=decision.pk).update(note="x")
    with pytest.raises(DecisionError):
        Decision.objects.all().delete()
    assert Decision.objects.get().note == ""


def test_negative_votes_are_refused_by_the_database_too(people, submitted_motion):
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(item=submitted_motion, stage_name="x", deciding_body="gc", outcome="carried",
                                status_after="finished", decided_on="2026-01-01", votes_for=-3)


def test_decision_recorded_is_sent_after_commit(people, submitted_motion, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, item, decision, **kwargs):
        received.append((item.pk, decision.outcome))

    signals.decision_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5,
                                     votes_against=0)
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [(submitted_motion.pk, "carried")]
    finally:
        signals.decision_recorded.disconnect(receiver)


def test_a_failed_decision_sends_nothing(people, submitted_motion, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DecisionError):
        services.record_decision(submitted_motion, "carried", people["berlin_officer"], votes_for=5, votes_against=0)
    assert callbacks == []


def test_renaming_a_stage_keeps_history_as_it_was(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    branch = stage("motion", "Branch meeting")
    branch.name = "Branch general meeting"
    branch.deciding_body = "steering_group"
    branch.save()
    decision = submitted_motion.decisions.get()
    assert (decision.stage_name, decision.deciding_body) == ("Branch meeting", "branch_meeting")
    other = submit_motion(people, title="Second motion")
    assert other.current_stage.name == "Branch general meeting"
