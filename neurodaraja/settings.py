"""NeuroDaraja settings, read from environment variables (every one is in .env.example)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from lib.env import Env
from lib.languages import LANGUAGES as SHIPPED_LANGUAGES

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env.bool("DEBUG", default=False)
# Django's traceback and URL-list pages instead of the product's error pages, for a developer
# alone with DEBUG (neurodaraja/middleware.py); they show local variables, so never on a server.
TECHNICAL_ERROR_PAGES = DEBUG and env.bool("TECHNICAL_ERROR_PAGES", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
# Public test CT (dcm_qa_ct, BSD licence): when it is there, the demo also leaves its head CT
# waiting at the hospital; the demo's shared imaging is the synthetic phantom (lib/phantom.py).
DEMO_DICOM_DIR = env.path("DEMO_DICOM_DIR", BASE_DIR.parent / "shared" / "data" / "dicom")

# Without a key in production the system check neurodaraja.E001 stops start-up; the
# throwaway key only lets commands that never start a server (tests, checks) import settings.
SECRET_KEY = env.secret("SECRET_KEY")
SECRET_KEY_IS_SET = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key" if DEBUG else secrets.token_urlsafe(50)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")
# Where e-mails and SMS point. By default the address `runplatform` serves (its PORT), so the demo's
# links open the platform whatever port it was started on.
PORT = env.int("PORT", default=8000, minimum=1)
SITE_URL = env.text("SITE_URL", default=f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "neurodaraja.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "core",
    "accounts",
    "consultations",
    "scores",
    "imaging",
    "training",
    "training.assessments",
    "training.sessions",
    "training.quizzes",
    "training.certificates",
    "library",
    "neurodaraja.apps.ProjectConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside every middleware that writes the body; static files are answered (precompressed)
    # by WhiteNoise above. Why it is safe against BREACH: core.middleware.CompressionMiddleware.
    "core.middleware.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.UserPreferencesMiddleware",
    "core.middleware.PrivateAnswersNotStoredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last: the product's own 404 page with DEBUG on too (neurodaraja/middleware.py says why).
    "neurodaraja.middleware.ProductNotFoundMiddleware",
]

ROOT_URLCONF = "neurodaraja.urls"
WSGI_APPLICATION = "neurodaraja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL through DATABASE_URL -----------------------
DATABASE_URL = env.secret("DATABASE_URL")
SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on upgrade (which
    # SQLite answers with "database is locked" at once); WAL lets pages read while the worker
    # writes. The same whether SQLite is the default or named by DATABASE_URL.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(env.path("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7, minimum=1)
OTP_TOTP_ISSUER = "NeuroDaraja"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # administrators never see others' authenticator keys or codes

# The nightly audit check appends the trail's newest entry (time, id, hash) here, one line a run,
# and e-mails it to the administrators: `verify_audit_chain --against` this file (or a copy kept on
# another machine) catches a history rewritten with recomputed hashes. Put it outside the database
# server's reach (docs/operations.md).
AUDIT_HEAD_FILE = env.path("AUDIT_HEAD_FILE", BASE_DIR / "var" / "audit-heads.txt")
# The cache holds the public certificate check's counters (and consultations' read de-duplication):
# with several web processes they must share it, or each counts alone. A folder on the machine
# (CACHE_DIR) is shared by its processes; unset, each process keeps its own (development, tests).
CACHE_DIR = env.text("CACHE_DIR")
if CACHE_DIR:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(Path(CACHE_DIR).resolve()),
        }
    }

# Lockout keys on account and address together: a regional hospital puts every clinician
# behind one NAT address, and locking the address alone would lock the whole hospital out.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Sign-in ignores the case of the address, so the lockout must too.
AXES_USERNAME_CALLABLE = "accounts.throttling.attempted_email"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in our own audit trail
AXES_LOCKOUT_CALLABLE = "accounts.views.auth.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0, minimum=0)

# Sessions end after this much inactivity (a shared ward computer is the common case).
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=480, minimum=5)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ---------------------------------------------------------------------
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("HSTS_SECONDS", default=31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Languages and time -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [(language.code, language.name) for language in SHIPPED_LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
FORMAT_MODULE_PATH = ["neurodaraja.formats"]
TIME_ZONE = env.text("TIME_ZONE", default="UTC")
USE_TZ = True
DEFAULT_USER_TIME_ZONE = "Africa/Dar_es_Salaam"

# --- Files --------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
# Hashed names (style.3f9c….css) let a browser keep a file for a year without asking again: on a
# 300 ms link each "is it still fresh?" is a round trip per file per page. They need collectstatic,
# so they are the default without DEBUG; `runplatform` collects and turns them on for the demo too
# (HASHED_STATIC=true for its processes). With DEBUG alone (runserver, tests) files are read where
# they are, as edited.
HASHED_STATIC = env.bool("HASHED_STATIC", default=not DEBUG)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "core.static_storage.HashedStaticFilesStorage"
            if HASHED_STATIC
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise sends hashed names with `max-age` of ten years and `immutable`.
WHITENOISE_USE_FINDERS = not HASHED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG and not HASHED_STATIC
# Imaging and attachments in S3-compatible object storage (MinIO, Ceph, a cloud bucket hosted in
# Tanzania) when S3_BUCKET is set; install with `pip install --require-hashes -r requirements/s3.txt`.
S3_BUCKET = env.text("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.text("S3_ENDPOINT_URL") or None,
            "region_name": env.text("S3_REGION") or None,
            "access_key": env.secret("S3_ACCESS_KEY"),
            "secret_key": env.secret("S3_SECRET_KEY"),
            "default_acl": None,  # private: files are served through the platform's permissions
            "file_overwrite": False,
        },
    }

# --- Background work and e-mail -----------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
SCHEDULER_TICK_SECONDS = env.int("SCHEDULER_TICK_SECONDS", default=30, minimum=1)

# --- Consultations ------------------------------------------------------------------------
# Minutes a consultant has to acknowledge a case, by urgency.
CONSULTATION_DEADLINE_MINUTES = {
    "emergency": env.int("DEADLINE_EMERGENCY_MINUTES", default=60, minimum=5),
    "urgent": env.int("DEADLINE_URGENT_MINUTES", default=12 * 60, minimum=5),
    "routine": env.int("DEADLINE_ROUTINE_MINUTES", default=72 * 60, minimum=5),
}
# Prefer consultants who work in the patient's country when several fit equally.
ROUTE_HOME_CONSULTANTS_FIRST = env.bool("ROUTE_HOME_CONSULTANTS_FIRST", default=False)
# Days between reminders to record an outcome, and how many reminders at most.
OUTCOME_REMINDER_DAYS = env.int("OUTCOME_REMINDER_DAYS", default=7, minimum=1)
OUTCOME_REMINDER_LIMIT = env.int("OUTCOME_REMINDER_LIMIT", default=6, minimum=0)
ATTACHMENT_MAX_MB = env.int("ATTACHMENT_MAX_MB", default=10, minimum=1)
# The largest file a coordinator adds to the library (videos are the largest); a reverse proxy in
# front must allow as much.
LIBRARY_MAX_MB = env.int("LIBRARY_MAX_MB", default=100, minimum=1)

# Weeks after a training session when the participant's supervisors are asked whether
# their practice changed (Kirkpatrick level 3).
TRAINING_SESSION_FOLLOW_UP_WEEKS = env.int("TRAINING_SESSION_FOLLOW_UP_WEEKS", default=6, minimum=1)
# Imaging: where resumable uploads collect their bytes (a local or shared disk, even when files
# are stored in object storage), and the largest single upload (a zip of a whole CD).
IMAGING_INCOMING_ROOT = env.path("IMAGING_INCOMING_ROOT", BASE_DIR / "var" / "incoming")
IMAGING_MAX_UPLOAD_MB = env.int("IMAGING_MAX_UPLOAD_MB", default=4096, minimum=1)
# Originals carry the patient's identity: consultants abroad see the de-identified copies only,
# unless a transfer of originals has a legal basis and this is turned on (each download audited).
IMAGING_ORIGINALS_ABROAD = env.bool("IMAGING_ORIGINALS_ABROAD", default=False)
# The DICOM node (`manage.py dicom_node`): its AE title and port. Which scanners may send is
# managed in the admin (DICOM senders), each tied to its institution.
DICOM_NODE_AE_TITLE = env.text("DICOM_NODE_AE_TITLE", default="NEURODARAJA")
DICOM_NODE_PORT = env.int("DICOM_NODE_PORT", default=11112, minimum=1)
# Tries of a spooled object that keeps failing (not a refusal) before it goes to node-failed/: a
# fault of the platform (the database away) clears within a few starts, a file that breaks the
# reader never does, and it would be retried at every start for ever.
DICOM_NODE_MAX_TRIES = env.int("DICOM_NODE_MAX_TRIES", default=3, minimum=1)
# SMS: "console" prints messages (development); a dotted path names another backend.
SMS_BACKEND = env.text("SMS_BACKEND", default="core.sms.ConsoleBackend")

EMAIL_BACKEND = env.text("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.text("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25, minimum=1)
EMAIL_HOST_USER = env.text("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.text("DEFAULT_FROM_EMAIL", default="NeuroDaraja <noreply@localhost>")

# --- Logging: never patient data (see docs/architecture.md) -------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# Reported by the translated admin title and the home page.
SITE_NAME = _("NeuroDaraja")
