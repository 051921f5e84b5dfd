"""The settings an export or import works within, read from the app's settings (for the pages
and the command line alike)."""

from __future__ import annotations

from portfolio.core.settings import get_settings
from portfolio.evidence.attachments import AttachmentStore
from portfolio.leavers.checks import Limits


def store() -> AttachmentStore:
    return AttachmentStore(get_settings().attachment_folder)


def archive_max_bytes() -> int:
    return get_settings().archive_max_bytes


def limits() -> Limits:
    settings = get_settings()
    return Limits(
        archive_bytes=archive_max_bytes(),
        attachment_bytes=settings.attachment_max_bytes,
        attachment_types=frozenset(settings.attachment_types),
        due_window_days=settings.reassessment_due_days,
    )
