"""What the standing engine answers: may or may not, the supervision, structured conditions,
valid until when, reasons as codes with plain English, and warnings.

`may` is True exactly when no reason blocks (`Reason.blocks`). Reasons that do not block say
why the answer is narrower than the sign-off: a supervision level capped by a ceiling.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from portfolio.standing.facts import Condition
from portfolio.standing.status import Status, SupervisionLevel


class ReasonCode(enum.StrEnum):
    # Scope of practice and the competency's own status (the reckoner's rules).
    NO_JOB_ROLE = "no_job_role"
    NOT_IN_SCOPE = "not_in_scope"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    AWAITING_COUNTERSIGNATURE = "awaiting_countersignature"
    AWAITING_LOCAL_ACCEPTANCE = "awaiting_local_acceptance"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    NOT_YET_COMPETENT = "not_yet_competent"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    PREREQUISITE_LAPSED = "prerequisite_lapsed"
    # Entitlements and designations.
    NO_ENTITLEMENT = "no_entitlement"
    ENTITLEMENT_EXPIRED = "entitlement_expired"
    ENTITLEMENT_WITHDRAWN = "entitlement_withdrawn"
    TRAINEE_NOT_OPERATOR = "trainee_not_operator"
    NOT_MR_AUTHORISED = "not_mr_authorised"
    NOT_MR_SCREENED = "not_mr_screened"
    # The task.
    CHILD_WITHOUT_PAEDIATRICS = "child_without_paediatrics"
    CONDITION_NOT_MET = "condition_not_met"
    # Narrowing, not refusing.
    ABOVE_CEILING_CAPPED = "above_ceiling_capped"
    SITE_NOT_QUALIFYING = "site_not_qualifying"

    @property
    def blocks(self) -> bool:
        return self not in _NARROWING

    @property
    def about_grants(self) -> bool:
        """An entitlement or designation is missing: competent, but not entitled."""
        return self in _GRANTS


_NARROWING = frozenset({ReasonCode.ABOVE_CEILING_CAPPED, ReasonCode.SITE_NOT_QUALIFYING})
_GRANTS = frozenset(
    {
        ReasonCode.NO_ENTITLEMENT,
        ReasonCode.ENTITLEMENT_EXPIRED,
        ReasonCode.ENTITLEMENT_WITHDRAWN,
        ReasonCode.TRAINEE_NOT_OPERATOR,
        ReasonCode.NOT_MR_AUTHORISED,
        ReasonCode.NOT_MR_SCREENED,
    }
)

# What stands between them and "may", in words a worker can act on.
REMEDIES: dict[ReasonCode, str] = {
    ReasonCode.NO_JOB_ROLE: "A job role, recorded by an administrator",
    ReasonCode.NOT_IN_SCOPE: "A job role whose scope of practice includes it",
    ReasonCode.REVOKED: "A new sign-off by an eligible assessor",
    ReasonCode.SUSPENDED: "Reinstatement by a practice educator or administrator",
    ReasonCode.EXPIRED: "Reassessment by an eligible assessor",
    ReasonCode.AWAITING_COUNTERSIGNATURE: "A practice educator's countersignature",
    ReasonCode.AWAITING_LOCAL_ACCEPTANCE: (
        "Acceptance by a practice educator or administrator after one practice observed on "
        "local equipment"
    ),
    ReasonCode.AWAITING_SIGN_OFF: "An assessor's decision on the request",
    ReasonCode.NOT_YET_COMPETENT: "Reassessment after the action plan",
    ReasonCode.IN_PROGRESS: "Sign-off by an eligible assessor",
    ReasonCode.NOT_STARTED: "Evidence, then sign-off by an eligible assessor",
    ReasonCode.PREREQUISITE_LAPSED: "A current sign-off in the prerequisite",
    ReasonCode.NO_ENTITLEMENT: "An IR(ME)R operator entitlement granted by the employer",
    ReasonCode.ENTITLEMENT_EXPIRED: "A review of the IR(ME)R operator entitlement",
    ReasonCode.ENTITLEMENT_WITHDRAWN: "A new IR(ME)R operator entitlement granted by the employer",
    ReasonCode.TRAINEE_NOT_OPERATOR: (
        "An IR(ME)R operator entitlement; until then, practical training only, under the "
        "direct supervision of an entitled operator"
    ),
    ReasonCode.NOT_MR_AUTHORISED: "MR Authorised Person designation by the MR Responsible Person",
    ReasonCode.NOT_MR_SCREENED: "A current staff MR safety screening record",
    ReasonCode.CHILD_WITHOUT_PAEDIATRICS: "A current paediatric sign-off, or another colleague",
    ReasonCode.CONDITION_NOT_MET: "Another colleague for this task",
}


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    text: str
    # What would remove it, naming what it is about where the rule knows ("A current sign-off
    # in Basic life support (CORE-BLS)"); the code's general remedy otherwise.
    remedy: str | None = None
    # The text without its source, where it names one, for a status's detail in a table.
    brief: str | None = None

    def __post_init__(self) -> None:
        if self.remedy is None:
            object.__setattr__(self, "remedy", REMEDIES.get(self.code))

    @property
    def blocks(self) -> bool:
        return self.code.blocks

    @property
    def short(self) -> str:
        return self.brief or self.text


class NoticeCode(enum.StrEnum):
    EXPIRING_SOON = "expiring_soon"
    DUE_FOR_REASSESSMENT = "due_for_reassessment"
    RENEWAL_AWAITING = "renewal_awaiting"
    COUNTERSIGNATURE_PENDING = "countersignature_pending"
    AWAITING_LOCAL_OBSERVATION = "awaiting_local_observation"
    PRECEPTEE = "preceptee"
    PREREQUISITE_EXPIRING_SOON = "prerequisite_expiring_soon"
    ENTITLEMENT_REVIEW_SOON = "entitlement_review_soon"
    DESIGNATION_REVIEW_SOON = "designation_review_soon"


@dataclass(frozen=True)
class Notice:
    """A warning (amber): true today, worth acting on before it bites."""

    code: NoticeCode
    text: str


@dataclass(frozen=True)
class SignOff:
    """The sign-off an answer rests on."""

    decision_id: int
    observed_on: dt.date
    assessor: str | None
    countersigner: str | None
    countersigned_on: dt.date | None  # as known on the date
    expires_on: dt.date | None
    note: str | None  # "transcribed record" and the like


@dataclass(frozen=True)
class Shown:
    """The one status every view shows for the competency: its code, its label on the tag
    ("Competent, prerequisite lapsed", "Competent, not entitled") and what the label leaves
    out ("Basic life support (CORE-BLS) expired on 3 March 2027")."""

    code: str
    label: str
    detail: str = ""
    lapsed: bool = False  # in force, but a prerequisite is not: not counted as competent
    unentitled: bool = False  # in force, but an entitlement or designation is missing

    @property
    def text(self) -> str:
        return f"{self.label} ({self.detail})" if self.detail else self.label

    @property
    def differs(self) -> bool:
        """Not the competency's own status: something besides it is in the way."""
        return self.lapsed or self.unentitled


@dataclass(frozen=True, kw_only=True)
class Standing:
    code: str
    may: bool
    status: Status  # the competency's own status on the date
    shown: Shown
    in_scope: bool
    supervision: SupervisionLevel | None  # set only when they may
    conditions: tuple[Condition, ...]  # set only when they may
    valid_until: dt.date | None  # set only when they may; None then means no end known
    sign_off: SignOff | None
    reasons: tuple[Reason, ...]
    warnings: tuple[Notice, ...]
    summary: str  # one line a shift lead can read out

    @property
    def label(self) -> str:
        return "May" if self.may else "May not"

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(reason.code for reason in self.reasons)

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(reason for reason in self.reasons if reason.blocks)

    @property
    def reason(self) -> str:
        """Why they may, or the first thing in the way: one line (the summary)."""
        return self.summary

    @property
    def missing(self) -> tuple[str, ...]:
        """What stands between them and "may", in the order to fix it."""
        remedies = (reason.remedy for reason in self.reasons if reason.blocks)
        return tuple(dict.fromkeys(remedy for remedy in remedies if remedy))

    @property
    def signed_off_on(self) -> dt.date | None:
        return self.sign_off.observed_on if self.sign_off else None

    @property
    def signed_off_by(self) -> str | None:
        return self.sign_off.assessor if self.sign_off else None

    @property
    def note(self) -> str | None:
        return self.sign_off.note if self.sign_off else None

    @property
    def condition_labels(self) -> tuple[str, ...]:
        return tuple(condition.label for condition in self.conditions)

    @property
    def supervision_text(self) -> str:
        """'Indirect supervision; Adults only', or '' when they may not."""
        if self.supervision is None and not self.conditions:
            return ""
        parts = [self.supervision.label] if self.supervision else []
        return "; ".join([*parts, *(condition.label for condition in self.conditions)])
