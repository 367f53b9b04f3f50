"""What pages read about amendments and composites (the motion page, the API, exports, the pack)."""

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from workflows import lines
from workflows.models import Decision, ItemKind, ItemRevision, ItemStatus, body_in_a_sentence, day_in_a_sentence

from . import services
from .models import Amendment, Composite


@dataclass
class AmendmentRow:
    amendment: Amendment
    fate: str  # "Accepted as friendly by the proposer of the motion on 27 November", "Waiting for …"
    body: str  # who decides it: "the branch meeting", "the GC"
    affected: lines.ChangeView | None  # the original lines it touches, with their numbers, and its new words
    diff: str  # the touched lines as it would change them (<del>, <ins>), escaped and cleaned
    can_accept: bool


def public_amendments(motion):
    """The submitted amendments to `motion` (every stage), oldest first, with their decisions."""
    return list(Amendment.objects.public().filter(amends_id=motion.pk)
                .select_related("proposer", "motion_stage", "current_stage", "branch", "amends")
                .prefetch_related("decisions").order_by("submitted_at", "pk"))


def fate(amendment):
    """What became of it, as a sentence: its last decision and the day, or where it stands."""
    decided = max(amendment.decisions.all(), key=lambda d: (d.recorded_at, d.pk), default=None)
    if decided is None:
        return amendment.status_sentence
    return f"{decided.sentence} on {day_in_a_sentence(decided.decided_on)}"


def timeline_decisions(motion):
    """The decisions on `motion`'s amendments, for its timeline (each knows its amendment's reference)."""
    return list(Decision.objects.filter(item__amendment__amends_id=motion.pk)
                .select_related("item", "meeting", "stage", "recorded_by").order_by("recorded_at", "pk"))


def submitted_text(motion):
    """The text as its proposer submitted it (the last draft revision), or its text if none was kept."""
    revision = motion.revisions.filter(reason=ItemRevision.Reason.DRAFT).order_by("-created_at", "-pk").first()
    return revision.text if revision is not None else motion.text


def change_view(amendment):
    """The original lines `amendment` touches, with their numbers, and its diff (None if it no longer applies)."""
    try:
        return lines.lines_with_changes(amendment.base_text, services.as_change(amendment))
    except lines.BadChange:
        return None


def amendment_rows(motion, user=None):
    rows = []
    for amendment in public_amendments(motion):
        affected = change_view(amendment)
        diff = mark_safe(affected.diff) if affected else ""  # built from escaped text and cleaned (workflows.lines)
        can_accept = (user is not None and motion.proposer_id == getattr(user, "pk", None)
                      and amendment.status == ItemStatus.IN_PROGRESS)
        body = body_in_a_sentence(amendment.motion_stage.deciding_body)
        rows.append(AmendmentRow(amendment, fate(amendment), body, affected, diff, can_accept))
    return rows


def carried(motion):
    """The carried amendments to `motion` (any stage), in the order decided: for exports and the API."""
    return [a for a in Amendment.objects.filter(amends_id=motion.pk, status=ItemStatus.FINISHED)
            .select_related("proposer").order_by("finished_at", "pk")]


def for_motion_page(item, user):
    """The motion page's amendments, numbered text, original and composite links."""
    rows = amendment_rows(item, user)
    original = submitted_text(item)
    changed = original != item.text
    composite = services.composited_into(item)
    return {
        "numbered_lines": lines.number_lines(item.text),
        "amendment_rows": rows,
        "original_lines": lines.number_lines(original) if changed else None,
        "text_diff": mark_safe(lines.diff_html(original, item.text)) if changed else "",
        "why_not_amendable": services.why_not_amendable(item, user if getattr(user, "is_authenticated", False) else None),
        "amendments_close_at": services.amendments_close_at(item) if item.status == ItemStatus.IN_PROGRESS else None,
        "composited_into": composite,
        "composite_sources": services.movers(item) if isinstance(item, Composite) else [],
        "waiting_to_be_settled": services.waiting_to_be_settled(item) if item.current_stage_id else [],
    }


def api_data(item, absolute_url):
    """What /api/v2/motions/<id>/ adds: its amendments and their fates, what it amends, its composite."""
    data = {"amendments": [{
        "id": a.pk,
        "reference": a.reference,
        "change": a.change,
        "lines": {"first": a.first_line, "last": a.last_line},
        "description": a.lines_in_words,
        "text": a.text,
        "reason": a.reason,
        "stage": a.motion_stage.name,
        "status": a.status,
        "fate": fate(a),
        "merged": a.merged_revision_id is not None,
        "detail_url": absolute_url(f"/api/v2/motions/{a.pk}/"),
    } for a in public_amendments(item)]}
    if isinstance(item, Amendment):
        data["amends"] = {"id": item.amends_id, "reference": item.amends.reference}
    composite = services.composited_into(item)
    data["composited_into"] = ({"id": composite.pk, "reference": composite.reference}
                               if composite is not None else None)
    if isinstance(item, Composite):
        data["sources"] = [{"id": s.pk, "reference": s.reference} for s in services.movers(item)]
    return data


def carried_in_words(item_ids):
    """{item id: ["A-2026-004 (replace lines 4–6), tabled by …: carried by the GC on 3 March 2026", …]} for the
    exports: the amendments merged into each item's text, in the order decided (two queries)."""
    found = {}
    carried = (Amendment.objects.filter(amends_id__in=list(item_ids), status=ItemStatus.FINISHED)
               .select_related("proposer").prefetch_related("decisions").order_by("finished_at", "pk"))
    for amendment in carried:
        decision = max(amendment.decisions.all(), key=lambda d: (d.recorded_at, d.pk), default=None)
        how = f"{decision.sentence.lower()} on {decision.decided_on:%-d %B %Y}" if decision else "carried"
        proposer = amendment.proposer.get_full_name() if amendment.proposer else "a member"
        found.setdefault(amendment.amends_id, []).append(
            f"{amendment.reference} ({amendment.lines_in_words.lower()}), tabled by {proposer}: {how}")
    return found


def movers_text(item):
    """A composite's movers for the exports ("Composite of M-2026-004 (Paris branch), M-2026-011 (Berlin
    branch)"); "" for any other item."""
    if item.kind != ItemKind.COMPOSITE:
        return ""
    sources = services.movers(item.specific)
    return "Composite of " + ", ".join(
        f"{s.reference} ({s.branch.title} branch)" if s.branch_id else s.reference for s in sources)
