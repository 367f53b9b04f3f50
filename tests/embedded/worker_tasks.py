"""Tasks the real worker runs in the tests of `make run` (imported by the worker by name)."""

import time
from pathlib import Path


def leave_mark(path):
    Path(path).write_text("done")


def long_job(path, attempts_path):
    """Slow the first time (the worker is stopped in the middle of it), quick when run again."""
    attempts = Path(attempts_path)
    count = int(attempts.read_text()) if attempts.exists() else 0
    attempts.write_text(str(count + 1))
    if count == 0:
        time.sleep(120)
    Path(path).write_text("done")
