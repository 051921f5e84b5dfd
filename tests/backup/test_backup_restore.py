"""Backup and restore: a rich portfolio comes back row for row and byte for byte, on either
engine and from SQLite into PostgreSQL; a restore that cannot be whole changes nothing."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Table, func, select

from portfolio import create_app, demo, migrations
from portfolio.audit.services import Auditor
from portfolio.backup import services
from portfolio.backup.archive import MANIFEST
from portfolio.backup.services import rows_present, take_backup
from portfolio.core.clock import utcnow
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence.attachments import AttachmentStore
from portfolio.models import metadata
from portfolio.people import services as people
from portfolio.people.models import Organisation, User
from tests.backup.seed import seed
from tests.support.databases import ENGINE, ThrowawayDatabases

pytestmark = pytest.mark.commits


@dataclass
class Installation:
    app: Flask
    attachments: Path

    def cli(self, *args: str) -> Any:
        return self.app.test_cli_runner().invoke(args=list(args))


def installation(url: str, attachments: Path, *, migrate: bool = True) -> Installation:
    if migrate:
        migrations.upgrade(url)
    return Installation(
        create_app("testing", database_url=url, attachment_dir=str(attachments)), attachments
    )


def every_row(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (typed values, in primary key order), and the revision."""
    with app.extensions["engine"].connect() as connection:
        rows: dict[str, list[tuple[Any, ...]]] = {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }
        rows["alembic_version"] = [(migrations.current_revision(connection),)]
    return rows


def stored_files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


@pytest.fixture(scope="module")
def source(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Installation, Path]]:
    """A seeded installation on this run's engine and a backup of it, made once per module.

    Read-only, so the tests sharing it pass in any order: each one reads it, restores the
    archive elsewhere, or asks it to do something it refuses (a restore over its rows, a
    backup over the archive) and asserts that nothing changed."""
    folder = tmp_path_factory.mktemp("source")
    seeded = installation(databases.new(), folder / "attachments")
    seed(seeded.app, seeded.attachments)
    archive = folder / "portfolio-backup.tar.gz"
    result = seeded.cli("backup", str(archive))
    assert result.exit_code == 0, result.output
    yield seeded, archive
    seeded.app.extensions["engine"].dispose()


@pytest.fixture
def target(fresh_database_url: str, tmp_path: Path) -> Iterator[Installation]:
    """A newly migrated, empty installation with an attachment store of its own."""
    empty = installation(fresh_database_url, tmp_path / "restored-attachments")
    yield empty
    empty.app.extensions["engine"].dispose()


def test_every_table_of_the_seed_holds_rows(source: tuple[Installation, Path]) -> None:
    """Otherwise the round trip would prove nothing for the empty ones."""
    empty = [name for name, rows in every_row(source[0].app).items() if not rows]
    assert empty == []


def assert_restored_exactly(original: Installation, restored: Installation) -> None:
    assert every_row(restored.app) == every_row(original.app)
    files = stored_files(restored.attachments)
    assert files == stored_files(original.attachments)
    # The certificate (on two pieces of evidence, stored once), a photo, and the demo's own
    # certificate PDF and sketch (Chris Taylor's, for his portfolio PDF).
    assert len(files) == 4
    verified = restored.cli("audit", "verify")
    assert verified.exit_code == 0, verified.output


def test_a_restore_brings_back_every_row_and_file(
    source: tuple[Installation, Path], target: Installation
) -> None:
    original, archive = source
    result = target.cli("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert "Audit trail verified" in result.output
    assert_restored_exactly(original, target)
    assert not list(target.attachments.glob(".restore-*"))

    # New records get fresh ids (PostgreSQL's sequences were moved past the restored ones)
    # and extend the restored audit chain.
    largest = max(row[0] for row in every_row(target.app)["users"])
    created = target.cli(
        "users",
        "create",
        "--email",
        "new.lead@northfield.example",
        "--organisation",
        demo.ORGANISATION,
        "--name",
        "New Lead",
        "--role",
        "admin",
        "--password",
        "a-long-enough-password",
    )
    assert created.exit_code == 0, created.output
    assert max(row[0] for row in every_row(target.app)["users"]) == largest + 1
    assert target.cli("audit", "verify").exit_code == 0


def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path, fresh_database_url: str) -> None:
    """Moving from the embedded default to the production database."""
    if ENGINE != "postgresql":
        pytest.skip("runs in the PostgreSQL run: a SQLite backup restored into PostgreSQL")
    original = installation(f"sqlite:///{tmp_path / 'embedded.db'}", tmp_path / "embedded")
    seed(original.app, original.attachments)
    archive = tmp_path / "embedded.tar.gz"
    assert original.cli("backup", str(archive)).exit_code == 0
    restored = installation(fresh_database_url, tmp_path / "production")
    result = restored.cli("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert_restored_exactly(original, restored)
    for one in (original, restored):
        one.app.extensions["engine"].dispose()


def test_a_restore_into_a_database_with_rows_is_refused_and_changes_nothing(
    source: tuple[Installation, Path],
) -> None:
    original, archive = source
    rows, files = every_row(original.app), stored_files(original.attachments)
    result = original.cli("restore", str(archive))
    assert result.exit_code != 0
    assert "nothing restored: the database is not empty" in result.output
    assert "organisations (2 rows)" in result.output  # the demo trust and a mover's new one
    assert every_row(original.app) == rows
    assert stored_files(original.attachments) == files
    assert not list(original.attachments.glob(".restore-*"))


def _members(archive: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(archive, "r:gz") as tar:
        out = []
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            assert handle is not None
            out.append((member.name, handle.read()))
        return out


def _write(path: Path, members: list[tuple[str, bytes]]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def _first_attachment(members: list[tuple[str, bytes]]) -> str:
    return next(name for name, _ in members if name.startswith("attachments/"))


Tamper = Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]]


def _edit(name: str, change: Callable[[bytes], bytes]) -> Tamper:
    return lambda members: [(n, change(c) if n == name else c) for n, c in members]


def _edit_attachment(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    return _edit(_first_attachment(members), lambda content: content[:-1] + b"\x00")(members)


def _drop_attachment(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    name = _first_attachment(members)
    return [(n, c) for n, c in members if n != name]


def _more_rows_in_manifest(content: bytes) -> bytes:
    document = json.loads(content)
    document["tables"][0]["rows"] += 1
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (
            _edit("tables/users.jsonl", lambda c: c.replace(b"Jordan Lee", b"Jordan Lea")),
            "tables/users.jsonl: checksum does not match",
        ),
        (_edit_attachment, "attachments/"),
        (_drop_attachment, "listed in the manifest but missing from the archive"),
        (_edit(MANIFEST, _more_rows_in_manifest), "manifest.json: its signature does not match"),
        (
            lambda members: [*members, ("tables/extra.jsonl", b"{}\n")],
            "tables/extra.jsonl: in the archive but not in the manifest",
        ),
        (
            lambda members: [*members, ("../../escape.txt", b"x")],
            "../../escape.txt: not something a backup holds",
        ),
    ],
    ids=["table", "attachment", "missing-file", "manifest", "extra-member", "path-escape"],
)
def test_a_tampered_archive_is_refused_naming_the_file(
    source: tuple[Installation, Path],
    target: Installation,
    tmp_path: Path,
    tamper: Tamper,
    named: str,
) -> None:
    members = _members(source[1])
    tampered = tmp_path / "tampered.tar.gz"
    _write(tampered, tamper(members))
    result = target.cli("restore", str(tampered))
    assert result.exit_code != 0
    assert "nothing restored: the archive was refused" in result.output
    assert named in result.output
    if named == "attachments/":
        assert f"{_first_attachment(members)}: checksum does not match" in result.output
    _assert_still_empty(target)
    assert not (tmp_path.parent / "escape.txt").exists()


def _assert_still_empty(installation: Installation) -> None:
    with installation.app.extensions["engine"].connect() as connection:
        assert rows_present(connection) == []
    assert stored_files(installation.attachments) == {}


def test_a_damaged_archive_is_refused(
    source: tuple[Installation, Path], target: Installation, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(source[1].read_bytes()[:-200])
    result = target.cli("restore", str(cut))
    assert result.exit_code != 0
    assert "is not a readable backup archive" in result.output
    not_gzip = tmp_path / "notes.tar.gz"
    not_gzip.write_bytes(gzip.compress(b"just some text"))
    assert "is not a readable backup archive" in target.cli("restore", str(not_gzip)).output
    _assert_still_empty(target)


def test_an_archive_made_with_another_audit_key_is_refused(
    source: tuple[Installation, Path], fresh_database_url: str, tmp_path: Path
) -> None:
    """The restored audit trail could not verify without the key it was made with."""
    migrations.upgrade(fresh_database_url)
    app = create_app(
        "testing",
        database_url=fresh_database_url,
        attachment_dir=str(tmp_path / "a"),
        audit_key="another-installation-audit-key-0123456789",
    )
    result = app.test_cli_runner().invoke(args=["restore", str(source[1])])
    app.extensions["engine"].dispose()
    assert result.exit_code != 0
    assert "different PORTFOLIO_AUDIT_KEY" in result.output


def test_a_restore_into_another_schema_revision_is_refused(
    source: tuple[Installation, Path], fresh_database_url: str, tmp_path: Path
) -> None:
    migrations.upgrade(fresh_database_url)
    migrations.downgrade(fresh_database_url, "-1")
    older = installation(fresh_database_url, tmp_path / "a", migrate=False)
    result = older.cli("restore", str(source[1]))
    older.app.extensions["engine"].dispose()
    assert result.exit_code != 0
    assert f"taken at schema revision {migrations.head_revision()}" in result.output
    assert "but this database is at" in result.output


def test_a_backup_never_overwrites_and_names_a_missing_attachment_file(
    source: tuple[Installation, Path], tmp_path: Path
) -> None:
    original, archive = source
    again = original.cli("backup", str(archive))
    assert again.exit_code != 0
    assert "already exists" in again.output

    url = get_settings(original.app).database_url
    without_files = installation(url, tmp_path / "empty-store", migrate=False)
    path = tmp_path / "incomplete.tar.gz"
    result = without_files.cli("backup", str(path))
    without_files.app.extensions["engine"].dispose()
    assert result.exit_code != 0
    assert "backup not written: attachment " in result.output
    assert "is missing from the attachment store" in result.output
    assert list(tmp_path.glob("*incomplete*")) == []  # no partial file left behind


def test_a_backup_taken_while_people_work_is_one_moment(
    databases: ThrowawayDatabases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person added (and audited) while the backup is half read is wholly absent from it:
    without one snapshot the users and audit entries would include them and the audit head
    (read first) would not, and the restored trail would fail verification."""
    busy = installation(databases.new(), tmp_path / "busy")
    assert busy.cli("demo", "load").exit_code == 0
    before = every_row(busy.app)["users"]
    reading = services._rows
    done = []

    def someone_saves_meanwhile(connection: Any, table: Table) -> Iterator[Any]:
        if table.name == "users" and not done:
            done.append(True)
            with busy.app.app_context():
                session = get_session()
                key = get_settings(busy.app).audit_key_bytes
                auditor = Auditor(session, key=key, actor_id=None)
                people.create_person(
                    auditor,
                    session.scalars(select(Organisation)).one(),
                    people.PersonDetails(
                        name="Added Meanwhile",
                        email="meanwhile@northfield.example",
                        roles=frozenset({AccountRole.SUPPORT_WORKER}),
                    ),
                    password="a-long-enough-password",
                )
                session.commit()
        yield from reading(connection, table)

    monkeypatch.setattr(services, "_rows", someone_saves_meanwhile)
    archive = tmp_path / "busy.tar.gz"
    manifest = take_backup(
        busy.app.extensions["engine"],
        AttachmentStore(busy.attachments),
        archive,
        key=get_settings(busy.app).audit_key_bytes,
        app_version="test",
        now=utcnow(),
    )
    assert done
    with busy.app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == len(before) + 1
    assert dict(manifest.tables)["users"] == len(before)

    restored = installation(databases.new(), tmp_path / "restored")
    result = restored.cli("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert every_row(restored.app)["users"] == before
    for one in (busy, restored):
        one.app.extensions["engine"].dispose()
