"""The settings an export or import works within, read from the app's configuration (for the
pages and the command line alike)."""

from __future__ import annotations

from flask import current_app

from portfolio.evidence.attachments import AttachmentStore, attachment_folder
from portfolio.leavers.checks import Limits


def store() -> AttachmentStore:
    config = current_app.config
    return AttachmentStore(attachment_folder(config["ATTACHMENT_DIR"], current_app.instance_path))


def archive_max_bytes() -> int:
    return int(current_app.config["PORTFOLIO_ARCHIVE_MAX_BYTES"])


def limits() -> Limits:
    config = current_app.config
    return Limits(
        archive_bytes=archive_max_bytes(),
        attachment_bytes=int(config["ATTACHMENT_MAX_BYTES"]),
        attachment_types=frozenset(
            item.strip() for item in config["ATTACHMENT_TYPES"].split(",") if item.strip()
        ),
        due_window_days=int(config["REASSESSMENT_DUE_DAYS"]),
    )
