"""What a portfolio says about each sign-off, and what the public verify page may say: pure.

`standing` is one historical sign-off's standing on the day a portfolio is printed (a
portfolio lists every sign-off, old ones included). `since_export` is what the verify page
says of a competency shown as signed off in an export, from its status today: the minimum
the issue allows (current, expired, suspended, revoked), never a reason or a date.
"""

from __future__ import annotations

import datetime as dt
import re
import string

from portfolio.signoff.status import Status, long_date


def standing(
    *,
    on: dt.date,
    expires_on: dt.date | None,
    countersignature_required: bool,
    countersigned_on: dt.date | None,
    suspended_since: dt.date | None,
    revoked_on: dt.date | None,
    renewed_on: dt.date | None,
) -> str:
    """One sign-off's standing on `on`. `suspended_since`: the start of a suspension applying
    on the day; `revoked_on`: a revocation made by then; `renewed_on`: the observation day of
    a later sign-off of the same competency recorded by then. The first that applies wins:
    revoked, suspended, awaiting countersignature, expired, renewed, in force."""
    if revoked_on is not None and revoked_on <= on:
        return f"Revoked on {long_date(revoked_on)}"
    if suspended_since is not None and suspended_since <= on:
        return f"Suspended since {long_date(suspended_since)}"
    if countersignature_required and (countersigned_on is None or countersigned_on > on):
        return "Awaiting a practice educator's countersignature: it does not count yet"
    if expires_on is not None and on > expires_on:
        return f"Expired (valid until {long_date(expires_on)})"
    if renewed_on is not None:
        return f"Renewed by the sign-off observed on {long_date(renewed_on)}"
    return "In force"


# What the verify page says of a competency signed off at export, by its status today.
_SINCE_EXPORT = {
    Status.EXPIRED: "Expired since the export",
    Status.SUSPENDED: "Suspended since the export",
    Status.REVOKED: "Revoked since the export",
}
CURRENT = "Still current"
NO_LONGER_CURRENT = "No longer current"


def since_export(status: Status) -> str:
    if status.may_practise:
        return CURRENT
    return _SINCE_EXPORT.get(status, NO_LONGER_CURRENT)


def appendix_letter(index: int) -> str:
    """A, B, … Z, AA, AB, … for the 0th, 1st, … appendix."""
    letters = string.ascii_uppercase
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = letters[remainder] + name
    return name


def slug(text: str, *, empty: str) -> str:
    """Lower-case ASCII words joined by hyphens, for a file name every browser keeps."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or empty


def filename(name: str, on: dt.date) -> str:
    """`portfolio-sam-jones-2026-03-05.pdf`."""
    return f"portfolio-{slug(name, empty='worker')}-{on.isoformat()}.pdf"
