"""Aftercare settings, read from the environment.

Two modes: the embedded default (SQLite, in-process tasks, no services) for a laptop and
for tests, and production mode (``AFTERCARE_PRODUCTION=1``) which refuses to start with an
insecure configuration: debug on, the development secret, missing encryption keys, SQLite.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AFTERCARE_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    """A setting from NAME, or from the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("AFTERCARE_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG", default=False)

DEV_SECRET_KEY = "aftercare-development-only-secret-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Field encryption: comma-separated Fernet keys, newest first. The first encrypts; all
# decrypt, so a new key can be put in front and `aftercare rotate-keys` re-encrypts.
AFTERCARE_FIELD_KEYS = env_list("AFTERCARE_FIELD_KEYS")
# Key for the keyed blind index (HMAC) that allows exact-match search on encrypted fields.
AFTERCARE_BLIND_INDEX_KEY = env_str("AFTERCARE_BLIND_INDEX_KEY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_countries",
    "aftercare.core",
    "aftercare.accounts",
    "aftercare.network",
    "aftercare.cases",
    "aftercare.risk",
    "aftercare.audit",
    "aftercare.referrals",
    "aftercare.voice",
    "aftercare.reports",
    "aftercare.livelihoods",
    "aftercare.prevention",
    "aftercare.interop",
    "aftercare.caresettings",
    "aftercare.mentoring",
    "aftercare.atrisk",
    "aftercare.casefile",
    "aftercare.demo",
]

MIDDLEWARE = [
    "aftercare.core.middleware.RequestIdMiddleware",
    "aftercare.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aftercare.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # AuthenticationMiddleware + OTPMiddleware, cached
    "aftercare.accounts.middleware.IdentityMiddleware",
    "aftercare.core.privacy.NoStoreForSignedInMiddleware",
    "aftercare.accounts.middleware.ActorMiddleware",
    "aftercare.accounts.middleware.OrganisationTimeZoneMiddleware",
    "aftercare.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aftercare.urls"
WSGI_APPLICATION = "aftercare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aftercare.casefile.navigation.navigation",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
# Every statement a web request runs is bounded (PostgreSQL): a query gone wrong costs one
# request an error instead of holding a worker and the database for minutes. The `aftercare`
# command (other than runserver) sets 0, no bound, and Celery workers lift it per task
# (aftercare.celery.WorkerTask), for long work.
AFTERCARE_STATEMENT_TIMEOUT_MS = env_int("AFTERCARE_STATEMENT_TIMEOUT_MS", 10_000)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if AFTERCARE_STATEMENT_TIMEOUT_MS > 0 and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c statement_timeout={AFTERCARE_STATEMENT_TIMEOUT_MS}"
        )
        # A server-side cursor outside a transaction is declared WITH HOLD: the whole result
        # is computed at commit, where the timeout did not stop it. Web requests fetch
        # client-side; the streaming exports run in workers, which have no bound.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("AFTERCARE_SQLITE_PATH", str(VAR_DIR / "aftercare.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
    # The test database lives in memory (Django's default for SQLite): creating a file for every
    # run cost most of a short run's time. AFTERCARE_SQLITE_TEST_PATH names a file instead.
    if env_str("AFTERCARE_SQLITE_TEST_PATH"):
        DATABASES["default"]["TEST"] = {"NAME": env_str("AFTERCARE_SQLITE_TEST_PATH")}
# A PostgreSQL streaming replica for reports and exports (aftercare.core.routers): reads inside
# `reading_from_replica()` go there; writes and everything else stay on the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["aftercare.core.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: in-process unless a broker is configured (see aftercare.core.tasks).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
AFTERCARE_TASKS_EAGER = env_bool("AFTERCARE_TASKS_EAGER", default=not CELERY_BROKER_URL)
# Two queues: "interactive" (notifications, referral deadlines, risk follow-ups: seconds) and
# "bulk" (exports and imports: minutes), so a long export never delays a notification. Run a
# worker for each (deploy/systemd), or one with `-Q interactive,bulk` on a small machine.
CELERY_TASK_DEFAULT_QUEUE = "interactive"
CELERY_TASK_ROUTES = {
    "aftercare.reports.tasks.run_export": {"queue": "bulk"},
    "aftercare.cases.tasks.commit_import": {"queue": "bulk"},
    "aftercare.interop.tasks.commit_htcds_import": {"queue": "bulk"},
}
CELERY_BEAT_SCHEDULE = {
    "referral-deadlines": {
        "task": "aftercare.referrals.tasks.sweep_deadlines",
        "schedule": env_int("AFTERCARE_REFERRAL_SWEEP_SECONDS", 15 * 60),
    },
    "risk-overdue-follow-ups": {
        "task": "aftercare.risk.tasks.flag_overdue_follow_ups",
        "schedule": 60 * 60,
    },
    "retention-follow-ups": {
        "task": "aftercare.livelihoods.tasks.open_due_follow_ups",
        "schedule": 60 * 60,
    },
    "purge-expired-exports": {
        "task": "aftercare.reports.tasks.purge_expired_exports",
        "schedule": 60 * 60,
    },
    "purge-expired-api-tokens": {
        "task": "aftercare.accounts.tasks.purge_expired_tokens",
        "schedule": 24 * 60 * 60,
    },
    "audit-partitions": {
        "task": "aftercare.audit.tasks.ensure_audit_partitions",
        "schedule": 24 * 60 * 60,
    },
    "detentions-without-lawyer": {
        "task": "aftercare.caresettings.tasks.flag_detentions_without_lawyer",
        "schedule": 6 * 60 * 60,
    },
}

# Referrals: hours to answer (urgent when a referred need is urgent), and the reminder lead.
AFTERCARE_REFERRAL_RESPONSE_HOURS = env_int("AFTERCARE_REFERRAL_RESPONSE_HOURS", 72)
AFTERCARE_REFERRAL_URGENT_HOURS = env_int("AFTERCARE_REFERRAL_URGENT_HOURS", 24)
AFTERCARE_REFERRAL_REMINDER_HOURS = env_int("AFTERCARE_REFERRAL_REMINDER_HOURS", 12)
AFTERCARE_BASE_URL = env_str("AFTERCARE_BASE_URL", "http://127.0.0.1:8000")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # survivors: username or phone, PIN or password
    "aftercare.voice.portal_accounts.SurvivorBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"

# Sign-out after inactivity: the session's expiry slides forward with activity, written at
# most once a minute (aftercare.accounts.middleware.SlidingSessionMiddleware). Sessions are read
# from the cache and kept in the database, so a Redis restart signs no one out.
AFTERCARE_IDLE_TIMEOUT_MINUTES = env_int("AFTERCARE_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = AFTERCARE_IDLE_TIMEOUT_MINUTES * 60
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "aftercare_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies and HSTS need HTTPS, which production has and the laptop demo does not.
SECURE_COOKIES = env_bool("AFTERCARE_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("AFTERCARE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("AFTERCARE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^(health|ready|metrics)$"]  # probes and scrapers call over plain HTTP
# Deliberate exceptions to `check --deploy`, e.g. security.W008 where the proxy redirects to HTTPS.
SILENCED_SYSTEM_CHECKS = env_list("AFTERCARE_SILENCED_CHECKS")
if env_bool("AFTERCARE_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# A strict policy: nothing from any other host, no inline script or style.
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
    }
}

# Throttling and lockout of sign-in (django-axes): per username and address together.
AXES_FAILURE_LIMIT = env_int("AFTERCARE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AFTERCARE_LOCKOUT_MINUTES", 15))
# Staff by username and address together; a survivor's portal account by the account alone,
# whichever spelling of its username or phone number was tried (aftercare/voice/portal_accounts.py).
AXES_LOCKOUT_PARAMETERS = "aftercare.voice.portal_accounts.axes_lockout_parameters"
AXES_USERNAME_CALLABLE = "aftercare.voice.portal_accounts.axes_username"
# Masked in the form data axes keeps with each failure: the portal's PIN ("secret") and the phone
# number or name typed ("identifier"), as "password" always is.
# Beyond the lockout, a portal account pauses sign-in for a day after this many failures in a day.
AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT = env_int("AFTERCARE_PORTAL_DAILY_FAILURE_LIMIT", 20)
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "identifier",
    "secret",
    "pin",
    "current",
    "new",
    "code",
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "aftercare.accounts.signin.lockout_response"  # JSON for the API
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False

OTP_TOTP_ISSUER = "Aftercare"
OTP_TOTP_THROTTLE_FACTOR = 1

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "aftercare.accounts.authentication.BearerTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "aftercare.core.api.ApiSchema",
    "EXCEPTION_HANDLER": "aftercare.core.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("AFTERCARE_TOKEN_RATE", "20/min")},
}
AFTERCARE_API_TOKEN_HOURS = env_int("AFTERCARE_API_TOKEN_HOURS", 12)
# Who acts in an API request (aftercare.core.api.api_actor): the user's membership in the
# organisation named by the X-Aftercare-Organisation header, as accounts answers it.
AFTERCARE_API_ACTOR = "aftercare.accounts.services.actor_for"
# Who may do what: accounts' table of roles, asked by core's generic views (aftercare.core.policy).
AFTERCARE_POLICY = "aftercare.accounts.policy.POLICY"
# Survivor voice: the portal's idle timeout, ratings published only in groups of at least k,
# the prior weight of the network mean in the Bayesian average, feedback codes, the SMS
# webhook's shared secret (the webhook refuses every request while it is unset), and where
# the portal's quick-exit button goes.
AFTERCARE_SURVIVOR_IDLE_MINUTES = env_int("AFTERCARE_SURVIVOR_IDLE_MINUTES", 10)
AFTERCARE_RATING_MIN_GROUP = env_int("AFTERCARE_RATING_MIN_GROUP", 5)
AFTERCARE_RATING_PRIOR_WEIGHT = env_int("AFTERCARE_RATING_PRIOR_WEIGHT", 5)
# Flagged to the network coordinator (aftercare/voice/integrity.py): this many codes of one
# organisation spent on one subject within so many days; a subject rated (at least this often
# in a quarter) only through its own organisation's codes.
AFTERCARE_RATING_BURST_COUNT = env_int("AFTERCARE_RATING_BURST_COUNT", 5)
AFTERCARE_RATING_BURST_DAYS = env_int("AFTERCARE_RATING_BURST_DAYS", 3)
AFTERCARE_RATING_OWN_CODES_MIN = env_int("AFTERCARE_RATING_OWN_CODES_MIN", 3)
AFTERCARE_FEEDBACK_CODE_DAYS = env_int("AFTERCARE_FEEDBACK_CODE_DAYS", 30)
AFTERCARE_FEEDBACK_CODE_LENGTH = env_int("AFTERCARE_FEEDBACK_CODE_LENGTH", 6)
AFTERCARE_FEEDBACK_RATE_PER_HOUR = env_int("AFTERCARE_FEEDBACK_RATE_PER_HOUR", 30)
AFTERCARE_FEEDBACK_CODE_FAILURES = env_int("AFTERCARE_FEEDBACK_CODE_FAILURES", 10)
# The generic SMS webhook's shared secret. Outside production the demo's own, so that a rating
# by SMS can be tried at once (README); production has none until one is set, and refuses all.
DEMO_SMS_WEBHOOK_SECRET = "demo-sms-webhook-secret"  # noqa: S105 - a published demo value, never used in production
AFTERCARE_SMS_WEBHOOK_SECRET = env_str(
    "AFTERCARE_SMS_WEBHOOK_SECRET", "" if PRODUCTION else DEMO_SMS_WEBHOOK_SECRET
)
# Inbound SMS gateways (aftercare/voice/gateways.py): Twilio's auth token checks its
# X-Twilio-Signature; Africa's Talking posts to /api/v1/sms/africastalking/<this secret>.
AFTERCARE_TWILIO_AUTH_TOKEN = env_str("AFTERCARE_TWILIO_AUTH_TOKEN")
AFTERCARE_AFRICASTALKING_SECRET = env_str("AFTERCARE_AFRICASTALKING_SECRET")
# Outbound SMS: console (demo: the log), memory (tests) or africastalking (its SMS API).
AFTERCARE_SMS_BACKEND = env_str("AFTERCARE_SMS_BACKEND", "console")
AFTERCARE_AFRICASTALKING_USERNAME = env_str("AFTERCARE_AFRICASTALKING_USERNAME")
AFTERCARE_AFRICASTALKING_API_KEY = env_str("AFTERCARE_AFRICASTALKING_API_KEY")
AFTERCARE_AFRICASTALKING_SENDER = env_str("AFTERCARE_AFRICASTALKING_SENDER")
AFTERCARE_AFRICASTALKING_API_URL = env_str(
    "AFTERCARE_AFRICASTALKING_API_URL", "https://api.africastalking.com/version1/messaging"
)
AFTERCARE_QUICK_EXIT_URL = env_str("AFTERCARE_QUICK_EXIT_URL", "https://www.google.com/")
# Directory: capacity not updated for this many days is flagged as stale.
AFTERCARE_CAPACITY_STALE_DAYS = env_int("AFTERCARE_CAPACITY_STALE_DAYS", 14)
# Reports: counts of fewer people than this are hidden from roles without case access; the
# CTDC export's k; how long an export's signed download link works, and how long its file is kept.
AFTERCARE_SMALL_CELL_MIN = env_int("AFTERCARE_SMALL_CELL_MIN", 5)
# Care settings: days a survivor may be held in a closed setting without access to a lawyer
# before the supervisors of the organisation holding her case are alerted.
AFTERCARE_DETENTION_LAWYER_DAYS = env_int("AFTERCARE_DETENTION_LAWYER_DAYS", 7)
# The currency costs in several currencies are compared in (converted with the rate table).
AFTERCARE_REPORT_CURRENCY = env_str("AFTERCARE_REPORT_CURRENCY", "USD")
AFTERCARE_CTDC_K = env_int("AFTERCARE_CTDC_K", 10)
# PostgreSQL's work_mem for the transaction of an export that groups a whole network
# (aftercare.core.routers.room_to_sort); empty keeps the server's own.
AFTERCARE_REPORT_WORK_MEM = os.environ.get("AFTERCARE_REPORT_WORK_MEM", "64MB")
AFTERCARE_EXPORT_LINK_MINUTES = env_int("AFTERCARE_EXPORT_LINK_MINUTES", 30)
AFTERCARE_EXPORT_KEEP_HOURS = env_int("AFTERCARE_EXPORT_KEEP_HOURS", 24)
# A running export with no sign of life for this long lost its worker and is failed (hourly, and
# when the exports page opens). The caseload export reports progress every few thousand rows; the
# indicator, gaps and CTDC files only when claimed, so this must exceed the longest of those.
AFTERCARE_EXPORT_STALL_MINUTES = env_int("AFTERCARE_EXPORT_STALL_MINUTES", 60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Aftercare API",
    "DESCRIPTION": "The stable REST contract of Aftercare (see API.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No online validator: Swagger UI would otherwise send the schema's address to swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "CountryCode": "django_countries.countries",
        "BeneficiaryGivenByEnum": "aftercare.atrisk.models.GivenBy",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "aftercare.core.api.blank_is_a_string",
    ],
}

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hi", _("Hindi")),
    ("bn", _("Bengali")),
    ("sw", _("Swahili")),
    ("zu", _("isiZulu")),
]
# Aftercare's catalogues, then month and weekday names for languages Django lacks (`aftercare
# cldr-dates`).
LOCALE_PATHS = [BASE_DIR / "aftercare" / "locale", BASE_DIR / "aftercare" / "locale_cldr"]
# Django knows bn, hi and sw but not isiZulu: its name for the language switcher and
# get_language_info(), and its dates and numbers (aftercare/formats/zu, sw).
EXTRA_LANG_INFO = {"zu": {"bidi": False, "code": "zu", "name": "isiZulu", "name_local": "isiZulu"}}
LANG_INFO.update(EXTRA_LANG_INFO)
FORMAT_MODULE_PATH = ["aftercare.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("AFTERCARE_STATIC_ROOT", str(VAR_DIR / "static")))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Sealed files (export files; encrypted before they are stored, aftercare.core.sealed): on this
# machine's disk, or in S3-compatible object storage through django-storages when a bucket is
# configured, so several app servers and workers share them.
AFTERCARE_S3_BUCKET = env_str("AFTERCARE_S3_BUCKET")
if AFTERCARE_S3_BUCKET:
    SEALED_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AFTERCARE_S3_BUCKET,
            "endpoint_url": env_str("AFTERCARE_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, Garage...
            "region_name": env_str("AFTERCARE_S3_REGION") or None,
            "access_key": env_str("AFTERCARE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AFTERCARE_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("AFTERCARE_S3_PREFIX", "aftercare"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    SEALED_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("AFTERCARE_FILES_DIR", str(VAR_DIR / "files"))},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "sealed": SEALED_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads are kept in memory, never in a plaintext temporary file (aftercare.core.uploads).
AFTERCARE_MAX_UPLOAD_BYTES = env_int("AFTERCARE_MAX_UPLOAD_BYTES", 12 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["aftercare.core.uploads.MemoryOnlyUploadHandler"]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "aftercare.core.logs.JsonFormatter"},
    },
    "filters": {"mask_secrets": {"()": "aftercare.core.logs.MaskSecrets"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("AFTERCARE_LOG_FORMAT", "json" if PRODUCTION else "plain"),
            "filters": ["mask_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("AFTERCARE_LOG_LEVEL", "WARNING")},
    # The development server's access log, through the same masking handler.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Prometheus metrics at /metrics: for these networks (direct connections only) or this token.
AFTERCARE_METRICS_NETWORKS = env_list("AFTERCARE_METRICS_NETWORKS", "127.0.0.1/32,::1/128")
AFTERCARE_METRICS_TOKEN = env_str("AFTERCARE_METRICS_TOKEN")
# /bench/floor, the do-nothing view that bench/load.py compares every endpoint with.
AFTERCARE_BENCH_FLOOR = env_bool("AFTERCARE_BENCH_FLOOR")


def insecure_production_settings() -> list[str]:
    """What makes this configuration unfit for production; empty when it is fit."""
    problems = []
    if DEBUG:
        problems.append("DJANGO_DEBUG is on")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY is the development default or shorter than 40 characters")
    if not AFTERCARE_FIELD_KEYS:
        problems.append("AFTERCARE_FIELD_KEYS is not set")
    if not AFTERCARE_BLIND_INDEX_KEY:
        problems.append("AFTERCARE_BLIND_INDEX_KEY is not set")
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        problems.append("the database is SQLite; set DATABASE_URL to PostgreSQL")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty")
    if AFTERCARE_SMS_WEBHOOK_SECRET == DEMO_SMS_WEBHOOK_SECRET:
        problems.append("AFTERCARE_SMS_WEBHOOK_SECRET is the published demo secret")
    return problems


# Read by `aftercare check-deploy` (aftercare.core), which lists them rather than refusing.
INSECURE_PRODUCTION_SETTINGS = insecure_production_settings()
if PRODUCTION and not env_bool("AFTERCARE_SKIP_DEPLOY_CHECK"):
    _problems = INSECURE_PRODUCTION_SETTINGS
    if _problems:
        raise ImproperlyConfigured("Refusing to start in production mode: " + "; ".join(_problems))
