"""The workflow tests' people and branches, reused (Paris and Berlin, proposer, seconder, officers)."""

from tests.workflows.conftest import branches, consultation, people, submitted_motion  # noqa: F401
