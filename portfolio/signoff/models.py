"""Sign-off requests, decisions, countersignatures, suspensions and revocations.

A decision is a record of what happened, so it copies what it was made under: the assessor's
name, register, number and check date as they stood, the framework version and the local
policy version in force, the expiry that policy fixed, and the evidence versions it saw.
Later edits to a person, policy or framework never change an old decision. Only the
countersignature, and the local acceptance of a previous employer's sign-off brought in by an
import, are added afterwards; nothing else on a decision is ever updated.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.people.registers import RegisterType
from portfolio.standing.status import Outcome, SupervisionLevel, record_note


class RequestState(enum.StrEnum):
    WAITING = "waiting"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class Authentication(enum.StrEnum):
    """How the assessor proved who they were at the moment of deciding."""

    POINT_OF_CARE = "point_of_care"  # their own password, on the worker's device
    OWN_SESSION = "own_session"  # signed in as themselves, password entered again to sign
    TRANSCRIBED = "transcribed"  # a paper or previous-employer record, typed in

    @property
    def label(self) -> str:
        return {
            "point_of_care": "Entered their own password on the worker's device",
            "own_session": "Re-entered their password in their own session",
            "transcribed": "Transcribed from a paper or previous-employer record",
        }[self.value]


class SignOffRequest(Base):
    """A worker's request for sign-off, on one assessor's to-do list until decided."""

    __tablename__ = "sign_off_requests"
    # One request waiting per worker and competency: the database refuses a second, even
    # one sent at the same instant from two browser tabs.
    __table_args__ = (
        Index(
            "uq_sign_off_requests_one_waiting",
            "worker_id",
            "competency_code",
            unique=True,
            sqlite_where=text("state = 'waiting'"),
            postgresql_where=text("state = 'waiting'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState, "request_state"), default=RequestState.WAITING
    )
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    requested_on: Mapped[dt.date] = mapped_column(Date)  # Europe/London
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    # The worker's declaration, made when asking: read the policy, accepts accountability.
    declared_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    evidence: Mapped[list[SignOffRequestEvidence]] = relationship(cascade="all, delete-orphan")


class SignOffRequestEvidence(Base):
    __tablename__ = "sign_off_request_evidence"

    request_id: Mapped[int] = mapped_column(ForeignKey("sign_off_requests.id"), primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), primary_key=True)


class MinimumOverride(Base):
    """An educator's decision that the next sign-off may go ahead without the supervised
    procedure minimum (say 7 of 10 confirmed), with the reason. It stays open until a
    competent decision is recorded: the one that needed it keeps it (`minimum_override_id`);
    one that did not need it closes it all the same, so it never carries over to a later
    reassessment."""

    __tablename__ = "minimum_overrides"
    # One override open (waiting for the next sign-off) per worker and competency, whoever
    # overrides at once.
    __table_args__ = (
        Index(
            "uq_minimum_overrides_one_open",
            "worker_id",
            "competency_code",
            unique=True,
            sqlite_where=text("closed_on IS NULL"),
            postgresql_where=text("closed_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    # What was missing when it was overridden: "7 of 10".
    procedures_required: Mapped[int] = mapped_column(Integer)
    procedures_confirmed: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    overridden_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    overridden_by_name: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_on: Mapped[dt.date] = mapped_column(Date)  # Europe/London
    closed_on: Mapped[dt.date | None] = mapped_column(Date)


class SignOffDecision(Base):
    __tablename__ = "sign_off_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    # At most one decision answers a request: the database refuses a second, whatever races.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("sign_off_requests.id"), unique=True)
    # The form's one-off key: a decision submitted twice (a double tap on a phone at the point
    # of care) is recorded once.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome, "sign_off_outcome"))
    supervision: Mapped[SupervisionLevel | None] = mapped_column(
        enum_column(SupervisionLevel, "supervision_level")
    )
    # Condition labels as granted, one per line ("Adults only").
    conditions: Mapped[str] = mapped_column(Text, default="")
    observed_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recorded_on: Mapped[dt.date] = mapped_column(Date)  # Europe/London
    expires_on: Mapped[dt.date | None] = mapped_column(Date)

    # What it was assessed against.
    framework_code: Mapped[str] = mapped_column(String(64))
    framework_version: Mapped[str] = mapped_column(String(20))
    policy_version: Mapped[int | None] = mapped_column(Integer)
    policy_title: Mapped[str | None] = mapped_column(String(200))
    procedures_required: Mapped[int] = mapped_column(Integer, default=0)
    reassessment_months: Mapped[int | None] = mapped_column(Integer)

    # Who decided, as they stood that day.
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assessor_name: Mapped[str] = mapped_column(String(200))
    assessor_profession: Mapped[str | None] = mapped_column(String(64))
    assessor_register: Mapped[RegisterType] = mapped_column(
        enum_column(RegisterType, "assessor_register"), default=RegisterType.NONE
    )
    assessor_register_number: Mapped[str | None] = mapped_column(String(16))
    assessor_register_checked_on: Mapped[dt.date | None] = mapped_column(Date)
    assessor_qualification: Mapped[str | None] = mapped_column(String(300))
    authentication: Mapped[Authentication] = mapped_column(
        enum_column(Authentication, "sign_off_authentication")
    )

    # The worker's declaration: has read the policy, accepts accountability.
    declared_at: Mapped[dt.datetime | None]

    # Structured feedback (required for "not yet competent").
    went_well: Mapped[str | None] = mapped_column(Text)
    to_develop: Mapped[str | None] = mapped_column(Text)
    action_plan: Mapped[str | None] = mapped_column(Text)

    countersignature_required: Mapped[bool] = mapped_column(Boolean, default=False)
    countersigned_on: Mapped[dt.date | None] = mapped_column(Date)
    countersigned_at: Mapped[dt.datetime | None]
    countersigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersigner_name: Mapped[str | None] = mapped_column(String(200))

    # A transcribed record: where the original is kept, the previous employer that made it
    # (None: this trust, on paper), who saw the original and when, and who typed it in.
    transcribed_source: Mapped[str | None] = mapped_column(Text)
    previous_employer: Mapped[str | None] = mapped_column(String(200))
    original_seen_by: Mapped[str | None] = mapped_column(String(200))
    original_seen_on: Mapped[dt.date | None] = mapped_column(Date)
    transcribed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    transcribed_by_name: Mapped[str | None] = mapped_column(String(200))
    # A previous employer's sign-off accepted here once a local assessor observed one practice
    # on local equipment: what the acceptance rests on.
    local_observer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    local_observer_name: Mapped[str | None] = mapped_column(String(200))
    local_observed_on: Mapped[dt.date | None] = mapped_column(Date)
    local_setting: Mapped[str | None] = mapped_column(String(200))
    # A previous employer's sign-off brought in by an import: nobody here has seen it assessed
    # or seen the original, so it counts only once an educator or administrator here accepts it
    # on a local observation (above), from the day they do (`accepted_on`).
    acceptance_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)  # Europe/London
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_by_name: Mapped[str | None] = mapped_column(String(200))

    # An educator let this sign-off go ahead without the supervised procedure minimum.
    minimum_override_id: Mapped[int | None] = mapped_column(
        ForeignKey("minimum_overrides.id"), unique=True
    )
    minimum_override: Mapped[MinimumOverride | None] = relationship()

    evidence: Mapped[list[SignOffEvidence]] = relationship(cascade="all, delete-orphan")
    procedures: Mapped[list[SignOffProcedure]] = relationship(cascade="all, delete-orphan")

    @property
    def condition_labels(self) -> tuple[str, ...]:
        return tuple(line for line in self.conditions.splitlines() if line)

    @property
    def transcribed(self) -> bool:
        return self.authentication is Authentication.TRANSCRIBED

    @property
    def note(self) -> str | None:
        return record_note(
            transcribed=self.transcribed,
            accepted_locally=self.local_observed_on is not None,
            minimum_overridden=self.minimum_override_id is not None,
            awaiting_acceptance=self.awaiting_acceptance,
        )

    @property
    def awaiting_acceptance(self) -> bool:
        return self.acceptance_required and self.accepted_on is None


class SignOffEvidence(Base):
    """An evidence version a decision considered (frozen from then on)."""

    __tablename__ = "sign_off_evidence"

    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("evidence_versions.id"), primary_key=True)


class SignOffProcedure(Base):
    """A confirmed procedure line a decision counted."""

    __tablename__ = "sign_off_procedures"

    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), primary_key=True)
    procedure_line_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_lines.id"), primary_key=True
    )


class Suspension(Base):
    """A sign-off suspended from a day (pending an investigation, after long absence)."""

    __tablename__ = "sign_off_suspensions"
    # One suspension open (not yet reinstated) per sign-off, whoever suspends it at once.
    __table_args__ = (
        Index(
            "uq_sign_off_suspensions_one_open",
            "decision_id",
            unique=True,
            sqlite_where=text("reinstated_on IS NULL"),
            postgresql_where=text("reinstated_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    suspended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reinstated_on: Mapped[dt.date | None] = mapped_column(Date)  # first day back in practice
    reinstatement_reason: Mapped[str | None] = mapped_column(Text)
    reinstated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reinstated_at: Mapped[dt.datetime | None]


class Revocation(Base):
    __tablename__ = "sign_off_revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), unique=True)
    revoked_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    revoked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignOffLink(Base):
    """An emailed link that opens one sign-off request on its assessor's own device.

    Only the SHA-256 of the link's token is kept; the token exists in the email alone. A link
    works for its assessor, until it expires, while its request waits and while it is the
    request's newest (a new email supersedes it); the assessor's decision on the request uses
    it up. Opening it asks for the assessor's password, which also serves as the
    re-authentication for signing.
    """

    __tablename__ = "sign_off_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("sign_off_requests.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    opened_at: Mapped[dt.datetime | None]  # the first time the assessor's password was right
    used_at: Mapped[dt.datetime | None]  # the assessor decided the request
    superseded_at: Mapped[dt.datetime | None]


class SignOffDispute(Base):
    """The link in the email that tells an assessor of a sign-off made in their name on
    someone else's device, and their dispute of it ("Not you?").

    Only the SHA-256 of the link's token is kept. The link works until the trust's window
    after the sign-off was recorded ends, once; a dispute suspends the sign-off at once.
    """

    __tablename__ = "sign_off_disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ends_at: Mapped[dt.datetime]  # the window's end: the sign-off's recording plus the days
    superseded_at: Mapped[dt.datetime | None]  # the email was sent again
    disputed_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
