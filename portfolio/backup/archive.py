"""The archive: one gzipped tar file holding the tables, the attachment files and a signed
manifest. No database and no Flask here.

Layout::

    tables/<table>.jsonl     one JSON object per row, in primary key order
    attachments/<sha256>     each stored file once, named by the hash of its content
    manifest.json            format, app version, schema revision, when, the tables in the
                             order they are restored with their row counts, and the
                             SHA-256 of every other member
    manifest.sig             HMAC-SHA256 of manifest.json, keyed by AUDIT_KEY

A checksum catches corruption and a changed file; the signature catches a manifest edited
to match (anyone without the audit key cannot re-sign it). Reading checks everything before
any of it is used.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

FORMAT = "imaging-support-portfolio-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
_SIGNING_CONTEXT = b"imaging-support-portfolio backup manifest\x00"
_MEMBER = re.compile(r"(tables/[a-z0-9_]+\.jsonl|attachments/[0-9a-f]{64})")
_CHUNK = 1024 * 1024
# Above this a member being written spills from memory to a temporary file.
_SPOOL_BYTES = 16 * 1024 * 1024


class ArchiveError(Exception):
    """What is wrong with an archive, naming the member where there is one."""


def table_member(table: str) -> str:
    return f"tables/{table}.jsonl"


def attachment_member(sha256: str) -> str:
    return f"attachments/{sha256}"


@dataclass(frozen=True)
class Manifest:
    app_version: str
    schema_revision: str
    created_at: str
    engine: str
    # (table, rows) in the order a restore inserts them: parents before children.
    tables: tuple[tuple[str, int], ...]
    # member -> SHA-256 of its bytes, for every member but the manifest and its signature.
    files: dict[str, str] = field(default_factory=dict)
    # "SEQ:HASH" of the newest audit entry, as `flask audit head` prints it (empty: none).
    audit_head: str = ""

    @property
    def attachments(self) -> list[str]:
        """The content hashes of the attachment files held."""
        prefix = "attachments/"
        return sorted(name[len(prefix) :] for name in self.files if name.startswith(prefix))

    @property
    def rows(self) -> int:
        return sum(count for _, count in self.tables)

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "created_at": self.created_at,
            "engine": self.engine,
            "audit_head": self.audit_head,
            "tables": [{"name": name, "rows": rows} for name, rows in self.tables],
            "files": dict(sorted(self.files.items())),
        }
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        try:
            document = json.loads(data.decode("utf-8"))
            if document.get("format") != FORMAT:
                raise ArchiveError(f"{MANIFEST}: not a backup of this application")
            if document.get("format_version") != FORMAT_VERSION:
                raise ArchiveError(
                    f"{MANIFEST}: archive format {document.get('format_version')!r} is not "
                    f"the one this version reads ({FORMAT_VERSION})"
                )
            tables = tuple((str(item["name"]), int(item["rows"])) for item in document["tables"])
            files = {str(name): str(digest) for name, digest in document["files"].items()}
            return cls(
                app_version=str(document["app_version"]),
                schema_revision=str(document["schema_revision"]),
                created_at=str(document["created_at"]),
                engine=str(document["engine"]),
                tables=tables,
                files=files,
                audit_head=str(document.get("audit_head", "")),
            )
        except ArchiveError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ArchiveError(f"{MANIFEST}: unreadable ({error.__class__.__name__})") from error


def sign(manifest: bytes, key: bytes) -> str:
    return hmac.new(key, _SIGNING_CONTEXT + manifest, hashlib.sha256).hexdigest()


class ArchiveWriter:
    """Writes an archive to a temporary file beside `path`, renamed into place by `finish`
    (so a failed backup never leaves a half-written file under the name asked for). The file
    is readable by its owner only: it holds personal data."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, str] = {}
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
        self._temporary = Path(temporary)
        self._raw = os.fdopen(handle, "wb")
        self._tar = tarfile.open(fileobj=self._raw, mode="w:gz")  # noqa: SIM115 - closed in finish/abort

    def add_chunks(self, name: str, chunks: Iterable[bytes]) -> str:
        """Add a member from chunks of bytes; returns its SHA-256."""
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
            for chunk in chunks:
                digest.update(chunk)
                spool.write(chunk)
            size = spool.tell()
            spool.seek(0)
            self._add(name, spool, size)
        self.files[name] = digest.hexdigest()
        return self.files[name]

    def _add(self, name: str, fileobj: IO[bytes], size: int) -> None:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o600
        info.mtime = 0  # the manifest says when; identical content makes identical members
        self._tar.addfile(info, fileobj)

    def finish(self, manifest: Manifest, key: bytes) -> None:
        document = manifest.to_bytes()
        self._add(MANIFEST, io.BytesIO(document), len(document))
        signature = sign(document, key).encode("ascii")
        self._add(SIGNATURE, io.BytesIO(signature), len(signature))
        self._tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.chmod(self._temporary, 0o600)
        if self.path.exists():  # appeared while the backup was being written
            raise FileExistsError(f"{self.path} appeared while the backup was being written")
        os.replace(self._temporary, self.path)

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self._tar.close()
        with contextlib.suppress(Exception):
            self._raw.close()
        self._temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Unpacked:
    """An archive checked member by member and unpacked into a folder."""

    manifest: Manifest
    folder: Path

    def table_lines(self, table: str) -> Iterator[tuple[int, str]]:
        """(line number, text) of a table's rows."""
        with (self.folder / table_member(table)).open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                yield number, line.rstrip(b"\n").decode("utf-8")

    def attachment_path(self, sha256: str) -> Path:
        return self.folder / attachment_member(sha256)


def unpack(path: Path, folder: Path, key: bytes) -> Unpacked:
    """Read the archive into `folder` and check it whole: only expected members, each once;
    the manifest's signature; every checksum; every file the manifest lists present.
    Raises ArchiveError naming the first member at fault."""
    seen: dict[str, str] = {}
    names: set[str] = set()
    manifest_bytes = signature = None
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for member in tar:
                name = member.name
                if name in names:
                    raise ArchiveError(f"{name}: appears twice in the archive")
                names.add(name)
                if not member.isfile():
                    raise ArchiveError(f"{name}: not a regular file")
                source = tar.extractfile(member)
                assert source is not None  # a regular file always has content
                if name in (MANIFEST, SIGNATURE):
                    content = source.read()
                    if name == MANIFEST:
                        manifest_bytes = content
                    else:
                        signature = content.decode("ascii", "replace").strip()
                    continue
                if not _MEMBER.fullmatch(name):
                    raise ArchiveError(f"{name}: not something a backup holds")
                seen[name] = _copy(source, folder / name)
    except OSError as error:
        if error.errno is None:  # gzip's "not a gzip file" and the like: the archive's fault
            raise ArchiveError(
                f"{path} is not a readable backup archive ({error.__class__.__name__})"
            ) from error
        raise ArchiveError(f"{path} could not be unpacked: {error.strerror}") from error
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise ArchiveError(
            f"{path} is not a readable backup archive (damaged or incomplete: "
            f"{error.__class__.__name__})"
        ) from error
    if manifest_bytes is None:
        raise ArchiveError(f"{MANIFEST}: missing from the archive")
    if not signature or not hmac.compare_digest(signature, sign(manifest_bytes, key)):
        raise ArchiveError(
            f"{MANIFEST}: its signature does not match (the manifest was changed, or the "
            "archive was made with a different PORTFOLIO_AUDIT_KEY)"
        )
    manifest = Manifest.from_bytes(manifest_bytes)
    for name, expected in sorted(manifest.files.items()):
        found = seen.get(name)
        if found is None:
            raise ArchiveError(f"{name}: listed in the manifest but missing from the archive")
        if not hmac.compare_digest(found, expected):
            raise ArchiveError(f"{name}: checksum does not match the manifest (changed or damaged)")
    unlisted = sorted(set(seen) - set(manifest.files))
    if unlisted:
        raise ArchiveError(f"{unlisted[0]}: in the archive but not in the manifest")
    for name, _ in manifest.tables:
        if table_member(name) not in seen:
            raise ArchiveError(f"{table_member(name)}: missing from the archive")
    for sha256 in manifest.attachments:
        if seen[attachment_member(sha256)] != sha256:
            raise ArchiveError(f"{attachment_member(sha256)}: content does not match its name")
    return Unpacked(manifest, folder)


def _copy(source: IO[bytes], target: Path) -> str:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as handle:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()


def read_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def lines(rows: Iterable[str]) -> Iterator[bytes]:
    """Rows of JSON as the bytes of a JSON Lines file."""
    for row in rows:
        yield row.encode("utf-8") + b"\n"
