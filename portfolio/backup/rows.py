"""Rows as JSON Lines and back, exactly. Pure: no Flask, no session.

Each column is encoded by its declared type, not by the Python value it happens to hold, so
decoding knows what to rebuild: a datetime as ISO 8601 in UTC with microseconds (the audit
chain hashes them to the microsecond), a date as YYYY-MM-DD, an enum as its stored value,
bytes as base64, NULL as null. A column of a type not listed here stops the backup rather
than being guessed at, so a new kind of column cannot be lost silently.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Enum, Integer, LargeBinary, String, Table

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


class UnsupportedColumnError(TypeError):
    """A column whose type has no exact encoding here."""


def _datetime_out(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("a naive datetime cannot be backed up exactly")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _datetime_in(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return value.astimezone(dt.UTC)


def _same(value: Any) -> Any:
    return value


def _checked(kind: type) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        # bool is an int in Python: never let True pass as a number or 1 as a flag.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")
        return value

    return check


def codec(column: Column[Any]) -> Codec:
    """(encode, decode) for one column, by its type."""
    column_type = column.type
    if isinstance(column_type, Enum):
        enum_class = column_type.enum_class
        if enum_class is None:
            return _same, _checked(str)
        return (lambda value: value.value), enum_class
    # UTCDateTime (a TypeDecorator) is a DateTime underneath.
    impl = getattr(column_type, "impl", column_type)
    if isinstance(impl, DateTime):
        return _datetime_out, _datetime_in
    if isinstance(impl, Date):
        return (lambda value: value.isoformat()), dt.date.fromisoformat
    if isinstance(impl, Boolean):
        return _checked(bool), _checked(bool)
    if isinstance(impl, Integer):
        return _checked(int), _checked(int)
    if isinstance(impl, String):  # Text is a String
        return _checked(str), _checked(str)
    if isinstance(impl, LargeBinary):
        return (
            lambda value: base64.b64encode(bytes(value)).decode("ascii"),
            lambda text: base64.b64decode(text, validate=True),
        )
    raise UnsupportedColumnError(
        f"{column.table.name}.{column.name}: no exact backup encoding for {column_type!r}"
    )


class TableCodec:
    """Encodes and decodes the rows of one table, column by column."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns = [column.name for column in table.columns]
        self._codecs = {column.name: codec(column) for column in table.columns}

    def encode(self, row: Mapping[str, Any]) -> str:
        """One row as a line of JSON (keys in column order, no trailing newline)."""
        out: dict[str, Any] = {}
        for name in self.columns:
            value = row[name]
            out[name] = None if value is None else self._codecs[name][0](value)
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"))

    def decode(self, line: str) -> dict[str, Any]:
        """A line of JSON back into the row's values; the columns must be exactly the
        table's."""
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("a row must be a JSON object")
        if set(data) != set(self.columns):
            missing = sorted(set(self.columns) - set(data))
            unknown = sorted(set(data) - set(self.columns))
            raise ValueError(f"columns differ (missing {missing}, unknown {unknown})")
        row: dict[str, Any] = {}
        for name in self.columns:
            value = data[name]
            if value is None:
                row[name] = None
                continue
            try:
                row[name] = self._codecs[name][1](value)
            except (TypeError, ValueError) as error:
                raise ValueError(f"{name}: {error}") from error
        return row
