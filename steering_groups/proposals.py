"""Proposals as a kind of the workflow engine's items: what the engine needs to know of them,
registered from SteeringGroupsConfig.ready() (workflows.kinds), so the engine imports nothing here.

A proposal belongs to its steering group, not to a branch: only the group's members propose it
(superusers too) and second it, and it is submitted without a seconder. At a "steering group"
stage its group decides it, and the group's conveners run that group's meetings.
"""

from django.shortcuts import get_object_or_404

from workflows import kinds
from workflows.exceptions import ItemError
from workflows.models import ItemKind

from . import demo
from .models import Proposal, SteeringGroup, SteeringGroupMembership


def draft_fields(proposer, *, steering_group=None):
    """The fields of a new draft proposal: its steering group, which the proposer must be in."""
    if steering_group is None:
        raise ItemError("Choose the steering group.", field="steering_group")
    if not (steering_group.is_member(proposer) or proposer.is_superuser):
        raise ItemError(f"Only members of the {steering_group.name} steering group can propose for it.")
    return {"steering_group": steering_group}


def draft_details(request):
    """The steering group the draft page is for: named in its link (?group=<slug>), then in the form."""
    slug = request.GET.get("group") or request.POST.get("group")
    return {"steering_group": get_object_or_404(SteeringGroup, slug=slug)}


def check_seconder(item, member):
    """Only members of the proposal's steering group second it."""
    group = item.specific.steering_group
    if not group.is_member(member):
        raise ItemError(f"Only members of the {group.name} steering group can second its proposals.")


def convened_by(member):
    """The ids of the steering groups `member` convenes."""
    return SteeringGroupMembership.objects.filter(
        member=member, role=SteeringGroupMembership.Role.CONVENER).values_list("group_id", flat=True)


def register():
    """Tell the engine about proposals and the steering groups that decide them."""
    kinds.register(kinds.ItemKindSpec(
        kind=ItemKind.PROPOSAL, model=Proposal, in_branch=False, needs_seconder=False,
        draft_fields=draft_fields, draft_details=draft_details, check_seconder=check_seconder,
        deciding_group="steering_group", select_related=("steering_group",), seed_demo=demo.tell_proposals,
    ))
    kinds.register_deciding_groups(kinds.DecidingGroups(convened_by=convened_by, all_groups=SteeringGroup.objects.all))
