"""May this person do this task on this date, under what supervision, and why: pure.

The reckoner's judgement, from plain values the queries build (nothing here touches Flask or
a session). A person may do a task on a date when all of these hold:

1. the competency is in the scope of practice of the job role they held that day (with
   their post and plan): a sign-off never stretches a job role's scope, so a sign-off for
   something outside it is "may not", and the answer says so;
2. its status that day lets them practise (`standing.status`: competent or due for
   reassessment, so a sign-off recorded, countersigned where needed, in date, neither
   suspended nor revoked); the status is what the portfolio held at the end of that day,
   so asking about a day before the sign-off was recorded says "may not";
3. each of its prerequisites (aseptic technique and basic life support for cannulation)
   lets them practise that day too: a prerequisite that has expired stops the task.

The answer names the sign-off it rests on (observed when, by whom, countersigned by whom,
valid until when) or what stands in the way, one line a shift lead can read out. Free-text
reasons for a suspension or revocation are never repeated here: the reckoner is open to
every shift lead in the organisation, the sign-off record only to those who may see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portfolio.signoff.rules import Prerequisite
from portfolio.standing.status import (
    Decision,
    Status,
    StatusOnDate,
    SupervisionLevel,
    long_date,
)

if TYPE_CHECKING:
    from portfolio.careers.scope import WorkerScope


@dataclass(frozen=True)
class Signers:
    """Who a decision names: the assessor as recorded, and the countersigning educator."""

    assessor: str
    countersigner: str | None = None


@dataclass(frozen=True)
class Answer:
    code: str
    may: bool
    status: Status  # the competency's own status on the date
    in_scope: bool
    supervision: SupervisionLevel | None  # set only when they may
    conditions: tuple[str, ...]  # set only when they may
    valid_until: dt.date | None  # set only when they may; None then means it never expires
    signed_off_on: dt.date | None  # the sign-off the answer rests on, if any
    signed_off_by: str | None
    reason: str  # one line: why they may, or why not
    missing: tuple[str, ...]  # what stands between them and "may", in the order to fix it
    # What kind of sign-off it rests on, when not an ordinary assessment ("transcribed record").
    note: str | None = None

    @property
    def label(self) -> str:
        return "May" if self.may else "May not"

    @property
    def supervision_text(self) -> str:
        """'Indirect supervision; adults only', or '' when they may not."""
        if self.supervision is None:
            return ""
        return "; ".join([self.supervision.label, *self.conditions])


def prerequisite_name(item: Prerequisite) -> str:
    return item.title if item.code in item.title else f"{item.title} ({item.code})"


def answer(
    code: str,
    scope: WorkerScope | None,
    status: StatusOnDate,
    *,
    on: dt.date,
    signers: Mapping[int, Signers] | None = None,
    prerequisites: Sequence[Prerequisite] = (),
) -> Answer:
    """The reckoner's answer for one person, one competency and one date.

    `status` is the competency's status on `on` (`standing.status.status_on`), `signers`
    names the people on decisions by decision id, and `prerequisites` carries each
    prerequisite competency's status on the same date."""
    decision = status.decision
    names = (signers or {}).get(decision.id) if decision is not None else None
    signed = _signed_off(decision, names) if decision is not None else None
    sign_off = decision if decision is not None and _is_sign_off(status) else None

    def may_not(in_scope: bool, reason: str, missing: tuple[str, ...]) -> Answer:
        return Answer(
            code=code,
            may=False,
            status=status.status,
            in_scope=in_scope,
            supervision=None,
            conditions=(),
            valid_until=None,
            signed_off_on=sign_off.observed_on if sign_off else None,
            signed_off_by=names.assessor if sign_off and names else None,
            reason=reason,
            missing=missing,
            note=sign_off.note if sign_off else None,
        )

    if scope is None:
        return may_not(
            False,
            f"No job role was recorded for them on {long_date(on)}, so they had no scope of "
            "practice that day" + _though(status, signed),
            ("A job role, recorded by an administrator",),
        )
    if code not in {row.code for row in scope.rows}:
        return may_not(
            False,
            f"Not in the scope of practice of a {_lower(scope.job_role.label)}, their job role "
            f"on {long_date(on)}" + _though(status, signed),
            ("A job role whose scope of practice includes it",),
        )
    if not status.may_practise or decision is None or signed is None:
        return may_not(True, *_why_not(status, signed, names))
    lapsed = tuple(
        f"{prerequisite_name(item)}: {item.status.status.label.lower()}"
        for item in prerequisites
        if not item.status.may_practise
    )
    if lapsed:
        return may_not(
            True, f"{signed}, but not every prerequisite is current ({'; '.join(lapsed)})", lapsed
        )
    validity = (
        f"valid until {long_date(decision.expires_on)}"
        if decision.expires_on is not None
        else "does not expire"
    )
    due = "; due for reassessment" if status.status is Status.DUE_FOR_REASSESSMENT else ""
    renewal = "; a renewal is awaiting a decision" if status.renewal_awaiting else ""
    return Answer(
        code=code,
        may=True,
        status=status.status,
        in_scope=True,
        supervision=status.supervision,
        conditions=status.conditions,
        valid_until=decision.expires_on,
        signed_off_on=decision.observed_on,
        signed_off_by=names.assessor if names else None,
        reason=f"{signed}, {validity}{due}{renewal}",
        missing=(),
        note=decision.note,
    )


def _is_sign_off(status: StatusOnDate) -> bool:
    """Whether the decision the status rests on is a sign-off (not 'not yet competent')."""
    return status.decision is not None and status.status is not Status.NOT_YET_COMPETENT


def _signed_off(decision: Decision, names: Signers | None) -> str:
    text = f"Signed off on {long_date(decision.observed_on)}"
    if names is not None:
        text += f" by {names.assessor}"
    if decision.note:
        text += f" ({decision.note})"
    if decision.countersigned_on is not None:  # as known on the date: later ones are hidden
        who = f" by {names.countersigner}" if names and names.countersigner else ""
        text += f", countersigned{who} on {long_date(decision.countersigned_on)}"
    return text


def _though(status: StatusOnDate, signed: str | None) -> str:
    """Out of scope with a sign-off in force: say the sign-off does not count."""
    if signed is None or not status.may_practise:
        return ""
    return f"; their sign-off does not count: {_lower(signed)}"


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def _why_not(
    status: StatusOnDate, signed: str | None, names: Signers | None
) -> tuple[str, tuple[str, ...]]:
    """The reason and what is missing, for each status that does not let them practise."""
    decision = status.decision
    record = f"; {_lower(signed)}" if signed else ""
    renewal = "; a renewal is awaiting a decision" if status.renewal_awaiting else ""
    match status.status:
        case Status.REVOKED if status.revocation is not None:
            return (
                f"Revoked on {long_date(status.revocation.revoked_on)}{record}",
                ("A new sign-off by an eligible assessor",),
            )
        case Status.SUSPENDED if status.suspension is not None:
            return (
                f"Suspended since {long_date(status.suspension.starts_on)}{record}",
                ("Reinstatement by a practice educator or administrator",),
            )
        case Status.EXPIRED if decision is not None and decision.expires_on is not None:
            last = decision.expires_on
            after = last + dt.timedelta(days=1) if last < dt.date.max else last
            return (
                f"Expired on {long_date(after)}: valid until {long_date(last)}{record}{renewal}",
                ("Reassessment by an eligible assessor",),
            )
        case Status.AWAITING_COUNTERSIGNATURE:
            return (
                f"{signed or 'Signed off'}; awaiting countersignature by a practice educator",
                ("A practice educator's countersignature",),
            )
        case Status.AWAITING_ACCEPTANCE:
            return (
                f"{signed or 'Signed off'}; not yet accepted here",
                (
                    "Acceptance by a practice educator or administrator after one practice "
                    "observed on local equipment",
                ),
            )
        case Status.AWAITING_SIGN_OFF if status.request is not None:
            requested = long_date(status.request.requested_on)
            return (
                f"Sign-off requested on {requested}; awaiting an assessor's decision",
                (f"An assessor's decision on the request made on {requested}",),
            )
        case Status.NOT_YET_COMPETENT if decision is not None:
            return (
                f"Assessed as not yet competent on {long_date(decision.observed_on)}"
                + (f" by {names.assessor}" if names else ""),
                ("Reassessment after the action plan",),
            )
        case Status.IN_PROGRESS:
            return (
                "In progress: evidence logged, not yet signed off",
                ("Sign-off by an eligible assessor",),
            )
    return (
        "Not started: no evidence or sign-off yet",
        ("Evidence, then sign-off by an eligible assessor",),
    )
