"""Someone's identity, confirmed once for one form on another person's device: an assessor
signing off, or a witness confirming supervised procedures.

When the credentials on such a form are right but the form has other mistakes, the page keeps
a short-lived proof in the signed session: this person, for this worker, this target (a
competency, a request, the procedures) and this form (its one-time submission key), for a few
minutes (a setting of the trust). The corrected form is then accepted without the password
again; the successful decision uses the proof up. The password itself is never kept or shown
again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import session

from portfolio.core.clock import utcnow

_KEY = "sign_off_identity"


@dataclass(frozen=True)
class Confirmed:
    person_id: int
    checked_at: dt.datetime  # when the password was checked, for the audit trail


def confirm(person_id: int, *, worker_id: int, target: str, form: str, minutes: int) -> None:
    now = utcnow()
    session[_KEY] = {
        "person": person_id,
        "worker": worker_id,
        "target": target,
        "form": form,
        "at": now.isoformat(),
        "until": (now + dt.timedelta(minutes=minutes)).isoformat(),
    }


def confirmed(*, worker_id: int, target: str, form: str) -> Confirmed | None:
    """The proof for exactly this form, if it is still in time."""
    proof = session.get(_KEY)
    if not isinstance(proof, dict) or not form or "person" not in proof:
        return None
    if (proof.get("worker"), proof.get("target"), proof.get("form")) != (worker_id, target, form):
        return None
    if dt.datetime.fromisoformat(proof["until"]) < utcnow():
        session.pop(_KEY, None)
        return None
    return Confirmed(int(proof["person"]), dt.datetime.fromisoformat(proof["at"]))


def use_up() -> None:
    session.pop(_KEY, None)
