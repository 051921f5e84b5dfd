"""Configuration: one class per environment, every setting from one documented environment variable.

`APP_CONFIG` picks the class (development, testing, production; development when unset, so that
`flask --app portfolio …` works on a fresh clone with no configuration). `ENVIRONMENT_VARIABLES`
maps each variable to its setting and is read when the app is created, never at import. The README
lists them all. Production refuses to start without real secrets; development keeps generated ones
in `instance/` so sessions and the audit chain survive a restart.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def _int(raw: str) -> int:
    return int(raw)


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("must be 1 or more")
    return value


def _bool(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _str(raw: str) -> str:
    return raw


# environment variable -> (setting, parser)
ENVIRONMENT_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "DATABASE_URL": ("DATABASE_URL", _str),
    "SECRET_KEY": ("SECRET_KEY", _str),
    "AUDIT_KEY": ("AUDIT_KEY", _str),
    "IDLE_TIMEOUT_MINUTES": ("IDLE_TIMEOUT_MINUTES", _int),
    "SIGN_IN_ACCOUNT_LIMIT": ("SIGN_IN_ACCOUNT_LIMIT", _int),
    "SIGN_IN_ADDRESS_LIMIT": ("SIGN_IN_ADDRESS_LIMIT", _int),
    "SIGN_IN_WINDOW_MINUTES": ("SIGN_IN_WINDOW_MINUTES", _int),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", _int),
    "REDIS_URL": ("REDIS_URL", _str),
    "QUEUE_NAME": ("QUEUE_NAME", _str),
    "SECURE_COOKIES": ("SESSION_COOKIE_SECURE", _bool),
    "MAX_UPLOAD_BYTES": ("MAX_CONTENT_LENGTH", _int),
    "ATTACHMENT_MAX_BYTES": ("ATTACHMENT_MAX_BYTES", _int),
    "ATTACHMENT_TYPES": ("ATTACHMENT_TYPES", _str),
    "ATTACHMENT_DIR": ("ATTACHMENT_DIR", _str),
    "REASSESSMENT_DUE_DAYS": ("REASSESSMENT_DUE_DAYS", _int),
    "REGISTER_CHECK_VALID_DAYS": ("REGISTER_CHECK_VALID_DAYS", _int),
    "SIGN_OFF_BACKDATE_DAYS": ("SIGN_OFF_BACKDATE_DAYS", _int),
    "EVIDENCE_DRAFT_DAYS": ("EVIDENCE_DRAFT_DAYS", _int),
    "RETENTION_LEAVER_YEARS": ("RETENTION_LEAVER_YEARS", _positive_int),
    "RETENTION_AUDIT_YEARS": ("RETENTION_AUDIT_YEARS", _positive_int),
    "RETENTION_SIGN_IN_ATTEMPT_DAYS": ("RETENTION_SIGN_IN_ATTEMPT_DAYS", _positive_int),
    "PORTFOLIO_ARCHIVE_MAX_BYTES": ("PORTFOLIO_ARCHIVE_MAX_BYTES", _positive_int),
    "BASE_URL": ("BASE_URL", _str),
    "VERIFY_BASE_URL": ("VERIFY_BASE_URL", _str),
    "VERIFY_UPLOAD_MAX_BYTES": ("VERIFY_UPLOAD_MAX_BYTES", _positive_int),
    "VERIFY_UPLOAD_LIMIT": ("VERIFY_UPLOAD_LIMIT", _positive_int),
    "PDF_RENDER_SECONDS": ("PDF_RENDER_SECONDS", _positive_int),
    "PDF_RENDER_MEMORY_MB": ("PDF_RENDER_MEMORY_MB", _positive_int),
    "PDF_MAX_PAGES": ("PDF_MAX_PAGES", _positive_int),
    "COHORT_EXPORT_HOURS": ("COHORT_EXPORT_HOURS", _positive_int),
    "COHORT_EXPORT_MAX_PORTFOLIOS": ("COHORT_EXPORT_MAX_PORTFOLIOS", _positive_int),
    "COHORT_EXPORT_DIR": ("COHORT_EXPORT_DIR", _str),
    "SMTP_HOST": ("SMTP_HOST", _str),
    "SMTP_PORT": ("SMTP_PORT", _int),
    "SMTP_USERNAME": ("SMTP_USERNAME", _str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", _str),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", _bool),
    "MAIL_FROM": ("MAIL_FROM", _str),
    "INVITATION_VALID_DAYS": ("INVITATION_VALID_DAYS", _int),
    "PASSWORD_RESET_VALID_MINUTES": ("PASSWORD_RESET_VALID_MINUTES", _int),
    "PASSWORD_RESET_EMAIL_LIMIT": ("PASSWORD_RESET_EMAIL_LIMIT", _int),
    "PASSWORD_RESET_ADDRESS_LIMIT": ("PASSWORD_RESET_ADDRESS_LIMIT", _int),
    "PASSWORD_RESET_WINDOW_MINUTES": ("PASSWORD_RESET_WINDOW_MINUTES", _int),
    "ONBOARDING_MAX_BYTES": ("ONBOARDING_MAX_BYTES", _int),
    "API_TOKEN_MAX_DAYS": ("API_TOKEN_MAX_DAYS", _positive_int),
}


class Config:
    """Defaults shared by every environment."""

    NAME = "base"
    # Empty means "SQLite file under the instance folder", resolved in create_app().
    DATABASE_URL = ""
    SECRET_KEY = ""
    # Keys the audit trail's hash chain. Separate from SECRET_KEY so rotating sessions never
    # invalidates years of audit history.
    AUDIT_KEY = ""
    # Shared ward computers: a session left open is signed out after this much inactivity.
    IDLE_TIMEOUT_MINUTES = 15
    # Failed sign-ins allowed per account, and per network address, within the window.
    SIGN_IN_ACCOUNT_LIMIT = 5
    # High on purpose: a whole trust may reach us through one proxy address.
    SIGN_IN_ADDRESS_LIMIT = 100
    SIGN_IN_WINDOW_MINUTES = 15
    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
    TRUSTED_PROXIES = 0
    # Task queue and rate limiter: Redis when set, otherwise Huey's SQLite storage in
    # instance/ and the database's rate_limit_hits table. The queue's name keeps two
    # installations sharing one Redis apart (their jobs and their counts).
    REDIS_URL = ""
    QUEUE_NAME = "portfolio"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "portfolio_session"
    # Flask-Login's remember-me cookie is never issued: no year-long sessions on shared computers.
    REMEMBER_COOKIE_DURATION = 0
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the idle timeout already bounds a form's life
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Evidence attachments: the largest file, the kinds accepted (comma-separated media
    # types; each is checked by content), and where files live (outside anything served).
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    ATTACHMENT_TYPES = "application/pdf,image/png,image/jpeg"
    ATTACHMENT_DIR = ""  # empty: instance/attachments
    # A sign-off is "due for reassessment" this many days before it expires.
    REASSESSMENT_DUE_DAYS = 60
    # A trust's choice: how recent an assessor's check of the HCPC or NMC register must be.
    REGISTER_CHECK_VALID_DAYS = 365
    # How long after observing the practice an assessor may still record the decision.
    SIGN_OFF_BACKDATE_DAYS = 30
    # Drafts of the evidence form saved automatically are deleted after this many days
    # without a change (by the housekeeping task).
    EVIDENCE_DRAFT_DAYS = 30
    # Retention: each a trust's choice, to agree with its records manager. `flask retention
    # list` shows what has passed them for a person to decide on; nothing is deleted for it.
    # A leaver's records, from the day their account was deactivated: the NHS Records
    # Management Code's staff-record period is commonly given as six years after leaving
    # (or to the 75th birthday, which the portfolio cannot know: it holds no birth dates).
    RETENTION_LEAVER_YEARS = 6
    # Audit entries: longer than any leaver's records, since they prove who decided what.
    RETENTION_AUDIT_YEARS = 10
    # Failed and successful sign-ins (the limits' counts): long enough to investigate
    # password guessing, deleted by the nightly housekeeping task after this.
    RETENTION_SIGN_IN_ATTEMPT_DAYS = 90
    # A person's complete export (a ZIP of their portfolio and its files): the largest one
    # made, and the largest an import accepts (so an export can always be brought in).
    PORTFOLIO_ARCHIVE_MAX_BYTES = 500 * 1024 * 1024
    # Email for notices, sent by the job consumer (never by a page). Without SMTP_HOST no
    # email is sent and notices still appear in the app. BASE_URL is where the portfolio is
    # reached (https://portfolio.trust.nhs.uk), for the links in emails.
    BASE_URL = ""
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""  # empty: no sign-in to the mail server
    SMTP_STARTTLS = True
    MAIL_FROM = ""
    # Emailed links to set a password: an administrator's invitation works for days (people
    # start on a Monday, not the day they are added), a reset asked for on the sign-in page
    # for an hour. Each works once.
    INVITATION_VALID_DAYS = 14
    PASSWORD_RESET_VALID_MINUTES = 60
    # "Forgotten your password?" requests per address typed and per network address in the
    # window; beyond them the page answers the same and sends nothing.
    PASSWORD_RESET_EMAIL_LIMIT = 3
    PASSWORD_RESET_ADDRESS_LIMIT = 30
    PASSWORD_RESET_WINDOW_MINUTES = 60
    # The largest staff record extract (CSV) an administrator may import at once.
    ONBOARDING_MAX_BYTES = 1024 * 1024
    # The longest a personal access token for the API may work; every token has an expiry.
    API_TOKEN_MAX_DAYS = 365
    # Portfolio PDFs. Each export's QR code and footer link to VERIFY_BASE_URL/verify/<code>:
    # the public address people outside the trust can reach (empty: BASE_URL, and without
    # that the address the export was asked for on, outside production only: production
    # refuses to start without one or the other).
    VERIFY_BASE_URL = ""
    # The public upload check ("is this PDF a recorded export?"): the largest file, and how
    # many checks one network address may make within SIGN_IN_WINDOW_MINUTES.
    VERIFY_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    VERIFY_UPLOAD_LIMIT = 20
    # A render runs in a child process stopped after this long (under gunicorn's default
    # 30 s worker timeout), or when it needs more memory or pages than this.
    PDF_RENDER_SECONDS = 25
    PDF_RENDER_MEMORY_MB = 1024
    PDF_MAX_PAGES = 400
    # Cohort exports (a ZIP of a department's portfolio PDFs, prepared by the job consumer):
    # how long a ZIP may be downloaded before it is deleted, the most portfolios one export
    # may hold, and where the files are kept while they exist (empty: instance/cohort-exports;
    # the web server and the job consumer must both reach it).
    COHORT_EXPORT_HOURS = 24
    COHORT_EXPORT_MAX_PORTFOLIOS = 500
    COHORT_EXPORT_DIR = ""
    DEMO_DATA_ALLOWED = True
    TESTING = False

    @classmethod
    def settings(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The class defaults overlaid with whatever the environment sets."""
        environ = os.environ if environ is None else environ
        values = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        for variable, (key, parse) in ENVIRONMENT_VARIABLES.items():
            raw = environ.get(variable, "")
            if raw == "":
                continue
            try:
                values[key] = parse(raw)
            except ValueError as error:
                raise RuntimeError(f"{variable} has an invalid value {raw!r}") from error
        return values

    @classmethod
    def finalise(cls, settings: dict[str, Any], instance_path: Path) -> None:
        """Fill in or check what depends on the instance folder and the secrets."""


def _instance_secret(instance_path: Path, filename: str) -> str:
    """A secret generated once and kept, readable only by its owner, in the instance folder."""
    path = instance_path / filename
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


class DevelopmentConfig(Config):
    NAME = "development"

    @classmethod
    def finalise(cls, settings: dict[str, Any], instance_path: Path) -> None:
        if not settings["SECRET_KEY"]:
            settings["SECRET_KEY"] = _instance_secret(instance_path, "secret_key")
        if not settings["AUDIT_KEY"]:
            settings["AUDIT_KEY"] = _instance_secret(instance_path, "audit_key")


class TestingConfig(Config):
    NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105 - fixed so tests repeat
    AUDIT_KEY = "testing-audit-key-not-for-production"
    SIGN_IN_ADDRESS_LIMIT = 20

    @classmethod
    def settings(cls, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
        # Only the database may come from outside: a test run must never pick up a real
        # deployment's keys, limits or Redis.
        values = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
        environ = os.environ if environ is None else environ
        values["DATABASE_URL"] = environ.get("TEST_DATABASE_URL", "")
        return values


class ProductionConfig(Config):
    NAME = "production"
    DEMO_DATA_ALLOWED = False
    SESSION_COOKIE_SECURE = True

    @classmethod
    def finalise(cls, settings: dict[str, Any], instance_path: Path) -> None:
        for key in ("SECRET_KEY", "AUDIT_KEY"):
            if len(settings[key] or "") < 32:
                raise RuntimeError(
                    f"{key} must be set in the environment to a random value of at least 32 "
                    "characters in production, for example the output of "
                    "python3 -c 'import secrets; print(secrets.token_hex(32))'"
                )
        # Without an address set, a PDF's QR code would be built from the Host header of the
        # request that printed it, which the person printing chooses: a genuine recorded PDF
        # could then send whoever scans it to a look-alike verification page.
        verify_base = settings["VERIFY_BASE_URL"] or settings["BASE_URL"] or ""
        parts = urlsplit(verify_base)
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            raise RuntimeError(
                "BASE_URL (or VERIFY_BASE_URL) must be set in production to the portfolio's "
                "public address, for example https://portfolio.trust.nhs.uk: every portfolio "
                "PDF's QR code and verification link are built from it, and without it they "
                "would come from the Host header of the request that printed the PDF"
            )


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("APP_CONFIG") or "development"
    try:
        return CONFIGS[name]
    except KeyError as error:
        raise RuntimeError(
            f"APP_CONFIG must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from error
