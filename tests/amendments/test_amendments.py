"""Amendments and composites through the services: tabling, seconding, the agenda, deciding them
before their motion through the one decision service, merging, settling, friendly acceptance,
composites; every refusal leaves nothing written."""

from datetime import timedelta

import pytest
from django.utils import timezone

from amendments import services
from amendments.models import Amendment, Composite
from notifications.models import Follow
from workflows import services as engine
from workflows.exceptions import DecisionError, ItemError
from workflows.models import DecidingBody, Item, ItemRevision, ItemStatus, Meeting, MeetingBody, Outcome

from ..workflows.conftest import make_member, submit_motion

TEXT = ("<p>This branch calls on the Labour Party to restore votes for life to every British citizen living "
        "abroad, whatever the number of years they have lived outside the United Kingdom.</p>"
        "<p>It asks the General Committee to send this motion to Conference.</p>")


@pytest.fixture
def motion(people):
    return submit_motion(people, text=TEXT)


@pytest.fixture
def meeting(motion, branches):
    """The Paris branch meeting in a week, with the motion on its agenda; amendments close in 3 days."""
    return Meeting.objects.create(body=MeetingBody.BRANCH, branch=branches["paris"], title="Paris branch meeting",
                                  starts_at=timezone.now() + timedelta(days=7),
                                  amendment_deadline=timezone.now() + timedelta(days=3), place="Café")


def table(motion, member, seconder, **change):
    amendment = services.table_amendment(motion, member, seconder_emails=[seconder.email], **change)
    engine.confirm_seconding(amendment, seconder)
    amendment.refresh_from_db()
    return amendment


def carry(item, by, **votes):
    return engine.record_decision(item, Outcome.CARRIED, by, votes_for=votes.get("f", 10), votes_against=votes.get("a", 2))


def test_a_member_tables_an_amendment_that_goes_on_the_agenda_before_its_motion(people, motion, meeting):
    amendment = table(motion, people["seconder"], people["proposer"], change="replace", first_line=1, last_line=1,
                      text="<p>This branch calls on the Labour Party to restore votes for life now.</p>",
                      reason="Shorter.")
    assert amendment.reference.startswith("A-")
    assert amendment.status == ItemStatus.IN_PROGRESS
    assert amendment.current_stage.deciding_body == DecidingBody.BRANCH_MEETING
    assert amendment.branch_id == motion.branch_id
    assert amendment.title == f"Amendment to {motion.reference}: replace line 1"
    agenda = [entry.item_id for entry in meeting.agenda.order_by("position")]
    assert agenda.index(amendment.pk) == agenda.index(motion.pk) - 1


def test_another_branchs_member_may_not_amend_at_the_branch_meeting_and_nothing_is_written(people, motion, meeting):
    with pytest.raises(ItemError, match="only its members can table amendments"):
        services.table_amendment(motion, people["member"], change="delete", first_line=1, last_line=1,
                                 seconder_emails=[people["seconder"].email])
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(("change", "message"), [
    ({"change": "delete", "first_line": 40, "last_line": 41}, "does not exist"),
    ({"change": "replace", "first_line": 3, "last_line": 1, "text": "x"}, "comes after the last line"),
    ({"change": "insert", "first_line": 1, "text": ""}, "Say what"),
    ({"change": "shout", "first_line": 1}, "delete, insert or replace"),
])
def test_bad_lines_get_a_clear_message_and_nothing_is_written(people, motion, meeting, change, message):
    with pytest.raises(ItemError, match=message):
        services.table_amendment(motion, people["seconder"], seconder_emails=[people["proposer"].email], **change)
    assert not Item.objects.filter(kind="amendment").exists()


def test_after_the_deadline_nothing_is_tabled(people, motion, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(amendment_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ItemError, match="deadline for amendments .* has passed"):
        services.table_amendment(motion, people["seconder"], change="delete", first_line=1, last_line=1,
                                 seconder_emails=[people["proposer"].email])
    assert not Amendment.objects.exists()


def test_a_lapsed_member_may_not_table(people, motion, meeting):
    with pytest.raises(ItemError, match="paid-up"):
        services.table_amendment(motion, people["lapsed"], change="delete", first_line=1, last_line=1,
                                 seconder_emails=[people["proposer"].email])


def test_the_same_amendment_twice_is_refused(people, motion, meeting):
    kwargs = dict(change="delete", first_line=2, last_line=2, seconder_emails=[people["proposer"].email])
    first = services.table_amendment(motion, people["seconder"], **kwargs)
    with pytest.raises(ItemError, match=f"already tabled this amendment \\({first.reference}\\)"):
        services.table_amendment(motion, people["seconder"], **kwargs)
    assert Amendment.objects.count() == 1


def test_the_motion_waits_for_its_amendments_then_carries_with_the_merged_text(people, motion, meeting):
    amendment = table(motion, people["seconder"], people["proposer"], change="insert", first_line=2,
                      text="<p>It thanks the campaigners of Votes for Life.</p>")
    officer = people["paris_officer"]
    with pytest.raises(DecisionError, match=f"Decide the amendments to {motion.reference} first: {amendment.reference}"):
        carry(motion, officer)
    assert not motion.decisions.exists()
    carry(amendment, officer)
    amendment.refresh_from_db()
    motion.refresh_from_db()
    assert amendment.status == ItemStatus.FINISHED
    assert amendment.merged_revision.reason == ItemRevision.Reason.MERGED
    assert "It thanks the campaigners of Votes for Life." in motion.text
    assert motion.text == amendment.merged_revision.text
    assert "restore votes for life" in motion.text  # the rest kept
    carry(motion, officer)
    motion.refresh_from_db()
    assert motion.current_stage.deciding_body != DecidingBody.BRANCH_MEETING


def test_a_fallen_amendment_changes_nothing(people, motion, meeting):
    amendment = table(motion, people["seconder"], people["proposer"], change="delete", first_line=1, last_line=2)
    engine.record_decision(amendment, Outcome.FELL, people["paris_officer"], votes_for=1, votes_against=9)
    motion.refresh_from_db()
    assert motion.text == TEXT
    carry(motion, people["paris_officer"])


def test_the_proposer_of_the_motion_accepts_an_amendment_as_friendly(people, motion, meeting):
    amendment = table(motion, people["seconder"], people["proposer"], change="replace", first_line=1, last_line=1,
                      text="<p>This branch calls for votes for life.</p>")
    with pytest.raises(DecisionError, match="Only the proposer of the motion"):
        services.accept_as_friendly(amendment, people["paris_officer"])
    decision = services.accept_as_friendly(amendment, people["proposer"])
    assert decision.outcome == Outcome.ACCEPTED_AS_FRIENDLY and decision.votes_for is None
    assert decision.sentence == "Accepted as friendly by the proposer of the motion"
    motion.refresh_from_db()
    assert "This branch calls for votes for life." in motion.text
    with pytest.raises(DecisionError):  # a second click records nothing more
        services.accept_as_friendly(amendment, people["proposer"])
    assert amendment.decisions.count() == 1


def test_friendly_is_for_amendments_only(people, motion, meeting):
    with pytest.raises(DecisionError, match="Only an amendment"):
        engine.record_decision(motion, Outcome.ACCEPTED_AS_FRIENDLY, people["proposer"])


def test_amendments_that_touch_the_same_lines_wait_for_an_officer_to_settle_the_text(people, motion, meeting):
    first = table(motion, people["seconder"], people["proposer"], change="replace", first_line=1, last_line=1,
                  text="<p>First wording.</p>")
    other = make_member("third@example.org", "L9", motion.branch)
    second = table(motion, other, people["seconder"], change="delete", first_line=1, last_line=2)
    officer = people["paris_officer"]
    carry(first, officer)
    carry(second, officer)
    second.refresh_from_db()
    assert second.merged_revision is None
    assert services.waiting_to_be_settled(motion) == [second]
    with pytest.raises(DecisionError, match="settle its text first"):
        carry(motion, officer)
    with pytest.raises(DecisionError, match="may not settle"):
        services.settle_text(motion, people["berlin_officer"], text="<p>Hijacked.</p>")
    revision = services.settle_text(motion, officer, text="<p>Settled wording.</p><script>alert(1)</script>")
    motion.refresh_from_db()
    assert revision.reason == ItemRevision.Reason.RESOLVED
    assert motion.text == "<p>Settled wording.</p>"
    assert not services.waiting_to_be_settled(motion)
    carry(motion, officer)


def test_an_amendment_still_waiting_for_its_seconder_lapses_when_the_motion_is_decided(people, motion, meeting):
    amendment = services.table_amendment(motion, people["seconder"], change="delete", first_line=2, last_line=2,
                                         seconder_emails=[people["proposer"].email])
    assert amendment.status == ItemStatus.AWAITING_SECONDERS
    carry(motion, people["paris_officer"])
    amendment.refresh_from_db()
    assert amendment.status == ItemStatus.WITHDRAWN


def test_hostile_html_in_an_amendment_is_cleaned(people, motion, meeting):
    amendment = table(motion, people["seconder"], people["proposer"], change="insert", first_line=0,
                      text='<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(1)">l</a>'
                           '<!-- c --><![CDATA[x]]><meta http-equiv="refresh" content="0"></p>')
    for bad in ("script", "onclick", "javascript:", "<meta", "<!--", "CDATA"):
        assert bad not in amendment.text


def test_the_drafting_page_does_not_make_amendments(people):
    with pytest.raises(ItemError, match="not drafted here"):
        engine.create_draft("amendment", people["proposer"], title="x", text="<p>x</p>")


# --------------------------------------------------------------------------- composites


@pytest.fixture
def at_the_gc(people, branches):
    """Two motions (Paris and Berlin) carried by their branches: waiting for the GC."""
    paris = submit_motion(people, title="Votes for life", text=TEXT)
    berlin_proposer = make_member("b1@example.org", "B1", branches["berlin"])
    berlin_seconder = make_member("b2@example.org", "B2", branches["berlin"])
    berlin = engine.create_draft("motion", berlin_proposer, title="Overseas votes", text="<p>Votes abroad.</p>",
                                 seconder_emails=[berlin_seconder.email])
    engine.confirm_seconding(berlin, berlin_seconder)
    engine.submit_item(berlin, berlin_proposer)
    carry(paris, people["paris_officer"])
    carry(berlin, people["berlin_officer"])
    for m in (paris, berlin):
        m.refresh_from_db()
        assert m.current_stage.deciding_body == DecidingBody.GC
    return paris, berlin, berlin_proposer


def test_the_secretary_composites_two_branches_motions(people, at_the_gc, django_capture_on_commit_callbacks):
    paris, berlin, berlin_proposer = at_the_gc
    follower = people["member"]
    Follow.objects.create(member=follower, item=berlin)
    Follow.objects.get_or_create(member=berlin_proposer, item=berlin, reason=Follow.Reason.PROPOSER)
    with pytest.raises(DecisionError, match="secretary or the policy officer"):
        services.composite([paris, berlin], people["paris_officer"], title="Votes", text="<p>x</p>")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.composite([paris, berlin], people["secretary"], title="Votes for life",
                                    text="<p>One text.</p>")
    assert isinstance(result, Composite) and result.reference.startswith("C-")
    assert result.status == ItemStatus.IN_PROGRESS and result.current_stage_id == paris.current_stage_id
    assert {m.pk for m in services.movers(result)} == {paris.pk, berlin.pk}
    for source in (paris, berlin):
        source.refresh_from_db()
        assert source.status == ItemStatus.COMPOSITED
        assert source.decisions.last().outcome == Outcome.COMPOSITED
        assert services.composited_into(source) == result
    followers = set(Follow.objects.filter(item=result).values_list("member_id", flat=True))
    assert {follower.pk, people["proposer"].pk, berlin_proposer.pk} <= followers


def test_motions_at_different_stages_are_not_composited(people, at_the_gc):
    paris, berlin, _ = at_the_gc
    waiting = submit_motion(people, title="Still at the branch")
    with pytest.raises(ItemError, match="same stage"):
        services.composite([paris, waiting], people["secretary"], title="x", text="<p>x</p>")
    assert not Composite.objects.exists()
    paris.refresh_from_db()
    assert paris.status == ItemStatus.IN_PROGRESS
