"""The workflow engine's part of a member's download (cms.privacy): the items they proposed and
those they seconded. Erasure keeps them: the record stays, their name on it becomes "Former member"."""

from cms.privacy import iso, member_data_section

from .models import Item, Seconding


@member_data_section("items_proposed")
def items_proposed(member):
    return [
        {"reference": i.reference, "kind": i.kind, "title": i.title, "text": i.text, "status": i.status,
         "created_at": iso(i.created_at), "submitted_at": iso(i.submitted_at)}
        for i in Item.objects.filter(proposer=member).order_by("created_at", "pk")
    ]


@member_data_section("items_seconded")
def items_seconded(member):
    return [
        {"reference": s.item.reference, "title": s.item.title, "named_at": iso(s.named_at),
         "confirmed_at": iso(s.confirmed_at)}
        for s in Seconding.objects.filter(member=member).select_related("item").order_by("named_at", "pk")
    ]
