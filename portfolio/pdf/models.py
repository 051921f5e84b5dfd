"""Recorded portfolio exports.

An export keeps what the public verify page may show (the name and job role printed on it,
the competencies signed off when it was made) beside its code and the SHA-256 of its bytes,
taken after any appendices were merged, so an uploaded copy can be checked byte for byte.
Nothing else of the portfolio is kept: the PDF itself is never stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base


class PortfolioExport(Base):
    __tablename__ = "portfolio_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # pdf.rules.CODE_ALPHABET, printed on every page and in the QR code; exports made before
    # it hold secrets.token_urlsafe(16) codes, which still verify.
    code: Mapped[str] = mapped_column(String(43), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    exported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    exported_on: Mapped[dt.date] = mapped_column(Date)  # Europe/London
    # As printed on the cover: the verify page shows what the reader holds in their hand.
    worker_name: Mapped[str] = mapped_column(String(200))
    job_role: Mapped[str | None] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int] = mapped_column(Integer)  # the numbered portfolio, appendices apart
    appendices: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(Integer)

    sign_offs: Mapped[list[ExportedSignOff]] = relationship(
        cascade="all, delete-orphan", order_by="ExportedSignOff.position"
    )


class ExportedSignOff(Base):
    """A competency the worker was signed off in (competent and current) when exported."""

    __tablename__ = "exported_sign_offs"

    export_id: Mapped[int] = mapped_column(ForeignKey("portfolio_exports.id"), primary_key=True)
    competency_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer)
