"""The embedded default for real: a SQLite FILE database migrated once, copied for each test,
used by separate processes (the web server, the worker, writers) as `make run` uses it."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def environment(database, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "Q_REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="cms.settings.test",
               PYTHONPATH=str(PROJECT), PUBLIC_CACHE_ENABLED="0")
    env.update(extra)
    return env


def manage(database, *args, timeout=300, **extra):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=environment(database, **extra),
                          capture_output=True, text=True, timeout=timeout, check=True)


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory):
    database = tmp_path_factory.mktemp("embedded") / "migrated.sqlite3"
    manage(database, "migrate", "--noinput", timeout=600)
    return database


@pytest.fixture
def sqlite_file(migrated_sqlite_file, tmp_path):
    """A fresh copy of the migrated database for one test."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite_file, database)
    return database
