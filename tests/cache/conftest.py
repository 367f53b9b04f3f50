"""Fixtures of the cache tests: the hardening tests' small site (home, /branches/, Paris, Berlin) with
the workflow tests' people, and the public-page cache switched on."""

from tests.hardening.conftest import branches, public_cache  # noqa: F401 (fixtures reused)
from tests.workflows.conftest import people  # noqa: F401 (fixtures reused)
