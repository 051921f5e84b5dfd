"""Taking a backup in one snapshot, and restoring one all or nothing.

Consistency. Every table is read inside one transaction that sees one snapshot of the
database (REPEATABLE READ, read only, on PostgreSQL; one read transaction on SQLite, whose
WAL mode lets it go on seeing the database as it was while the app writes). Attachment
files are read afterwards, and that is still consistent: the store names each file by the
hash of its content, writes it before the row naming it is committed, and never changes or
removes a file a committed row names (see `AttachmentStore`). So every attachment row in the
snapshot finds exactly the bytes it was saved with, checked against its hash. Files no row
in the snapshot names (an upload still being saved) are left out.

Restore. Only into an installation migrated to the archive's schema revision and holding no
rows (the one row the migrations themselves write, the empty audit head, excepted). Every
row is inserted in one transaction, parents before children; PostgreSQL's id sequences are
then moved past the restored ids. Attachment files wait, checked, in a folder inside the
store and are moved into place only after the commit.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Integer, Table, and_, func, inspect, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from portfolio import migrations
from portfolio.backup.archive import (
    ArchiveError,
    ArchiveWriter,
    Manifest,
    Unpacked,
    attachment_member,
    lines,
    read_chunks,
    table_member,
    unpack,
)
from portfolio.backup.rows import TableCodec, UnsupportedColumnError
from portfolio.db import reading_only
from portfolio.evidence.attachments import AttachmentStore
from portfolio.models import metadata

BATCH = 1000
# Rows the migrations write into a new database, which an "empty" installation may hold and
# a restore replaces: the audit chain's head before any entry.
_SEEDED = {"audit_heads": lambda table: and_(table.c.id == 1, table.c.seq == 0)}


class BackupError(Exception):
    """Why a backup or restore did not happen (nothing was written or changed)."""


def tables() -> list[Table]:
    """Every table of the application, parents before children."""
    return list(metadata.sorted_tables)


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection reading one consistent snapshot of the whole database, read only."""
    if engine.dialect.name == "postgresql":
        with (
            engine.connect().execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            ) as connection,
            connection.begin(),
        ):
            yield connection
        return
    with reading_only(), engine.connect() as connection, connection.begin():
        yield connection


def _check_schema(connection: Connection, *, revision: str | None = None) -> str:
    """The database's revision, which must be this code's head (and `revision` if given)."""
    found = migrations.current_revision(connection)
    head = migrations.head_revision()
    if found is None:
        raise BackupError("the database has not been migrated: run `flask db upgrade` first")
    if revision is not None and found != revision:
        raise BackupError(
            f"the archive was taken at schema revision {revision} but this database is at "
            f"{found}: restore with the application version that wrote the archive "
            "(its manifest names it), into a database migrated to that revision"
        )
    if found != head:
        raise BackupError(
            f"the database is at schema revision {found} but this version of the application "
            f"expects {head}: use the matching application version"
        )
    return found


def _check_no_unknown_tables(connection: Connection) -> None:
    known = {table.name for table in tables()} | {"alembic_version"}
    unknown = sorted(set(inspect(connection).get_table_names()) - known)
    if unknown:
        raise BackupError(
            f"the database holds tables the application does not know ({', '.join(unknown)}); "
            "they would not be in the backup"
        )


def _rows(connection: Connection, table: Table) -> Iterator[Any]:
    query = select(table).order_by(*table.primary_key.columns)
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result:
        yield row._mapping


@dataclass
class _Counter:
    rows: int = 0


def _table_lines(
    connection: Connection, table: Table, counter: _Counter, sha256s: dict[str, int]
) -> Iterator[str]:
    codec = TableCodec(table)
    for row in _rows(connection, table):
        counter.rows += 1
        if table.name == "attachments":
            sha256s.setdefault(row["sha256"], row["id"])
        yield codec.encode(row)


def take_backup(
    engine: Engine,
    store: AttachmentStore,
    path: Path,
    *,
    key: bytes,
    app_version: str,
    now: dt.datetime,
) -> Manifest:
    """Write the database and the attachment files it names to a new archive at `path`."""
    if path.exists():
        raise BackupError(f"{path} already exists: a backup never overwrites, choose a new name")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a folder")
    try:
        writer = ArchiveWriter(path)
    except OSError as error:
        raise BackupError(f"{path} cannot be written: {error.strerror}") from error
    try:
        counts: list[tuple[str, int]] = []
        sha256s: dict[str, int] = {}  # content hash -> an attachment row naming it
        with snapshot(engine) as connection:
            revision = _check_schema(connection)
            _check_no_unknown_tables(connection)
            head = connection.execute(text("SELECT seq, entry_hash FROM audit_heads")).first()
            for table in tables():
                counter = _Counter()
                writer.add_chunks(
                    table_member(table.name),
                    lines(_table_lines(connection, table, counter, sha256s)),
                )
                counts.append((table.name, counter.rows))
        for sha256, attachment_id in sorted(sha256s.items()):
            source = store.path_for(sha256)
            try:
                found = writer.add_chunks(attachment_member(sha256), read_chunks(source))
            except FileNotFoundError as error:
                raise BackupError(
                    f"attachment {attachment_id}: its file {sha256} is missing from the "
                    "attachment store"
                ) from error
            if found != sha256:
                raise BackupError(
                    f"attachment {attachment_id}: its file {sha256} in the attachment store "
                    "no longer matches its hash (damaged)"
                )
        manifest = Manifest(
            app_version=app_version,
            schema_revision=revision,
            created_at=now.astimezone(dt.UTC).isoformat(timespec="seconds"),
            engine=engine.dialect.name,
            tables=tuple(counts),
            files=dict(writer.files),
            audit_head=f"{head.seq}:{head.entry_hash}" if head and head.seq else "",
        )
        writer.finish(manifest, key)
    except UnsupportedColumnError as error:
        writer.abort()
        raise BackupError(str(error)) from error
    except SQLAlchemyError as error:
        writer.abort()
        raise BackupError(f"reading the database failed: {_reason(error)}") from error
    except OSError as error:
        writer.abort()
        raise BackupError(f"writing {path} failed: {error}") from error
    except BaseException:
        writer.abort()
        raise
    return manifest


def _reason(error: SQLAlchemyError) -> str:
    original = error.orig if isinstance(error, DBAPIError) else error
    first_line = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return f"{original.__class__.__name__}: {first_line}"


def rows_present(connection: Connection) -> list[tuple[str, int]]:
    """(table, rows) for each table holding rows, not counting those the migrations wrote."""
    found = []
    for table in tables():
        query = select(func.count()).select_from(table)
        seeded = _SEEDED.get(table.name)
        if seeded is not None:
            query = query.where(~seeded(table))
        count = connection.scalar(query) or 0
        if count:
            found.append((table.name, count))
    return found


def restore_backup(engine: Engine, store: AttachmentStore, path: Path, *, key: bytes) -> Manifest:
    """Bring an archive back into an empty installation, all or nothing."""
    try:
        store.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=store.root, prefix=".restore-"))
    except OSError as error:
        raise BackupError(
            f"the attachment store {store.root} cannot be written: {error.strerror}"
        ) from error
    keep_staging = False
    try:
        try:
            unpacked = unpack(path, staging, key)
        except ArchiveError as error:
            raise BackupError(f"the archive was refused: {error}") from error
        manifest = unpacked.manifest
        known = [table.name for table in tables()]
        if sorted(name for name, _ in manifest.tables) != sorted(known):
            raise BackupError(
                "the archive's tables are not this version's: restore with the application "
                f"version that wrote it ({manifest.app_version})"
            )
        try:
            with engine.begin() as connection:
                _check_schema(connection, revision=manifest.schema_revision)
                present = rows_present(connection)
                if present:
                    listed = ", ".join(
                        f"{name} ({count} row{'' if count == 1 else 's'})"
                        for name, count in present[:5]
                    )
                    if len(present) > 5:
                        listed += f" and {len(present) - 5} more tables"
                    raise BackupError(
                        f"the database is not empty: {listed}. Restore only into a newly "
                        "migrated, empty database"
                    )
                _insert_all(connection, unpacked)
                if connection.dialect.name == "postgresql":
                    _reset_sequences(connection)
        except SQLAlchemyError as error:
            raise BackupError(
                f"restoring failed and nothing was restored: {_reason(error)}"
            ) from error
        keep_staging = True
        try:
            _move_attachments(unpacked, store)
        except OSError as error:
            raise BackupError(
                "the database was restored but moving the attachment files into place failed "
                f"({error.__class__.__name__}); the checked files are in {staging}/attachments: "
                "move each to the attachment store as ab/cd/<name> (its first two pairs of "
                "characters)"
            ) from error
        keep_staging = False
        return manifest
    finally:
        if not keep_staging:
            shutil.rmtree(staging, ignore_errors=True)


def _insert_all(connection: Connection, unpacked: Unpacked) -> None:
    by_name = {table.name: table for table in tables()}
    for name, expected in unpacked.manifest.tables:
        table = by_name[name]
        seeded = _SEEDED.get(name)
        if seeded is not None:
            connection.execute(table.delete().where(seeded(table)))
        codec = TableCodec(table)
        batch: list[dict[str, Any]] = []
        count = 0
        for number, line in unpacked.table_lines(name):
            try:
                batch.append(codec.decode(line))
            except ValueError as error:
                raise BackupError(f"{table_member(name)} line {number}: {error}") from error
            count += 1
            if len(batch) == BATCH:
                connection.execute(table.insert(), batch)
                batch = []
        if batch:
            connection.execute(table.insert(), batch)
        if count != expected:
            raise BackupError(
                f"{table_member(name)}: holds {count} rows but the manifest says {expected}"
            )


def _reset_sequences(connection: Connection) -> None:
    """Move each id sequence past the largest restored id, so new rows get fresh ids."""
    quote = connection.dialect.identifier_preparer.quote
    for table in tables():
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence is None:
                continue
            connection.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE((SELECT MAX({quote(column.name)}) "  # noqa: S608 - names from the metadata, quoted
                    f"FROM {quote(table.name)}), 0) + 1, false)"
                ),
                {"sequence": sequence},
            )


def _move_attachments(unpacked: Unpacked, store: AttachmentStore) -> None:
    for sha256 in unpacked.manifest.attachments:
        target = store.path_for(sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(unpacked.attachment_path(sha256), target)
