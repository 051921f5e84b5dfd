"""What `/health` checks: the database answers, and the attachment store takes a file.

Each check answers only yes or no: the page is public (load balancers call it without
signing in), so it never shows a path, a host name or an error's text. Those go to the log.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

PROBE = b"health probe\n"


def database_answers(session: Session) -> bool:
    try:
        return session.execute(text("SELECT 1")).scalar() == 1
    except SQLAlchemyError:
        log.warning("health: the database did not answer", exc_info=True)
        return False


def attachment_store_writable(root: Path) -> bool:
    """The folder exists, and a small file can be written there, read back and deleted (a
    full disk, a read-only or unmounted volume, or lost permissions all fail this)."""
    if not root.is_dir():
        log.warning("health: the attachment store %s is not a folder", root)
        return False
    try:
        handle, name = tempfile.mkstemp(dir=root, prefix=".health-")
        probe = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(PROBE)
            return probe.read_bytes() == PROBE
        finally:
            probe.unlink(missing_ok=True)
    except OSError:
        log.warning("health: the attachment store %s is not writable", root, exc_info=True)
        return False


def checks(session: Session, attachment_root: Path) -> dict[str, bool]:
    return {
        "database": database_answers(session),
        "attachments": attachment_store_writable(attachment_root),
    }
