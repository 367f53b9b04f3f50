"""Who may do what in elections: the one policy module of the app.

Roles follow the project's convention: Django groups by name ("Secretary", "Returning officer"),
a branch's team group (MicrositeTeam.group, whatever it is called) for its officers, or the app's permissions `elections.manage_elections`
(the secretary's work) and `elections.run_count` (the returning officer's). Superusers may do all.
"""

from cms.models import BranchPage

SECRETARY = "Secretary"
RETURNING_OFFICER = "Returning officer"


def _group_names(user):
    cached = getattr(user, "_election_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else frozenset()
        user._election_group_names = cached
    return cached


def is_secretary(user):
    """Creates elections, edits positions and timetable, sees and decides nominations."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.has_perm("elections.manage_elections") or SECRETARY in _group_names(user)


def is_returning_officer(user):
    """Imports ballots, runs the count, confirms quota adjustments, publishes results."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.has_perm("elections.run_count") or RETURNING_OFFICER in _group_names(user)


def can_see_all_nominations(user):
    """All nominations, their validity and the sensitive declarations: secretary and returning officer."""
    return is_secretary(user) or is_returning_officer(user)


def can_nominate_for_branch(user, branch):
    """Interpretation: the branch secretary is one of the branch's officers, i.e. a member of
    the branch's team group (MicrositeTeam.group, whatever it is called); they cite the branch
    meeting that decided the nomination."""
    if branch is None or not getattr(user, "is_authenticated", False):
        return False
    return nominating_branches(user).filter(pk=branch.pk).exists()


def nominating_branches(user):
    """The branches `user` may nominate for: those whose team group they belong to."""
    if not getattr(user, "is_authenticated", False):
        return BranchPage.objects.none()
    return BranchPage.objects.filter(microsite_team__group__user=user).order_by("title")


def nominations_are_public(election):
    """The public sees nominations only once they have closed and their validity is decided."""
    return election.nominations_decided


def results_are_public(election):
    return election.is_published


def why_cannot_vote_for(member, position):
    """Why `member` may not vote for `position`, or "" if they may. Regional coordinators are
    elected by the members of their region (the region of the member's branch); every other
    post by all members. (Being paid up is checked when the ballot is cast.)"""
    if position.region_id is None:
        return ""
    branch = getattr(member, "branch", None)
    if branch is None:
        return (f"{position.title} is elected by the members of the {position.region.name} region; you are not "
                "in a branch, so you have no region and this post is not on your ballot.")
    if branch.region_id != position.region_id:
        return (f"{position.title} is elected by the members of the {position.region.name} region; your branch "
                f"({branch.title}) is in {branch.region.name}, so this post is not on your ballot.")
    return ""
