"""What members and officers do with amendments and composites; every decision on them goes
through the engine's one decision service (workflows.services.record_decision), which calls
back into amendments.kind for the rules it adds (amendments first, merging, settling).
"""

from django.db import IntegrityError, transaction
from wagtail.log_actions import log

from cms import cache
from cms.html_cleaning import clean_member_html
from cms.times import member_zone_name, uk_and_local_text
from workflows import lines, permissions, signals
from workflows import services as engine
from workflows.exceptions import DecisionError, ItemError
from workflows.models import (
    AgendaEntry,
    DecidingBody,
    Item,
    ItemKind,
    ItemRevision,
    ItemStatus,
    Outcome,
    Pipeline,
    Stage,
)

from .models import Amendment, Composite

# The bodies that take amendments in a meeting (officers' reviews and outside bodies do not).
AMENDING_BODIES = (DecidingBody.BRANCH_MEETING, DecidingBody.GC, DecidingBody.LIEC)
# The kinds of item whose text members may amend.
AMENDABLE_KINDS = (ItemKind.MOTION, ItemKind.POLICY_SUBMISSION, ItemKind.COMPOSITE)
# Carried amendments merge; these outcomes count as carried.
MERGING_OUTCOMES = (Outcome.CARRIED, Outcome.ACCEPTED_AS_FRIENDLY)
# The decisions on a motion that must wait until its amendments are decided.
DECIDING_THE_TEXT = (Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED, Outcome.FELL)
REASON_MAX = 3000


# --------------------------------------------------------------------------- reading


def amendment_meeting(motion):
    """The next meeting that takes `motion` at its current stage (its agenda has it), or None."""
    entry = (AgendaEntry.objects.filter(item=motion, stage_id=motion.current_stage_id,
                                        meeting__starts_at__gt=engine.now())
             .select_related("meeting").order_by("meeting__starts_at").first())
    return entry.meeting if entry else None


def amendments_close_at(motion):
    """When members can no longer table amendments to `motion` at its stage (None: no meeting planned)."""
    meeting = amendment_meeting(motion)
    return meeting.amendments_close_at() if meeting else None


def at_stage(motion, stage_id=None):
    """The amendments to `motion` tabled at its current stage (or `stage_id`), oldest first."""
    return Amendment.objects.filter(amends_id=motion.pk, motion_stage_id=stage_id or motion.current_stage_id)


def stage_base_text(motion):
    """The text the line numbers of amendments at `motion`'s current stage refer to: the motion's text
    when the first of them was tabled (later merges do not renumber what members are amending)."""
    first = at_stage(motion).order_by("created_at", "pk").first()
    return first.base_text if first is not None else motion.text


def why_not_amendable(motion, member=None):
    """None if `member` (or a member, if None) may table an amendment to `motion` now; else the reason."""
    if motion.kind not in AMENDABLE_KINDS:
        return "Only motions and policy submissions can be amended."
    if motion.status != ItemStatus.IN_PROGRESS or motion.current_stage is None:
        return f"{motion.reference} is not waiting for a decision: it can no longer be amended."
    stage = motion.current_stage
    if stage.deciding_body not in AMENDING_BODIES:
        return f"{motion.reference} is waiting for {stage.body_label}, which does not take amendments."
    closes = amendments_close_at(motion)
    if closes is not None and closes <= engine.now():
        return (f"The deadline for amendments to {motion.reference} has passed "
                f"({uk_and_local_text(closes, member_zone_name(member) or 'Europe/London')}).")
    if member is None:
        return None
    if not getattr(member, "is_authenticated", False):
        return "Sign in to table an amendment."
    if not member.is_paid_up():
        return "Only fully paid-up members can table amendments. Check your membership is up to date."
    if stage.deciding_body == DecidingBody.BRANCH_MEETING and member.branch_id != motion.branch_id:
        return (f"At this stage the {motion.branch.title} branch meeting decides it: only its members can "
                "table amendments.")
    return None


# --------------------------------------------------------------------------- tabling


def amendment_pipeline(deciding_body):
    """The one-stage pipeline amendments decided by `deciding_body` follow (made on first use; officers may
    change its outcomes and majority in the admin like any pipeline)."""
    slug = f"amendments-{deciding_body}".replace("_", "-")
    pipeline = Pipeline.objects.filter(slug=slug).first()
    if pipeline is not None:
        return pipeline
    label = DecidingBody(deciding_body).label
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(
                name=f"Amendments at the {label}", slug=slug, kind=ItemKind.AMENDMENT,
                description="Amendments are decided at the same meeting as their motion, just before it.",
            )
            Stage.objects.create(
                pipeline=pipeline, name=f"{label}: amendment", deciding_body=deciding_body, sort_order=0,
                allowed_outcomes=[Outcome.CARRIED, Outcome.FELL, Outcome.WITHDRAWN, Outcome.RULED_OUT_OF_ORDER],
                advancing_outcomes=[Outcome.CARRIED],
            )
    except IntegrityError:  # made by a concurrent tabling in between
        pipeline = Pipeline.objects.get(slug=slug)
    return pipeline


def _clean_change(base_text, change, first_line, last_line, text):
    try:
        change = Amendment.Change(change)
    except ValueError:
        raise ItemError("Choose what the amendment does: delete, insert or replace lines.", field="change") from None
    try:
        first_line = int(first_line)
        last_line = int(last_line) if last_line not in (None, "") else first_line
    except (TypeError, ValueError):
        raise ItemError("Line numbers are whole numbers.", field="first_line") from None
    if change == Amendment.Change.INSERT:
        last_line = first_line
    if change != Amendment.Change.DELETE:
        text = clean_member_html(text or "")  # what a person typed: cleaned before it is stored
    else:
        text = ""
    try:
        lines.check_change(lines.number_lines(base_text), lines.Change(change.value, first_line, last_line, text))
    except lines.BadChange as error:
        raise ItemError(str(error), field="first_line") from None
    return change, first_line, last_line, text


def table_amendment(motion, member, *, change, first_line, last_line=None, text="", reason="", seconder_emails=()):
    """`member` tables an amendment to `motion` at its current stage: checked, numbered (A-2026-004),
    its seconders invited; it waits for them, then goes on the agenda just before its motion."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ItemError(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    if not seconder_emails:
        raise ItemError("Name a seconder (by their email address).", field="seconders")
    with transaction.atomic():
        motion = Item.objects.select_for_update(of=("self",)).select_related("current_stage", "branch").get(pk=motion.pk).specific
        problem = why_not_amendable(motion, member)
        if problem:
            raise ItemError(problem)
        stage = motion.current_stage
        base_text = stage_base_text(motion)
        change, first_line, last_line, text = _clean_change(base_text, change, first_line, last_line, text)
        twin = Amendment.objects.filter(amends=motion, motion_stage=stage, proposer=member, change=change,
                                        first_line=first_line, last_line=last_line, text=text).exclude(
            status=ItemStatus.WITHDRAWN).first()
        if twin is not None:
            raise ItemError(f"You have already tabled this amendment ({twin.label}).")
        title = f"Amendment to {motion.reference}: {lines.Change(change, first_line, last_line).describe().lower()}"
        amendment = Amendment.objects.create(
            kind=ItemKind.AMENDMENT, title=title, text=text, amends=motion, motion_stage=stage,
            change=change, first_line=first_line, last_line=last_line, reason=reason, base_text=base_text,
            pipeline=amendment_pipeline(stage.deciding_body), proposer=member, status=ItemStatus.DRAFT,
            branch=motion.branch if stage.deciding_body == DecidingBody.BRANCH_MEETING else None,
            created_at=engine.now(),
        )
        ItemRevision.objects.create(item=amendment, title=amendment.title, text=text,
                                    reason=ItemRevision.Reason.DRAFT, created_by=member, created_at=engine.now())
        engine.name_seconders(amendment, member, seconder_emails)
        engine.submit_item(amendment, member)
        log(motion, "li.amendment.tabled", user=member, data={"reference": motion.reference,
                                                               "amendment": amendment.reference,
                                                               "change": amendment.lines_in_words})
    return amendment


def accept_as_friendly(amendment, member):
    """The motion's proposer accepts a seconded amendment: it carries without a vote and merges."""
    return engine.record_decision(amendment, Outcome.ACCEPTED_AS_FRIENDLY, member,
                                  note="Accepted by the proposer of the motion: merged without a vote.")


def may_accept_as_friendly(member, amendment):
    return (getattr(member, "is_authenticated", False) and amendment.status == ItemStatus.IN_PROGRESS
            and amendment.amends.proposer_id == member.pk)


# --------------------------------------------------------------------------- merging


def carried_at_stage(motion, stage_id):
    """The carried amendments to `motion` at `stage_id`, in the order they were decided."""
    return list(at_stage(motion, stage_id).filter(status=ItemStatus.FINISHED).order_by("finished_at", "pk"))


def as_change(amendment):
    return amendment.change_on_lines


def merge_carried(amendment, by):
    """Merge a carried amendment into its motion's text, as a new revision, unless it touches lines an
    earlier carried amendment changed or the text was settled by hand: then it waits for an officer
    to settle the text (`settle_text`), and the motion cannot be decided until then."""
    motion = Item.objects.select_for_update().get(pk=amendment.amends_id)
    carried = carried_at_stage(motion, amendment.motion_stage_id)
    unsettled = [a for a in carried if a.merged_revision_id is None]
    settled_by_hand = ItemRevision.objects.filter(
        pk__in=[a.merged_revision_id for a in carried if a.merged_revision_id],
        reason=ItemRevision.Reason.RESOLVED).exists()
    if settled_by_hand or len(unsettled) > 1:
        return None
    try:
        text = lines.apply_changes(amendment.base_text, [as_change(a) for a in carried])
    except lines.Overlap:
        return None
    revision = ItemRevision.objects.create(item=motion, title=motion.title, text=text,
                                           reason=ItemRevision.Reason.MERGED, created_by=by, created_at=engine.now())
    motion.text = text
    motion.save(update_fields=["text", "updated_at"])
    Amendment.objects.filter(pk=amendment.pk).update(merged_revision=revision)
    amendment.merged_revision = revision
    return revision


def waiting_to_be_settled(motion):
    """Carried amendments at `motion`'s current stage whose change is not in its text yet."""
    return [a for a in carried_at_stage(motion, motion.current_stage_id) if a.merged_revision_id is None]


def proposed_settlement(motion):
    """The text the settling screen starts from: every carried amendment that can be applied, applied."""
    carried = carried_at_stage(motion, motion.current_stage_id)
    base = stage_base_text(motion)
    applied = []
    for amendment in carried:
        try:
            lines.apply_changes(base, [as_change(a) for a in applied + [amendment]])
        except lines.Overlap:
            continue
        applied.append(amendment)
    return lines.apply_changes(base, [as_change(a) for a in applied]) if applied else motion.text


def settle_text(motion, by, *, text):
    """An officer of the deciding body writes the motion's text where carried amendments touch the same
    lines: a new revision; the amendments waiting are marked as merged into it."""
    text = clean_member_html(text or "")
    with transaction.atomic():
        motion = Item.objects.select_for_update(of=("self",)).select_related("current_stage").get(pk=motion.pk)
        if motion.status != ItemStatus.IN_PROGRESS or not permissions.can_decide(by, motion):
            raise DecisionError("You may not settle the text of this motion now.")
        waiting = waiting_to_be_settled(motion)
        if not waiting:
            raise DecisionError("No carried amendment is waiting: the text is already settled.")
        if not lines.number_lines(text):
            raise DecisionError("Write the motion's text.")
        revision = ItemRevision.objects.create(item=motion, title=motion.title, text=text,
                                               reason=ItemRevision.Reason.RESOLVED, created_by=by,
                                               created_at=engine.now())
        motion.text = text
        motion.save(update_fields=["text", "updated_at"])
        Amendment.objects.filter(pk__in=[a.pk for a in waiting]).update(merged_revision=revision)
        transaction.on_commit(lambda: cache.invalidate(*cache.item_keys(motion)))
        log(motion, "li.amendment.settled", user=by, data={
            "reference": motion.reference, "amendments": [a.reference for a in waiting]})
    return revision


# --------------------------------------------------------------------------- composites


def composite(sources, by, *, title, text):
    """The secretary or the policy officer joins `sources` (motions waiting at the same stage, possibly of
    different branches) into one composite motion with a new text: it takes their place at that stage,
    their proposers move it, their followers follow it; each source records "composited" and stops."""
    if not may_composite(by):
        raise DecisionError("Only the secretary or the policy officer can composite motions.")
    text = clean_member_html(text or "")
    if not (title or "").strip():
        raise ItemError("Give the composite a title.", field="title")
    if not lines.number_lines(text):
        raise ItemError("Write the composite's text.", field="text")
    ids = sorted({s.pk for s in sources})
    if len(ids) < 2:
        raise ItemError("Choose at least two motions to composite.", field="sources")
    with transaction.atomic():
        locked = [i.specific for i in Item.objects.select_for_update(of=("self",)).select_related("current_stage").filter(
            pk__in=ids).order_by("pk")]
        if len(locked) != len(ids):
            raise ItemError("One of the motions no longer exists.", field="sources")
        for item in locked:
            if item.kind not in (ItemKind.MOTION, ItemKind.COMPOSITE) or item.status != ItemStatus.IN_PROGRESS:
                raise ItemError(f"{item.reference} is not a motion waiting for a decision: it cannot be composited.",
                                field="sources")
        stages = {i.current_stage_id for i in locked}
        if len(stages) != 1:
            raise ItemError("Composite motions that wait at the same stage: "
                            + "; ".join(f"{i.reference} at “{i.current_stage.name}”" for i in locked), field="sources")
        stage = locked[0].current_stage
        if stage.deciding_body == DecidingBody.BRANCH_MEETING:
            raise ItemError("Motions are composited after their branches have passed them (at the GC or for "
                            "Conference), not at a branch meeting.", field="sources")
        pending = Amendment.objects.filter(amends_id__in=ids, status=ItemStatus.IN_PROGRESS).first()
        if pending is not None:
            raise ItemError(f"Decide {pending.reference} (an amendment to {pending.amends.reference}) first.",
                            field="sources")
        result = Composite.objects.create(
            kind=ItemKind.COMPOSITE, title=title.strip(), text=text, pipeline=locked[0].pipeline,
            current_stage=stage, status=ItemStatus.IN_PROGRESS, proposer=locked[0].proposer, branch=None,
            reference=engine.allocate_reference(ItemKind.COMPOSITE), created_at=engine.now(),
            submitted_at=engine.now(),
        )
        result.sources.set(locked)
        ItemRevision.objects.create(item=result, title=result.title, text=text, reason=ItemRevision.Reason.DRAFT,
                                    created_by=by, created_at=engine.now())
        for item in locked:
            engine.record_decision(item, Outcome.COMPOSITED, by,
                                   note=f"Composited into {result.reference} “{result.title}”.")
        engine.place_on_next_agenda(result)
        transaction.on_commit(lambda: signals.items_joined.send(sender=Item, item=result, sources=locked))
        log(result, "li.composite.made", user=by, data={"reference": result.reference,
                                                        "sources": [i.reference for i in locked]})
    return result


def may_composite(user):
    """The one rule of who composites motions: the secretary or the policy officer."""
    return (permissions.is_secretary(user) or permissions.is_policy_officer(user)
            or getattr(user, "is_superuser", False))


def movers(composite_motion):
    """The composite's sources with their proposers and branches, in reference order."""
    return list(composite_motion.sources.select_related("proposer", "branch").order_by("reference"))


def composited_into(item):
    """The composite a motion was joined into, or None."""
    return Composite.objects.filter(sources=item).only("pk", "reference", "title").first()
