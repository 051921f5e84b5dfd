"""The statuses a competency can have, and one worker's status in one competency on a date
(`StatusOnDate`, what `standing.status.status_on` answers); pure."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from portfolio.core.clock import long_date, shift_days
from portfolio.standing.history import Decision, Request, Revocation, SupervisionLevel, Suspension


class Status(enum.Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature"
    NOT_YET_COMPETENT = "not_yet_competent"
    COMPETENT = "competent"
    AWAITING_ACCEPTANCE = "awaiting_acceptance"
    DUE_FOR_REASSESSMENT = "due_for_reassessment"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def may_practise(self) -> bool:
        # Due for reassessment still counts: the sign-off is valid until it expires.
        return self in (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT)


_STATUS_LABELS = {
    Status.NOT_STARTED: "Not started",
    Status.IN_PROGRESS: "In progress",
    Status.AWAITING_SIGN_OFF: "Awaiting sign-off",
    Status.AWAITING_COUNTERSIGNATURE: "Awaiting countersignature",
    Status.AWAITING_ACCEPTANCE: "Awaiting local acceptance",
    Status.NOT_YET_COMPETENT: "Not yet competent",
    Status.COMPETENT: "Competent",
    Status.DUE_FOR_REASSESSMENT: "Due for reassessment",
    Status.EXPIRED: "Expired",
    Status.SUSPENDED: "Suspended",
    Status.REVOKED: "Revoked",
}

# Statuses where a waiting request is a renewal rather than a first sign-off.
RENEWABLE = (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT, Status.EXPIRED)


@dataclass(frozen=True, kw_only=True)
class StatusOnDate:
    """The answer for one date. Records in it are as they stood on that date: a
    countersignature, reinstatement or decision on a request given later is not shown."""

    status: Status
    # The decision the status rests on: the sign-off in force for competent and due, the
    # latest sign-off for rules 1, 2, 5, 6 and 7, the latest decision for not yet competent.
    decision: Decision | None
    # What the worker may do on the date: empty unless they may practise.
    supervision: SupervisionLevel | None
    conditions: tuple[str, ...]
    expires_on: dt.date | None
    # The first day of the unbroken run of this status on this decision; None when nothing
    # had been recorded yet. A renewal starts a new run; a renewal request does not.
    since: dt.date | None
    renewal_awaiting: bool
    request: Request | None  # the oldest request waiting on the date
    suspension: Suspension | None  # set when suspended
    revocation: Revocation | None  # set when revoked

    @property
    def may_practise(self) -> bool:
        return self.status.may_practise

    def reason(self) -> str:
        """One line of plain English for the pages and the PDF."""
        decision, status = self.decision, self.status
        renewal = "; a renewal is awaiting a decision" if self.renewal_awaiting else ""
        if status is Status.REVOKED and self.revocation is not None:
            return f"Revoked on {long_date(self.revocation.revoked_on)}" + _colon(
                self.revocation.reason
            )
        if status is Status.SUSPENDED and self.suspension is not None:
            return f"Suspended since {long_date(self.suspension.starts_on)}" + _colon(
                self.suspension.reason
            )
        if status is Status.EXPIRED and decision is not None and decision.expires_on is not None:
            # "Expired on" the last valid day would contradict "valid until": name both days.
            last = decision.expires_on
            after = shift_days(last, 1) or last
            return f"Expired on {long_date(after)} (valid until {long_date(last)}){renewal}"
        if status.may_practise and decision is not None:
            validity = (
                f"valid until {long_date(decision.expires_on)}"
                if decision.expires_on is not None
                else "does not expire"
            )
            due = "; due for reassessment" if status is Status.DUE_FOR_REASSESSMENT else ""
            return f"{_signed_off(decision)}, {validity}{due}{renewal}"
        if status is Status.AWAITING_COUNTERSIGNATURE and decision is not None:
            return f"{_signed_off(decision)}; awaiting countersignature"
        if status is Status.AWAITING_ACCEPTANCE and decision is not None:
            return (
                f"{_signed_off(decision)}; counts here once accepted after one practice "
                "observed on local equipment"
            )
        if status is Status.AWAITING_SIGN_OFF and self.request is not None:
            requested = long_date(self.request.requested_on)
            return f"Sign-off requested on {requested}; awaiting an assessor's decision"
        if status is Status.NOT_YET_COMPETENT and decision is not None:
            return f"Assessed as not yet competent on {long_date(decision.observed_on)}"
        if status is Status.IN_PROGRESS:
            return "Evidence logged; not yet signed off"
        return "No evidence or sign-off yet"


def _signed_off(decision: Decision) -> str:
    parts = [f"Signed off on {long_date(decision.observed_on)}"]
    if decision.note:
        parts[0] += f" ({decision.note})"
    if decision.supervision is not None:
        parts.append(decision.supervision.label.lower())
    parts.extend(decision.conditions)
    return ", ".join(parts)


def _colon(text: str) -> str:
    return f": {text}" if text else ""
