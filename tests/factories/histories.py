"""Plain status values (no database): sign-offs, histories, and Hypothesis strategies for
random histories, for the pure rules built on `portfolio.standing.status`.

`sign_off()` is competent at direct supervision, adults only, observed on SIGNED (2 March
2026) and valid to EXPIRY; `history(...)` holds whatever decisions and records are given.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Request,
    Revocation,
    SupervisionLevel,
    Suspension,
)

DAY = dt.timedelta(days=1)
SIGNED = dt.date(2026, 3, 2)
EXPIRY = dt.date(2027, 3, 1)  # the last valid day


def sign_off(
    decision_id: int = 1,
    *,
    observed: dt.date = SIGNED,
    recorded: dt.date | None = None,
    expires: dt.date | None = EXPIRY,
    supervision: SupervisionLevel | None = SupervisionLevel.DIRECT,
    conditions: tuple[str, ...] = ("adults only",),
    countersignature_required: bool = False,
    countersigned: dt.date | None = None,
    transcribed: bool = False,
    acceptance_required: bool = False,
    accepted: dt.date | None = None,
) -> Decision:
    return Decision(
        id=decision_id,
        outcome=Outcome.COMPETENT,
        observed_on=observed,
        recorded_on=recorded or observed,
        supervision=supervision,
        conditions=conditions,
        expires_on=expires,
        countersignature_required=countersignature_required,
        countersigned_on=countersigned,
        transcribed=transcribed,
        acceptance_required=acceptance_required,
        accepted_on=accepted,
        accepted_locally_on=accepted,
    )


def not_yet(decision_id: int = 9, *, observed: dt.date = SIGNED) -> Decision:
    return Decision(
        id=decision_id,
        outcome=Outcome.NOT_YET_COMPETENT,
        observed_on=observed,
        recorded_on=observed,
    )


def history(
    *decisions: Decision,
    evidence: tuple[dt.date, ...] = (),
    requests: tuple[Request, ...] = (),
    suspensions: tuple[Suspension, ...] = (),
    revocations: tuple[Revocation, ...] = (),
) -> CompetencyHistory:
    return CompetencyHistory(
        evidence_dates=evidence,
        requests=requests,
        decisions=decisions,
        suspensions=suspensions,
        revocations=revocations,
    )


# Random histories. Dates stay within a few months so every day can be checked.

START = dt.date(2026, 1, 1)


def day(offset: int) -> dt.date:
    return START + offset * DAY


dates = st.integers(0, 90).map(day)
as_at = st.integers(-5, 130).map(day)


@st.composite
def decisions(draw: st.DrawFn, decision_id: int, after: dt.date | None = None) -> Decision:
    observed = draw(dates)
    recorded = observed + draw(st.integers(0, 15)) * DAY
    if after is not None and recorded <= after:
        recorded = after + draw(st.integers(1, 15)) * DAY
    required = draw(st.booleans())
    # A previous employer's sign-off brought in by an import: accepted here later, or not yet.
    brought_in = draw(st.booleans())
    accepted = (
        draw(st.none() | st.integers(0, 30).map(lambda n: recorded + n * DAY))
        if brought_in
        else None
    )
    return Decision(
        id=decision_id,
        outcome=draw(st.sampled_from(Outcome)),
        observed_on=observed,
        recorded_on=recorded,
        supervision=draw(st.none() | st.sampled_from(SupervisionLevel)),
        conditions=tuple(
            draw(st.lists(st.sampled_from(["adults only", "CT", "site A"]), max_size=2))
        ),
        expires_on=draw(st.none() | st.integers(0, 60).map(lambda n: observed + n * DAY)),
        countersignature_required=required,
        countersigned_on=draw(st.none() | st.integers(0, 30).map(lambda n: observed + n * DAY))
        if required
        else None,
        transcribed=brought_in or draw(st.booleans()),
        acceptance_required=brought_in,
        accepted_on=accepted,
        accepted_locally_on=accepted,
    )


@st.composite
def suspensions(draw: st.DrawFn, ids: int) -> Suspension:
    starts = draw(dates)
    return Suspension(
        decision_id=draw(st.integers(1, ids + 1)),
        starts_on=starts,
        reinstated_on=draw(st.none() | st.integers(0, 30).map(lambda n: starts + n * DAY)),
        reason=draw(st.sampled_from(["", "long absence"])),
    )


@st.composite
def requests(draw: st.DrawFn) -> Request:
    requested = draw(dates)
    end = draw(st.none() | st.integers(0, 30).map(lambda n: requested + n * DAY))
    decided = draw(st.booleans())
    return Request(
        requested_on=requested,
        decided_on=end if decided else None,
        withdrawn_on=None if decided else end,
    )


@st.composite
def histories(draw: st.DrawFn) -> CompetencyHistory:
    count = draw(st.integers(0, 4))
    return CompetencyHistory(
        evidence_dates=tuple(draw(st.lists(dates, max_size=4))),
        requests=tuple(draw(st.lists(requests(), max_size=3))),
        decisions=tuple(draw(decisions(n)) for n in range(1, count + 1)),
        suspensions=tuple(draw(st.lists(suspensions(count), max_size=2))),
        revocations=tuple(
            draw(
                st.lists(
                    st.builds(
                        Revocation,
                        decision_id=st.integers(1, count + 1),
                        revoked_on=dates,
                        reason=st.just("unsafe"),
                    ),
                    max_size=2,
                )
            )
        ),
    )


def decision(
    decision_id: int = 1,
    *,
    observed: dt.date,
    expires: dt.date | None = None,
    outcome: Outcome = Outcome.COMPETENT,
    **fields: object,
) -> Decision:
    """A bare decision, observed and recorded the same day, with only what is given (no
    supervision level, no conditions) unlike `sign_off`."""
    return Decision(
        id=decision_id,
        outcome=outcome,
        observed_on=observed,
        recorded_on=observed,
        expires_on=expires,
        **fields,  # type: ignore[arg-type]
    )
