"""Settings for the test suite."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, Q_CLUSTER

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
# Tasks run inline unless a test starts a real worker (tests that do override this).
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The public-page cache is off in tests (tests/hardening turns it on where they prove it).
PUBLIC_CACHE_ENABLED = False
