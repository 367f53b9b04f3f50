"""The workflow tests' people and branches, reused; and "after commit" made real inside the
test's transaction: what services send on commit runs when their own transaction closes."""

import pytest
from django.db import transaction
from django.db.transaction import Atomic

from tests.workflows.conftest import branches, consultation, people, submitted_motion  # noqa: F401


def _only_test_atomics(connection):
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _run_pending(connection):
    while connection.run_on_commit:
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, func, _robust in pending:
            func()


@pytest.fixture(autouse=True)
def on_commit_runs_when_the_services_transaction_closes(monkeypatch):
    """pytest-django wraps each test in a transaction that never commits, so on_commit
    callbacks (the workflow's signals) would never run. Here they run when the outermost
    transaction opened by the code under test closes successfully, as a commit would."""
    original_exit = Atomic.__exit__
    original_on_commit = transaction.on_commit

    def exit_then_commit_hooks(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if exc_type is None and connection.in_atomic_block and _only_test_atomics(connection):
            _run_pending(connection)
        return result

    def on_commit(func, using=None, robust=False):
        connection = transaction.get_connection(using)
        if connection.in_atomic_block and _only_test_atomics(connection):
            func()
        else:
            original_on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(Atomic, "__exit__", exit_then_commit_hooks)
    monkeypatch.setattr(transaction, "on_commit", on_commit)
