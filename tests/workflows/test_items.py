"""Drafting, seconding, submitting and withdrawing items; references; what is public."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from workflows import services
from workflows.exceptions import DecisionError, ItemError
from workflows.models import AgendaEntry, Item, ItemRevision, ItemStatus, Meeting, PolicySubmission

from .conftest import submit_motion


def test_a_draft_takes_no_reference_until_it_is_submitted(people):
    first = services.create_draft("motion", people["proposer"], title="NHS funding", text="<p>Fund the NHS.</p>",
                                  seconder_emails=["seconder@example.org"])
    second = services.create_draft("motion", people["proposer"], title="Climate", text="<p>Act.</p>",
                                   seconder_emails=["seconder@example.org"])
    abandoned = services.create_draft("motion", people["proposer"], title="Never sent", text="<p>x</p>")
    year = timezone.now().year
    assert (first.reference, second.reference, abandoned.reference) == (None, None, None)
    assert first.branch.slug == "paris" and first.status == ItemStatus.DRAFT
    assert str(first) == "Draft NHS funding"
    assert Item.objects.get(pk=first.pk).specific.__class__.__name__ == "Motion"
    # Numbers are given in the order of submission; the abandoned draft consumed none.
    services.submit_item(second, people["proposer"])
    services.submit_item(first, people["proposer"])
    assert (second.reference, first.reference) == (f"M-{year}-001", f"M-{year}-002")
    assert Item.objects.get(pk=first.pk).reference == f"M-{year}-002"
    services.confirm_seconding(first, people["seconder"])
    first.refresh_from_db()
    assert first.get_absolute_url() == f"/motions/M-{year}-002/"
    assert Item.objects.get(pk=abandoned.pk).reference is None


def test_drafts_are_never_public(people):
    draft = services.create_draft("motion", people["proposer"], title="Secret", text="<p>Text</p>")
    assert draft not in Item.objects.public()
    motion = submit_motion(people)
    assert list(Item.objects.public()) == [Item.objects.get(pk=motion.pk)]


def test_a_lapsed_member_cannot_propose(people):
    with pytest.raises(ItemError, match="paid-up"):
        services.create_draft("motion", people["lapsed"], title="T", text="<p>x</p>")
    assert not Item.objects.exists()


def test_submitting_waits_for_the_seconder_then_enters_the_branch_stage(people):
    draft = services.create_draft("motion", people["proposer"], title="T", text="<p>x</p>", seconder_emails=["Seconder@Example.org"])
    services.submit_item(draft, people["proposer"])
    assert draft.status == ItemStatus.AWAITING_SECONDERS
    assert draft not in Item.objects.public()
    services.confirm_seconding(draft, people["seconder"])
    draft.refresh_from_db()
    assert draft.status == ItemStatus.IN_PROGRESS
    assert draft.current_stage.name == "Branch meeting"
    assert draft.submitted_at is not None


def test_a_motion_cannot_be_submitted_without_a_seconder(people):
    draft = services.create_draft("motion", people["proposer"], title="T", text="<p>x</p>")
    with pytest.raises(ItemError, match="seconder"):
        services.submit_item(draft, people["proposer"])
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT


def test_only_a_named_seconder_can_confirm(people):
    draft = services.create_draft("motion", people["proposer"], title="T", text="<p>x</p>", seconder_emails=["seconder@example.org"])
    with pytest.raises(ItemError, match="not named"):
        services.confirm_seconding(draft, people["member"])


def test_editing_a_draft_keeps_revisions_and_unconfirms_seconders(people):
    draft = services.create_draft("motion", people["proposer"], title="T", text="<p>one</p>", seconder_emails=["seconder@example.org"])
    services.confirm_seconding(draft, people["seconder"])
    services.update_draft(draft, people["proposer"], title="T2", text="<p>two</p>")
    assert list(ItemRevision.objects.filter(item=draft).values_list("text", flat=True)) == ["<p>one</p>", "<p>two</p>"]
    assert draft.secondings.get().confirmed_at is None
    with pytest.raises(ItemError):
        services.update_draft(draft, people["member"], title="Hijack", text="<p>x</p>")


def test_proposer_withdraws_before_any_decision(people, submitted_motion):
    services.withdraw_item(submitted_motion, people["proposer"])
    submitted_motion.refresh_from_db()
    assert submitted_motion.status == ItemStatus.WITHDRAWN
    assert submitted_motion.current_stage is None
    assert submitted_motion.decisions.get().outcome == "withdrawn"


def test_proposer_cannot_withdraw_after_a_decision(people, submitted_motion):
    services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5, votes_against=0)
    with pytest.raises(ItemError, match="already decided"):
        services.withdraw_item(submitted_motion, people["proposer"])


def test_someone_else_cannot_withdraw(people, submitted_motion):
    with pytest.raises(ItemError, match="proposer"):
        services.withdraw_item(submitted_motion, people["paris_officer"])


def test_policy_submission_over_the_word_limit_is_refused(people, consultation):
    commission = consultation.commissions.get()
    long_text = "<p>" + " ".join(["word"] * 21) + "</p>"
    with pytest.raises(ItemError, match="21 words.*limit is 20"):
        services.create_draft("policy_submission", people["proposer"], title="Health", text=long_text,
                              consultation=consultation, commission=commission)
    assert not PolicySubmission.objects.exists()


def test_policy_officer_cannot_pass_a_submission_over_the_limit(people, consultation):
    commission = consultation.commissions.get()
    submission = services.create_draft("policy_submission", people["proposer"], title="Health",
                                       text="<p>A short text about the NHS.</p>", consultation=consultation,
                                       commission=commission, seconder_emails=["seconder@example.org"])
    services.confirm_seconding(submission, people["seconder"])
    services.submit_item(submission, people["proposer"])
    assert submission.reference.startswith("P-")
    services.record_decision(submission, "carried", people["paris_officer"], votes_for=4, votes_against=0)
    submission.refresh_from_db()
    assert submission.current_stage.name == "Policy officer review"
    with pytest.raises(DecisionError, match="21 words, over the consultation's limit of 20"):
        services.record_decision(submission, "carried_as_amended", people["policy"],
                                 amended_text="<p>" + " ".join(["word"] * 21) + "</p>")
    services.record_decision(submission, "carried_as_amended", people["policy"],
                             amended_text="<p>Shorter and sharper text.</p>")
    submission.refresh_from_db()
    assert submission.current_stage.name == "GC ratification"


def test_a_closed_consultation_takes_no_submission(people, consultation):
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    with pytest.raises(ItemError, match="closed"):
        services.create_draft("policy_submission", people["proposer"], title="Late", text="<p>x</p>",
                              consultation=consultation, commission=consultation.commissions.get())


def test_submitted_motion_goes_on_the_next_branch_meeting_agenda(people, branches):
    now = timezone.now()
    paris = branches["paris"]
    past = Meeting.objects.create(body="branch", branch=paris, title="Last month", starts_at=now - timedelta(days=20))
    nxt = Meeting.objects.create(body="branch", branch=paris, title="Next", starts_at=now + timedelta(days=5))
    later = Meeting.objects.create(body="branch", branch=paris, title="Later", starts_at=now + timedelta(days=35))
    Meeting.objects.create(body="branch", branch=branches["berlin"], title="Berlin", starts_at=now + timedelta(days=2))
    motion = submit_motion(people)
    assert list(AgendaEntry.objects.filter(item=motion).values_list("meeting__title", flat=True)) == ["Next"]
    assert not past.agenda.exists() and not later.agenda.exists()
    # Carried at the branch: on to the next GC's agenda, made when the GC meeting is planned.
    services.record_decision(motion, "carried", people["paris_officer"], meeting=past, votes_for=5, votes_against=0)
    assert not nxt.agenda.exists()
    gc = Meeting.objects.create(body="gc", title="GC", starts_at=now + timedelta(days=10))
    assert [e.item_id for e in gc.agenda.all()] == [motion.pk]


def test_a_decision_at_another_branch_meeting_is_refused(people, branches, submitted_motion):
    berlin = Meeting.objects.create(body="branch", branch=branches["berlin"], title="Berlin",
                                    starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(DecisionError, match="another branch"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], meeting=berlin,
                                 votes_for=5, votes_against=0)


def test_a_decision_cannot_be_dated_in_the_future(people, submitted_motion):
    with pytest.raises(DecisionError, match="future"):
        services.record_decision(submitted_motion, "carried", people["paris_officer"], votes_for=5,
                                 votes_against=0, decided_on=date.today() + timedelta(days=3))


def test_approved_minutes_are_published(people):
    gc = Meeting.objects.create(body="gc", title="GC", starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(DecisionError, match="Write the minutes"):
        services.approve_minutes(gc, people["secretary"])
    with pytest.raises(DecisionError, match="may not"):
        services.approve_minutes(gc, people["paris_officer"], minutes="<p>Minutes</p>")
    services.approve_minutes(gc, people["secretary"], minutes="<p>The GC met.</p>")
    assert gc.minutes_published
    assert list(Meeting.objects.with_published_minutes()) == [gc]
