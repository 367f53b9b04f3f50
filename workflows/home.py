"""The member's motions on their home page (cms.home): what they propose, and what they second or
are asked to second. Two queries, whatever the member has."""

from django.db.models import F, Q

from cms.home import MEMBERS, register_home_panel

from .models import Item, Seconding
from .services import SECONDABLE_STATUSES

SHOWN = 5


def your_motions(request, last_visit):
    member = request.user
    proposed = list(Item.objects.filter(proposer=member).select_related("current_stage")
                    .order_by("-created_at", "-pk")[:SHOWN + 1])
    seconding = list(
        Seconding.objects.addressed_to(member).filter(declined_at__isnull=True)
        .filter(Q(confirmed_at__isnull=False) | Q(item__status__in=SECONDABLE_STATUSES))
        .select_related("item__proposer", "item__current_stage")
        .order_by(F("confirmed_at").asc(nulls_first=True), "-requested_at", "-pk")[:SHOWN + 1]
    )
    return {
        "proposed": proposed[:SHOWN], "more_proposed": len(proposed) > SHOWN,
        "seconding": seconding[:SHOWN], "more_seconding": len(seconding) > SHOWN,
    }


def register():
    register_home_panel("your-motions", 30, your_motions, "workflows/home/your_motions.html", audience=MEMBERS)
