"""Two saves of one worker's evidence at the same moment (a double-clicked Save, the API and a
page together, an import or a redaction while the worker saves) both save, and the worker's
earliest evidence is still what all of it says."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.evidence import earliest
from portfolio.evidence import services as evidence
from portfolio.evidence.models import EarliestEvidence, Evidence, EvidenceKind
from portfolio.people.models import User
from tests import factories, races


@pytest.mark.commits
def test_two_saves_for_one_worker_at_the_same_moment_both_count(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_database_url
    races.side_by_side(url)
    with races.committed(url) as session:
        org = factories.organisation(session)
        factories.frameworks(session, "minimal")
        ward = factories.department(session, org)
        worker_id = factories.person(session, org, department=ward, job_role=JobRole.SCSW).id
    turns = races.Turns(url)
    original = earliest.refresh

    def refresh_in_turn(connection: Connection | Session, worker_ids: Collection[int]) -> None:
        if not turns.first_time():
            original(connection, worker_ids)
            return
        turns.arrive()  # both have written their evidence; neither has worked out the dates
        original(connection, worker_ids)
        turns.through()

    monkeypatch.setattr(earliest, "refresh", refresh_in_turn)
    ages = iter([10, 30])
    taking = threading.Lock()

    def save(session: Session, _barrier: threading.Barrier) -> int:
        with taking:
            days_ago = next(ages)
        worker = session.get_one(User, worker_id)
        return evidence.save_evidence(
            factories.auditor(session, worker),
            worker,
            evidence.EvidenceDetails(
                kind=EvidenceKind.REFLECTIVE_ACCOUNT,
                title=f"Cannulation {days_ago} days ago",
                activity_on=today() - dt.timedelta(days=days_ago),
                body="What went well.",
                competency_codes=frozenset({"CANN", "A-1"}),
            ),
            scope_codes=["A-1", "CANN"],
            today=today(),
        ).id

    with races.two_at_once(url, save) as (saved, errors, make_session), make_session() as check:
        assert errors == []
        assert len(saved) == 2
        assert len(check.scalars(select(Evidence.id)).all()) == 2
        kept = {
            row.competency_code: row.activity_on
            for row in check.scalars(
                select(EarliestEvidence).where(EarliestEvidence.worker_id == worker_id)
            )
        }
        # The earlier of the two, whichever committed last.
        assert kept == {
            "CANN": today() - dt.timedelta(days=30),
            "A-1": today() - dt.timedelta(days=30),
        }
