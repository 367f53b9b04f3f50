"""Settings of the real django-q2 worker started by the worker drill (tests/hardening/test_failure_drills.py).

The test settings with a real queue (not sync) on the SQLite file named by DATABASE_URL, and short
timeouts, so a task taken by a killed worker is given again within seconds.
"""

from cms.settings.test import *  # noqa: F401,F403
from cms.settings.test import Q_CLUSTER

Q_CLUSTER = {
    **Q_CLUSTER,
    "name": "hardening-drill",
    "sync": False,
    "workers": 2,
    "timeout": 5,
    "retry": 8,
    "max_attempts": 0,
    "bulk": 4,
    "poll": 0.2,
    "catch_up": False,
    "orm": "default",
}
