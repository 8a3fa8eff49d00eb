"""WardSafe settings, read from the environment with safe development defaults.

Development: nothing to set (SQLite file in the project folder, DEBUG on, demo data allowed).
Production: WARDSAFE_PRODUCTION=true with DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
DATABASE_URL (PostgreSQL), CSRF_TRUSTED_ORIGINS and, behind a TLS-terminating proxy,
DJANGO_SECURE_PROXY_SSL_HEADER=true and WARDSAFE_TRUSTED_PROXY_COUNT=1. In production mode the
app refuses to start with DEBUG on or with the development secret key, the system checks refuse
SQLite unless WARDSAFE_ALLOW_SQLITE=true (checklists/checks.py), and `manage.py check --deploy`
reports no warnings.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.contrib.messages import constants as message_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEVELOPMENT_SECRET_KEY = "django-insecure-wardsafe-development-only"

PRODUCTION = env.bool("WARDSAFE_PRODUCTION", default=False)
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("WARDSAFE_PRODUCTION is on: DJANGO_DEBUG must be off (false).")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "WARDSAFE_PRODUCTION is on: set DJANGO_SECRET_KEY to a random value of 50 or more characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("WARDSAFE_PRODUCTION is on: set DJANGO_ALLOWED_HOSTS (comma-separated host names).")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_tasks_db",
    "axes",
]
LOCAL_APPS = [
    "checklists",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Production only: whitenoise serves the collected static files (runserver does it in development).
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUCTION else []),
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "checklists.middleware.IdleSessionMiddleware",
    "checklists.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "checklists.middleware.NoShiftsDefinedMiddleware",
    "checklists.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wardsafe.urls"
WSGI_APPLICATION = "wardsafe.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
# A persistent connection that PostgreSQL dropped (a restart, a failover) is replaced at the
# start of the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database, made safe for a ward of writers: every write transaction takes the
    # write lock when it begins (no deadlock when two upgrade from reading), WAL lets pages be
    # read while a tick is written and a backup runs, and a writer waits up to 20 s for its turn
    # instead of failing with "database is locked" after Django's default 5 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("WARDSAFE_SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# Production runs on PostgreSQL; SQLite only when chosen on purpose (one machine, a small ward).
# checklists/checks.py refuses it otherwise and says why.
WARDSAFE_ALLOW_SQLITE = env.bool("WARDSAFE_ALLOW_SQLITE", default=not PRODUCTION)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env.int("WARDSAFE_PASSWORD_MIN_LENGTH", default=10)},
    },
    # Django's 20,000 common passwords plus the hospital's own words (wardsafe/hospital-words.txt).
    {"NAME": "wardsafe.passwords.HospitalWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses logins while the account and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the permissions read in one query (checklists/backends.py).
    "checklists.backends.ModelBackendInOneQuery",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Japanese first: most users are Japanese ward nurses. Stored in UTC, shown in Tokyo time.
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Tokyo")
USE_I18N = True
USE_TZ = True

# Each app server's memory: the board's drawn rows (checklists/views/board_rows.py) and the quality
# pages' charts (checklists/charts.py). Their keys name everything they were drawn from, so no
# entry is ever stale and servers need not share one.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env.int("WARDSAFE_CACHE_ENTRIES", default=10000)},
    }
}

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Whitenoise serves static files in production (compressed, with hashed names after
# `collectstatic`); development keeps Django's plain storage so no collectstatic is needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- security --------------------------------------------------------------------------------
# Shared ward PCs: a session ends after 30 idle minutes (configurable).
SESSION_COOKIE_AGE = int(timedelta(minutes=env.int("WARDSAFE_IDLE_MINUTES", default=30)).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=PRODUCTION)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's own Content-Security-Policy: only our static files; no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# A form posted from a page that went stale (a login or logout since) gets a page that says so.
CSRF_FAILURE_VIEW = "wardsafe.errors.csrf_failure"

# Login throttling (django-axes, wardsafe/logins.py), which a stranger cannot turn against a
# nurse: 5 failures lock that account from that computer only, for 15 minutes counted from the
# last failure that counted (tries during the lockout do not restart it); 20 failures from one
# computer, whatever the accounts, pause logins from that computer (spraying one password over
# many accounts). Behind the TLS proxy the computer's address is read from X-Forwarded-For:
# WARDSAFE_TRUSTED_PROXY_COUNT says how many proxies in front of gunicorn add to it (1 for one
# nginx); 0 (direct connections) ignores the header, which anyone can send.
AXES_FAILURE_LIMIT = env.int("WARDSAFE_LOGIN_FAILURE_LIMIT", default=5)
WARDSAFE_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("WARDSAFE_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("WARDSAFE_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "wardsafe.logins.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "wardsafe.logins.client_address"
AXES_LOCKOUT_CALLABLE = "wardsafe.logins.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
WARDSAFE_TRUSTED_PROXY_COUNT = env.int("WARDSAFE_TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Background work (whole-ward print runs): django.tasks with the database backend, so SQLite
# and PostgreSQL use the same code; `manage.py db_worker` runs the tasks.
TASKS = {"default": {"BACKEND": env("WARDSAFE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# A print run with no progress for this long is failed ("try again"): its worker died or never came.
WARDSAFE_PRINT_STALE_MINUTES = env.int("WARDSAFE_PRINT_STALE_MINUTES", default=10)
# Print-run PDFs (names, risks) and finished task results are deleted after this long
# (`manage.py prune_print_runs`, run by scripts/print-worker.sh); the PrintJob row stays.
WARDSAFE_PRINT_RETENTION_HOURS = env.int("WARDSAFE_PRINT_RETENTION_HOURS", default=24)

# Bootstrap calls the error colour "danger".
MESSAGE_TAGS = {message_constants.ERROR: "danger"}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Where the seed documents live; the provenance check compares quoted passages with them.
WARDSAFE_SEEDS_DIR = Path(env("WARDSAFE_SEEDS_DIR", default=str(BASE_DIR.parent / "shared" / "seeds")))
WARDSAFE_CONTENT_DIR = BASE_DIR / "fixtures" / "content"
WARDSAFE_ASSESSMENTS_DIR = BASE_DIR / "fixtures" / "assessments"  # the shipped scales (wardsafe-scale/1)
# The hospital's hospital-ID format: a regular expression that a new ID must match in full after
# normalising (NFKC, spaces and hyphens removed, capitals; see checklists.models.stays). The
# default takes capitals and digits, e.g. H0001234.
# The admission form's hospital-ID lookup: at most this many per user and window (checklists/services/lookup.py).
WARDSAFE_LOOKUP_LIMIT = env.int("WARDSAFE_LOOKUP_LIMIT", default=20)
WARDSAFE_LOOKUP_WINDOW_MINUTES = env.int("WARDSAFE_LOOKUP_WINDOW_MINUTES", default=10)
WARDSAFE_HOSPITAL_ID_FORMAT = env("WARDSAFE_HOSPITAL_ID_FORMAT", default=r"[0-9A-Z]{1,32}")
