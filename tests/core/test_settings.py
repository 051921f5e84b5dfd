"""The settings: each variable parsed once with its type, a bad value or an unknown
`PORTFOLIO_` variable refused at start by name, production's refusals, and
docs/configuration.md agreeing with the class."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from portfolio import create_app
from portfolio.core.settings import Settings, get_settings, variable
from portfolio.core.settings_doc import markdown
from portfolio.core.settings_loading import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"secret_key": "x" * 40, "audit_key": "y" * 40}


@pytest.fixture(autouse=True)
def _no_portfolio_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the shell running the tests has set, each test starts from none."""
    for name in list(os.environ):
        if name.upper().startswith("PORTFOLIO_"):
            monkeypatch.delenv(name)


def development(tmp_path: Path, **overrides: object) -> Settings:
    return load_settings("development", instance_path=tmp_path, **overrides)


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("PORTFOLIO_SMTP_PORT", "abc", "a whole number from 1 to 65535"),
        ("PORTFOLIO_SMTP_PORT", "70000", "a whole number from 1 to 65535"),
        ("PORTFOLIO_IDLE_TIMEOUT_MINUTES", "0", "a whole number, 1 or more"),
        ("PORTFOLIO_RETENTION_LEAVER_YEARS", "six", "a whole number, 1 or more"),
        ("PORTFOLIO_TRUSTED_PROXIES", "-1", "a whole number, 0 or more"),
        ("PORTFOLIO_PDF_RENDER_SECONDS", "0", "a number of seconds more than 0"),
        ("PORTFOLIO_SECURE_COOKIES", "maybe", "true or false"),
        ("PORTFOLIO_SMTP_STARTTLS", "sometimes", "true or false"),
        ("PORTFOLIO_BASE_URL", "portfolio.trust.example", "an https:// or http:// address"),
        ("PORTFOLIO_VERIFY_BASE_URL", "https://", "an https:// or http:// address"),
        ("PORTFOLIO_REDIS_URL", "http://127.0.0.1:6379", "a redis://, rediss:// or unix://"),
        ("PORTFOLIO_DATABASE_URL", "not a database", "an SQLAlchemy URL"),
        ("PORTFOLIO_ATTACHMENT_TYPES", "pdf", "media types separated by commas"),
        ("PORTFOLIO_INSTANCE_PATH", "relative/folder", "an absolute folder path"),
        ("PORTFOLIO_ENVIRONMENT", "staging", "development, testing or production"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable_and_what_it_allows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str, allowed: str
) -> None:
    monkeypatch.setenv(name, value)
    overrides = {} if name == "PORTFOLIO_INSTANCE_PATH" else {"instance_path": tmp_path}
    with pytest.raises(SettingsError) as refused:
        load_settings(None, **overrides)
    message = str(refused.value)
    assert message.startswith(f"{name} has an invalid value {value!r}")
    assert allowed in message


def test_the_app_refuses_to_start_with_a_bad_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTFOLIO_SIGN_IN_WINDOW_MINUTES", "a quarter of an hour")
    with pytest.raises(SettingsError, match="PORTFOLIO_SIGN_IN_WINDOW_MINUTES"):
        create_app("development")


def test_an_unknown_portfolio_variable_is_refused_with_what_was_meant(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORTFOLIO_SMTP_POTR", "25")
    monkeypatch.setenv("PORTFOLIO_NO_SUCH_THING", "1")
    for environment in ("development", "testing", "production"):
        with pytest.raises(SettingsError) as refused:
            load_settings(environment, instance_path=tmp_path, **SECRETS)
        message = str(refused.value)
        assert "PORTFOLIO_SMTP_POTR is not a setting (did you mean PORTFOLIO_SMTP_PORT?)" in message
        assert "PORTFOLIO_NO_SUCH_THING is not a setting" in message
        assert "docs/configuration.md" in message


def test_an_override_that_is_not_a_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="'smtp_potr' is not a setting"):
        load_settings("testing", smtp_potr=25)


def test_each_variable_is_parsed_once_with_its_type(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {
        "PORTFOLIO_SMTP_PORT": "2525",
        "PORTFOLIO_SMTP_STARTTLS": "off",
        "PORTFOLIO_SECURE_COOKIES": "yes",
        "PORTFOLIO_ATTACHMENT_TYPES": " application/pdf , image/png ,",
        "PORTFOLIO_ATTACHMENT_DIR": str(tmp_path / "files"),
        "PORTFOLIO_PDF_RENDER_SECONDS": "2.5",
        "PORTFOLIO_BASE_URL": "https://portfolio.trust.example/isp",
        "PORTFOLIO_REDIS_URL": "redis://127.0.0.1:6379/3",
        "PORTFOLIO_QUEUE_NAME": "",  # empty counts as unset
    }.items():
        monkeypatch.setenv(name, value)
    settings = development(tmp_path, **SECRETS)
    assert settings.smtp_port == 2525
    assert settings.smtp_starttls is False
    assert settings.secure_cookies is True
    assert settings.attachment_types == ("application/pdf", "image/png")
    assert settings.attachment_folder == tmp_path / "files"
    assert settings.pdf_render_seconds == 2.5
    assert settings.base_url == "https://portfolio.trust.example/isp"
    assert settings.redis_url == "redis://127.0.0.1:6379/3"
    assert settings.queue_name == "portfolio"
    assert settings.database_url == f"sqlite:///{tmp_path}/portfolio.db"
    assert settings.cohort_export_folder == tmp_path / "cohort-exports"


def test_overrides_come_above_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORTFOLIO_PDF_MAX_PAGES", "50")
    assert development(tmp_path, **SECRETS).pdf_max_pages == 50
    assert development(tmp_path, pdf_max_pages=60, **SECRETS).pdf_max_pages == 60


def test_testing_reads_nothing_from_the_environment_but_the_instance_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORTFOLIO_SMTP_HOST", "mail.trust.example")
    monkeypatch.setenv("PORTFOLIO_REDIS_URL", "redis://deployment:6379/0")
    monkeypatch.setenv("PORTFOLIO_SECRET_KEY", "a-real-deployment-secret-key-0123456789")
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
    settings = load_settings("testing")
    assert settings.smtp_host == ""  # no mail leaves a test run
    assert settings.redis_url == ""
    assert settings.secret_key == "testing-secret-key-not-for-production"
    assert settings.instance_path == tmp_path
    assert settings.sign_in_address_limit == 20
    assert settings.testing


def test_development_keeps_the_secrets_it_generates_in_the_instance_folder(
    tmp_path: Path,
) -> None:
    first, second = development(tmp_path), development(tmp_path)
    assert len(first.secret_key) == len(first.audit_key) == 64
    assert (first.secret_key, first.audit_key) == (second.secret_key, second.audit_key)
    for name in ("secret_key", "audit_key"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600
    assert first.demo_data_allowed
    assert first.secure_cookies is False


def test_production_refuses_to_start_without_real_secrets(tmp_path: Path) -> None:
    address = {"base_url": "https://portfolio.trust.example"}
    with pytest.raises(SettingsError, match="PORTFOLIO_SECRET_KEY must be set"):
        load_settings("production", instance_path=tmp_path, **address)
    with pytest.raises(SettingsError, match="PORTFOLIO_AUDIT_KEY must be set"):
        load_settings(
            "production", instance_path=tmp_path, secret_key="x" * 40, audit_key="short", **address
        )
    assert not (tmp_path / "secret_key").exists()  # nothing generated in production


@pytest.mark.parametrize("addresses", [{}, {"base_url": ""}, {"verify_base_url": ""}])
def test_production_needs_the_address_printed_in_every_pdf(
    tmp_path: Path, addresses: dict[str, str]
) -> None:
    with pytest.raises(SettingsError, match=r"PORTFOLIO_BASE_URL \(or PORTFOLIO_VERIFY_BASE_URL"):
        load_settings("production", instance_path=tmp_path, **SECRETS, **addresses)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTFOLIO_BASE_URL", "portfolio.trust.example"),  # no scheme: not an address
        ("PORTFOLIO_VERIFY_BASE_URL", "https://"),
        ("PORTFOLIO_BASE_URL", "ftp://portfolio.trust.example"),
    ],
)
def test_production_refuses_an_address_that_is_not_http(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=f"{name} has an invalid value"):
        load_settings("production", instance_path=tmp_path, **SECRETS)


@pytest.mark.parametrize(
    "addresses",
    [
        {"PORTFOLIO_BASE_URL": "https://portfolio.trust.example"},
        {"PORTFOLIO_VERIFY_BASE_URL": "https://verify.trust.example/portfolio"},
    ],
)
def test_production_starts_with_either_address_and_secure_cookies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, addresses: dict[str, str]
) -> None:
    for name, value in addresses.items():
        monkeypatch.setenv(name, value)
    settings = load_settings("production", instance_path=tmp_path, **SECRETS)
    assert settings.secure_cookies is True
    assert not settings.demo_data_allowed
    monkeypatch.setenv("PORTFOLIO_SECURE_COOKIES", "false")  # a trust's choice, still allowed
    assert load_settings("production", instance_path=tmp_path, **SECRETS).secure_cookies is False


def test_flask_gets_its_own_keys_from_the_settings(tmp_path: Path) -> None:
    app = create_app("testing", instance_path=tmp_path, max_upload_bytes=4096)
    settings = get_settings(app)
    assert app.config["SECRET_KEY"] == settings.secret_key
    assert app.config["MAX_CONTENT_LENGTH"] == 4096
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["TESTING"] is True
    app.extensions["engine"].dispose()


def test_a_changed_copy_is_checked_like_the_rest() -> None:
    settings = load_settings("testing")
    assert settings.changed(pdf_max_pages=3).pdf_max_pages == 3
    with pytest.raises(ValueError, match="pdf_max_pages"):
        settings.changed(pdf_max_pages=0)


def test_every_setting_has_a_description_and_says_what_it_allows() -> None:
    for name, info in Settings.model_fields.items():
        assert info.description, name
        assert variable(name).startswith("PORTFOLIO_")


def test_the_configuration_document_agrees_with_the_settings() -> None:
    written = (ROOT / "docs" / "configuration.md").read_text()
    assert written == markdown(), "docs/configuration.md is out of date: run make docs"
    for name in Settings.model_fields:
        assert f"`{variable(name)}`" in written


def test_the_code_reads_typed_settings_not_app_config() -> None:
    """Only Flask and its extensions read `app.config`; the portfolio reads get_settings()."""
    reads = re.compile(r"\bapp\.config\[|\bapp\.config\.get\(")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "portfolio").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if reads.search(line)
    ]
    assert found == []
