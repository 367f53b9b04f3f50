"""The task the worker drill enqueues: it records each run in a plain SQLite file (outside Django,
so the drill needs no app tables), its effect idempotently (one row per key, whatever the retries)."""

import sqlite3
import time


def connect(path):
    db = sqlite3.connect(path, timeout=30)
    db.execute("CREATE TABLE IF NOT EXISTS effects (key INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE IF NOT EXISTS runs (key INTEGER)")
    return db


def record_run(key, path, seconds):
    """Work for `seconds`, then record the effect once (INSERT OR IGNORE) and this run (always)."""
    time.sleep(seconds)
    with connect(path) as db:
        db.execute("INSERT INTO runs (key) VALUES (?)", (key,))
        db.execute("INSERT OR IGNORE INTO effects (key) VALUES (?)", (key,))
    return key
