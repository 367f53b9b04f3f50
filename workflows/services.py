"""Business actions of the workflow engine: the one place each rule is checked and written.

Views, the admin, the API, commands and the demo seed call these functions. Each runs in a
transaction, raises a `workflows.exceptions.WorkflowError` subclass with a message for the
person who acted (nothing is written then), and sends its signals only after commit.
"""

import contextvars
import re
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.html import strip_tags

from cms.html_cleaning import RICH_TEXT_FEATURES, clean_member_html

from . import permissions, signals
from .exceptions import AlreadyDecided, DecisionError, ItemError
from .models import (
    MEETING_BODY_OF_DECIDING_BODY,
    REFERENCE_PREFIXES,
    TERMINAL_STATUS_OF_OUTCOME,
    UK_TIME_ZONE,
    VOTED_OUTCOMES,
    AgendaEntry,
    DecidingBody,
    Decision,
    Item,
    ItemKind,
    ItemRevision,
    ItemStatus,
    Meeting,
    MeetingBody,
    Motion,
    Outcome,
    Pipeline,
    PolicySubmission,
    ReferenceCounter,
    Seconding,
    Stage,
    word_count,
)
from .selectors import meetings_deciding

# Motions and policy submissions need at least this many confirmed seconders to go forward.
SECONDERS_REQUIRED = 1

_as_of = contextvars.ContextVar("workflow_as_of", default=None)


def now():
    """The time services stamp records with: the real time, unless inside `as_of`."""
    return _as_of.get() or timezone.now()


@contextmanager
def as_of(moment):
    """Enter historical records (past minutes, the demo seed) as of `moment`: every timestamp
    the services write (created, submitted, decided, recorded) is that moment. The rules are
    the same; a decision still cannot be dated after it is recorded."""
    token = _as_of.set(moment)
    try:
        yield
    finally:
        _as_of.reset(token)


def _today():
    return timezone.localtime(now(), UK_TIME_ZONE).date()


def _on_commit_send(signal, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=Item, **kwargs))


# --------------------------------------------------------------------------- references


def allocate_reference(kind, year=None):
    """The next reference for `kind` in `year` (UK year by default), e.g. "M-2026-007".

    The counter row is incremented with an UPDATE inside the caller's transaction, which holds
    its lock until commit: two concurrent allocations never get the same number.
    """
    prefix = REFERENCE_PREFIXES[kind]
    year = year or _today().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                counter, _ = ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:  # created by a concurrent allocation in between
            counter = ReferenceCounter.objects.get(prefix=prefix, year=year)
        ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
        number = ReferenceCounter.objects.values_list("last", flat=True).get(pk=counter.pk)
    return f"{prefix}-{year}-{number:03d}"


# --------------------------------------------------------------------------- drafting


def _check_text(title, text, *, limit=None):
    if not (title or "").strip():
        raise ItemError("Give it a title.", field="title")
    if not strip_tags(text or "").strip():
        raise ItemError("Write its text.", field="text")
    if limit is not None:
        words = word_count(text)
        if words > limit:
            raise ItemError(
                f"The text has {words} words: the consultation's limit is {limit}. Shorten it by {words - limit}.",
                field="text",
            )


def _check_consultation(consultation, commission):
    if consultation is None:
        raise ItemError("Choose the NPF consultation.", field="consultation")
    if commission is None:
        raise ItemError("Choose the policy commission.", field="commission")
    if not consultation.is_open:
        raise ItemError(f"The consultation “{consultation.title}” is closed.", field="consultation")
    if not consultation.commissions.filter(pk=commission.pk).exists():
        raise ItemError(
            f"“{commission.name}” is not a commission of “{consultation.title}”.", field="commission"
        )


def _check_member_may_propose(member):
    if not getattr(member, "is_authenticated", False):
        raise ItemError("Log in to propose.")
    if not member.is_paid_up():
        raise ItemError("Only fully paid-up members can propose. Check your membership is up to date.")


def create_draft(kind, proposer, *, title, text, branch=None, consultation=None, commission=None,
                 steering_group=None, seconder_numbers=()):
    """A new draft motion, policy submission or steering-group proposal by `proposer`.

    Motions and submissions belong to the proposer's branch; proposals to their steering group
    (the proposer must be in it). Seconders may be named at once by membership number.
    """
    kind = ItemKind(kind)
    _check_member_may_propose(proposer)
    model, extra = Motion, {}
    limit = None
    if kind == ItemKind.POLICY_SUBMISSION:
        _check_consultation(consultation, commission)
        limit = consultation.word_limit
        model, extra = PolicySubmission, {"consultation": consultation, "commission": commission}
    elif kind == ItemKind.PROPOSAL:
        from steering_groups.models import Proposal

        if steering_group is None:
            raise ItemError("Choose the steering group.", field="steering_group")
        if not (steering_group.is_member(proposer) or proposer.is_superuser):
            raise ItemError(f"Only members of the {steering_group.name} steering group can propose for it.")
        model, extra = Proposal, {"steering_group": steering_group}
        branch = None
    if kind != ItemKind.PROPOSAL:
        branch = branch or proposer.branch
        if branch is None:
            raise ItemError("You are not in a branch yet: ask the membership officer to add you to one.")
    text = clean_member_html(text)  # what a person typed: cleaned before it is stored
    _check_text(title, text, limit=limit)
    pipeline = Pipeline.default_for(kind)
    with transaction.atomic():
        item = model.objects.create(
            reference=allocate_reference(kind), kind=kind, title=title.strip(), text=text, pipeline=pipeline,
            branch=branch, proposer=proposer, status=ItemStatus.DRAFT, created_at=now(), **extra,
        )
        ItemRevision.objects.create(item=item, title=item.title, text=text, reason=ItemRevision.Reason.DRAFT,
                                    created_by=proposer, created_at=now())
        if seconder_numbers:
            name_seconders(item, proposer, seconder_numbers)
    return item


def update_draft(item, by, *, title, text, consultation=None, commission=None, seconder_numbers=None):
    """Save an edit of a draft by its proposer: a new revision is kept. Changing the text
    un-confirms seconders (they second a text, not a title)."""
    item = item.specific
    if not permissions.can_edit_draft(by, item) or item.status != ItemStatus.DRAFT:
        raise ItemError("Only its proposer can edit a draft, and only before it is submitted.")
    limit = None
    if isinstance(item, PolicySubmission):
        consultation = consultation or item.consultation
        commission = commission or item.commission
        _check_consultation(consultation, commission)
        limit = consultation.word_limit
    text = clean_member_html(text)
    _check_text(title, text, limit=limit)
    with transaction.atomic():
        text_changed = text != item.text
        item.title, item.text = title.strip(), text
        if isinstance(item, PolicySubmission):
            item.consultation, item.commission = consultation, commission
        item.save()
        ItemRevision.objects.create(item=item, title=item.title, text=text, reason=ItemRevision.Reason.DRAFT,
                                    created_by=by, created_at=now())
        if text_changed:
            item.secondings.filter(confirmed_at__isnull=False).update(confirmed_at=None)
        if seconder_numbers is not None:
            name_seconders(item, by, seconder_numbers, replace=True)
    return item


def name_seconders(item, by, membership_numbers, *, replace=False):
    """Name seconders of a draft by membership number. Each must be a fully paid-up member and
    not the proposer; each then confirms on the site. `replace` drops those not named again."""
    from cms.models import Member

    if item.proposer_id != getattr(by, "pk", None):
        raise ItemError("Only the proposer names seconders.")
    if item.status != ItemStatus.DRAFT:
        raise ItemError("Seconders are named while the item is a draft.")
    numbers = []
    for raw in membership_numbers:
        number = (raw or "").strip().upper()
        if number and number not in numbers:
            numbers.append(number)
    members = {m.membership_number.upper(): m for m in Member.objects.filter(membership_number__in=numbers)}
    # Membership numbers are stored as entered: match case-insensitively for what was not found.
    for number in numbers:
        if number not in members:
            found = Member.objects.filter(membership_number__iexact=number).first()
            if found is None:
                raise ItemError(f"No member has the membership number {number}.", field="seconders")
            members[number] = found
    for number in numbers:
        member = members[number]
        if member.pk == item.proposer_id:
            raise ItemError("You cannot second your own motion: name another member.", field="seconders")
        if not member.is_paid_up():
            raise ItemError(f"Member {number} is not a fully paid-up member, so cannot second.", field="seconders")
    with transaction.atomic():
        if replace:
            item.secondings.exclude(member__in=[members[n] for n in numbers]).delete()
        for number in numbers:
            seconding, created = Seconding.objects.get_or_create(item=item, member=members[number],
                                                                   defaults={"named_at": now()})
            if created:
                _on_commit_send(signals.seconding_requested, item=item, seconding=seconding)
    return list(item.secondings.select_related("member"))


def confirm_seconding(item, member):
    """`member`, named as a seconder, confirms they second the item. When the item is awaiting
    its seconders and this was the last one, it enters its first stage."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        seconding = Seconding.objects.filter(item=locked, member_id=getattr(member, "pk", None)).first()
        if seconding is None:
            raise ItemError("You are not named as a seconder of this item.")
        if locked.status not in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS):
            raise ItemError("This item is no longer waiting for seconders.")
        if not member.is_paid_up():
            raise ItemError("Only fully paid-up members can second. Check your membership is up to date.")
        if seconding.confirmed_at is None:
            seconding.confirmed_at = now()
            seconding.save(update_fields=["confirmed_at"])
        if locked.status == ItemStatus.AWAITING_SECONDERS and not locked.secondings.filter(
            confirmed_at__isnull=True
        ).exists():
            _enter_first_stage(locked)
    _copy_state(locked, item)
    return seconding


def submit_item(item, by):
    """The proposer submits a draft. Motions and policy submissions need a named seconder; the
    item waits for its seconders' confirmations, then enters its pipeline's first stage (and
    the next meeting's agenda of that stage's body)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk).specific
        if locked.proposer_id != getattr(by, "pk", None):
            raise ItemError("Only its proposer can submit it.")
        if locked.status != ItemStatus.DRAFT:
            raise ItemError("It has already been submitted.")
        _check_member_may_propose(by)
        if isinstance(locked, PolicySubmission):
            _check_consultation(locked.consultation, locked.commission)
            _check_text(locked.title, locked.text, limit=locked.consultation.word_limit)
        if locked.kind != ItemKind.PROPOSAL and locked.secondings.count() < SECONDERS_REQUIRED:
            raise ItemError("Name at least one seconder (by membership number) before submitting.", field="seconders")
        if locked.secondings.filter(confirmed_at__isnull=True).exists():
            locked.status = ItemStatus.AWAITING_SECONDERS
            locked.save(update_fields=["status", "updated_at"])
        else:
            _enter_first_stage(locked)
    _copy_state(locked, item)
    return item


def _enter_first_stage(item):
    stage = item.pipeline.first_stage()
    if stage is None:
        raise ItemError(f"The pipeline “{item.pipeline}” has no stages.")
    item.current_stage = stage
    item.status = ItemStatus.IN_PROGRESS
    item.submitted_at = now()
    item.save(update_fields=["current_stage", "status", "submitted_at", "updated_at"])
    place_on_next_agenda(item)
    _on_commit_send(signals.item_submitted, item=item)


def withdraw_item(item, by, *, note=""):
    """The proposer withdraws their item, before any body has decided on it. A submitted item's
    history shows the withdrawal (a "withdrawn" decision recorded by the proposer)."""
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if locked.proposer_id != getattr(by, "pk", None):
            raise ItemError("Only its proposer can withdraw it.")
        if locked.status not in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS, ItemStatus.IN_PROGRESS):
            raise ItemError(f"It cannot be withdrawn: it is {locked.get_status_display().lower()}.")
        if locked.decisions.exists():
            raise ItemError("A body has already decided on it: it can no longer be withdrawn by its proposer.")
        stage = locked.current_stage
        if stage is not None:
            Decision.objects.create(
                item=locked, stage=stage, stage_name=stage.name, deciding_body=stage.deciding_body,
                outside_body=stage.outside_body, outcome=Outcome.WITHDRAWN, status_after=ItemStatus.WITHDRAWN,
                decided_on=_today(), recorded_at=now(), recorded_by=by, note=note or "Withdrawn by the proposer.",
            )
            AgendaEntry.objects.filter(item=locked, meeting__starts_at__gte=now()).delete()
        locked.status = ItemStatus.WITHDRAWN
        locked.current_stage = None
        locked.finished_at = now()
        locked.save(update_fields=["status", "current_stage", "finished_at", "updated_at"])
        _on_commit_send(signals.item_withdrawn, item=locked)
    _copy_state(locked, item)
    return item


def _copy_state(source, target):
    """Bring the caller's (now stale) object up to date with the row written under lock."""
    if source is target:
        return
    for field in ("status", "text", "title", "submitted_at", "finished_at", "updated_at"):
        setattr(target, field, getattr(source, field))
    target.current_stage = source.current_stage if source.current_stage_id else None


# --------------------------------------------------------------------------- decisions


def _clean_votes(votes_for, votes_against, abstentions):
    """Vote counts as whole, non-negative numbers (None where not given)."""
    cleaned = []
    for label, value in (("for", votes_for), ("against", votes_against), ("abstentions", abstentions)):
        if value is None or (isinstance(value, str) and not value.strip()):
            cleaned.append(None)
            continue
        if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value).strip()):
            raise DecisionError(f"Votes {label}: “{value}” is not a whole number.")
        number = int(str(value).strip())
        if number < 0:
            raise DecisionError(f"Votes {label} cannot be negative.")
        cleaned.append(number)
    return cleaned


def record_decision(item, outcome, by, *, stage=None, votes_for=None, votes_against=None, abstentions=None,
                    meeting=None, note="", amended_text=None, decided_on=None):
    """Record what a body decided on `item` at its current stage, and move the item: THE one
    place a transition is checked and written.

    Checks that `by` may decide for that stage, that the stage allows `outcome`, votes (whole,
    non-negative, required where the stage takes votes, consistent with the outcome), the
    item's state, the meeting's body, the word limit of a policy submission, and that `stage`
    (when given: what the person saw) is still the item's current stage — a second decision
    for the same stage (double click, two officers at once) raises AlreadyDecided.
    Runs in a transaction with the item row locked; signals go after commit.
    """
    if outcome not in Outcome.values:
        raise DecisionError(f"“{outcome}” is not an outcome.")
    outcome = Outcome(outcome)
    votes_for, votes_against, abstentions = _clean_votes(votes_for, votes_against, abstentions)
    amended_text = amended_text if amended_text is None else clean_member_html(amended_text)

    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        _check_state(locked, stage, meeting)
        current = Stage.objects.get(pk=locked.current_stage_id)
        locked.current_stage = current
        if not permissions.can_decide(by, locked, current):
            raise DecisionError(f"You may not record decisions for “{current.name}” ({_where(locked, current)}).")
        if outcome not in current.allowed_outcomes:
            allowed = ", ".join(Outcome(o).label.lower() for o in current.allowed_outcomes)
            raise DecisionError(f"“{current.name}” cannot record “{outcome.label}”. It may record: {allowed}.")
        _check_votes(current, outcome, votes_for, votes_against, abstentions)
        if abstentions is None and votes_for is not None:
            abstentions = 0
        if outcome == Outcome.CARRIED_AS_AMENDED:
            if not amended_text or not strip_tags(amended_text).strip():
                raise DecisionError("Carried as amended: give the amended text.")
        elif amended_text:
            raise DecisionError("An amended text goes only with “carried as amended”.")
        advancing = outcome in current.advancing_outcomes
        if locked.kind == ItemKind.POLICY_SUBMISSION and (advancing or amended_text):
            submission = locked.specific
            words = word_count(amended_text or submission.text)
            if words > submission.consultation.word_limit:
                raise DecisionError(
                    f"The submission has {words} words, over the consultation's limit of "
                    f"{submission.consultation.word_limit}: carry it as amended with a shorter text, or refer it back."
                )
        if meeting is not None:
            _check_meeting(locked, current, meeting)
        decided_on = _decided_on(decided_on, meeting)

        revision = None
        if amended_text:
            revision = ItemRevision.objects.create(item=locked, title=locked.title, text=amended_text,
                                                   reason=ItemRevision.Reason.AMENDED, created_by=by,
                                                   created_at=now())
            locked.text = amended_text

        next_stage = None
        if advancing:
            next_stage = current.next_stage()
            status = ItemStatus.IN_PROGRESS if next_stage else ItemStatus.FINISHED
        elif outcome == Outcome.REFERRED_BACK:
            # Back to the previous stage's body; at the first stage, back on that body's next agenda.
            next_stage = current.previous_stage() or current
            status = ItemStatus.IN_PROGRESS
        else:
            status = TERMINAL_STATUS_OF_OUTCOME[outcome]

        decision = Decision.objects.create(
            item=locked, stage=current, stage_name=current.name, deciding_body=current.deciding_body,
            outside_body=current.outside_body, outcome=outcome, status_after=status,
            next_stage_name=next_stage.name if next_stage else "",
            votes_for=votes_for, votes_against=votes_against, abstentions=abstentions, meeting=meeting,
            decided_on=decided_on, recorded_at=now(), recorded_by=by, note=note or "", amended_revision=revision,
        )
        locked.status = status
        locked.current_stage = next_stage
        if status != ItemStatus.IN_PROGRESS:
            locked.finished_at = now()
        locked.save(update_fields=["status", "current_stage", "text", "finished_at", "updated_at"])
        # It left this stage: drop it from later agendas of the stage's body; keep the meeting that decided it.
        AgendaEntry.objects.filter(item=locked, stage=current, meeting__starts_at__gte=now()).exclude(
            meeting=meeting
        ).delete()
        if next_stage is not None:
            place_on_next_agenda(locked)
        _on_commit_send(signals.decision_recorded, item=locked, decision=decision)
    _copy_state(locked, item)
    return decision


def _check_state(locked, stage, meeting):
    if locked.status in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS):
        raise DecisionError(f"{locked.reference} has not been submitted yet.")
    if locked.status == ItemStatus.WITHDRAWN:
        raise DecisionError(f"{locked.reference} has been withdrawn: no decision can be recorded on it.")
    if stage is not None and locked.current_stage_id != stage.pk:
        earlier = locked.decisions.filter(stage=stage).order_by("-recorded_at", "-pk").first()
        if earlier is not None:
            raise AlreadyDecided(
                f"{locked.reference} has already been decided at “{stage.name}”: "
                f"{earlier.get_outcome_display().lower()} on {earlier.decided_on:%d %B %Y}."
            )
        if locked.status == ItemStatus.IN_PROGRESS:
            raise DecisionError(f"{locked.reference} is not at “{stage.name}” (it is at “{locked.current_stage.name}”).")
    if locked.status != ItemStatus.IN_PROGRESS:
        raise DecisionError(
            f"{locked.reference} is {locked.get_status_display().lower()}: no further decision can be recorded."
        )
    if meeting is not None and locked.decisions.filter(stage_id=locked.current_stage_id, meeting=meeting).exists():
        raise AlreadyDecided(f"{locked.reference} has already been decided at this meeting.")


def _where(item, stage):
    if stage.deciding_body == DecidingBody.BRANCH_MEETING and item.branch_id:
        return f"{item.branch.title} branch"
    return stage.body_label


def _check_votes(stage, outcome, votes_for, votes_against, abstentions):
    given = [v for v in (votes_for, votes_against, abstentions) if v is not None]
    if not stage.takes_votes:
        if given:
            raise DecisionError(f"“{stage.name}” does not take votes: leave the vote counts empty.")
        return
    if outcome in VOTED_OUTCOMES and (votes_for is None or votes_against is None):
        raise DecisionError(f"“{stage.name}” takes votes: give the votes for and against (and abstentions).")
    if votes_for is None or votes_against is None:
        if given:
            raise DecisionError("Give both the votes for and against, or none.")
        return
    if outcome in (Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED) and votes_against > votes_for:
        raise DecisionError(f"With {votes_for} for and {votes_against} against, it cannot have been carried.")
    if outcome == Outcome.FELL and votes_for > votes_against:
        raise DecisionError(f"With {votes_for} for and {votes_against} against, it cannot have fallen.")


def _check_meeting(item, stage, meeting):
    expected = MEETING_BODY_OF_DECIDING_BODY.get(stage.deciding_body)
    if expected is None or meeting.body != expected:
        raise DecisionError(f"“{stage.name}” is not decided by a {meeting.get_body_display()} meeting.")
    if meeting.body == MeetingBody.BRANCH and meeting.branch_id != item.branch_id:
        raise DecisionError("That meeting is another branch's meeting.")
    if meeting.body == MeetingBody.STEERING_GROUP and meeting.steering_group_id != getattr(
        item.specific, "steering_group_id", None
    ):
        raise DecisionError("That meeting is another steering group's meeting.")


def _decided_on(decided_on, meeting):
    today = _today()
    if decided_on is None:
        decided_on = timezone.localtime(meeting.starts_at, UK_TIME_ZONE).date() if meeting else today
        return min(decided_on, today)
    if isinstance(decided_on, str):
        try:
            decided_on = date.fromisoformat(decided_on)
        except ValueError:
            raise DecisionError(f"“{decided_on}” is not a date (YYYY-MM-DD).") from None
    if decided_on > today:
        raise DecisionError("A decision cannot be dated in the future.")
    return decided_on


# --------------------------------------------------------------------------- meetings and agendas


def place_on_next_agenda(item):
    """Put an item waiting at its stage on the agenda of the next meeting of the deciding body
    (if one is planned; otherwise `build_agenda` adds it when that meeting is created)."""
    stage = item.current_stage
    if stage is None or item.status != ItemStatus.IN_PROGRESS:
        return None
    meeting = meetings_deciding(item, stage).upcoming(now()).first()
    if meeting is None:
        return None
    existing = AgendaEntry.objects.filter(meeting=meeting, item=item).first()
    if existing is not None:
        return existing
    return _add_to_agenda(meeting, item, stage)


def _add_to_agenda(meeting, item, stage):
    last = meeting.agenda.aggregate(last=Max("position"))["last"] or 0
    entry = AgendaEntry.objects.create(meeting=meeting, item=item, stage=stage, position=last + 1)
    _on_commit_send(signals.item_put_on_agenda, item=item, meeting=meeting, agenda_entry=entry)
    return entry


def build_agenda(meeting):
    """Add to `meeting`'s agenda every item waiting for its body that is not already on the
    agenda of another upcoming meeting of that body. Idempotent; returns the new entries."""
    deciding = [db for db, mb in MEETING_BODY_OF_DECIDING_BODY.items() if mb == meeting.body]
    if not deciding:
        return []
    waiting = Item.objects.filter(status=ItemStatus.IN_PROGRESS, current_stage__deciding_body__in=deciding)
    if meeting.body == MeetingBody.BRANCH:
        waiting = waiting.filter(branch_id=meeting.branch_id)
    elif meeting.body == MeetingBody.STEERING_GROUP:
        waiting = waiting.filter(proposal__steering_group_id=meeting.steering_group_id)
    other_upcoming = Meeting.objects.filter(body=meeting.body, branch_id=meeting.branch_id,
                                            steering_group_id=meeting.steering_group_id,
                                            starts_at__gte=now()).exclude(pk=meeting.pk)
    waiting = waiting.exclude(agenda_entries__meeting=meeting).exclude(agenda_entries__meeting__in=other_upcoming)
    entries = []
    with transaction.atomic():
        for item in waiting.select_related("current_stage").order_by("submitted_at", "pk"):
            entries.append(_add_to_agenda(meeting, item, item.current_stage))
    return entries


def approve_minutes(meeting, by, *, minutes=None):
    """Approve a meeting's minutes: from then on they are published to members."""
    if not permissions.can_run_meeting(by, meeting):
        raise DecisionError("You may not approve the minutes of this meeting.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if minutes is not None:
            locked.minutes = minutes
        # Minutes saved earlier as a draft are cleaned again: only clean HTML is ever published.
        locked.minutes = clean_member_html(locked.minutes, RICH_TEXT_FEATURES)
        if not strip_tags(locked.minutes or "").strip():
            raise DecisionError("Write the minutes before approving them.")
        locked.minutes_status = Meeting.MinutesStatus.APPROVED
        locked.minutes_approved_at = now()
        locked.minutes_approved_by = by
        locked.save()
    meeting.refresh_from_db()
    return meeting



def cancel_meeting(meeting, by):
    """Cancel (delete) a future meeting nothing was decided at yet; the items on its agenda go
    to the next other meeting of that body, if one is planned."""
    if not permissions.can_schedule_meeting(by, meeting.body, meeting.branch):
        raise DecisionError("You may not cancel this meeting.")
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.starts_at < now():
            raise DecisionError("This meeting has taken place: it cannot be cancelled.")
        if locked.decisions.exists():
            raise DecisionError("Decisions were recorded at this meeting: it cannot be cancelled.")
        items = [entry.item for entry in locked.agenda.select_related("item", "item__current_stage")]
        locked.delete()
        for item in items:
            place_on_next_agenda(item)
