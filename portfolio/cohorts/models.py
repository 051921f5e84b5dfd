"""A cohort export and each portfolio in it: the source of truth for the background jobs.

The queue (Huey) only carries "prepare portfolio N"; whether that portfolio is done, where
its PDF lies and whether the ZIP is built are kept here. A task that runs twice, or a task
lost with a killed consumer, changes nothing: the consumer re-queues what is not done when it
starts, and a portfolio already done is not prepared again.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.core.roles import JobRole
from portfolio.people.models import User


class CohortState(enum.StrEnum):
    PREPARING = "preparing"  # portfolios still to prepare, or the ZIP still to build
    READY = "ready"  # the ZIP is waiting to be downloaded
    EXPIRED = "expired"  # its files are deleted


class PortfolioState(enum.StrEnum):
    WAITING = "waiting"
    DONE = "done"  # its PDF is written and its print recorded
    FAILED = "failed"  # stopped (too long, too large, a file missing): listed in the index


class CohortExport(Base):
    __tablename__ = "cohort_exports"
    __table_args__ = (
        # One export being prepared per educator at a time: a double click, or a second tab,
        # cannot queue the same department twice.
        Index(
            "uq_cohort_exports_one_preparing",
            "requested_by_id",
            unique=True,
            sqlite_where=text("state = 'preparing'"),
            postgresql_where=text("state = 'preparing'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # What was chosen, in words ("Radiology, Assistant practitioners") and as filters.
    description: Mapped[str] = mapped_column(String(300))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"))
    job_role: Mapped[JobRole | None] = mapped_column(enum_column(JobRole, "cohort_job_role"))
    with_appendices: Mapped[bool] = mapped_column(default=False)
    # Where each PDF's QR code points: the address the educator used, or VERIFY_BASE_URL.
    verify_base: Mapped[str] = mapped_column(String(300))
    state: Mapped[CohortState] = mapped_column(
        enum_column(CohortState, "cohort_state"), default=CohortState.PREPARING
    )
    total: Mapped[int] = mapped_column(Integer)
    # When a portfolio last finished (or the export was queued): an export that makes no
    # progress for long is queued again by the consumer's upkeep.
    last_progress_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime]
    zip_size: Mapped[int | None] = mapped_column(Integer)

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    portfolios: Mapped[list[CohortPortfolio]] = relationship(
        order_by="CohortPortfolio.position", back_populates="cohort"
    )


class CohortPortfolio(Base):
    __tablename__ = "cohort_portfolios"
    __table_args__ = (UniqueConstraint("cohort_export_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_export_id: Mapped[int] = mapped_column(ForeignKey("cohort_exports.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, … by name: the file's number
    # As chosen, for the index and the file name, whatever changes later.
    worker_name: Mapped[str] = mapped_column(String(200))
    job_role: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(200))
    post: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[PortfolioState] = mapped_column(
        enum_column(PortfolioState, "cohort_portfolio_state"), default=PortfolioState.WAITING
    )
    # The PDF in the export's folder: named after its print's code, so two runs of one task
    # never write the same file.
    filename: Mapped[str | None] = mapped_column(String(100))
    portfolio_export_id: Mapped[int | None] = mapped_column(ForeignKey("portfolio_exports.id"))
    failure: Mapped[str | None] = mapped_column(String(300))
    finished_at: Mapped[dt.datetime | None]

    cohort: Mapped[CohortExport] = relationship(back_populates="portfolios")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
