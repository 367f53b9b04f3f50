"""Errors of the workflow engine.

Every service raises one of these with a message meant for the person who acted: views,
the admin, the API and commands show `str(error)` where the user acted. Nothing is written
when one is raised (services run in a transaction).
"""


class WorkflowError(Exception):
    """A workflow action was refused. `field` names the form field at fault, if any."""

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return self.message


class DecisionError(WorkflowError):
    """A decision (a transition of an item) was refused: permission, outcome, votes, state."""


class AlreadyDecided(DecisionError):
    """The stage this decision was for has already been decided (double click, two officers)."""


class ItemError(WorkflowError):
    """Drafting, seconding, submitting or withdrawing an item was refused."""
