"""docs/configuration.md, written from the settings class (`make docs`; a test compares them)."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from portfolio.core.settings import MIB, Settings, variable
from portfolio.core.settings_types import allowed, shown_default

INTRODUCTION = """\
# Configuration

<!-- Generated from portfolio/core/settings.py by `make docs`: edit the class, not this file. -->

Every setting comes from one environment variable whose name starts with `PORTFOLIO_`, read
once when the app starts (`portfolio/core/settings.py`). None is needed for the demo. An empty
variable counts as unset. A value that is not allowed, or a `PORTFOLIO_` variable that is not
a setting (a misspelt name, say), stops the app from starting with a message naming the
variable and what it accepts.

`PORTFOLIO_ENVIRONMENT` picks one of three environments:

- **development** (when unset): secrets not set are generated once and kept in the instance
  folder (`secret_key`, `audit_key`, readable by their owner only), so sessions and the audit
  chain survive a restart.
- **testing**: reads no variable but `PORTFOLIO_INSTANCE_PATH`, so a test run never picks up a
  real deployment's keys, limits, mail server or Redis; it uses fixed keys, sends no email and
  allows 20 failed sign-ins per network address.
- **production**: refuses to start without `PORTFOLIO_SECRET_KEY` and `PORTFOLIO_AUDIT_KEY` (32
  or more characters each) and `PORTFOLIO_BASE_URL` or `PORTFOLIO_VERIFY_BASE_URL`; cookies are
  secure unless `PORTFOLIO_SECURE_COOKIES` says otherwise; demo data is refused.
"""

CLOSING = """
Not settings of the app: `make run` serves on `PORT` (5000). The tests read `TEST_DATABASE`
(`sqlite` or `postgresql`) and `TEST_POSTGRES_URL`; `CI=true` turns "skip when Chromium or
PostgreSQL is missing" into a failure and fixes Hypothesis' profile.
"""

_KINDS = {int: "integer", float: "number", bool: "true or false", str: "text", Path: "path"}


def kind(annotation: Any) -> str:
    """The kind of value a field holds, in a word or two."""
    if typing.get_origin(annotation) is typing.Literal:
        return "one of a list"
    if typing.get_origin(annotation) in {types.UnionType, typing.Union}:
        (inner,) = (item for item in typing.get_args(annotation) if item is not type(None))
        return kind(inner)
    if typing.get_origin(annotation) is tuple:
        return "list of " + kind(typing.get_args(annotation)[0])
    return _KINDS[annotation]


def default(name: str, info: FieldInfo) -> str:
    """A field's default as the table shows it."""
    shown = shown_default(info)
    if shown is not None:
        return shown
    value = info.default
    if value is None or value == "":
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return f"`{','.join(value)}`"
    if name.endswith("_bytes") and isinstance(value, int) and value >= MIB:
        return f"`{value}` ({value // MIB} MB)"
    return f"`{value}`"


def markdown() -> str:
    rows = [
        "| variable | type | default | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        rows.append(
            f"| `{variable(name)}` | {kind(info.annotation)} | {default(name, info)} "
            f"| {allowed(info)} | {info.description} |"
        )
    return f"{INTRODUCTION}\n" + "\n".join(rows) + "\n" + CLOSING
