"""Read paths of the workflow engine: what screens, the API and exports list."""

from . import kinds
from .models import MEETING_BODY_OF_DECIDING_BODY, Decision, Meeting, MeetingBody


def meetings_deciding(item, stage):
    """Meetings of the body that decides `item` at `stage` (none for officers and outside bodies)."""
    body = MEETING_BODY_OF_DECIDING_BODY.get(stage.deciding_body)
    if body is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(body=body)
    if body == MeetingBody.BRANCH:
        meetings = meetings.filter(branch_id=item.branch_id)
    elif body == MeetingBody.STEERING_GROUP:
        meetings = meetings.filter(steering_group_id=kinds.deciding_group_id(item))
    return meetings


def history_decisions():
    """Decisions with what a history row shows (stage, meeting, who recorded it), oldest first."""
    return Decision.objects.select_related("meeting", "recorded_by", "amended_revision").order_by("recorded_at", "pk")
