"""The portfolio's settings: one typed class, each value read once from a `PORTFOLIO_` variable.

`load_settings()` (in `settings_loading`) reads them when `create_app()` runs, never at import,
and refuses to start, naming the variable and what it accepts, when a value is bad or a
`PORTFOLIO_` variable is not a setting. The code reads typed attributes through
`get_settings()`, never `app.config`, which holds only Flask's and its extensions' own keys.
`docs/configuration.md` is generated from this class (`make docs`); a test fails when they
disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from flask import Flask, current_app
from pydantic import Field, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from portfolio.core.settings_types import (
    CompetencyCodes,
    Count,
    CountFromNought,
    DatabaseUrl,
    EnvironmentName,
    Folder,
    MediaTypes,
    Name,
    OptionalFolder,
    Port,
    RedisUrl,
    Seconds,
    Secret,
    Shown,
    Switch,
    Text,
    WebAddress,
)

PREFIX = "PORTFOLIO_"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
EXTENSION = "settings"
MIB = 1024 * 1024


class Settings(BaseSettings):
    """Every setting of the portfolio. Each is read from the environment variable named by
    its field in capitals after `PORTFOLIO_` (`smtp_port` from `PORTFOLIO_SMTP_PORT`); an
    empty variable counts as unset."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,
        extra="forbid",
        frozen=True,
        validate_default=True,
    )

    environment: EnvironmentName = Field(
        "development",
        description="Which environment this is. Production refuses to start without "
        "`PORTFOLIO_SECRET_KEY`, `PORTFOLIO_AUDIT_KEY` and `PORTFOLIO_BASE_URL` (or "
        "`PORTFOLIO_VERIFY_BASE_URL`), makes cookies secure and refuses demo data; testing "
        "reads no other variable but `PORTFOLIO_INSTANCE_PATH`.",
    )
    instance_path: Annotated[Folder, Shown("`instance/` in the project")] = Field(
        PROJECT_ROOT / "instance",
        description="Where the SQLite database, the job store, the development keys and "
        "(unless set elsewhere) attachments and cohort exports live.",
    )
    database_url: Annotated[DatabaseUrl, Shown("SQLite file `portfolio.db` in the instance")] = (
        Field(
            "",
            description="The database. PostgreSQL is the production database, e.g. "
            "`postgresql+psycopg://portfolio@db.internal/portfolio`.",
        )
    )
    secret_key: Annotated[Secret, Shown("generated once into `instance/secret_key`")] = Field(
        "",
        repr=False,
        description="Signs session cookies and form tokens: 32 or more random characters in "
        "production (it is generated and kept in the instance folder in development).",
    )
    audit_key: Annotated[Secret, Shown("generated once into `instance/audit_key`")] = Field(
        "",
        repr=False,
        description="Keys the audit trail's hash chain, apart from the secret key so that "
        "rotating sessions never invalidates years of history. Keep it apart from the database "
        "and its backups, and never change it: old entries would no longer verify.",
    )
    idle_timeout_minutes: Count = Field(
        15,
        description="Sign out after this long without activity (shared ward computers).",
    )
    sign_in_account_limit: Count = Field(
        5,
        description="Failed sign-ins allowed per account within the window (a success resets it).",
    )
    sign_in_address_limit: Count = Field(
        100,
        description="Failed sign-ins allowed per network address within the window; high "
        "because a whole trust may reach the portfolio through one proxy address.",
    )
    sign_in_window_minutes: Count = Field(
        15,
        description="The window for both sign-in limits, for the API's failed-token limit "
        "and for the public upload check's limit.",
    )
    trusted_proxies: CountFromNought = Field(
        0,
        description="How many reverse proxies in front of the app to trust for the client's "
        "address (`X-Forwarded-For`), scheme and host.",
    )
    secure_cookies: Annotated[Switch, Shown("off; on in production")] = Field(
        False,
        description="Send cookies over HTTPS only.",
    )
    nhs_fonts_from_nhs_host: Switch = Field(
        False,
        description="Load the NHS.UK Frutiger web font from `assets.nhs.uk`, the one "
        "host its licence allows NHS services to use it from. Off, no page asks any host but "
        "this one: text is in the system's Arial or sans-serif. On, the Content-Security-"
        "Policy lets fonts come from that host, and a page waits on it when it is slow.",
    )
    redis_url: RedisUrl = Field(
        "",
        description="The job queue's Redis, e.g. `redis://127.0.0.1:6379/0`; unset means "
        "Huey's SQLite storage in `instance/tasks.db`.",
    )
    queue_name: Name = Field(
        "portfolio",
        description="The job queue's name: give each installation sharing one Redis its own.",
    )
    max_upload_bytes: Count = Field(
        12 * MIB,
        description="The largest request body accepted (Flask's `MAX_CONTENT_LENGTH`).",
    )
    attachment_max_bytes: Count = Field(
        10 * MIB,
        description="The largest evidence attachment.",
    )
    attachment_types: MediaTypes = Field(
        ("application/pdf", "image/png", "image/jpeg"),
        description="The kinds of attachment accepted; each file is checked by its content.",
    )
    attachment_dir: Annotated[OptionalFolder, Shown("`instance/attachments`")] = Field(
        None,
        description="Where attachments are stored (never served directly); `flask backup` "
        "takes it with the database. The default folder is created at start; a folder you set "
        "(a mounted volume) must exist, or `/health` fails.",
    )
    reassessment_due_days: CountFromNought = Field(
        60,
        description='A sign-off shows "due for reassessment" this many days before it expires.',
    )
    standing_warn_days: CountFromNought = Field(
        7,
        description='A trust\'s choice: the answer to "may they do this?" warns (amber) when '
        "a sign-off, prerequisite, entitlement or designation it rests on ends within this "
        "many days.",
    )
    entitlement_required_for: CompetencyCodes = Field(
        (),
        description="A trust's choice: competencies whose IR(ME)R operator entitlement the "
        "framework marks as optional (patient identification, pregnancy enquiry) but this "
        "employer requires before anyone may do them.",
    )
    register_check_valid_days: Count = Field(
        365,
        description="A trust's choice: an assessor whose last HCPC or NMC register check is "
        "older than this cannot sign off until it is checked again.",
    )
    sign_off_backdate_days: CountFromNought = Field(
        30,
        description="How long after observing the practice an assessor may still record the "
        "decision (and how long ago the practice observed may be, when accepting a previous "
        "employer's sign-off); the requirement is judged as it stood on the day observed.",
    )
    sign_off_identity_minutes: Count = Field(
        5,
        description="Set by your trust: after an assessor's email and password are checked "
        "on a sign-off form that still has other mistakes, the corrected form is accepted "
        "without the password again for this many minutes (once, for that sign-off only).",
    )
    sign_off_dispute_days: Count = Field(
        7,
        description="Set by your trust: after a sign-off made on someone else's device (at "
        "the point of care), the assessor's own email has a link to dispute it for this many "
        "days; a dispute suspends the sign-off at once and tells the practice educators.",
    )
    sign_off_link_hours: Count = Field(
        72,
        description="Set by your trust: the link emailed to an assessor with a sign-off "
        "request opens it on their own phone or computer for this many hours, and once: "
        "their decision uses it up, and a newer email replaces it.",
    )
    evidence_draft_days: Count = Field(
        30,
        description="Drafts of the evidence form saved automatically are deleted by the "
        "nightly housekeeping task after this many days without a change.",
    )
    retention_leaver_years: Count = Field(
        6,
        description="A trust's choice, to agree with its records manager: a leaver's account "
        "and portfolio are listed by `flask retention list` once their account has been "
        "deactivated longer than this (the NHS Records Management Code's staff-record period "
        "is commonly given as six years after leaving). Nothing is deleted for it.",
    )
    retention_audit_years: Count = Field(
        10,
        description="A trust's choice: audit entries older than this are listed (counted by "
        "organisation); the trail is append-only, so the app never deletes them.",
    )
    retention_sign_in_attempt_days: Count = Field(
        90,
        description="Sign-in attempts (the sign-in limits' counts) are deleted by the nightly "
        "housekeeping task after this many days; any older ones are listed, meaning the job "
        "consumer is not running.",
    )
    archive_max_bytes: Count = Field(
        500 * MIB,
        description="The largest personal export (a ZIP of a portfolio and its files) made, "
        "and the largest an import accepts. Only the import page takes uploads this large, and "
        "only from a signed-in administrator: anyone else's is refused at "
        "`PORTFOLIO_MAX_UPLOAD_BYTES` before it is read.",
    )
    base_url: WebAddress = Field(
        "",
        description="Where people reach the portfolio, e.g. `https://portfolio.trust.example` "
        "(a path prefix allowed), for the links in emails; emails are not sent without it. "
        "Required in production (this or `PORTFOLIO_VERIFY_BASE_URL`): every PDF's QR code "
        "would otherwise be built from the Host header of the request that printed it, which "
        "the person printing chooses.",
    )
    verify_base_url: Annotated[
        WebAddress,
        Shown("`PORTFOLIO_BASE_URL`, else (outside production) the address the PDF was asked on"),
    ] = Field(
        "",
        description="The public address printed on every portfolio PDF and in its QR code as "
        "`<address>/verify/<code>`: the one people outside the trust can reach.",
    )
    verify_upload_max_bytes: Count = Field(
        50 * MIB,
        description="The largest PDF the public upload check accepts (a portfolio with its "
        "appendices may be larger than `PORTFOLIO_MAX_UPLOAD_BYTES`).",
    )
    verify_upload_limit: Count = Field(
        20,
        description="Uploads one network address may check within "
        "`PORTFOLIO_SIGN_IN_WINDOW_MINUTES`, counted in the database like sign-in attempts.",
    )
    pdf_render_seconds: Seconds = Field(
        25,
        description="A portfolio render that takes longer is stopped with a message (keep it "
        "under gunicorn's 30-second worker timeout).",
    )
    pdf_render_memory_mb: Count = Field(
        1024,
        description="The memory a render may use beyond what the web worker holds; more stops "
        "it with a message.",
    )
    pdf_max_pages: Count = Field(
        400,
        description="A portfolio longer than this (appendices apart) is not written; the "
        "person is told how long it would be.",
    )
    cohort_export_hours: Count = Field(
        24,
        description="How long a cohort export's ZIP can be downloaded; then the job consumer "
        "deletes it (it checks every 10 minutes).",
    )
    cohort_export_max_portfolios: Count = Field(
        500,
        description="The most portfolios one cohort export may hold; a larger choice is "
        "refused with the number.",
    )
    cohort_export_dir: Annotated[OptionalFolder, Shown("`instance/cohort-exports`")] = Field(
        None,
        description="Where cohort exports' PDFs and ZIPs are kept while they last (readable by "
        "their owner only); the web server and the job consumer must both reach it.",
    )
    smtp_host: Text = Field(
        "",
        description="The mail server for notices, invitations and password resets; unset "
        "means no email is sent (logged once), notices still appear in the app, an "
        "administrator adding someone gets a temporary password to hand over, and the sign-in "
        "page says to ask an administrator.",
    )
    smtp_port: Port = Field(587, description="The mail server's port.")
    smtp_username: Text = Field(
        "",
        description="Sign in to the mail server as this user (no sign-in when unset).",
    )
    smtp_password: Text = Field(
        "",
        repr=False,
        description="That user's password; never logged or stored with a failure.",
    )
    smtp_starttls: Switch = Field(
        True,
        description="Upgrade the connection with STARTTLS (checking the server's certificate) "
        "before signing in.",
    )
    mail_from: Text = Field(
        "",
        description="The From address of the emails, e.g. `portfolio-no-reply@trust.example`; "
        "emails are not sent without it.",
    )
    invitation_valid_days: Count = Field(
        14,
        description="How long an administrator's invitation link to choose a password works "
        "(once): people start on a Monday, not the day they are added.",
    )
    password_reset_valid_minutes: Count = Field(
        60,
        description='How long a "Forgotten your password?" link works (once).',
    )
    password_reset_email_limit: Count = Field(
        3,
        description="Reset links asked for per address typed within the window; beyond it "
        "the page answers the same and sends nothing.",
    )
    password_reset_address_limit: Count = Field(
        30,
        description="Reset links asked for per network address within the window (a trust's "
        "proxy address is shared).",
    )
    password_reset_window_minutes: Count = Field(
        60,
        description="The window for both reset limits.",
    )
    onboarding_max_bytes: Count = Field(
        1 * MIB,
        description="The largest staff record extract (CSV) an administrator may import at "
        "once (about 8,000 people; at most 5,000 lines a file).",
    )
    api_token_max_days: Count = Field(
        365,
        description="The longest a personal access token for the API may work; every token "
        "has an expiry.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Values given when loading, then the environment: no .env file, no secrets folder.
        A test run reads only what it is given, never a deployment's variables."""
        if (
            isinstance(init_settings, InitSettingsSource)
            and init_settings.init_kwargs.get("environment") == "testing"
        ):
            return (init_settings,)
        return (init_settings, env_settings)

    @model_validator(mode="before")
    @classmethod
    def _production_defaults(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("environment") == "production":
            data.setdefault("secure_cookies", True)
        return data

    def changed(self, **values: Any) -> Settings:
        """A copy with `values` changed, checked like the rest (for tests and tools)."""
        return type(self)(**{**self.model_dump(), **values})

    @property
    def testing(self) -> bool:
        return self.environment == "testing"

    @property
    def demo_data_allowed(self) -> bool:
        return self.environment != "production"

    @property
    def audit_key_bytes(self) -> bytes:
        return self.audit_key.encode()

    @property
    def attachment_folder(self) -> Path:
        return self.attachment_dir or self.instance_path / "attachments"

    @property
    def cohort_export_folder(self) -> Path:
        return self.cohort_export_dir or self.instance_path / "cohort-exports"

    @property
    def database_is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def variable(field: str) -> str:
    """The environment variable a field is read from."""
    return PREFIX + field.upper()


def get_settings(app: Flask | None = None) -> Settings:
    """The settings of `app`, or of the current app."""
    settings: Settings = (app or current_app).extensions[EXTENSION]
    return settings
