"""Attendance, quorum, delegates, live polls and online ballots through the services and pages:
every rule, and every refusal leaves nothing written."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from cms.models import AuditLogEntry
from notifications.models import OutboxEmail
from participation import emails, services, tasks
from participation.models import Attendance, BodyRule, PendingPollBallot, Poll, PollBallot, PollVoter
from workflows import services as engine
from workflows.exceptions import DecisionError
from workflows.models import Decision, ItemStatus, MeetingBody, Outcome

from ..workflows.conftest import make_member, submit_motion


def ids(queryset):
    return set(queryset.values_list("pk", flat=True))


# --------------------------------------------------------------------------- who votes


def test_the_gcs_voting_members_are_the_voting_officers_and_the_current_delegates(people, gc):
    voters = ids(services.voting_members(MeetingBody.GC))
    assert voters == {people["secretary"].pk, people["paris_delegate"].pk, people["berlin_delegate"].pk}


def test_a_branch_meetings_voting_members_are_its_paid_up_members(people, branches):
    voters = ids(services.voting_members(MeetingBody.BRANCH, branches["paris"]))
    assert people["proposer"].pk in voters and people["paris_officer"].pk in voters
    assert people["lapsed"].pk not in voters and people["member"].pk not in voters


def test_a_members_own_row_says_whether_they_vote_at_a_branch_meeting_or_the_agm_as_the_register_does(
        people, branches, django_assert_num_queries):
    from cms.models import Member

    make_member("inactive@example.org", "L30", branches["paris"], is_active=False)
    make_member("unnumbered@example.org", None, branches["paris"])
    make_member("unpaid@example.org", "L31", branches["paris"], paid_up=None)
    make_member("nobranch@example.org", "L32", None)
    members = list(Member.objects.all())
    for body, branch in [(MeetingBody.BRANCH, branches["paris"]), (MeetingBody.BRANCH, branches["paris"].pk),
                         (MeetingBody.BRANCH, branches["berlin"]), (MeetingBody.BRANCH, None), (MeetingBody.AGM, None)]:
        register = ids(services.voting_members(body, branch))
        with django_assert_num_queries(0):  # a vote's request: the signed-in member's row is enough
            by_own_row = {m.pk for m in members if services.has_vote(m, body, branch)}
        assert by_own_row == register, (body, branch)


def test_a_substitute_present_stands_in_for_an_absent_delegate_only(people, gc):
    meeting = gc["meeting"]
    services.check_in_online(meeting, people["paris_substitute"])
    assert people["paris_substitute"].pk in services.meeting_voters(meeting)
    services.check_in_online(meeting, people["paris_delegate"])
    assert people["paris_substitute"].pk not in services.meeting_voters(meeting)


def test_the_delegate_register_shows_each_branchs_gaps(people, gc, branches):
    BodyRule.objects.create(body=MeetingBody.GC, quorum_number=2, delegates_per_branch=2)
    rows = {row.branch.title: row for row in services.delegate_register()}
    assert rows["Paris"].gaps == ["1 delegate place empty"]
    assert rows["Berlin"].gaps == ["1 delegate place empty", "no substitute"]


# --------------------------------------------------------------------------- attendance and quorum


def test_quorum_by_share_rounds_up_and_an_inquorate_meeting_cannot_decide(people, gc):
    BodyRule.objects.create(body=MeetingBody.GC, quorum_percent=60)  # 60% of 3 voters: 2 needed
    meeting, motion = gc["meeting"], gc["motion"]
    services.check_in_online(meeting, people["paris_delegate"])
    state = services.quorum(meeting)
    assert (state.voters, state.present, state.needed, state.quorate) == (3, 1, 2, False)
    assert state.sentence.startswith("Not quorate: 1 of 3 voting members present (0 in the room, 1 online); 2 needed")
    with pytest.raises(DecisionError, match="not quorate .1 of 3 voting members present, 2 needed"):
        engine.record_decision(motion, Outcome.CARRIED, people["secretary"], votes_for=3, votes_against=0,
                               meeting=meeting)
    assert not Decision.objects.filter(item=motion, meeting=meeting).exists()
    services.set_room_register(meeting, [people["secretary"].pk], people["secretary"])
    assert services.quorum(meeting).quorate
    engine.record_decision(motion, Outcome.CARRIED, people["secretary"], votes_for=2, votes_against=0, meeting=meeting)


def test_a_body_without_a_quorum_rule_decides_as_before(people, gc):
    engine.record_decision(gc["motion"], Outcome.CARRIED, people["secretary"], votes_for=2, votes_against=0,
                           meeting=gc["meeting"])


def test_no_decision_inquorate_moves_the_agenda_to_the_next_meeting(people, gc):
    from workflows.models import Meeting

    BodyRule.objects.create(body=MeetingBody.GC, quorum_number=3)
    later = Meeting.objects.create(body=MeetingBody.GC, title="General Committee, December",
                                   starts_at=timezone.now() + timedelta(days=30))
    following, moved = services.record_inquorate(gc["meeting"], people["secretary"])
    assert following == later and moved == [gc["motion"].reference]
    assert later.agenda.filter(item=gc["motion"]).exists()
    assert AuditLogEntry.objects.filter(action="li.meeting.inquorate").exists()


def test_online_check_in_only_while_the_meeting_runs_and_only_for_voters(people, gc):
    meeting = gc["meeting"]
    with pytest.raises(services.ParticipationError, match="voting LIEC officers and the branches' delegates"):
        services.check_in_online(meeting, people["proposer"])
    meeting.starts_at = timezone.now() + timedelta(days=2)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.save()
    with pytest.raises(services.ParticipationError, match="30 minutes before"):
        services.check_in_online(meeting, people["paris_delegate"])
    assert not Attendance.objects.exists()


def test_someone_ticked_in_the_room_cannot_also_check_in_online(people, gc):
    meeting = gc["meeting"]
    services.set_room_register(meeting, [people["paris_delegate"].pk], people["secretary"])
    with pytest.raises(services.ParticipationError, match="present in the room"):
        services.check_in_online(meeting, people["paris_delegate"])
    assert Attendance.objects.get(member=people["paris_delegate"]).way == Attendance.Way.ROOM


def test_another_branchs_officer_cannot_take_the_gcs_register(people, gc):
    with pytest.raises(services.ParticipationError):
        services.set_room_register(gc["meeting"], [people["secretary"].pk], people["paris_officer"])
    assert not Attendance.objects.exists()


# --------------------------------------------------------------------------- live polls


def test_a_hybrid_gc_poll_counts_online_and_room_votes_once_and_records_the_decision(people, gc):
    meeting, motion = gc["meeting"], gc["motion"]
    services.check_in_online(meeting, people["paris_delegate"])
    services.check_in_online(meeting, people["berlin_delegate"])
    services.set_room_register(meeting, [people["secretary"].pk], people["secretary"])
    poll = services.open_live_poll(gc["entry"], people["secretary"])
    assert not poll.secret  # the GC's stage is named by default: accountability
    assert services.cast_vote(poll, people["paris_delegate"], "for") is None
    services.cast_vote(poll, people["berlin_delegate"], "against")
    with pytest.raises(services.ParticipationError, match="already voted"):
        services.cast_vote(poll, people["paris_delegate"], "against")
    with pytest.raises(services.ParticipationError, match="counted in the room"):
        services.cast_vote(poll, people["secretary"], "for")
    with pytest.raises(services.ParticipationError, match="Check in"):
        services.cast_vote(poll, people["proposer"], "for")
    with pytest.raises(services.ParticipationError, match=r"room's count \(2\) is more than the 1"):
        services.close_poll(poll, people["secretary"], room_for=2, room_against=0, room_abstain=0)
    decision = services.close_poll(poll, people["secretary"], room_for=1, room_against=0, room_abstain=0)
    assert (decision.outcome, decision.votes_for, decision.votes_against, decision.meeting) == (
        Outcome.CARRIED, 2, 1, meeting)
    assert decision.note == "Decided by 2 votes online and 1 in the room (named poll)."
    assert PollBallot.objects.get(poll=poll, voter=people["paris_delegate"]).choice == "for"
    motion.refresh_from_db()
    assert motion.current_stage is None or motion.current_stage.name != "GC ratification"
    with pytest.raises(services.ParticipationError, match="already closed"):
        services.close_poll(poll, people["secretary"], room_for=0, room_against=0, room_abstain=0)
    with pytest.raises(services.ParticipationError, match="closed"):
        services.cast_vote(poll, people["berlin_delegate"], "for")
    actions = set(AuditLogEntry.objects.filter(object_id=str(motion.pk)).values_list("action", flat=True))
    assert {"li.poll.opened", "li.poll.closed"} <= actions


def test_the_timeline_says_how_the_poll_decided(client, people, gc):
    meeting = gc["meeting"]
    services.check_in_online(meeting, people["paris_delegate"])
    poll = services.open_live_poll(gc["entry"], people["secretary"])
    services.cast_vote(poll, people["paris_delegate"], "for")
    services.close_poll(poll, people["secretary"], room_for=0, room_against=0, room_abstain=0)
    html = client.get(gc["motion"].get_absolute_url()).content.decode()
    assert "Decided by 1 vote online and 0 in the room (named poll)." in html


def test_a_secret_poll_keeps_no_link_from_vote_to_voter(people, gc):
    stage = gc["motion"].current_stage
    stage.secret_votes = True
    stage.save()
    meeting = gc["meeting"]
    for name in ("paris_delegate", "berlin_delegate"):
        services.check_in_online(meeting, people[name])
    poll = services.open_live_poll(gc["entry"], people["secretary"])
    assert poll.secret
    code = services.cast_vote(poll, people["paris_delegate"], "for")
    services.cast_vote(poll, people["berlin_delegate"], "for")
    assert code and services.check_receipt(poll, code) and not services.check_receipt(poll, "AAAA-BBBB-CCCC")
    assert PendingPollBallot.objects.filter(poll=poll).count() == 2  # in the pool, not yet in the box
    assert {f.name for f in PollVoter._meta.fields} == {"id", "poll", "member", "voted_on"}
    decision = services.close_poll(poll, people["secretary"], room_for=0, room_against=0, room_abstain=0)
    assert decision.votes_for == 2 and decision.note.endswith("(secret poll).")
    assert not PendingPollBallot.objects.exists()
    assert list(PollBallot.objects.filter(poll=poll).values_list("voter", flat=True)) == [None, None]
    assert services.check_receipt(poll, code.lower())


def test_a_poll_opens_only_on_a_running_meeting_by_its_officers(people, gc):
    with pytest.raises(services.ParticipationError, match="Only the officers who run this meeting"):
        services.open_live_poll(gc["entry"], people["paris_officer"])
    services.open_live_poll(gc["entry"], people["secretary"])
    with pytest.raises(services.ParticipationError, match="already open"):
        services.open_live_poll(gc["entry"], people["secretary"])  # a double click
    assert Poll.objects.count() == 1


def test_a_tie_falls_under_a_simple_majority(people, gc):
    meeting = gc["meeting"]
    services.check_in_online(meeting, people["paris_delegate"])
    services.check_in_online(meeting, people["berlin_delegate"])
    poll = services.open_live_poll(gc["entry"], people["secretary"])
    services.cast_vote(poll, people["paris_delegate"], "for")
    services.cast_vote(poll, people["berlin_delegate"], "against")
    assert services.close_poll(poll, people["secretary"], room_for=0, room_against=0, room_abstain=0).outcome == Outcome.FELL
    gc["motion"].refresh_from_db()
    assert gc["motion"].status == ItemStatus.FELL


@pytest.mark.parametrize(("counts", "message"), [
    ({"room_for": "", "room_against": 0, "room_abstain": 0}, "Give the room's votes for"),
    ({"room_for": "two", "room_against": 0, "room_abstain": 0}, "whole number"),
    ({"room_for": -1, "room_against": 0, "room_abstain": 0}, "negative"),
])
def test_bad_room_counts_are_refused_and_the_poll_stays_open(people, gc, counts, message):
    poll = services.open_live_poll(gc["entry"], people["secretary"])
    with pytest.raises(services.ParticipationError, match=message):
        services.close_poll(poll, people["secretary"], **counts)
    poll.refresh_from_db()
    assert poll.is_open and not Decision.objects.filter(item=gc["motion"], meeting=gc["meeting"]).exists()


# --------------------------------------------------------------------------- ballots between meetings


@pytest.fixture
def paris_ballot(people, mailoutbox):
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    motion = submit_motion(people)
    closes = timezone.now() + timedelta(days=7)
    poll = services.open_ballot(motion, people["paris_officer"], closes)
    return motion, poll


def test_a_ballot_emails_the_branchs_members_with_the_link(people, paris_ballot, django_capture_on_commit_callbacks):
    motion, poll = paris_ballot
    emails.send_ballot_opened(poll.pk)
    to = set(OutboxEmail.objects.filter(kind=OutboxEmail.Kind.BALLOT, key__contains=":opened:")
             .values_list("to_email", flat=True))
    assert {"proposer@example.org", "seconder@example.org", "officer.paris@example.org"} <= to
    assert "lapsed@example.org" not in to and "member@example.org" not in to
    body = OutboxEmail.objects.filter(to_email="proposer@example.org", key__contains=":opened:").first().body_text
    assert reverse("participation:vote", args=[poll.pk]) in body
    assert "Europe/London" in body


def test_a_ballot_vote_the_receipt_the_reminder_and_the_close(people, paris_ballot):
    motion, poll = paris_ballot
    services.cast_vote(poll, people["proposer"], "for")
    services.cast_vote(poll, people["seconder"], "for")
    with pytest.raises(services.ParticipationError, match="Only members of the Paris branch"):
        services.cast_vote(poll, people["member"], "against")
    with pytest.raises(services.ParticipationError, match="paid-up"):
        services.cast_vote(poll, people["lapsed"], "against")
    assert emails.send_receipts(poll.pk) == 2
    assert OutboxEmail.objects.filter(key=f"ballot:{poll.pk}:receipt:{people['proposer'].pk}").exists()
    later = poll.closes_at - timedelta(hours=12)
    assert emails.send_reminders(now=later) >= 0
    reminded = set(OutboxEmail.objects.filter(key__contains=":reminder:").values_list("to_email", flat=True))
    assert "officer.paris@example.org" in reminded and "proposer@example.org" not in reminded
    emails.send_reminders(now=later)  # never twice
    assert OutboxEmail.objects.filter(key__contains=":reminder:").count() == len(reminded)
    assert services.close_due_ballots(now=later) == []
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(minutes=1))  # the window ends
    closed = services.close_due_ballots()
    assert closed == [poll.pk]
    decision = Decision.objects.get(poll__pk=poll.pk)
    assert (decision.outcome, decision.votes_for, decision.votes_against) == (Outcome.CARRIED, 2, 0)
    assert decision.note.startswith("Decided by online ballot: 2 votes of ")
    with pytest.raises(services.ParticipationError, match="closed"):
        services.cast_vote(poll, people["paris_officer"], "for")


def test_receipts_come_in_batches_one_per_voter_and_a_lost_batch_is_swept_up(
        people, paris_ballot, django_capture_on_commit_callbacks):
    motion, poll = paris_ballot
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(poll, people["proposer"], "for")
    with django_capture_on_commit_callbacks(execute=True):
        services.cast_vote(poll, people["seconder"], "against")
    batches = Schedule.objects.filter(func="participation.emails.send_receipts")
    assert batches.count() == 1  # the second vote, within the batch's seconds, is in the first batch
    batch = batches.get()
    assert batch.schedule_type == Schedule.ONCE and batch.args == str(poll.pk) and batch.next_run > timezone.now()
    assert not OutboxEmail.objects.filter(key__contains=":receipt:").exists()  # nothing in the voter's request
    assert emails.send_receipts(poll.pk) == 2
    assert emails.send_receipts(poll.pk) == 0  # one receipt per voter, never two
    receipt = OutboxEmail.objects.get(key=f"ballot:{poll.pk}:receipt:{people['seconder'].pk}")
    assert receipt.to_email == "seconder@example.org" and motion.reference in receipt.subject
    assert "against" not in receipt.body_text.lower()  # a receipt says the vote is recorded, not how
    # A batch lost with its worker: the scheduled sweep sends what is missing.
    services.cast_vote(poll, people["paris_officer"], "for")
    assert tasks.close_ballots_and_remind()["receipts"] == 1
    assert OutboxEmail.objects.filter(key__contains=":receipt:").count() == 3


def test_a_ballot_must_close_in_the_future_and_only_the_body_may_open_it(people):
    motion = submit_motion(people)
    with pytest.raises(services.ParticipationError, match="at least an hour"):
        services.open_ballot(motion, people["paris_officer"], timezone.now())
    with pytest.raises(services.ParticipationError, match="You may not put"):
        services.open_ballot(motion, people["berlin_officer"], timezone.now() + timedelta(days=3))
    assert not Poll.objects.exists()


def test_the_default_close_is_2359_uk_time_seven_days_on():
    close = services.default_ballot_close()
    assert (close.hour, close.minute, close.tzinfo.key) == (23, 59, "Europe/London")


# --------------------------------------------------------------------------- pages


def test_the_motion_page_shows_the_open_ballot_in_the_members_own_time(client, people, paris_ballot):
    motion, poll = paris_ballot
    people["proposer"].time_zone = "Australia/Sydney"
    people["proposer"].save()
    client.force_login(people["proposer"])
    html = client.get(motion.get_absolute_url()).content.decode()
    assert "Vote open now" in html and "You can vote until" in html and "your time" in html
    response = client.post(reverse("participation:vote", args=[poll.pk]), {"choice": "for"})
    assert response.status_code == 200 and "You have voted (for)" in response.content.decode()
    assert "You have voted" in client.get(reverse("participation:vote", args=[poll.pk])).content.decode()
    response = client.post(reverse("participation:vote", args=[poll.pk]), {"choice": "against"})
    assert PollVoter.objects.filter(poll=poll).count() == 1
    assert PollBallot.objects.get(poll=poll).choice == "for"


def _statements(queries):
    """The SQL of a request, without its session's row (in Redis in production) and savepoints."""
    return [q["sql"] for q in queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


def test_a_named_vote_in_a_ballot_answers_with_its_page_in_six_queries(client, people, paris_ballot):
    """In a ballot's last minute each request counts: a vote is one request (its answer is the page,
    not a redirect the browser follows with a second), and it asks only what the vote and the page need."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, poll = paris_ballot
    client.force_login(people["seconder"])
    url = reverse("participation:vote", args=[poll.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"choice": "for"})
    assert response.status_code == 200
    # The member; the poll with its item and the member's branch's time zone (one read); the locked
    # close, the register's row, the ballot; the turnout. Whether the member has a vote is read from
    # their own row, and that they voted and how is known from the vote just cast: no query for either.
    statements = _statements(queries)
    assert len(statements) == 6, statements
    assert not any("cms_member" in sql for sql in statements[1:]) and "closed_at" in statements[2]
    assert "workflows_item" in statements[1] and '"text"' not in statements[1]
    assert "cms_branchpage" in statements[1] and not any("cms_branchpage" in sql for sql in statements[2:])
    html = response.content.decode()
    assert f"Your vote on {poll.item.reference} is recorded." in html and "You have voted (for)" in html
    assert "1 vote cast so far" in html and "You can vote until" in html and "Cast my vote" not in html
    assert response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # Coming back to the page later: the same, from their ballot (no message now): the member, the
    # poll's read, their ballot, the turnout.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(_statements(queries)) == 4, _statements(queries)
    assert "is recorded" not in html and "You have voted (for)" in html and "1 vote cast so far" in html


def test_the_vote_page_gives_the_close_in_the_members_branch_time_or_their_own(client, people, paris_ballot):
    """The poll's read brings the member's branch's time zone when they have none of their own;
    a member with their own zone reads the close in it, and no branch is read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.times import Moment, uk_zone_name

    _, poll = paris_ballot
    url = reverse("participation:vote", args=[poll.pk])
    member = people["seconder"]
    branch_zone = member.branch.time_zone
    assert not member.time_zone and branch_zone != uk_zone_name()
    client.force_login(member)
    html = client.get(url).content.decode()
    assert html.count(Moment(poll.closes_at, uk_zone_name(), branch_zone).text) == 1
    member.time_zone = "Australia/Sydney"
    member.save(update_fields=["time_zone"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert Moment(poll.closes_at, uk_zone_name(), "Australia/Sydney").text in html
    assert not any("cms_branchpage" in sql for sql in _statements(queries))


def test_a_vote_on_a_poll_that_does_not_exist_is_not_found(client, people, paris_ballot):
    _, poll = paris_ballot
    client.force_login(people["seconder"])
    assert client.post(reverse("participation:vote", args=[poll.pk + 1000]), {"choice": "for"}).status_code == 404
    assert client.get(reverse("participation:vote", args=[poll.pk + 1000])).status_code == 404


def test_a_bad_choice_is_refused_where_the_member_acted(client, people, paris_ballot):
    _, poll = paris_ballot
    client.force_login(people["seconder"])
    response = client.post(reverse("participation:vote", args=[poll.pk]), {"choice": "<script>alert(1)</script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Choose for, against or abstain." in html and "<script>alert" not in html
    assert not PollVoter.objects.exists()


def test_a_member_of_another_branch_is_told_why_where_they_voted(client, people, paris_ballot):
    _, poll = paris_ballot
    client.force_login(people["member"])  # a Berlin member
    response = client.post(reverse("participation:vote", args=[poll.pk]), {"choice": "for"})
    assert response.status_code == 400
    assert "Only members of the Paris branch vote at its meetings." in response.content.decode()
    assert not PollVoter.objects.exists() and not PollBallot.objects.exists()


def test_the_meeting_page_lets_a_delegate_check_in_and_vote(client, people, gc):
    meeting = gc["meeting"]
    client.force_login(people["paris_delegate"])
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Check in online" in html
    client.post(reverse("participation:check_in", args=[meeting.pk]))
    services.open_live_poll(gc["entry"], people["secretary"])
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "You are checked in online" in html and f"Vote on {gc['motion'].reference}" in html


def test_the_officers_screen_runs_the_register_and_the_poll(client, people, gc):
    meeting = gc["meeting"]
    services.check_in_online(meeting, people["paris_delegate"])
    client.force_login(people["secretary"])
    url = reverse("participation_admin:meeting", args=[meeting.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "register", "in_room": [people["secretary"].pk, people["berlin_delegate"].pk]})
    assert services.quorum(meeting).present == 3
    client.post(url, {"action": "open_poll", "entry": gc["entry"].pk})
    poll = Poll.objects.get()
    services.cast_vote(poll, people["paris_delegate"], "for")
    response = client.post(url, {"action": "close_poll", "poll": poll.pk, "room_for": 5, "room_against": 0,
                                 "room_abstain": 0})
    assert response.status_code == 400 and "more than the 2 voting members" in response.content.decode()
    client.post(url, {"action": "close_poll", "poll": poll.pk, "room_for": 1, "room_against": 1, "room_abstain": 0})
    poll.refresh_from_db()
    assert poll.decision.votes_for == 2 and poll.decision.votes_against == 1


def test_another_branchs_officer_cannot_open_the_gc_screen(client, people, gc):
    client.force_login(people["paris_officer"])
    response = client.get(reverse("participation_admin:meeting", args=[gc["meeting"].pk]))
    assert response.status_code in (302, 403)
    response = client.post(reverse("participation_admin:meeting", args=[gc["meeting"].pk]),
                           {"action": "open_poll", "entry": gc["entry"].pk})
    assert not Poll.objects.exists()


def test_hostile_text_in_a_motion_title_is_escaped_on_the_vote_page(client, people):
    motion = submit_motion(people, title='<img src=x onerror=alert(1)>Votes')
    poll = services.open_ballot(motion, people["paris_officer"], timezone.now() + timedelta(days=2))
    client.force_login(people["seconder"])
    html = client.get(reverse("participation:vote", args=[poll.pk])).content.decode()
    assert "<img src=x" not in html


def test_a_member_that_is_not_the_branchs_is_told_why_on_the_vote_page(client, people):
    motion = submit_motion(people)
    poll = services.open_ballot(motion, people["paris_officer"], timezone.now() + timedelta(days=2))
    outsider = make_member("outsider@example.org", "L99", None)
    client.force_login(outsider)
    html = client.get(reverse("participation:vote", args=[poll.pk])).content.decode()
    assert "Only members of the Paris branch vote" in html and "Cast my vote" not in html


def test_the_members_home_lists_the_ballot_open_to_them_and_not_to_others(client, people, paris_ballot):
    from wagtail.models import Page, Site

    from cms.models import HomePage

    motion, poll = paris_ballot
    root = Page.get_first_root_node()
    home = HomePage.objects.first() or root.add_child(instance=HomePage(title="Labour International", slug="li-home"))
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    client.force_login(people["seconder"])
    html = client.get(home.url or "/").content.decode()
    assert "Votes on motions" in html and f"Vote on {motion.reference}" in html
    services.cast_vote(poll, people["seconder"], "for")
    assert "You have voted." in client.get(home.url or "/").content.decode()
    client.force_login(people["member"])  # Berlin: no vote in a Paris ballot
    assert f"Vote on {motion.reference}" not in client.get(home.url or "/").content.decode()


def test_the_download_says_that_a_member_voted_and_how_only_when_named(people, paris_ballot):
    from cms.privacy import member_data

    _, poll = paris_ballot
    services.cast_vote(poll, people["seconder"], "against")
    votes = member_data(people["seconder"])["taking_part"]["votes_cast"]
    assert votes == [{"item": poll.item.reference, "vote": "Online ballot between meetings",
                      "day": votes[0]["day"], "how": "Against"}]


def test_a_second_vote_from_another_tab_is_told_why_it_was_refused(client, people, paris_ballot):
    _, poll = paris_ballot
    services.cast_vote(poll, people["seconder"], "for")  # the first tab
    client.force_login(people["seconder"])
    response = client.post(reverse("participation:vote", args=[poll.pk]), {"choice": "against"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "already voted" in html and "You have voted (for)" in html
    assert PollBallot.objects.get(poll=poll).choice == "for"
