"""An uploaded staff record extract, kept between its preview and the administrator's
confirmation.

Kept in the database rather than on disk, so every web worker and machine sees it, keyed by a
random id, tied to the administrator who uploaded it (nobody else can preview or confirm it)
and to its SHA-256 (the confirmation names the file previewed). Deleted when imported, and by
the nightly housekeeping a day after upload.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.core.clock import utcnow
from portfolio.core.db import Base


class StaffUpload(Base):
    __tablename__ = "staff_uploads"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
