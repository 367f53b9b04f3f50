"""Who may do what in elections: the one policy module of the app.

Roles follow the project's convention: Django groups by name ("Secretary", "Returning officer",
"<branch title> branch officers"), or the app's permissions `elections.manage_elections`
(the secretary's work) and `elections.run_count` (the returning officer's). Superusers may do all.
"""

SECRETARY = "Secretary"
RETURNING_OFFICER = "Returning officer"
BRANCH_OFFICERS_SUFFIX = " branch officers"


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
    """Interpretation: the branch secretary is one of the branch's officers (the group
    "<branch title> branch officers"); they confirm that a quorate meeting decided it."""
    if branch is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or f"{branch.title}{BRANCH_OFFICERS_SUFFIX}" in _group_names(user)


def nominations_are_public(election):
    """The public sees nominations only once they have closed and their validity is decided."""
    return election.nominations_decided


def results_are_public(election):
    return election.is_published
