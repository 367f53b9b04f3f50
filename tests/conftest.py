"""Shared fixtures: the demo site (regions, branches, accounts) built by the same code as seed_demo."""

import io

import pytest


@pytest.fixture(autouse=True)
def empty_caches():
    """Every test starts with empty caches, as it starts with an empty database: Wagtail caches
    renditions by image id, and a test's new image may have the id of an earlier test's one (whose
    rows were rolled back, its cached rendition not), so no rendition file would be made."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def demo_site(db):
    """Regions, page tree, branches and demo accounts, as `seed_demo` makes them."""
    from cms import demo

    restore_migration_data()  # a transactional test run before may have flushed what migrations made
    demo.seed(io.StringIO(), content=False)
    from cms.models import BranchPage

    return {b.slug: b for b in BranchPage.objects.all()}


def restore_migration_data():
    """What data migrations made, should a transactional test have flushed it: Wagtail's root page,
    the default pipelines and the role groups (the workflow migration's own idempotent function), the
    permissions of the roles, and the posts of the 2023 election guide."""
    import importlib

    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        Page.add_root(instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)))
    importlib.import_module("workflows.migrations.0003_default_pipelines_and_roles").create(apps, None)
    importlib.import_module("accounts.migrations.0002_role_permissions").grant(apps, None)
    # The role permissions of workflows' migration 0004 (its own function would unset the real registry's
    # models_module, which it sets only for the migration state's apps).
    from django.contrib.auth.models import Group, Permission

    for group_name, perms in importlib.import_module("workflows.migrations.0004_role_permissions").GRANTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, _model, codename in perms:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
    importlib.import_module("elections.migrations.0005_register_of_officers_and_quota_decisions").grant_register(
        apps, None)
    from elections.models import Office
    from elections.reference import load_offices

    if not Office.objects.exists():
        load_offices(Office)


def _flushes_the_database(item):
    """Transactional tests (live server, `django_db(transaction=True)`) end with a flush."""
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return ("transactional_db" in names or "live_server" in names
            or bool(marker and (marker.kwargs.get("transaction") or (len(marker.args) > 0 and marker.args[0]))))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put back what migrations made, outside any test's
    transaction, so that whichever test the worker runs next finds it (the guide's posts, the
    pipelines, the role groups), not only those whose fixtures restore it themselves."""
    yield
    # The last test's teardown also drops the test database: nothing to put back then.
    if nextitem is not None and _flushes_the_database(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    # Tests marked `postgres` need PostgreSQL: `make test` runs them in a pass of their own against a
    # throwaway server (the Makefile), so a run on SQLite reports them skipped, with the reason.
    on_postgresql = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    for item in items:
        if item.get_closest_marker("postgres") and not on_postgresql:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: `make test` runs it on a throwaway server "
                                                    "(or set DATABASE_URL, README: Running on PostgreSQL)"))
