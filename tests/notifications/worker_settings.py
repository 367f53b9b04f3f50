"""Settings for the real-worker test: a SQLite file shared by the test's processes and a
`manage.py qcluster` subprocess; tasks go through the ORM broker (not inline); emails are
written to files, so the test can count what the worker really sent."""

import os

from cms.settings.test import *  # noqa: F401,F403
from cms.settings.test import DATABASES, Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": False, "workers": 2, "poll": 0.2, "orm": "default", "name": "worker-test"}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("WORKER_TEST_MAIL_DIR", "/tmp/li-worker-test-mail")
SITE_URL = "http://testserver"
# A throwaway database: no fsync, so migrating it takes seconds.
DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"


class _NoMigrations:
    """Tables straight from the models (migrate --run-syncdb): the test builds its own data."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


MIGRATION_MODULES = _NoMigrations()
