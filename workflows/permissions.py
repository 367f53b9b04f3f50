"""Who may do what in the workflow engine: the one policy module.

Roles are Django groups, by name: "Secretary", "Policy officer", … A branch officer is a member
of that branch's team group (MicrositeTeam.group), whatever the group or the page is called:
renaming a branch, or two branches with the same name, changes no one's rights. The conveners of
the groups that decide at "steering group" stages come from the app that defines those groups
(steering_groups, through workflows.kinds).
Services, views, the admin and the API ask these functions; none checks roles itself.
"""

from django.db.models import Q

from cms.models import BranchPage, MicrositeTeam

from . import kinds
from .models import DecidingBody, Item, ItemStatus, Meeting, MeetingBody

SECRETARY = "Secretary"
POLICY_OFFICER = "Policy officer"
MEMBERSHIP_OFFICER = "Membership officer"
RETURNING_OFFICER = "Returning officer"
COMMUNICATIONS_OFFICER = "Communications officer"
ROLE_GROUPS = [SECRETARY, POLICY_OFFICER, MEMBERSHIP_OFFICER, RETURNING_OFFICER, COMMUNICATIONS_OFFICER]
BRANCH_OFFICERS_SUFFIX = " branch officers"


def branch_officers_group_name(branch):
    """The name of `branch`'s team group (rights follow the group itself, never its name)."""
    group = branch_officers_group(branch)
    return group.name if group else f"{branch.title}{BRANCH_OFFICERS_SUFFIX}"


def branch_officers_group(branch):
    """The group whose members are the officers of `branch`: its microsite team's."""
    team = MicrositeTeam.objects.filter(page_id=branch.pk).select_related("group").first()
    return team.group if team else None


def group_names(user):
    """The names of the user's groups, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_workflow_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._workflow_group_names = cached
    return cached


def has_role(user, role):
    return getattr(user, "is_superuser", False) or role in group_names(user)


def is_secretary(user):
    return has_role(user, SECRETARY)


def is_policy_officer(user):
    return has_role(user, POLICY_OFFICER)


def is_branch_officer(user, branch):
    """A branch officer of THAT branch: a member of its team group."""
    if branch is None:
        return False
    return getattr(user, "is_superuser", False) or branch.pk in officer_branch_ids(user)


def officer_branch_ids(user):
    """The ids of the branches whose team group `user` belongs to, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_officer_branch_ids", None)
    if cached is None:
        cached = frozenset(BranchPage.objects.filter(microsite_team__group__user=user).values_list("pk", flat=True))
        user._officer_branch_ids = cached
    return cached


def officer_branches(user):
    """The branches the user is an officer of (every branch for a superuser)."""
    if getattr(user, "is_superuser", False):
        return BranchPage.objects.all()
    return BranchPage.objects.filter(pk__in=officer_branch_ids(user))


def convened_group_ids(user):
    """The ids of the (steering) groups `user` convenes, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_workflow_convened_ids", None)
    if cached is None:
        cached = kinds.convened_group_ids(user)
        user._workflow_convened_ids = cached
    return cached


def is_convener(user, steering_group):
    if steering_group is None:
        return False
    return getattr(user, "is_superuser", False) or steering_group.pk in convened_group_ids(user)


def can_decide(user, item, stage=None):
    """May `user` record a decision on `item` at `stage` (default: its current stage)?"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    stage = stage or item.current_stage
    if stage is None:
        return False
    if user.is_superuser:
        return True
    body = stage.deciding_body
    if body == DecidingBody.BRANCH_MEETING:
        return item.branch_id is not None and is_branch_officer(user, item.branch)
    if body == DecidingBody.STEERING_GROUP:
        group_id = kinds.deciding_group_id(item)
        return group_id is not None and group_id in convened_group_ids(user)
    if body == DecidingBody.POLICY_OFFICER:
        return is_policy_officer(user)
    if body in (DecidingBody.LIEC, DecidingBody.GC):
        return is_secretary(user)
    if body == DecidingBody.OUTSIDE:
        return is_policy_officer(user) or is_secretary(user)
    return False


def deciding_items_for(user):
    """Items waiting for a decision `user` may record (the "Waiting for your decision" list)."""
    waiting = Item.objects.filter(status=ItemStatus.IN_PROGRESS)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return waiting.none()
    if user.is_superuser:
        return waiting
    bodies = Q(pk__in=[])
    branch_ids = officer_branch_ids(user)
    if branch_ids:
        bodies |= Q(current_stage__deciding_body=DecidingBody.BRANCH_MEETING, branch_id__in=branch_ids)
    convened = convened_group_ids(user)
    if convened:
        bodies |= Q(current_stage__deciding_body=DecidingBody.STEERING_GROUP) & kinds.decided_by_groups(convened)
    if is_policy_officer(user):
        bodies |= Q(current_stage__deciding_body__in=[DecidingBody.POLICY_OFFICER, DecidingBody.OUTSIDE])
    if is_secretary(user):
        bodies |= Q(current_stage__deciding_body__in=[DecidingBody.LIEC, DecidingBody.GC, DecidingBody.OUTSIDE])
    return waiting.filter(bodies)


def can_run_meeting(user, meeting):
    """May `user` record decisions and minutes for `meeting`? (Its body's deciders.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if meeting.body == MeetingBody.BRANCH:
        return meeting.branch_id is not None and is_branch_officer(user, meeting.branch)
    if meeting.body == MeetingBody.STEERING_GROUP:
        return meeting.steering_group_id in convened_group_ids(user)
    return is_secretary(user)


def can_read_minutes(user, meeting):
    """Approved minutes are published to logged-in members; drafts only to those who run it."""
    if can_run_meeting(user, meeting):
        return True
    return bool(getattr(user, "is_authenticated", False)) and meeting.minutes_published


def can_edit_draft(user, item):
    return (
        getattr(user, "is_authenticated", False)
        and item.proposer_id == user.pk
        and item.status in (ItemStatus.DRAFT, ItemStatus.AWAITING_SECONDERS)
    )


def can_see_item(user, item):
    """Public items to anyone; a draft to its proposer, the members invited to second it (at
    their address, while the invitation stands) and superusers."""
    if item.is_public:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or item.proposer_id == user.pk:
        return True
    return item.secondings.addressed_to(user).exists()


def is_workflow_officer(user):
    """Anyone with a say in the workflow: LI officers, branch officers, steering-group conveners."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or is_secretary(user)
        or is_policy_officer(user)
        or officer_branch_ids(user)
        or convened_group_ids(user)
    )


def items_visible_in_admin(user):
    """The submitted items an officer sees in the admin: all for LI officers; their branch's
    items for branch officers; their group's proposals for conveners. Drafts never."""
    public = Item.objects.public()
    if not is_workflow_officer(user):
        return public.none()
    if user.is_superuser or is_secretary(user) or is_policy_officer(user):
        return public
    scope = Q(pk__in=[])
    branch_ids = officer_branch_ids(user)
    if branch_ids:
        scope |= Q(branch_id__in=branch_ids)
    convened = convened_group_ids(user)
    if convened:
        scope |= kinds.decided_by_groups(convened)
    return public.filter(scope)


def meetings_run_by(user):
    """The meetings `user` runs (records decisions and minutes for)."""
    if not is_workflow_officer(user):
        return Meeting.objects.none()
    if user.is_superuser:
        return Meeting.objects.all()
    scope = Q(pk__in=[])
    branch_ids = officer_branch_ids(user)
    if branch_ids:
        scope |= Q(body=MeetingBody.BRANCH, branch_id__in=branch_ids)
    convened = convened_group_ids(user)
    if convened:
        scope |= Q(body=MeetingBody.STEERING_GROUP, steering_group__in=convened)
    if is_secretary(user):
        scope |= Q(body__in=[MeetingBody.LIEC, MeetingBody.GC, MeetingBody.AGM])
    return Meeting.objects.filter(scope)


def can_schedule_meeting(user, body, branch=None):
    """May `user` plan (add, move, cancel) a meeting of `body`? A branch officer: their own
    branch's meetings only; the Secretary: any meeting."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or is_secretary(user):
        return True
    if body == MeetingBody.BRANCH:
        return branch is not None and is_branch_officer(user, branch)
    return False


def branch_meetings_scheduled_by(user):
    """The branch meetings a branch officer plans and sees in the admin: their branches' only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Meeting.objects.none()
    return Meeting.objects.filter(body=MeetingBody.BRANCH, branch__in=officer_branches(user))
