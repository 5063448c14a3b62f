"""Settings for K-Bio Partnering, read from the environment.

With nothing set, the app runs for local development on an SQLite file. Production sets
DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL through psycopg 3).
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-never-use-in-production"

DEBUG = envbool("DEBUG", "1")
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY: the development secret is refused when DEBUG=0.")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_countries",
    "simple_history",
    "axes",
    "kbio.core",
    "kbio.directory",
    "kbio.accounts",
    "kbio.events",
    "kbio.matching",
    "kbio.outcomes",
    "kbio.organizer",
    "kbio.scheduling",
    "kbio.jobs",
]

MIDDLEWARE = [
    # First: every response, even a redirect or a refusal, carries its request id.
    "kbio.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Visitors' pages from the cache. Outside the middlewares that set cookies, so that it
    # stores no page that sets one; a page it serves still passes through every middleware's
    # answer (request id, CSP, language headers).
    "kbio.core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kbio.core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kbio.core.middleware.AdminParameterCheckMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Members' pages from the cache, per session: inside the middlewares above, whose cookies
    # and reads (session, user, CSRF secret, messages) it checks.
    "kbio.core.pagecache.MemberPageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kbio.urls"
WSGI_APPLICATION = "kbio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kbio.accounts.context_processors.membership",
            ],
        },
    },
]

# SQLite is the zero-setup default for a first run; PostgreSQL when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", "0"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing: a transaction takes the write lock when it begins
    # (two that both read and then write would otherwise deadlock, and SQLite answers one of
    # them "database is locked" at once), waits up to 20 s for it, and readers do not block
    # writers (write-ahead log).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# One date format per language (kbio/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["kbio.formats"]
USE_TZ = True
# Korea and Japan share UTC+9; every event also carries its own time zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Tokyo")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Fixtures report the object they fail on, and are validated before they are saved.
SERIALIZATION_MODULES = {"json": "kbio.core.fixture_json"}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Password guessing: after 30 wrong passwords for one username from one client address, that
# pair is locked out for 15 minutes (django-axes). Per pair, not per address: delegates at an
# event share the venue's Wi-Fi address, and one of them mistyping must not lock the others
# out; nor may a stranger lock a delegate out by guessing from elsewhere.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kbio.core.views.locked_out"
# Successful logins are not logged (only the failures that count towards a lockout).
AXES_DISABLE_ACCESS_LOG = True

# The default cache: the throttles of kbio/core/throttle.py, django-axes and the pages cached
# for visitors (kbio/core/pagecache.py). Redis when CACHE_URL (or REDIS_URL) is set
# (redis://127.0.0.1:6379/1), one cache for every server process, as production needs; else
# local memory, one per process (`make run`, the tests).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// address.")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kbio"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long a visitor's page (and a costly part of a member's page) is kept, in seconds; an
# edit of what it shows replaces it at once (kbio/core/pagecache.py). 0 turns the page cache
# off. Off by default when DEBUG=0 without a shared cache: each gunicorn worker would keep its
# own pages, and an edit seen by one would leave the others' pages stale.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "600" if CACHE_URL or DEBUG else "0")

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only;
# no inline script or style, no plugins, no framing, forms post only here. The pages hold no
# inline script or style attribute (tests/core/test_csp.py checks every page in Chromium).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Background jobs (Celery, kbio/celery.py; kbio/jobs/). With CELERY_BROKER_URL set (Redis in
# production: redis://127.0.0.1:6379/0), jobs go to the broker and `celery -A kbio worker` runs
# them. Without it (`make run`, `make test`) they run in-process, in the request that starts them.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "kbio")
# The jobs keep their state in the database (kbio.jobs.models): no result backend.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# `celery -A kbio beat`: housekeeping daily, e-mails that ran out of retries again every 15 min.
CELERY_BEAT_SCHEDULE = {
    "housekeeping": {"task": "kbio.jobs.tasks.housekeeping", "schedule": 24 * 3600.0},
    "retry-failed-emails": {"task": "kbio.jobs.tasks.retry_failed_emails", "schedule": 900.0},
}
# A CSV import of more bytes than this runs as a job; smaller ones answer in the request.
IMPORT_JOB_BYTES = envint("IMPORT_JOB_BYTES", str(256 * 1024))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# With EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
# The e-mail job retries an unreachable mail server this many times, backing off from this many
# seconds (doubling each time, at most 30 minutes between tries).
EMAIL_RETRIES = envint("EMAIL_RETRIES", "10")
EMAIL_RETRY_BACKOFF = envint("EMAIL_RETRY_BACKOFF", "60")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "K-Bio Partnering <noreply@localhost>")
# Links in emails point here (no request at hand when a notice is sent).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Who gets the report of a server error (500): ADMINS="Name <a@example.org>,Other <b@...>".
ADMINS = [
    (name, address) for name, address in getaddresses([os.environ.get("ADMINS", "")]) if address
]
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    # A load balancer probes the health URL over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    # SECURE_COOKIES=0 only for plain HTTP on this machine (`make serve`).
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# One JSON object per line in production (LOG_FORMAT=json), readable lines in development; each
# carries the request id (kbio/core/logs.py). Server errors are mailed to ADMINS.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "kbio.core.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "json": {"()": "kbio.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "text" if DEBUG else "json"),
        },
        "mail_admins": {
            "class": "kbio.core.logs.AdminEmailWithRequestId",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Replaces Django's own handlers of these loggers (its console and mail_admins).
    "loggers": {"django": {"handlers": ["mail_admins"], "level": LOG_LEVEL}},
}
