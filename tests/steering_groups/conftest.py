"""The workflow fixtures (branches, officers, members) are shared with steering-group tests."""

from tests.workflows.conftest import branches, people  # noqa: F401
