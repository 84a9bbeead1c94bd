"""Settings shared by every environment. The environment is read here, once.

With nothing set the project runs on SQLite, executes Celery tasks eagerly in
process and serves a built-in BigBlueButton-compatible API, so a newcomer sees
everything work with no servers. Each is replaced by setting one variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

CONFIG_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = CONFIG_DIR.parent.parent  # the repository root

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------

DJANGO_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
]
LOCAL_APPS = [
    # Local apps come before wagtail.users so our templates can extend its.
    "accounts",
    "schools",
    "cms",
    "courses",
    "pairing",
]
INSTALLED_APPS = LOCAL_APPS + DJANGO_APPS + THIRD_PARTY_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Cached catalog renderings for anonymous visitors (see cms.caching).
    "cms.caching.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Data -----------------------------------------------------------------

VAR_DIR = BASE_DIR / "var"  # local state of a development checkout
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'lianxin.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL and a busy timeout keep the dev server and in-process tasks from
    # tripping over each other's locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lianxin",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lianxin",
        }
    }

# --- Accounts -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: phone or email plus password, login by code, rate limits.
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
# Signup is closed (accounts come from the roster import). The phone stays
# optional here because allauth refuses to log in a user without a phone when
# it is required, and bureau staff may have only an email (hence W001 below).
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# Codes are six digits (what Chinese SMS users expect) and live ten minutes:
# texts to rural areas can be slow.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[连心] "
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "request_login_code": "accounts.forms.RequestLoginCodeForm",
    "change_phone": "accounts.forms.ChangePhoneForm",
    "confirm_login_code": "accounts.forms.ConfirmLoginCodeForm",
    "confirm_password_reset_code": "accounts.forms.ConfirmPasswordResetCodeForm",
    "verify_phone": "accounts.forms.VerifyPhoneForm",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Show the login form to logged-in users too (like Django's admin): Wagtail
# sends a teacher without admin access to the login page with ?next=/admin/,
# and redirecting them onwards would loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
# Accounts are created by the bureau's roster import, not by open signup.
ACCOUNT_SIGNUP_OPEN = env.bool("ACCOUNT_SIGNUP_OPEN", default=False)
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "change_phone": "1/m/user",
    "request_login_code": "20/m/ip,3/m/key",
    # accounts.activation: codes for first login or a forgotten password.
    "request_activation_code": "20/m/ip,3/10m/key",
}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {}
WEIXIN_APP_ID = env("WEIXIN_APP_ID", default="")
WEIXIN_APP_SECRET = env("WEIXIN_APP_SECRET", default="")
if WEIXIN_APP_ID and WEIXIN_APP_SECRET:
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APPS": [{"client_id": WEIXIN_APP_ID, "secret": WEIXIN_APP_SECRET}],
        "SCOPE": ["snsapi_login"],
    }

# SMS goes through a pluggable backend; the console backend prints codes.
SMS_BACKEND = env("SMS_BACKEND", default="accounts.sms.ConsoleBackend")

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="连心 <noreply@lianxin.local>")

# Salted digest for resident ID numbers: the platform keeps a digest (to
# match rows across imports) and a masked form, never the number itself.
PII_DIGEST_KEY = env("PII_DIGEST_KEY", default="")

# --- Internationalisation -------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

# --- Static and media -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible object storage (MinIO, Aliyun OSS, Tencent COS, ...), so
    # several web servers and workers share uploads.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Celery ---------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
# Without a broker every task runs eagerly, in process, at .delay() time.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BEAT_SCHEDULE = {
    # Wagtail's scheduled publishing (go-live / expiry dates of pages).
    "cms-publish-scheduled": {
        "task": "cms.tasks.publish_scheduled",
        "schedule": crontab(minute="*/5"),
    },
    "schools-clean-import-jobs": {
        "task": "schools.tasks.import_jobs_clean",
        "schedule": crontab(hour=3, minute=17),
    },
    # Seats freed meanwhile, and reserved shares lapsing when enrolment closes.
    "courses-promote-waitlists": {
        "task": "courses.tasks.waitlists_promote",
        "schedule": crontab(minute="*/15"),
    },
    "courses-deadline-reminders": {
        "task": "courses.tasks.deadline_reminders",
        "schedule": crontab(hour=8, minute=5),
    },
    # Pairings whose cycle began become active; those whose cycle is over end.
    "pairing-advance": {
        "task": "pairing.tasks.pairings_advance_task",
        "schedule": crontab(hour=0, minute=23),
    },
}

# Wagtail runs reference-index updates and file deletion through Django's
# tasks framework (django-tasks on Django 5.2): run them in process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail --------------------------------------------------------------

WAGTAIL_SITE_NAME = "连心"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords are reset through allauth (by code), not Wagtail's own form.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Wagtail's database search (SQLite FTS5 / PostgreSQL) with Chinese word
# segmentation at indexing and query time (cms.search).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search.backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- Catalog ----------------------------------------------------------------

# Anonymous catalog and programme pages are served from the cache for this
# long at most (entries are also dropped on every publish); 0 turns it off.
CMS_ANONYMOUS_CACHE_SECONDS = env.int("CMS_ANONYMOUS_CACHE_SECONDS", default=300)

# --- Roster import --------------------------------------------------------

# Files with more rows than this are validated and applied by a Celery task
# with a progress bar; smaller ones are handled within the request.
ROSTER_IMPORT_SYNC_MAX_ROWS = env.int("ROSTER_IMPORT_SYNC_MAX_ROWS", default=2000)
ROSTER_IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024

# --- Training credit hours (学时) ---------------------------------------------

# National rule: at least 360 credit hours per five-year cycle; provinces set
# a yearly share (72 by default). Cycles run from CREDIT_CYCLE_START_YEAR in
# steps of CREDIT_CYCLE_YEARS (2021-2025, 2026-2030, ...).
CREDIT_HOURS_PER_CYCLE = env.int("CREDIT_HOURS_PER_CYCLE", default=360)
CREDIT_HOURS_PER_YEAR = env.int("CREDIT_HOURS_PER_YEAR", default=72)
CREDIT_CYCLE_START_YEAR = env.int("CREDIT_CYCLE_START_YEAR", default=2021)
CREDIT_CYCLE_YEARS = env.int("CREDIT_CYCLE_YEARS", default=5)
# Spreadsheets of outside hours with more rows than this are refused (split them).
LEDGER_IMPORT_MAX_ROWS = env.int("LEDGER_IMPORT_MAX_ROWS", default=20_000)

# --- Logging --------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": "INFO"},
        # One INFO line per Wagtail reference-index update is noise.
        "django_tasks": {"level": "WARNING"},
    },
}
