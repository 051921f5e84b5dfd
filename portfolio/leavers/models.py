"""The record of each export brought into an organisation: what makes importing the same
file twice do nothing the second time, and where its report is kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.core.clock import utcnow
from portfolio.core.db import Base


class PortfolioImport(Base):
    __tablename__ = "portfolio_imports"
    __table_args__ = (UniqueConstraint("organisation_id", "export_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The export's own identifier (`export_id` in portfolio.json): one import per organisation.
    export_id: Mapped[str] = mapped_column(String(36))
    person_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source_organisation: Mapped[str] = mapped_column(String(200))
    exported_at: Mapped[dt.datetime]
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # None: from the command line.
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What came in and what did not, and why, as JSON (see `leavers.importing.ImportReport`).
    report: Mapped[str] = mapped_column(Text)
