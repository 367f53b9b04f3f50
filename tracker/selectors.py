"""Read paths of the public motion tracker (/motions/): the filtered list, the stage bar of
each item, one item's timeline (with the diff of a text carried as amended: amendments.lines).

Queries do not grow with the number of items: pipelines and their stages are read once per
request, each page of items in one query (with the stage an ended item stopped at).
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.safestring import mark_safe

from cms.models import BranchPage, Region, read_rows
from workflows import filters, kinds, lines, selectors
from workflows.models import (
    AgendaEntry,
    Decision,
    Item,
    ItemQuerySet,
    ItemStatus,
)

PER_PAGE = 25
# What a row of the list shows (its stage comes from the stages read once, its branch's title joined):
# no item text, no branch page built for its title.
ROW_FIELDS = ("reference", "kind", "title", "status", "pipeline_id", "current_stage_id", "submitted_at", "finished_at")
API_PER_PAGE = 20  # /api/v2/motions/ without `limit`
# The order of every listing of items (the tracker, the API): newest submitted first. A decision
# never moves an item in it (cms.cache.item_state_keys relies on that).
LISTING_ORDER = ("-submitted_at", "-pk")


# --------------------------------------------------------------------------- the list


def tracker_items(filterset):
    """Public items of every kind, filtered (`workflows.filters.ItemFilterSet`; a value that makes no
    sense matches nothing, never an error), newest first, with what a row shows (`branch_title`;
    `with_stage_bars` gives each its current stage)."""
    last_stage = Decision.objects.filter(item=OuterRef("pk")).order_by("-recorded_at", "-pk").values("stage_id")[:1]
    queryset = (
        Item.objects.public()
        .only(*ROW_FIELDS)
        .annotate(last_decision_stage_id=Subquery(last_stage), branch_title=F("branch__title"))
        .order_by(*LISTING_ORDER)
    )
    return filterset.filter_queryset(queryset) if filterset.is_valid() else queryset.none()


def listed_item_ids(listing, params):
    """The ids of the items that a page of a listing shows with the query string `params`: "tracker"
    (/motions/, pages of PER_PAGE) or "api" (/api/v2/motions/, limit and offset); None when the API
    would refuse it (nothing is kept then). For the public cache's keys (cms.cache.item_listing_keys)."""
    filterset = filters.ItemFilterSet(params)
    valid = filterset.is_valid()
    ids = Item.objects.public().order_by(*LISTING_ORDER).values_list("pk", flat=True)
    ids = filterset.filter_queryset(ids) if valid else ids.none()
    if listing == "tracker":
        return list(Paginator(ids, PER_PAGE).get_page(params.get("page")).object_list)
    try:
        limit, offset = int(params.get("limit", API_PER_PAGE)), int(params.get("offset", 0))
    except ValueError:
        return None
    if not valid or limit < 0 or offset < 0:
        return None
    return list(ids[offset:offset + limit])


def filter_options(filterset, stages):
    """The filter form's choices as (value, label) strings, blank aside: the branches and regions
    read as values (no model instances), the stages from `stages` (no query of their own)."""
    fields = filterset.form.fields
    return {
        "kinds": _options(fields["kind"].choices), "statuses": _options(fields["status"].choices),
        "stages": filters.stage_choices(stages),
        "branches": list(BranchPage.objects.order_by("title").values_list("slug", "title")),
        "regions": list(Region.objects.order_by("number").values_list("slug", "name")),
        "consultations": _options(fields["consultation"].choices),
    }


def _options(choices):
    return [(str(value), label) for value, label in choices if str(value)]


# --------------------------------------------------------------------------- the stage bar


@dataclass
class Step:
    """One stage in an item's stage bar: done, current, ended (the item stopped there), or to come."""

    name: str
    state: str  # "done" | "current" | "ended" | "todo" | "skipped"

    @property
    def state_label(self):
        return {"done": "passed", "current": "current stage", "ended": "ended here", "todo": "to come",
                "skipped": "not reached"}[self.state]


def stages_by_pipeline(stages=None):
    """{pipeline id: [stages in order]}: one query, whatever the number of items (none when given
    `stages`, what `workflows.filters.ordered_stages()` returned)."""
    by_pipeline = {}
    for stage in filters.ordered_stages() if stages is None else stages:
        by_pipeline.setdefault(stage.pipeline_id, []).append(stage)
    return by_pipeline


def stage_bar(item, stages, last_decision_stage_id=None):
    """The steps of `item` along its pipeline's `stages`."""
    status = item.status
    if status == ItemStatus.FINISHED:
        return [Step(s.name, "done") for s in stages]
    if status == ItemStatus.IN_PROGRESS:
        at = next((i for i, s in enumerate(stages) if s.pk == item.current_stage_id), None)
    else:
        at = next((i for i, s in enumerate(stages) if s.pk == last_decision_stage_id), 0 if stages else None)
    steps = []
    for index, stage in enumerate(stages):
        if at is None or index > at:
            state = "todo" if status == ItemStatus.IN_PROGRESS else "skipped"
        elif index < at:
            state = "done"
        else:
            state = "current" if status == ItemStatus.IN_PROGRESS else "ended"
        steps.append(Step(stage.name, state))
    return steps


def with_stage_bars(items, stages=None):
    """Attach `item.steps` to each item, and its current stage from `stages` (no query per item)."""
    stages = stages if stages is not None else stages_by_pipeline()
    by_id = {stage.pk: stage for pipeline_stages in stages.values() for stage in pipeline_stages}
    for item in items:
        if item.current_stage_id in by_id:
            item.current_stage = by_id[item.current_stage_id]
        item.steps = stage_bar(item, stages.get(item.pipeline_id, []), getattr(item, "last_decision_stage_id", None))
    return items


# --------------------------------------------------------------------------- one item


def public_item(reference):
    """The public item with this reference (any case), with what its page shows; or None."""
    return (
        Item.objects.public()
        .select_related(
            "current_stage", "branch", "branch__region", "pipeline", "proposer", *kinds.specific_accessors(),
        )
        .filter(reference__iexact=(reference or "").strip())
        .first()
    )


def seconder_names(item):
    """Names of the confirmed seconders (never emails or membership numbers)."""
    return [
        s.member.get_full_name() or "A member"
        for s in item.secondings.filter(confirmed_at__isnull=False).select_related("member").order_by("confirmed_at")
    ]


def timeline(item):
    """The item's decisions, oldest first, each with the diff of an amended text."""
    decisions = list(item.history())
    revisions = list(item.revisions.order_by("created_at", "pk"))
    for decision in decisions:
        decision.diff = None
        if decision.amended_revision_id:
            earlier = [r for r in revisions if (r.created_at, r.pk) < (decision.amended_revision.created_at,
                                                                      decision.amended_revision.pk)]
            before = earlier[-1].text if earlier else ""
            decision.diff = mark_safe(lines.diff_html(before, decision.amended_revision.text))  # escaped, cleaned
    return decisions


def next_meeting(item):
    """The upcoming meeting that will decide the item at its current stage: on its agenda for
    that stage, not deferred from it, and not a meeting that already decided it there."""
    if item.status != ItemStatus.IN_PROGRESS or item.current_stage_id is None:
        return None
    entry = (
        AgendaEntry.objects.filter(item=item, stage_id=item.current_stage_id, deferred_to__isnull=True,
                                   meeting__starts_at__gte=timezone.now())
        .exclude(meeting__decisions__item=item, meeting__decisions__stage_id=item.current_stage_id)
        .select_related("meeting", "meeting__branch")
        .order_by("meeting__starts_at", "pk")
        .first()
    )
    return entry.meeting if entry else None


# --------------------------------------------------------------------------- the API and the branch pages


def public_items_with_history():
    """Public items of every kind with their branch, stage and whole history, in constant queries."""
    return (
        Item.objects.public()
        .select_related("current_stage", "branch", "pipeline")
        .prefetch_related(Prefetch("decisions", queryset=selectors.history_decisions()))
    )


@dataclass(frozen=True)
class BranchMotion:
    """A public item as the branch page's block shows it (cms/blocks/branch_motions.html)."""

    reference: str
    title: str
    status: str
    stage_name: str | None  # its current stage's

    get_absolute_url = Item.get_absolute_url  # Item's own: it reads only the reference

    @property
    def status_label(self):
        return ItemStatus(self.status).label if self.status in ItemStatus.values else self.status


def branch_motions(branch, count):
    """A branch's public items for its site, newest first (LISTING_ORDER), as BranchMotions.

    Parametrised SQL, not the ORM: it is read on every view of a branch page, and building the ORM's
    query was most of its cost. Public by the rule Item.objects.public() applies, the same order."""
    items, stages = Item._meta.db_table, Item._meta.get_field("current_stage").related_model._meta.db_table
    order = ", ".join(f"{items}.{Item._meta.get_field(name.lstrip('-').replace('pk', 'id')).column} "
                      f"{'DESC' if name.startswith('-') else 'ASC'}" for name in LISTING_ORDER)
    public = Item._meta.get_field(ItemQuerySet.PUBLIC_ONCE_SET).column
    rows = read_rows(
        f"SELECT {items}.reference, {items}.title, {items}.status, {stages}.name FROM {items} "
        f"LEFT OUTER JOIN {stages} ON ({items}.current_stage_id = {stages}.id) "
        f"WHERE {items}.{public} IS NOT NULL AND {items}.branch_id = %s ORDER BY {order} LIMIT %s",
        [branch.pk, count],
    )
    return [BranchMotion(*row) for row in rows]
