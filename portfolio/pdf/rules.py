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

from portfolio.standing.answer import Shown
from portfolio.standing.status import Status, long_date


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


def since_export(status: Status, shown: Shown | None = None) -> str:
    """What the verify page says of a competency signed off at export, in the words of every
    other view where the engine shows something else (`shown`): a lapsed prerequisite makes it
    "Not current: competent, prerequisite lapsed (…)"; a missing entitlement or designation
    leaves it "Still current, not entitled today (…)"."""
    if not status.may_practise:
        return _SINCE_EXPORT.get(status, NO_LONGER_CURRENT)
    if shown is not None and shown.lapsed:
        return f"Not current: {shown.text[0].lower()}{shown.text[1:]}"
    if shown is not None and shown.unentitled:
        return f"{CURRENT}, not entitled today ({shown.detail})"
    return CURRENT


def is_current(words: str) -> bool:
    """The sign-off is in force (`since_export`'s words), entitled or not."""
    return words == CURRENT or words.startswith(f"{CURRENT},")


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


# Verification codes are read off paper and typed in, so they use only characters nobody
# mistakes for another: no 0 or O, no 1, I or L. Upper case, shown in groups of four.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 28  # 28 characters of 31: 138 random bits, more than the old codes' 128
CODE_GROUP = 4
# What a person may type between the groups: spaces and hyphens of any kind.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def normalise_code(typed: str) -> str:
    """A typed code as stored: separators dropped, upper case. Codes printed before the
    unambiguous alphabet (base64url, case-sensitive, may hold '-') are matched as typed."""
    return _SEPARATORS.sub("", typed).upper()


def group_code(code: str) -> str:
    """`ABCD-EFGH-…` for a code in the unambiguous alphabet; an older code as it is."""
    if len(code) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in code):
        return code
    return "-".join(code[start : start + CODE_GROUP] for start in range(0, len(code), CODE_GROUP))
