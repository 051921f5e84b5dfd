"""What an import brings in, and how it says where it came from. Pure.

The new organisation's records must never claim more than the old one's did:

- A competent sign-off comes in as a *transcribed* sign-off (this portfolio's record of a
  sign-off made elsewhere), a previous employer's (the one that made it: the exporting
  organisation, or the employer before it whose record that organisation typed in), observed
  when it was observed, with the assessor as the record names them, and the source "Exported
  from <organisation> portfolio on <date>". It expires by this organisation's policy from
  the day observed, as every transcription does, but never later than it expired there:
  moving cannot renew a sign-off.
- It does not count here until it is accepted here: the export is the person's own file,
  which they could have edited, and nobody here has seen the sign-off made or its original.
  An educator or administrator accepts it on one practice observed on local equipment, as
  they accept a previous employer's sign-off typed in by hand.
- An expired sign-off comes in all the same, already expired, so the history shows it.
- A revoked sign-off, one suspended when the export was made, and one still waiting for a
  countersignature there (so it never counted) do not come in; the report names each, and
  the export itself keeps them.
- A "not yet competent" outcome is feedback, not a sign-off: it stays in the export.
- A sign-off whose conditions this installation's framework does not know is left out rather
  than brought in without them (a sign-off without "adults only" would claim more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from portfolio.core.clock import long_date
from portfolio.leavers.document import EvidenceVersion, Procedure, SignOff


def _day(value: dt.date) -> str:
    return long_date(value)


def exported_from(organisation: str, exported_on: dt.date) -> str:
    return f"Exported from {organisation} portfolio on {_day(exported_on)}"


def sign_off_left_out(
    sign_off: SignOff, *, organisation: str, exported_on: dt.date, known: bool
) -> str | None:
    """Why this sign-off does not come in, or None when it does."""
    if not known:
        return f"{sign_off.competency} is not a competency in this installation's frameworks"
    if sign_off.outcome != "competent":
        return "a 'not yet competent' outcome: its feedback stays in the export"
    if sign_off.revocation is not None:
        return f"revoked at {organisation} on {_day(sign_off.revocation.revoked_on)}"
    for suspension in sign_off.suspensions:
        ended = suspension.reinstated_on is not None and suspension.reinstated_on <= exported_on
        if suspension.starts_on <= exported_on and not ended:
            return (
                f"suspended at {organisation} since {_day(suspension.starts_on)} when exported: "
                "ask them whether it was reinstated"
            )
    if sign_off.countersignature.required and sign_off.countersignature.countersigned_on is None:
        return f"still waiting for a countersignature at {organisation}, so it never counted there"
    return None


def unknown_conditions(sign_off: SignOff, labels: Iterable[str]) -> list[str]:
    known = set(labels)
    return [label for label in sign_off.conditions if label not in known]


def previous_employer(sign_off: SignOff, *, organisation: str) -> str:
    """The employer that made the sign-off: the one whose record the exporting organisation
    typed in, or the exporting organisation itself."""
    return (sign_off.previous_employer or "").strip() or organisation


def transcribed_source(sign_off: SignOff, *, organisation: str, exported_on: dt.date) -> str:
    """Where a sign-off brought in came from, and the original assessor's registration and
    how they signed, as the exporting portfolio recorded them; for a record it had itself
    typed in, who saw the original, who typed it in and any local acceptance there."""
    parts = [
        f"{exported_from(organisation, exported_on)}; recorded there on "
        f"{_day(sign_off.recorded_on)}"
    ]
    assessor = sign_off.assessor
    if assessor.register_number:
        registration = (
            f"{(assessor.register_type or '').upper()} {assessor.register_number}".strip()
        )
        checked = (
            f", register checked {_day(assessor.register_checked_on)}"
            if assessor.register_checked_on
            else ""
        )
        parts.append(f"assessor's registration as recorded there: {registration}{checked}")
    if sign_off.countersignature.countersigner:
        parts.append(f"countersigned by {sign_off.countersignature.countersigner}")
    if sign_off.expires_on is not None:
        parts.append(f"expiring there on {_day(sign_off.expires_on)}")
    if sign_off.transcribed_source:
        parts.append(f"itself transcribed there from: {sign_off.transcribed_source}")
    if sign_off.original_seen_by:
        seen = f" on {_day(sign_off.original_seen_on)}" if sign_off.original_seen_on else ""
        parts.append(f"original seen there by {sign_off.original_seen_by}{seen}")
    if sign_off.transcribed_by:
        parts.append(f"typed in there by {sign_off.transcribed_by}")
    acceptance = sign_off.local_acceptance
    if acceptance is not None:
        setting = f" ({acceptance.setting})" if acceptance.setting else ""
        parts.append(
            f"accepted there after one practice observed by {acceptance.observer} on "
            f"{_day(acceptance.observed_on)}{setting}"
        )
    elif sign_off.awaiting_acceptance:
        parts.append("never accepted there after a local observation")
    if sign_off.minimum_override is not None:
        override = sign_off.minimum_override
        parts.append(
            f"supervised procedure minimum overridden there by {override.overridden_by} "
            f"({override.procedures_confirmed} of {override.procedures_required} confirmed)"
        )
    return "; ".join(parts) + "."


def no_later_than(ours: dt.date | None, theirs: dt.date | None) -> dt.date | None:
    """The earlier expiry (None never expires)."""
    if ours is None:
        return theirs
    if theirs is None:
        return ours
    return min(ours, theirs)


def evidence_body(version: EvidenceVersion, *, organisation: str, exported_on: dt.date) -> str:
    """The evidence text as written, after a line saying where it came from.

    A line in the text rather than a new field: it shows wherever the evidence does (its
    page, a decision's record, the printable portfolio, a later export) with nothing else to
    change, it cannot be lost in a copy, and it says only what is true of the text below it."""
    first = f"{exported_from(organisation, exported_on)} (version {version.number} there)."
    return f"_{first}_\n\n{version.body}"


def procedure_origin(procedure: Procedure, *, organisation: str, exported_on: dt.date) -> str:
    confirmed = (
        f", confirmed there {_day(procedure.confirmed_at)}" if procedure.confirmed_at else ""
    )
    return f"{exported_from(organisation, exported_on)}{confirmed}"


def procedure_left_out(procedure: Procedure, *, known: bool) -> str | None:
    if not procedure.confirmed:
        return "never confirmed by its witness, so it never counted"
    if not known:
        return f"{procedure.competency} is not a competency in this installation's frameworks"
    return None
