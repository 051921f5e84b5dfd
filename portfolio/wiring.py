"""How one feature reacts to another: each signal a feature sends (its `events.py`) and the
use case of another feature that answers it, connected once when the app is made.

A feature never calls up into a feature above it; it sends a signal and this module, above
every feature, connects the answer. Receivers run at once, in the sender's unit of work, in
the order connected here; an exception in one stops the sender as a direct call would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from portfolio.accounts import events as account_events
from portfolio.api import services as api_tokens
from portfolio.audit.services import Auditor
from portfolio.evidence import events as evidence_events
from portfolio.evidence.models import ProcedureLine
from portfolio.notices import services as notices
from portfolio.people import events as people_events
from portfolio.people.models import User
from portfolio.signoff import events as signoff_events
from portfolio.signoff import services as signoff
from portfolio.signoff.models import SignOffDecision, SignOffRequest


def _withdraw_waiting_requests(user: User, *, auditor: Auditor, on: dt.date, **_: Any) -> None:
    signoff.withdraw_waiting_requests(auditor, user, on)


def _tell_the_assessor(request: SignOffRequest, *, session: Session, **_: Any) -> None:
    notices.sign_off_requested(session, request)


def _tell_the_worker(decision: SignOffDecision, *, session: Session, **_: Any) -> None:
    notices.decision_recorded(session, decision)


def _tell_the_educators(decision: SignOffDecision, *, session: Session, **_: Any) -> None:
    notices.sign_off_disputed(session, decision)


def _tell_the_witness(line: ProcedureLine, *, session: Session, **_: Any) -> None:
    notices.procedure_logged(session, line)


def _revoke_api_tokens(
    user: User, *, auditor: Auditor, now: dt.datetime, because: str, **_: Any
) -> None:
    api_tokens.revoke_all_tokens(auditor, user, now, because=because)


# (signal, receiver): the whole list of cross-feature reactions, in docs/architecture/layers.md.
REACTIONS = (
    (people_events.person_deactivated, _withdraw_waiting_requests),
    (signoff_events.request_made, _tell_the_assessor),
    (signoff_events.decision_recorded, _tell_the_worker),
    (signoff_events.sign_off_disputed, _tell_the_educators),
    (evidence_events.procedure_logged, _tell_the_witness),
    (account_events.credentials_reset, _revoke_api_tokens),
)


def connect_reactions() -> None:
    """Connect every reaction (idempotent: blinker keeps one connection per receiver)."""
    for signal, receiver in REACTIONS:
        signal.connect(receiver, weak=False)
