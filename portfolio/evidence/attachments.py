"""Checking an uploaded file by what it is, not what it is called, and storing it.

A file is accepted only if it parses as the type its name claims (pypdf for PDFs, Pillow for
PNG and JPEG): an HTML page renamed .pdf, "%PDF-" followed by HTML, or an SVG are refused.
Images are re-encoded, which drops their metadata (camera, location, the time a photo of a
whiteboard was taken). Files are stored outside the web root under the hash of their
content, written atomically, so the same certificate uploaded twice is stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader

from portfolio.core.sandbox import Stop, StoppedError, run_limited

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG"}
_MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# Enough for a photographed certificate; far above it is a decompression bomb.
MAX_PIXELS = 40_000_000
MAX_PDF_PAGES = 200
NOT_A_PDF = "The selected file is not a real PDF: it cannot be read"
# Reading a genuine certificate takes well under a second and a few megabytes.
PDF_SECONDS = 10
PDF_MEMORY_MB = 512


class AttachmentRefusedError(ValueError):
    """Why a file was not accepted, in words for the person who uploaded it."""


@dataclass(frozen=True)
class CheckedFile:
    content: bytes  # what will be stored: images re-encoded without metadata
    media_type: str
    filename: str  # safe to show and to offer as a download name
    sha256: str
    text: str  # a PDF's text, for the patient identifier guard; "" for images

    @property
    def size(self) -> int:
        return len(self.content)


def safe_filename(name: str) -> str:
    """A file name without folders or control characters, kept readable."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .")
    return name[:120] or "attachment"


def size_text(count: int) -> str:
    megabytes = count / (1024 * 1024)
    return f"{megabytes:.3g} MB" if megabytes >= 1 else f"{count // 1024} KB"


@dataclass(frozen=True)
class UploadLimit:
    """What a file field says and checks before anything is sent (its hint, its `accept`
    list, and the size upload-limit.js checks in the browser), from the settings."""

    max_bytes: int
    allowed: tuple[str, ...]

    @property
    def hint(self) -> str:
        labels = [LABELS[item] for item in self.allowed if item in LABELS]
        names = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else labels[0]
        return f"{names}, up to {size_text(self.max_bytes)}"

    @property
    def accept(self) -> str:
        return ",".join(suffix for item in self.allowed for suffix in EXTENSIONS.get(item, ()))

    @property
    def too_large(self) -> str:
        return too_large_message(self.max_bytes)


def too_large_message(max_bytes: int) -> str:
    return f"The selected file must be smaller than {size_text(max_bytes)}"


def _claimed_type(filename: str, allowed: Collection[str]) -> str:
    suffix = Path(filename).suffix.lower()
    for media_type in allowed:
        if suffix in EXTENSIONS.get(media_type, ()):
            return media_type
    names = " or ".join(LABELS[item] for item in sorted(allowed))
    raise AttachmentRefusedError(f"The selected file must be a {names}")


def check_upload(
    data: bytes, filename: str, *, allowed: Collection[str], max_bytes: int
) -> CheckedFile:
    name = safe_filename(filename)
    if not data:
        raise AttachmentRefusedError("The selected file is empty")
    if len(data) > max_bytes:
        raise AttachmentRefusedError(too_large_message(max_bytes))
    claimed = _claimed_type(name, allowed)
    actual = next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)
    if actual != claimed:
        raise AttachmentRefusedError(
            f"The selected file is not a real {LABELS[claimed]}: its contents are something else"
        )
    if claimed == PDF:
        text = _check_pdf(data)
        content = data
    else:
        content, text = _clean_image(data, claimed), ""
    return CheckedFile(content, claimed, name, hashlib.sha256(content).hexdigest(), text)


def _check_pdf(data: bytes) -> str:
    """Parse the PDF and return all its text, metadata, annotations and form fields included
    (everything the patient identifier guard must see), within a time and memory limit.

    A few kilobytes of PDF can take minutes or gigabytes to decode, so the work runs in a
    child process (`portfolio.core.sandbox`) stopped after PDF_SECONDS or beyond PDF_MEMORY_MB: an
    upload can never tie up a web worker.
    """
    try:
        return str(run_limited(_read_pdf, data, seconds=PDF_SECONDS, memory_mb=PDF_MEMORY_MB))
    except StoppedError as error:
        if error.why is Stop.TOO_LONG:
            raise AttachmentRefusedError(
                "The selected PDF is too complex to check: save it again as a simple PDF"
            ) from error
        raise AttachmentRefusedError(
            error.message if error.why is Stop.REFUSED else NOT_A_PDF
        ) from error


def _read_pdf(data: bytes) -> str:
    """In the child: the text, or a refusal saying what is wrong with the file."""
    try:
        return _pdf_text(data)
    except AttachmentRefusedError as error:
        raise StoppedError(Stop.REFUSED, str(error)) from error
    except Exception as error:  # whatever pypdf makes of a broken file
        raise StoppedError(Stop.REFUSED, NOT_A_PDF) from error


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data), strict=True)
    if reader.is_encrypted:
        raise AttachmentRefusedError("The selected PDF is password protected: remove the password")
    pages = reader.pages
    if len(pages) == 0:
        raise AttachmentRefusedError("The selected PDF has no pages")
    if len(pages) > MAX_PDF_PAGES:
        raise AttachmentRefusedError(f"The selected PDF must have {MAX_PDF_PAGES} pages or fewer")
    parts = [page.extract_text() or "" for page in pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]
    for page in pages:
        for annotation in page.get("/Annots") or []:
            obj = annotation.get_object()
            parts += [str(obj.get(key, "")) for key in ("/Contents", "/T", "/V")]
    parts += [str(value) for value in (reader.get_form_text_fields() or {}).values() if value]
    return "\n".join(parts)


def _clean_image(data: bytes, media_type: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise AttachmentRefusedError("The selected image is too large: reduce its size")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Turn phone photos the right way up before the orientation tag is dropped, then
            # copy only the pixels into a fresh image: no EXIF, comments or text chunks.
            upright = ImageOps.exif_transpose(image)
            mode = "RGB" if media_type == JPEG else upright.mode
            clean = Image.new(mode, upright.size)
            clean.paste(upright.convert(mode))
            output = io.BytesIO()
            if media_type == JPEG:
                clean.save(output, "JPEG", quality=92, optimize=True)
            else:
                clean.save(output, "PNG", optimize=True)
            return output.getvalue()
    except AttachmentRefusedError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        label = LABELS[media_type]
        raise AttachmentRefusedError(
            f"The selected file is not a real {label}: it cannot be read"
        ) from error


class AttachmentStore:
    """Files on disk under the hash of their content, outside anything served directly.

    A file is written (and synced) before the row that names it is committed, and is never
    changed or removed once such a row exists (only an upload whose commit failed takes its
    own new file back). So any set of committed rows can always find all of its files, which
    is what lets a backup read the rows in one snapshot and the files afterwards.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a content hash")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, content: bytes) -> tuple[str, bool]:
        """Store content; returns its hash and whether this call created the file."""
        sha256 = hashlib.sha256(content).hexdigest()
        path = self.path_for(sha256)
        if path.exists():
            return sha256, False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return sha256, True

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def remove(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)
