"""Amendments and composites as kinds of item of the workflow engine, and the rules they add to
its one decision service (workflows.kinds): a motion is decided after its amendments; a carried
amendment merges into its motion's text in the same transaction; the motion's proposer may accept
an amendment as friendly; the secretary or policy officer composites motions.
"""

from django.template.loader import render_to_string

from workflows import kinds
from workflows.exceptions import DecisionError
from workflows.models import ItemKind, ItemStatus, Outcome

from . import demo, selectors, services
from .models import Amendment, Composite

OPEN = (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS, ItemStatus.IN_PROGRESS)


def check(item, stage, outcome):
    """Refuse a decision the amendments' rules forbid (the item is locked; nothing is written yet)."""
    if item.kind == ItemKind.AMENDMENT:
        amendment = item.specific
        motion = amendment.amends
        if outcome in (Outcome.CARRIED, Outcome.ACCEPTED_AS_FRIENDLY) and (
            motion.status != ItemStatus.IN_PROGRESS or motion.current_stage_id != amendment.motion_stage_id
        ):
            raise DecisionError(f"{motion.reference} has moved on from the stage this amendment was tabled at: "
                                "it can no longer be carried (record it as withdrawn or ruled out of order).")
        return
    if outcome not in services.DECIDING_THE_TEXT:
        return
    waiting = list(services.at_stage(item, stage.pk).filter(status=ItemStatus.IN_PROGRESS)
                   .values_list("reference", flat=True))
    if waiting:
        raise DecisionError(f"Decide the amendments to {item.reference} first: {', '.join(waiting)}. "
                            "Nothing was recorded.")
    unsettled = services.waiting_to_be_settled(item)
    if unsettled:
        raise DecisionError(f"Carried amendments change the same lines of {item.reference} "
                            f"({', '.join(a.reference for a in unsettled)}): settle its text first. Nothing was recorded.")


def after(item, decision, by):
    """In the decision's transaction: merge a carried amendment; close the amendments a decided motion
    leaves behind (still waiting for their seconders: they lapse)."""
    if item.kind == ItemKind.AMENDMENT:
        if decision.outcome in services.MERGING_OUTCOMES:
            services.merge_carried(item.specific, by)
        return
    lapsed = services.at_stage(item, decision.stage_id).filter(
        status__in=(ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS))
    lapsed.update(status=ItemStatus.WITHDRAWN, finished_at=decision.recorded_at)


def allows(item, by, outcome):
    if outcome == Outcome.ACCEPTED_AS_FRIENDLY:
        if item.kind != ItemKind.AMENDMENT:
            return f"Only an amendment can be accepted as friendly, not {item.label}."
        if not services.may_accept_as_friendly(by, item.specific):
            return "Only the proposer of the motion can accept an amendment as friendly."
        return True
    if outcome == Outcome.COMPOSITED:
        if item.kind not in (ItemKind.MOTION, ItemKind.COMPOSITE):
            return f"Only motions are composited, not {item.label}."
        if services.may_composite(by):
            return True
        return "Only the secretary or the policy officer can composite motions."
    return None


def decision_screen_html(amendment):
    """The decision screen shows what the meeting votes on: the motion's lines and the change to them."""
    return render_to_string("amendments/_decision_screen.html", {"amendment": amendment,
                                                                  "view": selectors.change_view(amendment)})


def register():
    kinds.register(kinds.ItemKindSpec(kind=ItemKind.AMENDMENT, model=Amendment, amends="amends", draft_page=False,
                                      select_related=("amends",), seed_demo=demo.tell_amendments,
                                      decision_screen_html=decision_screen_html))
    kinds.register(kinds.ItemKindSpec(kind=ItemKind.COMPOSITE, model=Composite, in_branch=False,
                                      needs_seconder=False, draft_page=False))
    kinds.register_decision_rules(kinds.DecisionRules(check=check, after=after, allows=allows))
