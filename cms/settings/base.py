"""Settings shared by every environment. Values come from environment variables."""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "cms",
    "campaigns",
    "workflows",
    "amendments",
    "tracker",
    "consultations",
    "steering_groups",
    "elections",
    "notifications",
    "newsletters",
    "events",
    "participation",
    "accounts",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    "anymail",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # allauth.mfa's security-key pages ({% load humanize %}): without it /accounts/2fa/webauthn/ is a 500.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: it sees the cookies they set, and a cache hit costs no query.
    "cms.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Production: admin access only after two-factor set-up (settings.ADMIN_REQUIRES_TWO_FACTOR).
    "accounts.middleware.AdminTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# PostgreSQL when DATABASE_URL is set, else a SQLite file next to manage.py.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take the web server, the worker and an editor's autosave writing
    # at once: WAL lets readers run beside the one writer; IMMEDIATE takes the write lock when a
    # transaction begins (so two writers queue, instead of one failing with "database is locked"
    # when its read lock cannot be upgraded); the busy timeout is how long a writer waits its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "cms.Member"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# The Wagtail admin signs in through the same django-allauth flow (accounts/, README "Signing in").
WAGTAILADMIN_LOGIN_URL = LOGIN_URL

# Sign-in (django-allauth): by email, with a password or a one-time code sent by email; no sign-up
# (members come from the membership list and are invited: accounts.invitations).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"  # addresses come from the membership list; changes are verified
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Labour International: "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Failed passwords are counted by django-axes (AXES_* below), per account and address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "14"))

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes, and
# security keys / passkeys (WebAuthn). Offered to everyone; required for admin access when
# ADMIN_REQUIRES_TWO_FACTOR is on (production).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Labour International"
MFA_PASSKEY_LOGIN_ENABLED = True
# Members' addresses come from the party's membership list, not from self sign-up.
MFA_ALLOW_UNVERIFIED_EMAIL = True
ADMIN_REQUIRES_TWO_FACTOR = env_bool("ADMIN_REQUIRES_TWO_FACTOR", False)

# Behind a reverse proxy: how many proxies of ours append to X-Forwarded-For, or the one header
# the proxy sets to the client's address (e.g. X-Real-IP). Login throttling and allauth's rate
# limits then count the client's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None

LANGUAGE_CODE = "en-gb"
# Stored in UTC; shown in UK time (party deadlines) and in each branch's zone.
TIME_ZONE = "UTC"
UK_TIME_ZONE = "Europe/London"
# The Wagtail admin shows UK time to officers who chose no zone in their account (cms/admin_time_zone.py).
ADMIN_DEFAULT_TIME_ZONE = UK_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "collected-static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Labour International"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents download through /documents/<id>/<name> (privacy checked, cms/published_media.py), never /media/.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_RESPONSIVE_HTML = True

SITE_URL = WAGTAILADMIN_BASE_URL

# Email: the console backend by default; any django-anymail provider by setting
# EMAIL_BACKEND=anymail.backends.<provider>.EmailBackend and ANYMAIL_* variables.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Labour International <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    key[len("ANYMAIL_"):]: value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# Background work: django-q2 on the ORM broker (no extra server); Redis when Q_REDIS_URL is set.
Q_CLUSTER = {
    "name": "labour-international",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 600,
    "retry": 720,
    "max_attempts": 1,
    "queue_limit": 50,
    "bulk": 10,
    "catch_up": False,
    "label": "Task queue",
}
if os.environ.get("Q_REDIS_URL"):
    Q_CLUSTER["redis"] = os.environ["Q_REDIS_URL"]
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = float(os.environ.get("Q_POLL", "0.5"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "labour-international",
    }
}
if os.environ.get("CACHE_REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_REDIS_URL"],
    }

# Public-page cache (cms/cache.py): anonymous GETs of public pages and the API, keyed by URL and
# a content generation that publishing and the workflow's signals bump. The cache must be shared
# by all processes (gunicorn workers, the worker): Redis (CACHE_REDIS_URL) or, in production, a
# file-based cache in CACHE_DIR.
PUBLIC_CACHE_ENABLED = env_bool("PUBLIC_CACHE_ENABLED", True)
PUBLIC_CACHE_TIMEOUT = int(os.environ.get("PUBLIC_CACHE_TIMEOUT", "600"))
PUBLIC_CACHE_EXCLUDED_PATHS = ["/admin/", "/django-admin/", "/login/", "/logout/", "/healthz", "/account/",
                               "/accounts/"]
# Models shown on public pages that change without a page or workflow signal (app label or app.Model).
PUBLIC_CACHE_CONTENT_MODELS = [
    "cms.Region", "workflows.Meeting", "workflows.AgendaEntry", "workflows.Consultation",
    "workflows.Pipeline", "workflows.Stage", "steering_groups", "elections",
]

# An HTTP cache in front (Varnish with xkey, deploy/varnish/default.vcl): changes purge their surrogate
# keys there (cms.cache, cms.frontend_cache). Only when VARNISH_URL is set, e.g. http://127.0.0.1:6081.
if os.environ.get("VARNISH_URL"):
    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "cms.frontend_cache.VarnishBackend", "LOCATION": os.environ["VARNISH_URL"]},
    }

# Security headers (cms/security.py adds the Content-Security-Policy of the public site).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The admins get a policy of their own (Wagtail's inline set-up scripts allowed by hash): cms/security.py.
CSP_ADMIN_PATHS = ["/admin/", "/django-admin/"]
CSP_EXCLUDED_PATHS = []
# No avatars from a third party: it would learn which officers use the admin (and the CSP refuses it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call to Wagtail's release server from every officer's dashboard.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Login throttling against password guessing.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts the email as "username"; axes would otherwise look
# for the USERNAME_FIELD ("email"), record no username and never lock the guessed account.
AXES_USERNAME_FORM_FIELD = "username"
# One account whatever the case of the email; the client's address as the proxy reports it
# (TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER); the lockout page inside the site's design.
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_email"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail's background tasks (reference index updates) log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        # The worker logs every task it runs at INFO; `make run` sets WARNING (problems only).
        "django-q": {"level": os.environ.get("Q_LOG_LEVEL", "INFO")},
    },
}
