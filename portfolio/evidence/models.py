"""Evidence, its versions, links to competencies and attachments; the procedure log; drafts
saved automatically while a form is being written.

Evidence is edited freely while it is a draft. Once a decision has considered a version it
is frozen, and a correction becomes a new version with the old one kept: everything a
decision saw (the kind of evidence included) lives on the version.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column


class EvidenceKind(enum.StrEnum):
    REFLECTIVE_ACCOUNT = "reflective_account"
    OBSERVED_PRACTICE = "observed_practice"
    TRAINING_RECORD = "training_record"
    CERTIFICATE = "certificate"
    WITNESS_TESTIMONY = "witness_testimony"

    @property
    def label(self) -> str:
        return {
            "reflective_account": "Reflective account",
            "observed_practice": "Observed practice",
            "training_record": "Training record",
            "certificate": "Certificate",
            "witness_testimony": "Witness testimony",
        }[self.value]


class ProcedureOutcome(enum.StrEnum):
    SUCCESSFUL = "successful"
    UNSUCCESSFUL = "unsuccessful"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[EvidenceVersion]] = relationship(
        back_populates="evidence", order_by="EvidenceVersion.number"
    )

    @property
    def latest(self) -> EvidenceVersion:
        return self.versions[-1]


class EvidenceVersion(Base):
    __tablename__ = "evidence_versions"
    __table_args__ = (UniqueConstraint("evidence_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # On the version, not the evidence: a correction may change it, and a frozen version
    # keeps the kind its decision saw.
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind, "evidence_version_kind"))
    title: Mapped[str] = mapped_column(String(200))
    activity_on: Mapped[dt.date] = mapped_column(Date)
    # As typed, in the small formatting subset (portfolio.evidence.text renders it safely).
    body: Mapped[str] = mapped_column(Text)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    evidence: Mapped[Evidence] = relationship(back_populates="versions")
    links: Mapped[list[EvidenceLink]] = relationship(
        cascade="all, delete-orphan", order_by="EvidenceLink.competency_code"
    )
    attachments: Mapped[list[Attachment]] = relationship(order_by="Attachment.id")


class EvidenceLink(Base):
    __tablename__ = "evidence_links"

    version_id: Mapped[int] = mapped_column(ForeignKey("evidence_versions.id"), primary_key=True)
    competency_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("evidence_versions.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ProcedureLine(Base):
    """One supervised procedure. It counts only once its witness has confirmed it."""

    __tablename__ = "procedure_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    performed_on: Mapped[dt.date] = mapped_column(Date)
    setting: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[ProcedureOutcome] = mapped_column(
        enum_column(ProcedureOutcome, "procedure_outcome")
    )
    # None only for a line brought in from another organisation's export: the witness is not
    # a person here, so their name is kept as the original record gave it (`witness_name`).
    witness_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    witness_name: Mapped[str | None] = mapped_column(String(200))
    # Where a line brought in from an export came from ("Exported from … on …").
    imported_from: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    # How the witness proved who they were when confirming (their own password, entered on
    # whatever device was at hand).
    confirmed_by: Mapped[str | None] = mapped_column(String(40))


class EvidenceDraft(Base):
    """What a worker was typing into the evidence form, saved automatically so that a
    reflection is never lost to a validation error or a session timeout.

    Not a record: never audited, replaced on every autosave, deleted when the evidence is
    saved, and pruned after EVIDENCE_DRAFT_DAYS. One per worker and evidence; evidence_id
    None is the evidence they have not saved yet. Both engines treat NULLs as distinct in
    a unique constraint, so that draft has a partial unique index of its own (the code
    selects then updates; the index catches two autosaves racing).
    """

    __tablename__ = "evidence_drafts"
    __table_args__ = (
        UniqueConstraint("worker_id", "evidence_id"),
        Index(
            "uq_evidence_drafts_worker_id_new",
            "worker_id",
            unique=True,
            sqlite_where=text("evidence_id IS NULL"),
            postgresql_where=text("evidence_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    # JSON: title, kind, activity_on (as typed), body and competency_codes (see drafts.py).
    fields: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EarliestEvidence(Base):
    """The date of a worker's earliest evidence for a competency, counting only the latest
    version of each piece of evidence: all that a status needs of the evidence (it turns "not
    started" into "in progress"). Kept by `evidence.earliest` whenever evidence is written, so
    that a trust's matrix reads one row per worker and competency instead of joining 100,000
    pieces of evidence to their versions and links."""

    __tablename__ = "earliest_evidence"

    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    competency_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    activity_on: Mapped[dt.date] = mapped_column(Date)
