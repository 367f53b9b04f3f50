"""Development settings: `make run`."""

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, env_list

DEBUG = True
SECRET_KEY = "dev-only-not-secret-4b1d0c0ffee"  # noqa: S105 (never used in production)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# Security keys and passkeys on http://127.0.0.1 (browsers treat loopback as a secure context).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The demo's emails (hundreds, from seed_demo) go to files, one per email, not to the terminal:
# read them in var/emails/ or in the admin's Outbox. EMAIL_BACKEND in the environment still wins.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "emails"))
