"""An export's ZIP as it may arrive: damaged, protected by a password or compressed in a way
Python does not read, each refused by name without an error page; and a refused import taking
back only the files nobody else's record has come to name."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.evidence.attachments import AttachmentStore
from portfolio.evidence.models import Attachment, Evidence
from portfolio.leavers import checks, importing
from portfolio.leavers.settings import limits
from portfolio.people.models import User
from tests import factories
from tests.leavers.portfolios import NEW_EMAIL, Trusts, edit_document, open_zip, post_import


def _member_header(data: bytes, name: str) -> tuple[int, int]:
    """Where the member's central directory entry and local header start."""
    encoded = name.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == encoded:
            return at, struct.unpack_from("<I", data, at + 42)[0]
        at += 4
    raise AssertionError(f"{name} not in the ZIP")


def _patched(data: bytes, name: str, *, flags: int | None = None, method: int | None = None):  # type: ignore[no-untyped-def]
    """The ZIP with one member's general purpose flags or compression method changed, in its
    central directory entry and its local header alike."""
    output = bytearray(data)
    central, local = _member_header(data, name)
    for start, offset in ((central, 8), (local, 6)):
        if flags is not None:
            struct.pack_into("<H", output, start + offset, flags)
        if method is not None:
            struct.pack_into("<H", output, start + offset + 2, method)
    return bytes(output)


def _deflated_and_damaged(data: bytes, name: str) -> bytes:
    """The ZIP written again with `name` deflated, and bytes in its deflate stream broken."""
    source = open_zip(data)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for item in source.namelist():
            target.writestr(item, source.read(item))
    written = bytearray(output.getvalue())
    _, local = _member_header(bytes(written), name)
    names, extra = struct.unpack_from("<HH", written, local + 26)
    start = local + 30 + names + extra
    written[start + 4 : start + 36] = b"\xff" * 32
    return bytes(written)


def _attachment(data: bytes) -> str:
    return next(item for item in open_zip(data).namelist() if item.startswith("attachments/"))


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda data: _deflated_and_damaged(data, "portfolio.json"), lambda data: "portfolio.json"),
        (lambda data: _deflated_and_damaged(data, _attachment(data)), _attachment),
        (lambda data: _patched(data, _attachment(data), flags=0x1), _attachment),  # a password
        (lambda data: _patched(data, _attachment(data), method=99), _attachment),  # AES
    ],
    ids=["damaged-json", "damaged-attachment", "encrypted-attachment", "unknown-compression"],
)
def test_a_member_that_cannot_be_read_is_refused_by_name(
    session: Session,
    client: FlaskClient,
    trusts: Trusts,
    exported: bytes,
    damage,
    where,  # type: ignore[no-untyped-def]
) -> None:
    response = post_import(client, trusts, damage(exported))
    page = factories.page_text(response)
    assert response.status_code == 200
    assert f"{where(exported)}: cannot be read: it is damaged, protected by a password" in page
    assert "Nothing was brought in" in page
    assert session.scalar(select(func.count()).where(User.email == NEW_EMAIL)) == 0


def test_a_refused_import_leaves_a_file_another_record_has_come_to_use(
    app: Flask, session: Session, trusts: Trusts, exported: bytes, tmp_path: Path
) -> None:
    """The import stores each attachment as it checks it, and takes back those it created if
    anything is refused. Meanwhile another record may have been saved with the same content
    (the store keeps each content once): that file is its file now, and must stay."""
    colleague_version = (
        session.scalars(select(Evidence).where(Evidence.worker_id == trusts.colleague.id))
        .one()
        .latest
    )

    created: list[str] = []

    class Meanwhile(AttachmentStore):
        """Another record is saved with the PDF's content just after the import stores it."""

        def put(self, content: bytes) -> tuple[str, bool]:
            sha256, new = super().put(content)
            if new:
                created.append(sha256)
            if content.startswith(b"%PDF"):
                session.add(
                    Attachment(
                        version_id=colleague_version.id,
                        sha256=sha256,
                        media_type="application/pdf",
                        filename="same-certificate.pdf",
                        size=len(content),
                    )
                )
                session.flush()
            return sha256, new

    store = Meanwhile(tmp_path / "attachments")  # empty: the import creates every file
    refused = edit_document(
        exported,
        lambda document: document["evidence"][0]["versions"][-1].update(
            body="Seen with NHS number 943 476 5919."
        ),
    )
    with app.test_request_context():
        settings = limits()
        with pytest.raises(checks.ImportRefusedError):
            importing.import_portfolio(
                factories.auditor(session, trusts.south_admin),
                io.BytesIO(refused),
                organisation=trusts.south,
                by=trusts.south_admin,
                email=NEW_EMAIL,
                name=None,
                store=store,
                limits=settings,
                today=today(),
            )
    manifest = json.loads(open_zip(exported).read("portfolio.json"))["attachments"]
    pdf = next(item["sha256"] for item in manifest if item["media_type"] == "application/pdf")
    assert pdf in created
    # The PDF another record now names stays; any file the import created that no record
    # names is taken back.
    named = set(session.scalars(select(Attachment.sha256)))
    assert {sha256: store.path_for(sha256).exists() for sha256 in created} == {
        sha256: sha256 in named for sha256 in created
    }
    assert store.path_for(pdf).read_bytes().startswith(b"%PDF")
