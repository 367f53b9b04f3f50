"""Shared fixtures: the demo site (regions, branches, accounts) built by the same code as seed_demo."""

import io

import pytest


@pytest.fixture
def demo_site(db):
    """Regions, page tree, branches and demo accounts, as `seed_demo` makes them."""
    from cms import demo

    demo.seed(io.StringIO(), content=False)
    from cms.models import BranchPage

    return {b.slug: b for b in BranchPage.objects.all()}
