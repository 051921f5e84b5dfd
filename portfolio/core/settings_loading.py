"""Reading the settings at start: from the environment, checked, completed per environment.

`PORTFOLIO_ENVIRONMENT` picks development (when unset, so that `flask --app portfolio …` works
on a fresh clone), testing or production:
- development keeps the secrets it generates in the instance folder, so sessions and the
  audit chain survive a restart;
- testing reads nothing from the environment but the instance folder, so a test run never
  picks up a real deployment's keys, limits, mail server or Redis, and it uses fixed keys;
- production refuses to start without real secrets and the public address printed in every
  PDF, makes cookies secure unless told otherwise, and refuses demo data.
"""

from __future__ import annotations

import difflib
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portfolio.core.settings import PREFIX, Settings, variable
from portfolio.core.settings_types import allowed


class SettingsError(RuntimeError):
    """A setting that stops the app from starting: the message names the variable."""


# A test run: fixed keys so that tests repeat, and a lower per-address limit tests can reach.
TESTING_VALUES: dict[str, Any] = {
    "secret_key": "testing-secret-key-not-for-production",
    "audit_key": "testing-audit-key-not-for-production",
    "sign_in_address_limit": 20,
}


def refuse_unknown(environ: Mapping[str, str]) -> None:
    """A `PORTFOLIO_` variable that is not a setting is a mistake (a misspelt name would
    leave its setting at the default without a word): refuse it, and say what was meant."""
    known = {variable(name) for name in Settings.model_fields}
    unknown = sorted(
        name for name in environ if name.upper().startswith(PREFIX) and name.upper() not in known
    )
    if not unknown:
        return
    problems = []
    for name in unknown:
        close = difflib.get_close_matches(name.upper(), known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        problems.append(f"{name} is not a setting{hint}")
    raise SettingsError("; ".join(problems) + ". The settings are listed in docs/configuration.md.")


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        info = Settings.model_fields.get(field)
        if info is None:  # an override by a name that is not a setting
            problems.append(f"{field!r} is not a setting")
            continue
        reason = str(item["msg"]).removeprefix("Value error, ")
        problems.append(
            f"{variable(field)} has an invalid value {item['input']!r} ({reason}): "
            f"it must be {allowed(info)}"
        )
    return "; ".join(problems)


def load_settings(environment: str | None = None, **overrides: Any) -> Settings:
    """The settings from the environment (`os.environ`), with `overrides` (by field name)
    above it; checked, and completed from the instance folder. Raises SettingsError."""
    environ = os.environ
    refuse_unknown(environ)
    start: dict[str, Any] = {
        "environment": environment or environ.get(variable("environment")) or "development"
    }
    if instance := environ.get(variable("instance_path")):
        start["instance_path"] = instance
    if start["environment"] == "testing":
        start.update(TESTING_VALUES)
    try:
        settings = Settings(**{**start, **overrides})
    except ValidationError as error:
        raise SettingsError(_describe(error)) from None
    return _completed(settings)


def _completed(settings: Settings) -> Settings:
    """Fill in or check what depends on the instance folder and the secrets."""
    filled: dict[str, Any] = {}
    if not settings.database_url:
        filled["database_url"] = f"sqlite:///{settings.instance_path}/portfolio.db"
    if settings.environment == "development":
        for field in ("secret_key", "audit_key"):
            if not getattr(settings, field):
                filled[field] = _instance_secret(settings.instance_path, field)
    if settings.environment == "production":
        _refuse_production_without_secrets_or_address(settings)
    return settings.model_copy(update=filled) if filled else settings


def _refuse_production_without_secrets_or_address(settings: Settings) -> None:
    for field in ("secret_key", "audit_key"):
        if len(getattr(settings, field)) < 32:
            raise SettingsError(
                f"{variable(field)} must be set in the environment to a random value of at "
                "least 32 characters in production, for example the output of "
                "python3 -c 'import secrets; print(secrets.token_hex(32))'"
            )
    # Without an address set, a PDF's QR code would be built from the Host header of the
    # request that printed it, which the person printing chooses: a genuine recorded PDF
    # could then send whoever scans it to a look-alike verification page.
    if not (settings.verify_base_url or settings.base_url):
        raise SettingsError(
            "PORTFOLIO_BASE_URL (or PORTFOLIO_VERIFY_BASE_URL) must be set in production to "
            "the portfolio's public address, for example https://portfolio.trust.example: "
            "every portfolio PDF's QR code and verification link are built from it, and "
            "without it they would come from the Host header of the request that printed the "
            "PDF"
        )


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


def flask_config(settings: Settings) -> dict[str, Any]:
    """Flask's and its extensions' own keys, which they read from `app.config`."""
    return {
        "SECRET_KEY": settings.secret_key,
        "TESTING": settings.testing,
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "portfolio_session",
        # Flask-Login's remember-me cookie is never issued: no year-long sessions on shared
        # computers.
        "REMEMBER_COOKIE_DURATION": 0,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": None,  # the idle timeout already bounds a form's life
        "MAX_CONTENT_LENGTH": settings.max_upload_bytes,
    }
