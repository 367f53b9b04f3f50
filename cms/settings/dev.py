"""Development settings: `make run`."""

from .base import *  # noqa: F401,F403
from .base import env_list

DEBUG = True
SECRET_KEY = "dev-only-not-secret-4b1d0c0ffee"  # noqa: S105 (never used in production)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")

# Security keys and passkeys on http://127.0.0.1 (browsers treat loopback as a secure context).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
