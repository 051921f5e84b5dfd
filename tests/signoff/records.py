"""Sign-off records the signoff, progress and concurrency tests share: a worker's cannulation
decisions, a request committed and waiting for two assessors to race for, and more of every
record a sign-off page reads (for the query-count tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.evidence.models import EvidenceKind
from portfolio.people.models import User
from portfolio.signoff.models import SignOffDecision
from tests import factories

WAIT = 10  # seconds: a deadlock fails the test instead of hanging it


def decisions(session: Session, worker_id: int, code: str = "CANN") -> list[SignOffDecision]:
    return list(
        session.scalars(
            select(SignOffDecision).where(
                SignOffDecision.worker_id == worker_id, SignOffDecision.competency_code == code
            )
        )
    )


def flush_in_savepoint(session: Session, item: object) -> None:
    """Add and flush inside a savepoint, so a refused row leaves the test's session usable."""
    with session.begin_nested():
        session.add(item)
        session.flush()


@dataclass(frozen=True)
class Waiting:
    """What was committed: a worker ready for cannulation sign-off, asking for it."""

    worker_id: int
    assessor_ids: tuple[int, int]
    evidence_id: int
    request_id: int


def a_waiting_request(session: Session) -> Waiting:
    """The sign-off department (factories.sign_off_world), five procedures confirmed and a
    request waiting on the nurse, committed."""
    world = factories.sign_off_world(session)
    factories.confirmed_procedures(session, world.worker, world.nurse, 5)
    request = factories.requested(session, world.worker, world.nurse, [world.evidence_id])
    session.commit()
    return Waiting(
        world.worker.id, (world.radiographer.id, world.nurse.id), world.evidence_id, request.id
    )


def grow(session: Session, world: factories.SignOffWorld, times: int) -> None:
    """More of everything a page reads: evidence, procedures, decisions, requests."""
    for number in range(times):
        factories.evidence(
            session,
            world.worker,
            kind=EvidenceKind.REFLECTIVE_ACCOUNT,
            title=f"Reflection {number}",
            activity_on=today() - dt.timedelta(days=number + 1),
            body="What I learned.",
            codes={"CANN", "A-1"},
        )
        # Another paper record each time, a day older (the same one twice is refused).
        factories.transcribed(
            session,
            world.worker,
            "A-1",
            world.educator,
            days_ago=21 + decisions_held(session, world.worker),
        )
        worker = factories.person(session, world.org, department=world.ward)
        factories.sign_off_request(session, worker, world.nurse)
    factories.confirmed_procedures(session, world.worker, world.nurse, times)
    session.flush()


def decisions_held(session: Session, worker: User) -> int:
    """How many decisions the worker holds: a new paper record can be dated that many days
    further back, so that no two are the same record (which is refused)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(SignOffDecision)
            .where(SignOffDecision.worker_id == worker.id)
        )
        or 0
    )
