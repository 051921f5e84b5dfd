"""The kinds of value a setting may take, each with its check and, in words, what it allows
(for docs/configuration.md and for the message that refuses a bad value)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic.fields import FieldInfo
from pydantic_settings import NoDecode
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

Environment = Literal["development", "testing", "production"]


@dataclass(frozen=True)
class Allowed:
    """What a variable accepts, in words, for docs/configuration.md and for a refusal."""

    text: str


@dataclass(frozen=True)
class Shown:
    """A default that is not a plain value (it depends on the environment or the instance
    folder), in words for docs/configuration.md."""

    text: str


def _web_address(value: str) -> str:
    parts = urlsplit(value)
    if value and (parts.scheme not in {"https", "http"} or not parts.netloc):
        raise ValueError("must be an https:// or http:// address with a host")
    return value


def _database_url(value: str) -> str:
    if value:
        try:
            make_url(value)
        except ArgumentError as error:
            raise ValueError("must be an SQLAlchemy database URL") from error
    return value


def _redis_url(value: str) -> str:
    if value and urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
        raise ValueError("must be a redis://, rediss:// or unix:// address")
    return value


def _absolute(value: Path) -> Path:
    if not value.is_absolute():
        raise ValueError("must be an absolute path")
    return value


def _comma_separated(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(item.strip() for item in value.split(",") if item.strip())
    return value


def _media_types(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise ValueError("must name at least one media type")
    for item in value:
        kind, _, subtype = item.partition("/")
        if not kind or not subtype or " " in item:
            raise ValueError(f"{item!r} is not a media type such as application/pdf")
    return value


Count = Annotated[int, Field(ge=1), Allowed("a whole number, 1 or more")]
CountFromNought = Annotated[int, Field(ge=0), Allowed("a whole number, 0 or more")]
Seconds = Annotated[float, Field(gt=0), Allowed("a number of seconds more than 0, e.g. 25 or 2.5")]
Port = Annotated[int, Field(ge=1, le=65535), Allowed("a whole number from 1 to 65535")]
Switch = Annotated[bool, Allowed("true or false (also 1 or 0, yes or no, on or off)")]
Text = Annotated[str, Allowed("any text")]
Name = Annotated[str, Field(min_length=1), Allowed("any text, not empty")]
Secret = Annotated[str, Allowed("any text; in production at least 32 characters")]
WebAddress = Annotated[
    str, AfterValidator(_web_address), Allowed("an https:// or http:// address with a host")
]
DatabaseUrl = Annotated[
    str,
    AfterValidator(_database_url),
    Allowed("an SQLAlchemy URL, e.g. postgresql+psycopg://host/name or sqlite:////path/file.db"),
]
RedisUrl = Annotated[
    str, AfterValidator(_redis_url), Allowed("a redis://, rediss:// or unix:// address")
]
Folder = Annotated[Path, AfterValidator(_absolute), Allowed("an absolute folder path")]
OptionalFolder = Annotated[Path | None, Allowed("a folder path")]
MediaTypes = Annotated[
    tuple[str, ...],
    NoDecode,
    BeforeValidator(_comma_separated),
    AfterValidator(_media_types),
    Allowed("media types separated by commas, e.g. application/pdf,image/png"),
]
CompetencyCodes = Annotated[
    tuple[str, ...],
    NoDecode,
    BeforeValidator(_comma_separated),
    Allowed("competency codes separated by commas, e.g. CORE-ID,CORE-PREG; empty for none"),
]
EnvironmentName = Annotated[Environment, Allowed("development, testing or production")]


def allowed(info: FieldInfo) -> str:
    """What a field accepts, in words."""
    for item in info.metadata:
        if isinstance(item, Allowed):
            return item.text
    raise LookupError("every setting says what it allows")  # pragma: no cover


def shown_default(info: FieldInfo) -> str | None:
    """A default in words, for one that depends on the environment or the instance folder."""
    for item in info.metadata:
        if isinstance(item, Shown):
            return item.text
    return None
