"""Public views of the workflow engine: meetings (agenda, decisions, minutes).

Thin: reads come from selectors/querysets, every action from workflows.services.
"""

from django.shortcuts import get_object_or_404, render

from . import permissions
from .models import Meeting


def meeting_detail(request, pk):
    """A meeting: when and where, its agenda, what was decided, and its minutes once approved."""
    meeting = get_object_or_404(Meeting.objects.select_related("branch", "steering_group"), pk=pk)
    agenda = meeting.agenda.select_related("item", "item__current_stage", "stage").filter(item__submitted_at__isnull=False)
    decisions = meeting.decisions.select_related("item").order_by("pk")
    return render(request, "workflows/meeting_detail.html", {
        "meeting": meeting,
        "agenda": agenda,
        "decisions": decisions,
        "can_read_minutes": permissions.can_read_minutes(request.user, meeting),
        "can_run": permissions.can_run_meeting(request.user, meeting),
    })
