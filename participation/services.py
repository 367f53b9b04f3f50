"""Who may vote where, who is present, quorum, and the polls and ballots on motions: the one
place for these rules. Views, the admin, tasks and the bench call these functions.

Every vote is checked when it is cast (the poll is open, the person is paid-up, in the body's
voting membership and, for a live poll, checked in online) and held once per person by the
database (PollVoter's unique constraint). Closing a poll records the stage's decision through
the one decision service (workflows.services.record_decision), with the votes and the outcome
the stage's majority rule gives.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task
from wagtail.log_actions import log

from cms import ballot_box
from cms.models import BranchPage, Member
from cms.times import uk_date, uk_zone_name, zone
from workflows import permissions
from workflows.exceptions import DecisionError
from workflows.models import (
    MEETING_BODY_OF_DECIDING_BODY,
    DecisionRule,
    ItemStatus,
    Meeting,
    MeetingBody,
    Outcome,
)
from workflows.services import defer_agenda_entry, record_decision

from . import selectors
from .emails import receipts_due
from .models import Attendance, BodyRule, Choice, Delegate, PendingPollBallot, Poll, PollBallot, PollVoter


class ParticipationError(Exception):
    """A refusal, with the sentence to show the person where they acted. Nothing was written."""


# Meetings open for online check-in from a little before they start until they end (or, with no
# planned end, a few hours after the start).
CHECK_IN_OPENS = timedelta(minutes=30)
MEETING_WITHOUT_END_LASTS = timedelta(hours=4)
BALLOT_CLOSES_AT = time(23, 59)  # UK time, on the last day
BALLOT_REMINDER_BEFORE = timedelta(days=1)

# The voting LIEC officers (ids of members in post on a day), from the app that keeps the register
# of officers (elections registers it from its ready()).
_voting_officer_sources = []


def register_voting_officers(source):
    """`source(on)` -> ids of the members who hold a voting LIEC office on the day `on`."""
    if source not in _voting_officer_sources:
        _voting_officer_sources.append(source)
    return source


def voting_officer_ids(on):
    ids = set()
    for source in _voting_officer_sources:
        ids.update(source(on))
    return ids


def _paid_up(on):
    """Paid-up on day `on`, as a filter of members; _is_paid_up is the same rule for one loaded member."""
    return Q(membership_number__isnull=False, paid_up_until__gte=on, is_active=True)


def _is_paid_up(member, on):
    """_paid_up(on) read from a member's own row (the signed-in member of a vote's request)."""
    return member.is_active and member.membership_number is not None and member.is_paid_up(on)


# --------------------------------------------------------------------------- who votes


def voting_members(body, branch=None, on=None):
    """The members with a vote in `body` on day `on`: a branch meeting's are the branch's paid-up
    members; the LIEC's, the voting officers; the GC's, the voting officers and the branches'
    current delegates; the AGM's, every paid-up member."""
    on = on or uk_date()
    members = Member.objects.filter(_paid_up(on))
    if body == MeetingBody.BRANCH:
        return members.filter(branch=branch) if branch is not None else members.none()
    if body == MeetingBody.LIEC:
        return members.filter(pk__in=voting_officer_ids(on))
    if body == MeetingBody.GC:
        delegates = Delegate.objects.current(on).filter(role=Delegate.Role.DELEGATE).values("member_id")
        return members.filter(Q(pk__in=voting_officer_ids(on)) | Q(pk__in=delegates))
    if body == MeetingBody.AGM:
        return members
    return members.none()  # steering groups decide by their conveners, not by polls


def meeting_voters(meeting):
    """The voting members of the meeting's body on the meeting's day, with the GC's substitutes
    standing in for their branch's absent delegates (present substitutes, up to the number of
    delegates of their branch not present)."""
    on = uk_date(meeting.starts_at)
    voters = set(voting_members(meeting.body, meeting.branch, on).values_list("pk", flat=True))
    if meeting.body == MeetingBody.GC:
        present = set(meeting.attendance.values_list("member_id", flat=True))
        by_branch = {}
        for delegate in Delegate.objects.current(on).filter(member__in=Member.objects.filter(_paid_up(on))):
            by_branch.setdefault(delegate.branch_id, []).append(delegate)
        for delegates in by_branch.values():
            absent = sum(1 for d in delegates if d.role == Delegate.Role.DELEGATE and d.member_id not in present)
            standing_in = [d.member_id for d in delegates if d.role == Delegate.Role.SUBSTITUTE and d.member_id in present]
            voters.update(standing_in[:absent])
    return voters


def has_vote(member, body, branch=None, on=None):
    """Is `member` one of voting_members(body, branch, on)? A branch meeting's and the AGM's
    answer is in the member's own row (a vote in a ballot's last minute asks no query); the LIEC's
    and the GC's, in the registers of officers and delegates."""
    on = on or uk_date()
    if body == MeetingBody.BRANCH:
        branch_id = getattr(branch, "pk", branch)
        return branch_id is not None and member.branch_id == branch_id and _is_paid_up(member, on)
    if body == MeetingBody.AGM:
        return _is_paid_up(member, on)
    return voting_members(body, branch, on).filter(pk=member.pk).exists()


def why_cannot_vote(member, body, branch=None, on=None):
    """None if `member` has a vote in `body`, else the reason in words. `branch`: the branch page or its id."""
    on = on or uk_date()
    if not member.is_paid_up(on):
        return "Only fully paid-up members can vote: please check your membership payment."
    if has_vote(member, body, branch, on):
        return None
    if body == MeetingBody.BRANCH:
        title = branch.title if isinstance(branch, BranchPage) else BranchPage.objects.get(pk=branch).title
        return f"Only members of the {title} branch vote at its meetings."
    if body == MeetingBody.GC:
        return "Only the voting LIEC officers and the branches' delegates vote at the General Committee."
    if body == MeetingBody.LIEC:
        return "Only the voting LIEC officers vote at the LIEC."
    return "You have no vote here."


# --------------------------------------------------------------------------- delegates


@dataclass
class BranchDelegates:
    branch: object
    delegates: list
    substitutes: list
    entitled: int

    @property
    def gaps(self):
        """What is missing, in words (empty when the branch is fully represented)."""
        gaps = []
        paid_up = [d for d in self.delegates if d.member.is_paid_up()]
        if len(paid_up) < self.entitled:
            missing = self.entitled - len(paid_up)
            gaps.append(f"{missing} delegate place{'s' if missing != 1 else ''} empty")
        lapsed = [d for d in self.delegates + self.substitutes if not d.member.is_paid_up()]
        if lapsed:
            gaps.append("not paid-up: " + ", ".join(str(d.member) for d in lapsed))
        if not self.substitutes:
            gaps.append("no substitute")
        return gaps


def delegate_register(on=None):
    """Every live branch with its current GC delegates and substitutes, and its gaps."""
    on = on or uk_date()
    rule = BodyRule.objects.filter(body=MeetingBody.GC).first()
    entitled = rule.delegates_per_branch if rule else 2
    current = {}
    for delegate in Delegate.objects.current(on).select_related("member").order_by("member__last_name"):
        current.setdefault(delegate.branch_id, []).append(delegate)
    rows = []
    for branch in BranchPage.objects.live().order_by("title"):
        mine = current.get(branch.pk, [])
        rows.append(BranchDelegates(branch, [d for d in mine if d.role == Delegate.Role.DELEGATE],
                                    [d for d in mine if d.role == Delegate.Role.SUBSTITUTE], entitled))
    return rows


# --------------------------------------------------------------------------- attendance and quorum


@dataclass
class Quorum:
    voters: int
    present: int
    present_online: int
    present_in_room: int
    needed: int | None  # None: the body has no quorum rule

    @property
    def quorate(self):
        return self.needed is None or self.present >= self.needed

    @property
    def sentence(self):
        if self.needed is None:
            return (f"{self.present} of {self.voters} voting members present ({self.present_in_room} in the room, "
                    f"{self.present_online} online). No quorum rule is set for this body.")
        state = "Quorate" if self.quorate else "Not quorate"
        return (f"{state}: {self.present} of {self.voters} voting members present ({self.present_in_room} in the "
                f"room, {self.present_online} online); {self.needed} needed.")


def quorum(meeting):
    voters = meeting_voters(meeting)
    rows = list(meeting.attendance.filter(member_id__in=voters).values_list("way", flat=True))
    online = rows.count(Attendance.Way.ONLINE)
    rule = BodyRule.objects.filter(body=meeting.body).first()
    return Quorum(voters=len(voters), present=len(rows), present_online=online, present_in_room=len(rows) - online,
                  needed=rule.needed(len(voters)) if rule else None)


def check_quorate(meeting, item, stage, outcome):
    """The decision service asks this for every decision at a meeting (workflows.kinds)."""
    if not BodyRule.objects.filter(body=meeting.body).exists():
        return
    state = quorum(meeting)
    if not state.quorate:
        raise DecisionError(f"The meeting is not quorate ({state.present} of {state.voters} voting members present, "
                            f"{state.needed} needed): it cannot decide {item.reference}. Take the register, or "
                            "record “no decision: inquorate”. Nothing was recorded.")


def is_running(meeting, now=None):
    now = now or timezone.now()
    ends = meeting.ends_at or meeting.starts_at + MEETING_WITHOUT_END_LASTS
    return meeting.starts_at - CHECK_IN_OPENS <= now <= ends


def check_in_online(meeting, member, now=None):
    """A member joins the meeting online: they count for the quorum and vote in its live polls."""
    now = now or timezone.now()
    if not is_running(meeting, now):
        raise ParticipationError("You can check in from 30 minutes before the meeting starts until it ends.")
    why = why_cannot_vote(member, meeting.body, meeting.branch, uk_date(now))
    if why and member.pk not in meeting_voters(meeting) and not _is_substitute(meeting, member):
        raise ParticipationError(why)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(meeting=meeting, member=member, way=Attendance.Way.ONLINE, at=now,
                                                   recorded_by=member)
    except IntegrityError:
        existing = Attendance.objects.get(meeting=meeting, member=member)
        if existing.way == Attendance.Way.ROOM:
            raise ParticipationError("You are registered as present in the room: vote there.") from None
        return existing
    log(meeting, "li.meeting.checked_in", user=member, data={"meeting": meeting.title, "way": "online"})
    return attendance


def _is_substitute(meeting, member):
    return meeting.body == MeetingBody.GC and Delegate.objects.current().filter(
        member=member, role=Delegate.Role.SUBSTITUTE).exists()


def set_room_register(meeting, member_ids, by):
    """The officer's ticks of who is in the room. Members checked in online stay online."""
    if not permissions.can_run_meeting(by, meeting):
        raise ParticipationError("Only the officers who run this meeting can take its register.")
    member_ids = {int(pk) for pk in member_ids}
    with transaction.atomic():
        online = set(meeting.attendance.filter(way=Attendance.Way.ONLINE).values_list("member_id", flat=True))
        meeting.attendance.filter(way=Attendance.Way.ROOM).exclude(member_id__in=member_ids).delete()
        have = set(meeting.attendance.values_list("member_id", flat=True))
        Attendance.objects.bulk_create([
            Attendance(meeting=meeting, member_id=pk, way=Attendance.Way.ROOM, recorded_by=by)
            for pk in sorted(member_ids - have - online)
        ], ignore_conflicts=True)
    log(meeting, "li.meeting.register", user=by, data={"meeting": meeting.title, "in_room": len(member_ids - online)})


def record_inquorate(meeting, by, now=None):
    """"No decision: inquorate": the meeting is recorded as inquorate and every item still waiting
    on its agenda moves to the body's next meeting (or waits for one to be planned)."""
    if not permissions.can_run_meeting(by, meeting):
        raise ParticipationError("Only the officers who run this meeting can record that it was inquorate.")
    state = quorum(meeting)
    if state.quorate:
        raise ParticipationError("The meeting is quorate: decide its items instead.")
    following = (Meeting.objects.filter(body=meeting.body, branch=meeting.branch, steering_group=meeting.steering_group,
                                        starts_at__gt=meeting.starts_at).order_by("starts_at").first())
    moved = []
    with transaction.atomic():
        for entry in meeting.open_agenda_entries():
            if following is not None:
                defer_agenda_entry(entry, following, by)
            moved.append(entry.item.reference)
    log(meeting, "li.meeting.inquorate", user=by, data={
        "meeting": meeting.title, "present": state.present, "needed": state.needed, "items": moved,
        "moved_to": following.title if following else ""})
    return following, moved


# --------------------------------------------------------------------------- polls and ballots


def _check_may_open(item, stage, by):
    if item.status != ItemStatus.IN_PROGRESS or item.current_stage_id != stage.pk:
        raise ParticipationError(f"{item.reference} is no longer waiting at “{stage.name}”.")
    if not permissions.can_decide(by, item, stage):
        raise ParticipationError(f"You may not put {item.reference} to a vote at “{stage.name}”.")
    if stage.decision_rule == DecisionRule.NO_VOTE:
        raise ParticipationError(f"“{stage.name}” decides without a vote.")
    if not {Outcome.CARRIED, Outcome.FELL} <= set(stage.allowed_outcomes):
        raise ParticipationError(f"“{stage.name}” cannot record carried and fell, which a vote decides.")
    body = MEETING_BODY_OF_DECIDING_BODY.get(stage.deciding_body)
    if body not in (MeetingBody.BRANCH, MeetingBody.LIEC, MeetingBody.GC):
        raise ParticipationError(f"“{stage.name}” is not decided by a branch meeting, the LIEC or the GC.")
    if Poll.objects.filter(item=item, stage=stage, closed_at__isnull=True).exists():
        raise ParticipationError(f"A vote on {item.reference} is already open.")
    return body


def open_live_poll(entry, by, now=None):
    """The chair opens a poll on an agenda entry of a running meeting."""
    now = now or timezone.now()
    meeting, item, stage = entry.meeting, entry.item, entry.stage
    if not permissions.can_run_meeting(by, meeting):
        raise ParticipationError("Only the officers who run this meeting can open its polls.")
    if stage is None or not is_running(meeting, now) or not meeting.has_started(now):
        raise ParticipationError("A live poll opens only while the meeting runs.")
    body = _check_may_open(item, stage, by)
    try:
        with transaction.atomic():
            poll = Poll.objects.create(item=item, stage=stage, meeting=meeting, body=body, branch=meeting.branch,
                                       way=Poll.Way.LIVE, secret=stage.secret_votes, opened_at=now, opened_by=by)
    except IntegrityError:
        raise ParticipationError(f"A vote on {item.reference} is already open.") from None
    _log(poll, "li.poll.opened", by)
    return poll


def default_ballot_close(now=None, days=7):
    """23:59 UK time on the seventh day from today."""
    return datetime.combine(uk_date(now) + timedelta(days=days), BALLOT_CLOSES_AT, tzinfo=zone(uk_zone_name()))


def open_ballot(item, by, closes_at, now=None):
    """Put an item to the deciding body's members by online ballot until `closes_at`."""
    now = now or timezone.now()
    item = item.__class__.objects.select_related("current_stage", "branch").get(pk=item.pk)
    stage = item.current_stage
    if stage is None:
        raise ParticipationError(f"{item.reference} is not waiting for a decision.")
    body = _check_may_open(item, stage, by)
    if closes_at <= now + timedelta(hours=1):
        raise ParticipationError("The ballot must close at least an hour from now.")
    if closes_at > now + timedelta(days=60):
        raise ParticipationError("A ballot runs for at most 60 days.")
    branch = item.branch if body == MeetingBody.BRANCH else None
    try:
        with transaction.atomic():
            poll = Poll.objects.create(item=item, stage=stage, body=body, branch=branch, way=Poll.Way.BALLOT,
                                       secret=stage.secret_votes, opened_at=now, opened_by=by, closes_at=closes_at)
            # The emails to every member with a vote are written by the worker, not in the officer's request.
            transaction.on_commit(lambda: async_task("participation.emails.send_ballot_opened", poll.pk))
    except IntegrityError:
        raise ParticipationError(f"A vote on {item.reference} is already open.") from None
    _log(poll, "li.poll.opened", by)
    return poll


def why_cannot_vote_in(poll, member, now=None):
    """None if `member` may vote in `poll` now, else why (checked again when the vote is cast)."""
    now = now or timezone.now()
    if poll.closed_at is not None or (poll.closes_at and poll.closes_at <= now):
        return "This vote has closed."
    if poll.is_live:
        attendance = Attendance.objects.filter(meeting_id=poll.meeting_id, member=member).first()
        if attendance is None:
            return "Check in to the meeting online first: only members present vote in its polls."
        if attendance.way == Attendance.Way.ROOM:
            return "You are counted in the room: vote there, with the room."
        if not member.is_paid_up():
            return "Only fully paid-up members can vote: please check your membership payment."
        if member.pk not in meeting_voters(poll.meeting):
            return why_cannot_vote(member, poll.body, poll.branch) or "You have no vote at this meeting."
        return None
    # A vote's request reads only the poll's row: the branch page loads only to name it in a refusal.
    return why_cannot_vote(member, poll.body, poll.branch if Poll.branch.is_cached(poll) else poll.branch_id)


def cast_vote(poll, member, choice, now=None):
    """One member's vote. Returns the receipt code (secret polls; shown once) or None (named).
    `poll` is read by the caller (its own row is enough: its meeting and branch load only when a live
    poll or a refusal needs them); only its close is read again, locked."""
    now = now or timezone.now()
    if choice not in Choice.values:
        raise ParticipationError("Choose for, against or abstain.")
    why = why_cannot_vote_in(poll, member, now)
    if why:
        raise ParticipationError(why)
    code = ballot_box.new_receipt_code() if poll.secret else None
    try:
        with transaction.atomic():
            if selectors.closed_at_shared(poll.pk) is not None:
                raise ParticipationError("This vote has closed.")
            PollVoter.objects.create(poll=poll, member=member, voted_on=ballot_box.register_day(now))
            if poll.secret:
                PendingPollBallot.objects.create(poll=poll, choice=choice,
                                                 receipt_digest=ballot_box.receipt_digest(code))
            else:
                PollBallot.objects.create(poll=poll, choice=choice, voter=member)
    except IntegrityError:
        raise ParticipationError("You have already voted in this vote: one member, one vote.") from None
    if poll.secret:
        seal(poll)
    if not poll.is_live:  # receipts are written by the worker, in batches, not in the voter's request
        transaction.on_commit(lambda: receipts_due(poll.pk))
    return code


def seal(poll, *, everything=False):
    """Move secret votes from the pool into the box in shuffled batches (cms.ballot_box)."""
    if not everything and PendingPollBallot.objects.filter(poll=poll).count() < 2 * ballot_box.pool_size():
        return 0  # the pool is not full: nothing to lock
    with transaction.atomic():
        Poll.objects.select_for_update().filter(pk=poll.pk).first()
        moving = ballot_box.batch_to_seal(PendingPollBallot.objects.filter(poll=poll), everything=everything)
        if not moving:
            return 0
        PendingPollBallot.objects.filter(pk__in=[p.pk for p in moving]).delete()
        PollBallot.objects.bulk_create([PollBallot(poll=poll, choice=p.choice, receipt_digest=p.receipt_digest)
                                        for p in moving])
    return len(moving)


def check_receipt(poll, code):
    """Is the secret vote with this receipt in the box (or the pool)? Says nothing of how it voted."""
    digest = ballot_box.receipt_digest(code)
    return (PollBallot.objects.filter(poll=poll, receipt_digest=digest).exists()
            or PendingPollBallot.objects.filter(poll=poll, receipt_digest=digest).exists())


def tally(poll):
    """{"for": n, "against": n, "abstain": n} of the online votes (the pool included)."""
    counts = {choice: 0 for choice in Choice.values}
    for choice in PollBallot.objects.filter(poll=poll).values_list("choice", flat=True):
        counts[choice] += 1
    for choice in PendingPollBallot.objects.filter(poll=poll).values_list("choice", flat=True):
        counts[choice] += 1
    return counts


def turnout(poll):
    return selectors.turnout(poll.pk)


def _room_count(value, label):
    if value in (None, ""):
        raise ParticipationError(f"Give the room's votes {label} (0 if none).")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ParticipationError(f"The room's votes {label} must be a whole number.") from None
    if number < 0:
        raise ParticipationError(f"The room's votes {label} cannot be negative.")
    return number


def close_poll(poll, by, *, room_for=None, room_against=None, room_abstain=None, now=None):
    """Close a poll and record the stage's decision through the one decision service.

    A live poll adds the teller's room count (never more than the voting members registered in
    the room: those checked in online vote online and are not in it). The outcome is the one the
    stage's majority rule gives: carried, else fell."""
    now = now or timezone.now()
    with transaction.atomic():
        poll = Poll.objects.select_for_update(of=("self",)).select_related("stage", "meeting", "item").get(pk=poll.pk)
        if poll.closed_at is not None:
            raise ParticipationError("This vote is already closed.")
        if poll.is_live:
            if not permissions.can_run_meeting(by, poll.meeting):
                raise ParticipationError("Only the officers who run this meeting can close its polls.")
            room = [_room_count(room_for, "for"), _room_count(room_against, "against"),
                    _room_count(room_abstain, "abstaining")]
            voters = meeting_voters(poll.meeting)
            in_room = poll.meeting.attendance.filter(way=Attendance.Way.ROOM, member_id__in=voters).count()
            if sum(room) > in_room:
                raise ParticipationError(
                    f"The room's count ({sum(room)}) is more than the {in_room} voting member{'s' if in_room != 1 else ''} "
                    "registered in the room "
                    "(members checked in online vote online and are not in the room's count).")
        else:
            if poll.closes_at > now and not permissions.can_decide(by, poll.item, poll.stage):
                raise ParticipationError("Only the body's officers can close a ballot early.")
            room = [0, 0, 0]
        seal(poll, everything=True)
        online = tally(poll)
        votes_for = online["for"] + room[0]
        votes_against = online["against"] + room[1]
        abstentions = online["abstain"] + room[2]
        carried = DecisionRule.is_carried(poll.stage.decision_rule, votes_for, votes_against)
        online_votes = sum(online.values())
        if poll.is_live:
            note = (f"Decided by {online_votes} vote{'s' if online_votes != 1 else ''} online and {sum(room)} in the "
                    f"room ({'secret' if poll.secret else 'named'} poll).")
        else:
            eligible = voting_members(poll.body, poll.branch).count()
            note = (f"Decided by online ballot: {online_votes} vote{'s' if online_votes != 1 else ''} of {eligible} "
                    f"members with a vote ({'secret' if poll.secret else 'named'} ballot).")
        item = poll.item
        decision = record_decision(
            item, Outcome.CARRIED if carried else Outcome.FELL, by, stage=poll.stage, votes_for=votes_for,
            votes_against=votes_against, abstentions=abstentions, meeting=poll.meeting, note=note,
            decided_on=uk_date(now) if poll.meeting is None else None,
        )
        poll.closed_at, poll.closed_by, poll.decision, poll.result_note = now, by, decision, note
        poll.room_for, poll.room_against, poll.room_abstain = room if poll.is_live else (None, None, None)
        poll.online_for, poll.online_against, poll.online_abstain = online["for"], online["against"], online["abstain"]
        poll.save()
        _log(poll, "li.poll.closed", by, result=decision.get_outcome_display(), votes_for=votes_for,
             votes_against=votes_against, abstentions=abstentions, note=note)
    return decision


def close_due_ballots(now=None):
    """Scheduled: close every ballot whose window has ended, recording its decision."""
    now = now or timezone.now()
    closed = []
    for poll in Poll.objects.filter(way=Poll.Way.BALLOT, closed_at__isnull=True, closes_at__lte=now):
        try:
            close_poll(poll, poll.opened_by, now=now)
            closed.append(poll.pk)
        except (ParticipationError, DecisionError) as error:
            log(poll.item, "li.poll.close_failed", user=None, data={"poll": poll.pk, "reason": str(error)})
    return closed


def _log(poll, action, by, **extra):
    log(poll.item, action, user=by, data={
        "poll": poll.pk, "reference": poll.item.reference, "way": poll.get_way_display(),
        "secret": poll.secret, "meeting": poll.meeting.title if poll.meeting_id else "",
        "closes_at": poll.closes_at.isoformat() if poll.closes_at else "", **extra})




