"""What a competency's record holds, as plain values: decisions, suspensions, revocations and
requests of one worker in one competency (`CompetencyHistory`), and the supervision levels and
outcomes a decision records. The status on a date is `standing.status.status_on`; pure.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass


class SupervisionLevel(enum.Enum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    REMOTE = "remote"

    @property
    def label(self) -> str:
        return f"{self.value.capitalize()} supervision"


class Outcome(enum.Enum):
    COMPETENT = "competent"
    NOT_YET_COMPETENT = "not_yet_competent"

    @property
    def label(self) -> str:
        return {"competent": "Competent", "not_yet_competent": "Not yet competent"}[self.value]


def record_note(
    *,
    transcribed: bool,
    accepted_locally: bool,
    minimum_overridden: bool,
    awaiting_acceptance: bool = False,
) -> str | None:
    """What kind of sign-off it is, when not an ordinary assessment here: said wherever the
    sign-off appears, so nobody takes a typed-in record for one assessed here."""
    if awaiting_acceptance:
        return "previous employer's record, awaiting local acceptance"
    if transcribed and accepted_locally:
        return "transcribed record, accepted after local observation"
    if transcribed:
        return "transcribed record"
    if minimum_overridden:
        return "evidence minimum overridden"
    return None


@dataclass(frozen=True, kw_only=True)
class Decision:
    """An assessor's decision on a competency. Supervision, conditions, expiry and the need for
    a countersignature are fixed when it is made, by the policy in force then."""

    id: int
    outcome: Outcome
    observed_on: dt.date
    recorded_on: dt.date
    supervision: SupervisionLevel | None = None
    conditions: tuple[str, ...] = ()  # "adults only", a modality, a site
    expires_on: dt.date | None = None  # the last day it is valid; None: never expires
    countersignature_required: bool = False
    countersigned_on: dt.date | None = None
    transcribed: bool = False  # a paper or previous-employer record typed in later
    # A previous employer's sign-off accepted here after one practice observed on local
    # equipment: the day of that observation.
    accepted_locally_on: dt.date | None = None
    # A previous employer's sign-off brought in by an import: it counts only from the day it
    # is accepted here (`accepted_on`), whatever the previous employer's record says.
    acceptance_required: bool = False
    accepted_on: dt.date | None = None
    # An educator let it go ahead without the supervised procedure minimum.
    minimum_overridden: bool = False

    @property
    def note(self) -> str | None:
        return record_note(
            transcribed=self.transcribed,
            accepted_locally=self.accepted_locally_on is not None,
            minimum_overridden=self.minimum_overridden,
            awaiting_acceptance=self.acceptance_required and self.accepted_on is None,
        )

    def __post_init__(self) -> None:
        if self.recorded_on < self.observed_on:
            raise ValueError("a decision cannot be recorded before the practice was observed")
        # A transcribed record may have been countersigned on paper before it was typed in,
        # so the countersignature is checked against the observation, not the recording.
        if self.countersigned_on is not None and self.countersigned_on < self.observed_on:
            raise ValueError("a decision cannot be countersigned before the practice was observed")
        if self.accepted_on is not None and self.accepted_on < self.recorded_on:
            raise ValueError("a sign-off cannot be accepted here before it was brought in")

    def awaiting_acceptance_on(self, on: dt.date) -> bool:
        """Brought in from a previous employer and not yet accepted here on the date."""
        return self.acceptance_required and (self.accepted_on is None or self.accepted_on > on)

    def counts_on(self, on: dt.date) -> bool:
        """Recorded, accepted here by then where that is required, and countersigned by then
        where that is required."""
        if self.recorded_on > on or self.awaiting_acceptance_on(on):
            return False
        if not self.countersignature_required:
            return True
        return self.countersigned_on is not None and self.countersigned_on <= on

    def expired_on(self, on: dt.date) -> bool:
        """Valid through the expiry day itself; expired from the day after."""
        return self.expires_on is not None and on > self.expires_on


@dataclass(frozen=True, kw_only=True)
class Suspension:
    decision_id: int
    starts_on: dt.date
    reinstated_on: dt.date | None = None  # the first day back in practice
    reason: str = ""

    def __post_init__(self) -> None:
        if self.reinstated_on is not None and self.reinstated_on < self.starts_on:
            raise ValueError("a sign-off cannot be reinstated before its suspension starts")

    def applies_on(self, on: dt.date) -> bool:
        return self.starts_on <= on and (self.reinstated_on is None or on < self.reinstated_on)


@dataclass(frozen=True, kw_only=True)
class Revocation:
    decision_id: int
    revoked_on: dt.date
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class Request:
    """A sign-off request on an assessor's to-do list."""

    requested_on: dt.date
    decided_on: dt.date | None = None
    withdrawn_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.decided_on is not None and self.withdrawn_on is not None:
            raise ValueError("a request is either decided or withdrawn, not both")
        ended = self.decided_on or self.withdrawn_on
        if ended is not None and ended < self.requested_on:
            raise ValueError("a request cannot end before it was made")

    def waiting_on(self, on: dt.date) -> bool:
        ended = self.decided_on or self.withdrawn_on
        return self.requested_on <= on and (ended is None or on < ended)


@dataclass(frozen=True, kw_only=True)
class CompetencyHistory:
    """Everything recorded about one competency for one worker, whatever its date."""

    # Dates of evidence linked to the competency, confirmed procedure lines included. Only the
    # earliest can change a status, so readers may pass just that one.
    evidence_dates: tuple[dt.date, ...] = ()
    requests: tuple[Request, ...] = ()
    decisions: tuple[Decision, ...] = ()
    suspensions: tuple[Suspension, ...] = ()
    revocations: tuple[Revocation, ...] = ()
    # Procedure lines logged and not yet confirmed by their witness: they count for nothing
    # until then, but the worker is told they wait.
    procedures_awaiting: int = 0


def reassessment_evidence_after(history: CompetencyHistory, on: dt.date) -> dt.date | None:
    """Evidence must be dated after this day to count towards reassessment: the day the
    previous sign-off (any competent decision recorded by `on`, revoked or not) was observed.
    Evidence from that very day was what the previous sign-off saw. None: no previous one."""
    return max(
        (
            decision.observed_on
            for decision in history.decisions
            if decision.outcome is Outcome.COMPETENT
            and decision.recorded_on <= on
            # A previous employer's sign-off not yet accepted here is not a sign-off here yet.
            and not decision.awaiting_acceptance_on(on)
        ),
        default=None,
    )


def evidence_counting_towards_reassessment(
    evidence_dates: Iterable[dt.date], history: CompetencyHistory, on: dt.date
) -> tuple[dt.date, ...]:
    """The evidence dates, in the order given, that count towards reassessment on `on`: dated
    after the previous sign-off was observed, and not after `on` (not yet logged then)."""
    after = reassessment_evidence_after(history, on)
    return tuple(
        evidence
        for evidence in evidence_dates
        if evidence <= on and (after is None or evidence > after)
    )
