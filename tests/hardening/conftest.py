"""Fixtures of the hardening tests: a small real site (home, /branches/, Paris and Berlin) with the
workflow tests' people, and the public-page cache switched on where a test proves it."""

import pytest
from django.core.cache import cache
from wagtail.models import Page, Site

from cms.models import BranchIndexPage, BranchPage, HomePage, Region
from tests.conftest import restore_migration_data
from tests.workflows.conftest import make_member, people, submit_motion  # noqa: F401 (fixtures reused)


@pytest.fixture
def branches(db):
    """The site's home page as the default site's root, /branches/, and the Paris and Berlin branches."""
    restore_migration_data()  # a transactional test run before may have flushed what migrations made
    region = Region.objects.create(number=1, name="Europe, Africa and the Middle East", slug="europe")
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Labour International", slug="home-li"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "port": 80,
                                                                  "root_page": home})
    index = home.add_child(instance=BranchIndexPage(title="Branches", slug="branches"))
    return {
        slug: index.add_child(instance=BranchPage(title=title, slug=slug, region=region, country=country,
                                                  time_zone=tz))
        for slug, title, country, tz in (("paris", "Paris", "France", "Europe/Paris"),
                                         ("berlin", "Berlin", "Germany", "Europe/Berlin"))
    }


@pytest.fixture
def public_cache(settings):
    """The public-page cache switched on (tests run with it off), empty."""
    settings.PUBLIC_CACHE_ENABLED = True
    cache.clear()
    yield cache
    cache.clear()
