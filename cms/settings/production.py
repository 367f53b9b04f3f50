"""Production settings. Refuses to start without SECRET_KEY.

Documented variables: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, SITE_URL,
EMAIL_BACKEND and ANYMAIL_*, Q_REDIS_URL, CACHE_REDIS_URL (else CACHE_DIR), SECURE_SSL_REDIRECT.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, CACHES, MIDDLEWARE, env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MIDDLEWARE = list(MIDDLEWARE)

# Everyone with admin access sets up two-factor authentication before the admin opens
# (accounts.middleware). Off only for a deliberate test setup: ADMIN_REQUIRES_TWO_FACTOR=0.
ADMIN_REQUIRES_TWO_FACTOR = env_bool("ADMIN_REQUIRES_TWO_FACTOR", True)

# One cache shared by the gunicorn workers and the task worker (the public-page cache's
# invalidation must reach every process): Redis when CACHE_REDIS_URL is set, else files.
if not os.environ.get("CACHE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
else:
    # Django's Redis backend, reusing its Redis client (cms/redis_cache.py).
    CACHES = {**CACHES, "default": {**CACHES["default"], "BACKEND": "cms.redis_cache.RedisCache"}}
    # Sessions read from Redis, written through to the database (kept across a Redis restart): a
    # signed-in request (a vote in a ballot's last minute) costs no session query.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
