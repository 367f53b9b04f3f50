"""Public pages of the steering groups: /steering-groups/ and one group's page."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from workflows.models import Meeting

from .models import Proposal, SteeringGroup, SteeringGroupMembership


def steering_group_list(request):
    """Every active steering group, with its conveners (names only: no personal data)."""
    groups = SteeringGroup.objects.filter(is_active=True).prefetch_related(
        Prefetch("memberships", queryset=SteeringGroupMembership.objects.select_related("member"))
    )
    return render(request, "steering_groups/steering_group_list.html", {"groups": groups})


def steering_group_detail(request, slug):
    """A group: its remit, conveners, members (to members only), its public proposals and meetings."""
    group = get_object_or_404(SteeringGroup, slug=slug, is_active=True)
    memberships = list(group.memberships.select_related("member"))
    proposals = Proposal.objects.filter(steering_group=group, submitted_at__isnull=False).select_related(
        "current_stage"
    ).order_by("-submitted_at")
    meetings = Meeting.objects.filter(steering_group=group).order_by("-starts_at")[:10]
    return render(request, "steering_groups/steering_group_detail.html", {
        "group": group,
        "conveners": [m.member for m in memberships if m.role == SteeringGroupMembership.Role.CONVENER],
        "members": [m.member for m in memberships if m.role == SteeringGroupMembership.Role.MEMBER],
        "proposals": proposals,
        "meetings": meetings,
        "is_member": any(m.member_id == request.user.pk for m in memberships),
    })
