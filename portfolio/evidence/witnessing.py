"""The witness's confirmation of supervised procedures on the worker's device: every mistake on
the form found in one round trip (which procedures, the email, the password, whether this
person may confirm them), as on a sign-off form.

When the email and password are right but something else is wrong (no procedure ticked, one
that names another witness), the witness's identity is kept for this form for a few minutes
(`accounts.identity`, the trust's `sign_off_identity_minutes`): the corrected form is accepted
without the password again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from flask import request
from sqlalchemy import select

from portfolio.accounts import identity
from portfolio.core.clock import utcnow
from portfolio.core.roles import AccountRole
from portfolio.db import get_session
from portfolio.evidence.forms import WitnessConfirmForm
from portfolio.evidence.models import ProcedureLine
from portfolio.people.models import User
from portfolio.web import field_error, identify_on_device

TARGET = "procedures"


@dataclass
class Confirmation:
    witness: User
    lines: Sequence[ProcedureLine]
    identity_checked_at: dt.datetime  # when the witness's password was checked


def confirmation(form: WitnessConfirmForm, worker: User) -> Confirmation | None:
    """The witness and the procedures they confirm, or None with every problem on the form."""
    if request.method != "POST":
        return None
    form.validate_on_submit()
    if "csrf_token" in form.errors:  # a stale or forged form: nothing else is checked
        return None
    kept = _confirmed_witness(form, worker)
    witness, checked_at = kept if kept else (_witness(form, worker), utcnow())
    lines = _lines(form, worker, witness)
    if witness is None or any(field.errors for field in form):
        return None
    identity.use_up()
    return Confirmation(witness, lines, checked_at)


def confirmed_name(form: WitnessConfirmForm, worker: User) -> str | None:
    """The witness whose identity is confirmed for this form, for the page to say so."""
    kept = _confirmed_witness(form, worker)
    return kept[0].name if kept else None


def _confirmed_witness(form: WitnessConfirmForm, worker: User) -> tuple[User, dt.datetime] | None:
    """The witness kept for this form, if they may still confirm: active, not the worker, and
    a supervisor or assessor on this submission too (as a typed password is checked)."""
    proof = identity.confirmed(worker_id=worker.id, target=TARGET, form=form.submission.data or "")
    person = get_session().get(User, proof.person_id) if proof else None
    if proof is None or person is None or not _may_witness(person, worker):
        return None
    return person, proof.checked_at


def _may_witness(person: User, worker: User) -> bool:
    return person.active and person.id != worker.id and person.has_role(AccountRole.SUPERVISOR)


def _witness(form: WitnessConfirmForm, worker: User) -> User | None:
    witness = identify_on_device(
        form,
        (form.email.data or "").strip(),
        worker=worker,
        target=TARGET,
        wrong="Enter the correct email address and password of the person who watched",
        not_the_worker="Procedures must be confirmed by the person who watched, not by you",
    )
    if witness is not None and not witness.has_role(AccountRole.SUPERVISOR):
        identity.use_up()
        field_error(form, "password", "Only a supervisor or assessor can confirm procedures")
        return None
    return witness


def _lines(form: WitnessConfirmForm, worker: User, witness: User | None) -> Sequence[ProcedureLine]:
    chosen = form.line_ids.data or []
    if not chosen or form.line_ids.errors:
        return []
    lines = (
        get_session()
        .scalars(
            select(ProcedureLine).where(
                ProcedureLine.id.in_(chosen), ProcedureLine.worker_id == worker.id
            )
        )
        .all()
    )
    if witness is not None and any(line.witness_id != witness.id for line in lines):
        identity.use_up()  # the person who watched may be someone else: ask again
        field_error(
            form,
            "line_ids",
            f"Only procedures that name {witness.name} as the witness can be confirmed by them",
        )
    return lines
