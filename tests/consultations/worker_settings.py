"""Settings of the real-worker test: the test settings with the task queue NOT inline (the test
starts `manage.py qcluster` itself), media under the test's temporary directory."""

import os

from cms.settings.test import *  # noqa: F401,F403
from cms.settings.test import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": False, "workers": 1, "poll": 0.2, "name": "li-export-test"}
MEDIA_ROOT = os.environ["MEDIA_ROOT"]
EXPORT_INLINE_LIMIT = 2
