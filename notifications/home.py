"""What a member follows, and what changed in it since their last visit, on their home page
(cms.home): decisions recorded, texts amended, items put on a meeting's agenda. Five queries,
whatever the member follows (each change is matched to their follows in the database)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from cms.home import MEMBERS, register_home_panel
from workflows.models import Decision, Item, ItemRevision

from .models import Follow, NotificationEvent

FOLLOWS_SHOWN = 6
CHANGES_SHOWN = 8


@dataclass(frozen=True)
class Change:
    """One thing that happened to an item the member follows."""

    at: datetime
    item: Item
    sentence: str
    link: str = ""  # where to read more, if not the item's page


def follows_its_item(member):
    """Exists(): does `member` follow the row's item, itself, its branch or its consultation (the
    follows the fan-out reaches, notifications.tasks)?"""
    return Exists(Follow.objects.filter(member=member).filter(
        Q(item_id=OuterRef("item_id")) | Q(branch_id=OuterRef("item__branch_id"))
        | Q(consultation_id=OuterRef("item__policysubmission__consultation_id"))
    ))


def changes_since(member, since):
    """What changed after `since` in what `member` follows, newest first (at most CHANGES_SHOWN)."""
    followed = follows_its_item(member)
    decisions = (Decision.objects.filter(recorded_at__gt=since).filter(followed, item__submitted_at__isnull=False)
                 .select_related("item").order_by("-recorded_at", "-pk")[:CHANGES_SHOWN])
    revisions = (ItemRevision.objects.filter(created_at__gt=since, reason__in=[
        ItemRevision.Reason.AMENDED, ItemRevision.Reason.MERGED, ItemRevision.Reason.RESOLVED])
        .filter(followed).select_related("item").order_by("-created_at", "-pk")[:CHANGES_SHOWN])
    agendas = (NotificationEvent.objects.filter(kind=NotificationEvent.Kind.AGENDA, created_at__gt=since)
               .filter(followed).select_related("item", "meeting").order_by("-created_at", "-pk")[:CHANGES_SHOWN])
    changes = [Change(d.recorded_at, d.item, d.sentence) for d in decisions]
    changes += [Change(r.created_at, r.item, f"Its text changed: {r.get_reason_display().lower()}") for r in revisions]
    changes += [Change(e.created_at, e.item, f"Put on the agenda of {e.meeting.title}" if e.meeting else
                       "Put on a meeting's agenda", e.meeting.get_absolute_url() if e.meeting else "")
                for e in agendas]
    return sorted(changes, key=lambda change: change.at, reverse=True)[:CHANGES_SHOWN]


def following(request, last_visit):
    member = request.user
    follows = list(Follow.objects.filter(member=member).select_related("item", "branch", "consultation")
                   [:FOLLOWS_SHOWN + 1])
    return {
        "follows": follows[:FOLLOWS_SHOWN], "more_follows": len(follows) > FOLLOWS_SHOWN,
        "since": last_visit,
        "changes": changes_since(member, last_visit) if last_visit and follows else [],
    }


def register():
    register_home_panel("following", 20, following, "notifications/home/following.html", audience=MEMBERS)
