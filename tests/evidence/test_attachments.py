"""Uploads are accepted only for what they really are, cleaned, and stored by content."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from portfolio.evidence.attachments import (
    JPEG,
    PDF,
    PNG,
    AttachmentRefusedError,
    AttachmentStore,
    check_upload,
    safe_filename,
)

ALLOWED = {PDF, PNG, JPEG}
TEN_MB = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Cannulation training certificate, Jordan Lee</p>").write_pdf()  # type: ignore[no-any-return]


def _image(kind: str, **save: object) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(output, kind, **save)
    return output.getvalue()


def check(data: bytes, name: str):  # type: ignore[no-untyped-def]
    return check_upload(data, name, allowed=ALLOWED, max_bytes=TEN_MB)


def test_a_real_pdf_is_accepted_with_its_text(real_pdf: bytes) -> None:
    checked = check(real_pdf, "certificate.pdf")
    assert checked.media_type == PDF
    assert checked.content == real_pdf
    assert "Cannulation training certificate" in checked.text


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"<!doctype html><html><script>alert(1)</script></html>",
            "certificate.pdf",
            "not a real PDF",
        ),
        (
            b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>",
            "certificate.pdf",
            "not a real PDF",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "photo.png",
            "not a real PNG",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "drawing.svg", "must be a"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png", "photo.png", "not a real PNG"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_spoofed_and_broken_files_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(AttachmentRefusedError, match=message):
        check(data, name)


def test_a_png_named_pdf_is_refused() -> None:
    with pytest.raises(AttachmentRefusedError, match="not a real PDF"):
        check(_image("PNG"), "certificate.pdf")


def test_an_oversize_file_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(AttachmentRefusedError, match="smaller than 10 MB"):
        check(b"%PDF-" + b"0" * TEN_MB, "big.pdf")


def test_a_type_the_trust_has_not_allowed_is_refused(real_pdf: bytes) -> None:
    with pytest.raises(AttachmentRefusedError, match="must be a PNG"):
        check_upload(real_pdf, "certificate.pdf", allowed={PNG}, max_bytes=TEN_MB)


def test_photo_metadata_is_removed() -> None:
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x0132] = "2026:03:03 09:15:00"  # DateTime
    original = _image("JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(original)).getexif()
    cleaned = check(original, "whiteboard.JPG")
    assert cleaned.media_type == JPEG
    assert not Image.open(io.BytesIO(cleaned.content)).getexif()
    assert b"Phone maker" not in cleaned.content


def test_png_text_chunks_are_removed() -> None:
    info = PngInfo()
    info.add_text("Comment", "ward 7 bay 3")
    cleaned = check(_image("PNG", pnginfo=info), "scan.png")
    assert b"ward 7 bay 3" not in cleaned.content
    assert Image.open(io.BytesIO(cleaned.content)).size == (40, 30)


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\cert.pdf", "cert.pdf"),
        ('a"b<c>.pdf', "abc.pdf"),
        ("", "attachment"),
    ],
)
def test_file_names_lose_folders_and_unsafe_characters(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_the_store_keeps_one_copy_per_content_and_writes_atomically(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path)
    sha, created = store.put(b"same bytes")
    again, created_again = store.put(b"same bytes")
    assert (sha, created, created_again) == (again, True, False)
    assert store.read(sha) == b"same bytes"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha]
    with pytest.raises(ValueError, match="not a content hash"):
        store.path_for("../../secret")


def test_jpeg_comments_are_removed_and_photos_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; the picture needs rotating
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 94, 184)).save(
        output, "JPEG", exif=exif.tobytes(), comment=b"NHS 943 476 5919"
    )
    cleaned = check(output.getvalue(), "photo.jpg")
    assert b"943 476 5919" not in cleaned.content
    image = Image.open(io.BytesIO(cleaned.content))
    assert "comment" not in image.info
    assert image.size == (30, 40)


def test_a_pdfs_metadata_and_form_fields_are_read_for_the_guard(real_pdf: bytes) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(real_pdf)))
    writer.add_metadata({"/Title": "Patient NHS 943 476 5919"})
    output = io.BytesIO()
    writer.write(output)
    assert "943 476 5919" in check(output.getvalue(), "certificate.pdf").text


def test_a_pdf_that_takes_too_long_to_read_is_refused(
    real_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from portfolio.evidence import attachments

    monkeypatch.setattr(attachments, "PDF_SECONDS", 0)
    with pytest.raises(AttachmentRefusedError, match="too complex"):
        check(real_pdf, "certificate.pdf")
