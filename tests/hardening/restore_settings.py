"""Settings of the restored site in the backup drill: the test settings on the SQLite file named by
DATABASE_URL, with MEDIA_ROOT from the environment (a fresh directory)."""

import os
from pathlib import Path

from cms.settings.test import *  # noqa: F401,F403

MEDIA_ROOT = Path(os.environ["MEDIA_ROOT"])
