"""The kinds of item the engine moves, each registered by the app that defines it.

The engine (pipelines, stages, items, decisions, meetings) treats every item alike. What differs
from kind to kind is told to it here, from the defining app's `AppConfig.ready()`, so the engine
never imports the apps built on it: workflows registers its own Motion and PolicySubmission;
steering_groups registers Proposal and the steering groups that decide proposals.

A kind says what model its items are, whether a draft belongs to the proposer's branch and
needs a seconder, the fields of its own a draft takes (checked for the proposer) and where the
draft page reads them, who else may not second it, which group decides it at a "steering group"
stage (the name of the field that holds the group), what a listing joins, and its demo data.

A deciding group (a steering group) is anything with `pk`, `name` and `conveners()`; the app
that defines them registers which groups a member convenes, and the groups the demo plans
meetings for (`register_deciding_groups`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class ItemKindSpec:
    """What the engine needs to know of one kind of item (an `ItemKind` value)."""

    kind: str
    # The Item subclass (multi-table inheritance) of the kind's items.
    model: type
    # Drafts belong to the proposer's branch (motions, submissions); False: to no branch (proposals).
    in_branch: bool = True
    # Submitted only with a seconder invited (motions, submissions); False: without (proposals).
    needs_seconder: bool = True
    # (proposer, **details) -> the kind's own fields of a new draft; raises ItemError to refuse it.
    draft_fields: Callable[..., dict] | None = None
    # (request) -> the details the draft page passes to `draft_fields` (Http404 if the link names none).
    draft_details: Callable[[Any], dict] | None = None
    # (item, member) -> raises ItemError if the kind forbids `member` to second `item`.
    check_seconder: Callable[[Any, Any], None] | None = None
    # The field naming the group that decides the item at a "steering group" stage (None: no such group).
    deciding_group: str | None = None
    # Relations of the kind's model that listings join with it (e.g. a proposal's steering group).
    select_related: tuple = ()
    # (story) -> how many demo items it made (story: workflows.demo.Story, telling each item's history).
    seed_demo: Callable[[Any], int] | None = None
    # The field naming the item this kind changes (an amendment's motion): on an agenda it goes just
    # before that item, which is decided after it (see `register_decision_rules`).
    amends: str | None = None
    # Drafted by members on the engine's draft page (/my-motions/new/<kind>/); False: the defining app
    # makes them with its own form (an amendment is tabled on its motion's page, a composite by officers).
    draft_page: bool = True
    # (item) -> safe HTML the meeting's decision screen shows for an item of this kind (an amendment: the
    # motion's lines it touches and what it puts in their place); None: its text with line numbers.
    decision_screen_html: Callable[[Any], str] | None = None

    @property
    def accessor(self):
        """The name an Item reaches its kind's row by (`item.proposal`)."""
        return self.model._meta.model_name


@dataclass(frozen=True)
class DecidingGroups:
    """The groups that decide items at "steering group" stages and hold "steering group" meetings."""

    # (member) -> ids of the groups the member convenes (they decide and run its meetings).
    convened_by: Callable[[Any], Any]
    # () -> every group, for the demo's upcoming meetings.
    all_groups: Callable[[], Any]


@dataclass(frozen=True)
class DecisionRules:
    """What an app adds to the one decision service (workflows.services.record_decision).

    `check(item, stage, outcome)` runs with the item locked, before anything is written, and raises
    DecisionError to refuse (an amended motion is decided after its amendments). `after(item, decision,
    by)` runs in the same transaction once the decision is written (a carried amendment merges into its
    motion's text), so both are kept or neither. `allows(item, by, outcome)` decides the outcomes that
    are not the stage's body's to record (SPECIAL_OUTCOMES: an amendment accepted as friendly by the
    motion's proposer, a motion composited by the secretary): None to say nothing, True to allow, or
    the reason it is refused.
    """

    check: Callable[[Any, Any, Any], None] | None = None
    after: Callable[[Any, Any, Any], None] | None = None
    allows: Callable[[Any, Any, Any], Any] | None = None
    # (meeting, item, stage, outcome) -> raises DecisionError if that meeting may not decide now (inquorate).
    at_meeting: Callable[[Any, Any, Any, Any], None] | None = None


_kinds: dict[str, ItemKindSpec] = {}
_deciding_groups: list[DecidingGroups] = []
_decision_rules: list[DecisionRules] = []
_meeting_sections: list = []


def register(spec):
    """Register a kind (from its app's `AppConfig.ready()`); registering it again replaces it."""
    _kinds[str(spec.kind)] = spec
    return spec


def register_deciding_groups(groups):
    """Register the groups that decide items at "steering group" stages (from their app's ready())."""
    if groups not in _deciding_groups:
        _deciding_groups.append(groups)
    return groups


def register_decision_rules(rules):
    """Register what an app adds to every decision (from its AppConfig.ready())."""
    if rules not in _decision_rules:
        _decision_rules.append(rules)
    return rules


def check_decision(item, stage, outcome):
    for rules in _decision_rules:
        if rules.check is not None:
            rules.check(item, stage, outcome)


def check_meeting_decision(meeting, item, stage, outcome):
    for rules in _decision_rules:
        if rules.at_meeting is not None:
            rules.at_meeting(meeting, item, stage, outcome)


def register_meeting_section(section):
    """Register what an app adds to a meeting's public page: `section(request, meeting)` returns
    safe HTML (or "") shown under the meeting's details (checking in online, open polls)."""
    if section not in _meeting_sections:
        _meeting_sections.append(section)
    return section


def meeting_sections(request, meeting):
    return [html for html in (section(request, meeting) for section in _meeting_sections) if html]


def allows_outcome(item, by, outcome):
    """True if a registered app allows `by` to record `outcome` on `item`; else the first reason given."""
    reason = None
    for rules in _decision_rules:
        if rules.allows is not None:
            answer = rules.allows(item, by, outcome)
            if answer is True:
                return True
            reason = reason or answer
    return reason or False


def after_decision(item, decision, by):
    for rules in _decision_rules:
        if rules.after is not None:
            rules.after(item, decision, by)


def decision_screen_html(item):
    """What the decision screen shows for `item` beyond its title, if its kind says (else None)."""
    spec = _kinds.get(str(item.kind))
    if spec is None or spec.decision_screen_html is None:
        return None
    return spec.decision_screen_html(item.specific)


def amended_item_id(item):
    """The id of the item `item` changes (an amendment's motion), or None (no query)."""
    spec = _kinds.get(str(item.kind))
    if spec is None or spec.amends is None:
        return None
    return getattr(item.specific, f"{spec.amends}_id")


def get(kind):
    """The registered kind `kind` (LookupError if no installed app registered it)."""
    try:
        return _kinds[str(kind)]
    except KeyError:
        raise LookupError(f"No app registered the item kind “{kind}”.") from None


def registered():
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def specific_accessors():
    """The kinds' rows as an Item reaches them, and what listings join with them (`select_related`)."""
    paths = []
    for spec in _kinds.values():
        paths.append(spec.accessor)
        paths += [f"{spec.accessor}__{name}" for name in spec.select_related]
    return paths


def deciding_group(item):
    """The group that decides `item` at a "steering group" stage, or None."""
    spec = _kinds.get(str(item.kind))
    if spec is None or spec.deciding_group is None:
        return None
    return getattr(item.specific, spec.deciding_group)


def deciding_group_id(item):
    """The id of the group that decides `item` at a "steering group" stage, or None (no query)."""
    spec = _kinds.get(str(item.kind))
    if spec is None or spec.deciding_group is None:
        return None
    return getattr(item.specific, f"{spec.deciding_group}_id")


def decided_by_groups(group_ids):
    """A filter of Items: those one of the groups `group_ids` decides (nothing if no kind has a group)."""
    condition = Q(pk__in=[])
    for spec in _kinds.values():
        if spec.deciding_group is not None:
            condition |= Q(**{f"{spec.accessor}__{spec.deciding_group}__in": list(group_ids)})
    return condition


def convened_group_ids(member):
    """The ids of the groups `member` convenes (a query each time: permissions caches it per user)."""
    ids = []
    for groups in _deciding_groups:
        ids += list(groups.convened_by(member))
    return ids


def all_deciding_groups():
    """Every deciding group (the demo plans each one's next meeting)."""
    return [group for groups in _deciding_groups for group in groups.all_groups()]
