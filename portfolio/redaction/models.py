"""The record that a redaction happened: whose record, which places, why, by whom and when.

It never holds the text removed, nor anything derived from it (a hash of a short identifier
can be reversed by trying every NHS number): only the labels of the places it was found in
("Version 2: text") and how many times.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.core.clock import utcnow
from portfolio.core.db import Base


class Redaction(Base):
    __tablename__ = "redactions"
    __table_args__ = (
        # Exactly one kind of record: a piece of evidence or a sign-off decision.
        CheckConstraint("(evidence_id IS NULL) <> (decision_id IS NULL)", name="one_record"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("sign_off_decisions.id"), index=True)
    # One line per place: "Version 1: text (2 times)". Labels only, never the text.
    places: Mapped[str] = mapped_column(Text)
    occurrences: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    redacted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    redacted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    redacted_on: Mapped[dt.date] = mapped_column(Date)  # Europe/London

    @property
    def place_lines(self) -> tuple[str, ...]:
        return tuple(line for line in self.places.splitlines() if line)
