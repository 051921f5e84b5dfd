"""A person's complete export: one ZIP holding everything the portfolio keeps about them.

- `portfolio.json`: every record, in the versioned format of `leavers.document`;
- `attachments/<sha256>.<ext>`: each evidence file once, named by the SHA-256 of its bytes
  and the extension of its type, so it opens as it is (the manifest in portfolio.json lists
  each with its size and type);
- `portfolio.html`: the same, for people to read, in one file that loads nothing else;
- `README.txt`: what all this is, in plain words.

Other people appear only as their records of this person name them (the assessor of a
sign-off, the witness of a procedure, a supervisor): never their email, account or anything
else of theirs. What this person recorded about others (sign-offs they made as an assessor)
is the others' record, and is not here.

The ZIP is written to a temporary file, file by file, with each attachment copied from the
store in chunks and checked against its hash on the way: nothing is held in memory twice,
and a damaged store stops the export rather than send a wrong file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass
from typing import IO

from flask import render_template
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.evidence.attachments import AttachmentStore
from portfolio.evidence.text import render
from portfolio.leavers import document as doc
from portfolio.leavers.collect import build_document
from portfolio.people.models import User

CHUNK = 1024 * 1024


class ExportError(Exception):
    """Why an export could not be made, in words for the person asking."""


@dataclass(frozen=True)
class ExportedFile:
    """A finished export: the open temporary file (deleted when closed) and its name."""

    file: IO[bytes]
    download_name: str
    size: int
    attachments: int


def _readme(document: doc.Document, *, with_pdf: bool) -> str:
    return render_template(
        "leavers/README.txt", document=document, with_pdf=with_pdf, format=doc.FORMAT
    )


def _html(document: doc.Document) -> str:
    bodies = {
        (item.id, version_.number): render(version_.body)
        for item in document.evidence
        for version_ in item.versions
    }
    return render_template("leavers/portfolio.html", document=document, bodies=bodies)


def _copy_checked(store: AttachmentStore, sha256: str, target: IO[bytes]) -> None:
    """Copy a stored file into the archive in chunks, checking it is the file its name says."""
    digest = hashlib.sha256()
    path = store.path_for(sha256)
    try:
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                target.write(chunk)
    except FileNotFoundError as error:
        raise ExportError(f"The attachment {sha256} is missing from the store") from error
    if digest.hexdigest() != sha256:
        raise ExportError(f"The attachment {sha256} in the store is damaged")


def write_export(
    session: Session,
    person: User,
    store: AttachmentStore,
    *,
    by_themselves: bool,
    max_bytes: int,
    now: dt.datetime | None = None,
    pdf: bytes | None = None,
) -> ExportedFile:
    """The export as a temporary file (deleted when closed), rewound for reading, with the
    printable portfolio (`pdf`, a recorded export anyone can verify) where the caller made one.

    Refused, before anything is written, when it would be larger than `max_bytes` (the size
    an import accepts): an export too large to bring in anywhere helps nobody."""
    document = build_document(session, person, by_themselves=by_themselves, now=now)
    text = json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=2)
    readme = _readme(document, with_pdf=pdf is not None)
    html = _html(document)
    estimate = (
        sum(item.size for item in document.attachments)
        + len(text.encode())
        + len(html.encode())
        + len(pdf or b"")
    )
    if estimate > max_bytes:
        raise ExportError(
            f"The export would be {estimate // (1024 * 1024) + 1} MB, more than the "
            f"{max_bytes // (1024 * 1024)} MB an import accepts: ask an administrator"
        )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", readme)
            archive.writestr("portfolio.json", text)
            archive.writestr("portfolio.html", html)
            if pdf is not None:
                archive.writestr("portfolio.pdf", pdf, compress_type=zipfile.ZIP_STORED)
            for item in document.attachments:
                # PDFs and images are compressed already: stored as they are.
                info = zipfile.ZipInfo(item.archive_name, _zip_time(document))
                info.compress_type = zipfile.ZIP_STORED
                with archive.open(info, "w", force_zip64=True) as target:
                    _copy_checked(store, item.sha256, target)
        size = output.tell()
        output.seek(0)
    except BaseException:
        output.close()
        raise
    stamp = document.exported_at.strftime("%Y-%m-%d")
    slug = "".join(ch if ch.isalnum() else "-" for ch in person.name.lower()).strip("-")
    return ExportedFile(
        file=output,
        download_name=f"portfolio-{slug or person.id}-{stamp}.zip",
        size=size,
        attachments=len(document.attachments),
    )


def _zip_time(document: doc.Document) -> tuple[int, int, int, int, int, int]:
    moment = document.exported_at
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def record_export(auditor: Auditor, person: User, exported: ExportedFile) -> None:
    """Who exported whose portfolio, and when (the entry's time): never what it held."""
    auditor.record(
        "portfolio.exported",
        subject_type="user",
        subject_id=person.id,
        organisation_id=person.organisation_id,
        changes={
            "by_themselves": auditor.actor_id == person.id,
            "attachments": exported.attachments,
            "bytes": exported.size,
        },
    )
