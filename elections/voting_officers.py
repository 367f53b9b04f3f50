"""The voting LIEC officers on a day, from the register of officers: they vote at the LIEC and
the GC (participation asks through its registry)."""

from django.db.models import Q

from .models import OfficeHolder


def voting_officer_ids(on):
    holders = OfficeHolder.objects.filter(office__officer=True, held_from__lte=on).filter(
        Q(held_until__isnull=True) | Q(held_until__gte=on))
    ids = set()
    for holder_id, partner_id in holders.values_list("holder_id", "partner_id"):
        ids.update(pk for pk in (holder_id, partner_id) if pk)
    return ids
