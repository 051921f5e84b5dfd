"""Rows to JSON and back: every column of every table keeps its exact value and type."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, Column, Date, Float, Integer, MetaData, Table

from portfolio.backup.rows import TableCodec, UnsupportedColumnError
from portfolio.core.db import UTCDateTime, enum_column
from portfolio.models import metadata

TABLES = list(metadata.sorted_tables)


def values_for(column: Column[Any]) -> st.SearchStrategy[Any]:
    column_type = column.type
    enum_class = getattr(column_type, "enum_class", None)
    if enum_class is not None:
        strategy: st.SearchStrategy[Any] = st.sampled_from(list(enum_class))
    else:
        impl = getattr(column_type, "impl", column_type)
        python_type = dt.datetime if isinstance(column_type, UTCDateTime) else impl.python_type
        strategy = {
            # Hypothesis takes naive bounds and adds the zone itself.
            dt.datetime: st.datetimes(
                min_value=dt.datetime(1900, 1, 1),  # noqa: DTZ001
                max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
                timezones=st.just(dt.UTC),
            ),
            dt.date: st.dates(),
            bool: st.booleans(),
            int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
            str: st.text(),
            bytes: st.binary(),
        }[python_type]
    return st.one_of(st.none(), strategy) if column.nullable else strategy


@st.composite
def table_and_row(draw: st.DrawFn) -> tuple[Any, dict[str, Any]]:
    table = draw(st.sampled_from(TABLES))
    return table, {column.name: draw(values_for(column)) for column in table.columns}


@given(table_and_row())
def test_any_row_of_any_table_comes_back_exactly(table_row: tuple[Any, dict[str, Any]]) -> None:
    table, row = table_row
    codec = TableCodec(table)
    line = codec.encode(row)
    assert "\n" not in line
    back = codec.decode(line)
    assert back == row
    assert [type(value) for value in back.values()] == [type(value) for value in row.values()]


def test_datetimes_keep_microseconds_and_come_back_in_utc() -> None:
    codec = TableCodec(metadata.tables["audit_entries"])
    summer = dt.datetime(2026, 6, 1, 23, 30, 0, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    row = {column.name: None for column in codec.table.columns}
    row.update(
        id=1,
        seq=1,
        recorded_at=summer,
        action="a",
        subject_type="b",
        subject_id="1",
        changes="{}",
        prev_hash="0",
        entry_hash="1",
    )
    back = codec.decode(codec.encode(row))
    assert back["recorded_at"] == summer
    assert back["recorded_at"].tzinfo is dt.UTC
    assert back["recorded_at"].microsecond == 1
    assert '"2026-06-01T22:30:00.000001+00:00"' in codec.encode(row)


class Colour(enum.StrEnum):
    RED = "red"


def _table(*columns: Column[Any]) -> Table:
    return Table("things", MetaData(), Column("id", Integer, primary_key=True), *columns)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": 1, "on": "2026-02-30", "colour": "red"}', "on: "),
        ('{"id": true, "on": null, "colour": "red"}', "id: expected int, found bool"),
        ('{"id": 1, "on": null, "colour": "blue"}', "colour: "),
        ('{"id": 1, "on": null}', "missing ['colour']"),
        ('{"id": 1, "on": null, "colour": "red", "x": 1}', "unknown ['x']"),
        ("[1, 2]", "a row must be a JSON object"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_naming_its_column(line: str, problem: str) -> None:
    codec = TableCodec(
        _table(Column("on", Date, nullable=True), Column("colour", enum_column(Colour, "colour")))
    )
    with pytest.raises(ValueError, match=re.escape(problem)):
        codec.decode(line)


@pytest.mark.parametrize("column_type", [Float(), JSON()])
def test_a_column_with_no_exact_encoding_stops_the_backup(column_type: Any) -> None:
    with pytest.raises(UnsupportedColumnError, match=r"things\.measure"):
        TableCodec(_table(Column("measure", column_type)))


def test_a_naive_datetime_is_refused() -> None:
    codec = TableCodec(_table(Column("at", UTCDateTime())))
    with pytest.raises(ValueError, match="naive"):
        codec.encode({"id": 1, "at": dt.datetime(2026, 1, 1)})  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="no time zone"):
        codec.decode('{"id": 1, "at": "2026-01-01T00:00:00"}')
