"""What is ready to send on, read from the workflow engine, and the document built from it.

"Ratified" means carried (or carried as amended) by the GC, so the item now waits at its
pipeline's outside stage ("Exported to the NPF", "Sent to Conference"). Its ratification is
the latest GC decision that carried it.
"""

import html
import re

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from wagtail.rich_text import features

from amendments import selectors as amendments
from workflows.models import (
    Consultation,
    DecidingBody,
    Decision,
    Item,
    ItemKind,
    ItemStatus,
    Outcome,
    PolicySubmission,
    uk_today,
)

from .content import ExportDocument, ExportEntry, ExportSection, Ratification

RATIFYING_OUTCOMES = [Outcome.CARRIED, Outcome.CARRIED_AS_AMENDED]
_HREF = re.compile(r'href="([^"]*)"')


def _waiting_to_be_sent(queryset):
    return queryset.filter(status=ItemStatus.IN_PROGRESS, current_stage__deciding_body=DecidingBody.OUTSIDE)


def ratified_submissions(consultation):
    """The consultation's submissions ratified by the GC and not yet exported, by commission then reference."""
    return (
        _waiting_to_be_sent(PolicySubmission.objects.filter(consultation=consultation))
        .select_related("branch", "commission", "current_stage")
        .order_by("commission__name", "created_at", "pk")
    )


def motions_for_conference():
    """Motions ratified by the GC and waiting to be sent to Conference, oldest first."""
    return _waiting_to_be_sent(conference_motions()).select_related("branch", "current_stage").order_by(
        "created_at", "pk"
    )


def conference_motions():
    """Motions and composite motions (which go to Conference in their sources' place)."""
    return Item.objects.filter(kind__in=(ItemKind.MOTION, ItemKind.COMPOSITE))


def consultations_with_ratified_counts():
    """Every consultation, newest first, with `ratified_count` (submissions ready to export)."""
    ready = Q(
        submissions__status=ItemStatus.IN_PROGRESS,
        submissions__current_stage__deciding_body=DecidingBody.OUTSIDE,
    )
    return Consultation.objects.annotate(ratified_count=Count("submissions", filter=ready)).order_by("-year", "title")


def ratifications(item_ids):
    """{item id: Ratification} from each item's latest carrying GC decision (one query)."""
    decisions = (
        Decision.objects.filter(item_id__in=list(item_ids), deciding_body=DecidingBody.GC,
                                outcome__in=RATIFYING_OUTCOMES)
        .select_related("meeting")
        .order_by("recorded_at", "pk")
    )
    found = {}
    for decision in decisions:  # later ones overwrite earlier ones
        found[decision.item_id] = Ratification(
            decided_on=decision.decided_on, votes_for=decision.votes_for, votes_against=decision.votes_against,
            abstentions=decision.abstentions, meeting=decision.meeting.title if decision.meeting else "",
        )
    return found


def _entry(item, ratified, carried):
    branch = f"{item.branch.title} branch" if item.branch_id else ""
    movers = amendments.movers_text(item)
    return ExportEntry(item.reference, item.title, movers or branch, item.text, ratified.get(item.pk), item_id=item.pk,
                       amendments=carried.get(item.pk, []))


def npf_document(consultation, submissions):
    """The NPF document of `submissions` (PolicySubmission rows with branch and commission loaded)."""
    submissions = sorted(submissions, key=lambda s: (s.commission.name, s.created_at, s.pk))
    ratified = ratifications(s.pk for s in submissions)
    carried = amendments.carried_in_words([s.pk for s in submissions])
    sections = []
    for submission in submissions:
        if not sections or sections[-1].heading != submission.commission.name:
            sections.append(ExportSection(submission.commission.name))
        sections[-1].entries.append(_entry(submission, ratified, carried))
    count = len(submissions)
    return ExportDocument(
        title=f"National Policy Forum {consultation.year}: {consultation.title}",
        subtitle=f"Submissions from Labour International to the NPF consultation {consultation.year}",
        description=(
            f"{count} policy submission{'s' if count != 1 else ''} in {len(sections)} policy "
            f"commission{'s' if len(sections) != 1 else ''}, each ratified by the General Committee of "
            "Labour International, the Labour Party's constituency party for members living outside the UK."
        ),
        date=uk_today(),
        sections=sections,
        entry_count=count,
    )


def conference_document(motions):
    """The Conference document of `motions` (Motion rows with branch loaded), oldest first."""
    motions = sorted(motions, key=lambda m: (m.created_at, m.pk))
    ratified = ratifications(m.pk for m in motions)
    carried = amendments.carried_in_words([m.pk for m in motions])
    count = len(motions)
    today = uk_today()
    return ExportDocument(
        title=f"Motions to Labour Party Conference {today.year}",
        subtitle="Motions from Labour International",
        description=(
            f"{count} motion{'s' if count != 1 else ''} passed by Labour International branches and ratified by "
            "its General Committee, Labour International being the Labour Party's constituency party for "
            "members living outside the UK."
        ),
        date=today,
        sections=[ExportSection("Motions to Conference", [_entry(m, ratified, carried) for m in motions])],
        entry_count=count,
        entry_label="motion",
    )


def resolve_rich_text_link(linktype, attributes):
    """The URL of a Wagtail internal link (`<a linktype="page" id="3">`), or None if it is gone."""
    handler = features.get_link_types().get(linktype)
    if handler is None:
        return None
    try:
        tag = handler.expand_db_attributes(attributes)
    except Exception:  # noqa: BLE001 (a link to a deleted page or document is exported as text)
        return None
    match = _HREF.search(tag or "")
    return html.unescape(match.group(1)) if match else None


def site_base_url():
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""


def open_consultations(now=None):
    """Consultations still taking submissions, the soonest to close first."""
    return Consultation.objects.filter(is_closed=False, closes_at__gt=now or timezone.now()).prefetch_related(
        "commissions"
    ).order_by("closes_at", "pk")


def closed_consultations(now=None):
    return Consultation.objects.filter(
        Q(is_closed=True) | Q(closes_at__lte=now or timezone.now())
    ).prefetch_related("commissions").order_by("-closes_at", "-pk")


def consultation_submissions(consultation):
    """The submissions LI members have made to `consultation` (public ones), by commission."""
    return (
        PolicySubmission.objects.public()
        .filter(consultation=consultation)
        .select_related("branch", "commission", "current_stage")
        .order_by("commission__name", "created_at", "pk")
    )

