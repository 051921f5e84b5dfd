"""Each worker's earliest evidence per competency stays what the evidence says, however the
evidence is written: created, changed while a draft, corrected after a decision considered it
(the old version's competencies and date no longer count), or added beside other evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.evidence import earliest
from portfolio.evidence.models import EarliestEvidence, Evidence, EvidenceKind
from portfolio.people.models import User
from tests import factories

SCOPE = ["A-1", "CANN"]


@pytest.fixture
def worker(session: Session) -> User:
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    return factories.person(session, org, department=ward, job_role=JobRole.SCSW)


def _save(
    session: Session, worker: User, days_ago: int, codes: set[str], piece: Evidence | None = None
) -> Evidence:
    return factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title="Cannulation in CT",
        activity_on=today() - dt.timedelta(days=days_ago),
        body="What went well.",
        codes=codes,
        scope=SCOPE,
        correcting=piece,
    )


def _kept(session: Session, worker: User) -> dict[str, dt.date]:
    return {
        row.competency_code: row.activity_on
        for row in session.scalars(
            select(EarliestEvidence).where(EarliestEvidence.worker_id == worker.id)
        )
    }


def _from_the_evidence(session: Session, worker: User) -> dict[str, dt.date]:
    return {code: first for _, code, first in session.execute(earliest.computed([worker.id]))}


def test_new_evidence_sets_the_earliest_date_and_older_evidence_moves_it_back(
    session: Session, worker: User
) -> None:
    _save(session, worker, 10, {"CANN"})
    assert _kept(session, worker) == {"CANN": today() - dt.timedelta(days=10)}
    _save(session, worker, 30, {"CANN", "A-1"})
    _save(session, worker, 5, {"CANN"})
    assert _kept(session, worker) == {
        "CANN": today() - dt.timedelta(days=30),
        "A-1": today() - dt.timedelta(days=30),
    }
    assert _kept(session, worker) == _from_the_evidence(session, worker)


def test_changing_a_draft_moves_its_date_and_competencies(session: Session, worker: User) -> None:
    piece = _save(session, worker, 10, {"CANN"})
    _save(session, worker, 40, {"A-1"}, piece)
    assert _kept(session, worker) == {"A-1": today() - dt.timedelta(days=40)}


def test_a_correction_replaces_what_the_considered_version_said(
    session: Session, worker: User
) -> None:
    piece = _save(session, worker, 60, {"CANN"})
    piece.latest.frozen = True  # a decision considered it
    session.flush()
    _save(session, worker, 3, {"A-1"}, piece)
    assert len(piece.versions) == 2
    assert _kept(session, worker) == {"A-1": today() - dt.timedelta(days=3)}
    assert _kept(session, worker) == _from_the_evidence(session, worker)


def test_other_workers_are_left_alone(session: Session, worker: User) -> None:
    other = factories.person(
        session,
        worker.organisation,
        department=factories.department(session, worker.organisation, "MRI"),
        job_role=JobRole.SCSW,
    )
    _save(session, other, 7, {"CANN"})
    _save(session, worker, 10, {"A-1"})
    assert _kept(session, other) == {"CANN": today() - dt.timedelta(days=7)}
    assert _kept(session, worker) == {"A-1": today() - dt.timedelta(days=10)}
