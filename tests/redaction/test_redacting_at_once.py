"""Two educators redacting different text from one record at the same moment: both texts are
gone afterwards. Neither redaction may put back what the other removed."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence.models import Evidence, EvidenceKind, EvidenceVersion
from portfolio.people.models import User
from portfolio.redaction import services
from portfolio.redaction.rules import MARKER
from tests import factories, races


@pytest.mark.commits
def test_two_redactions_of_one_record_at_once_both_stay_redacted(
    fresh_database_url: str,
) -> None:
    url = fresh_database_url
    races.side_by_side(url)
    with races.committed(url) as session:
        org = factories.organisation(session)
        factories.frameworks(session, "minimal")
        ward = factories.department(session, org)
        worker = factories.person(session, org, department=ward, job_role=JobRole.SCSW)
        educators = [
            factories.person(session, org, AccountRole.EDUCATOR, reach=[ward]).id for _ in range(2)
        ]
        piece = factories.evidence(
            session,
            worker,
            kind=EvidenceKind.REFLECTIVE_ACCOUNT,
            title="Cannulation in CT",
            activity_on=today() - dt.timedelta(days=3),
            body="Mrs Jones in bed fourteen was anxious; I explained each step.",
        )
        piece_id = piece.id
    texts = iter(["Mrs Jones", "bed fourteen"])
    taking = threading.Lock()

    def redact(session: Session, barrier: threading.Barrier) -> int:
        with taking:
            text = next(texts)
            educator = session.get_one(User, educators.pop())
        record = session.get_one(Evidence, piece_id)
        places = services.evidence_places(session, record)
        services.check(places, text, "Names a patient")  # the page shows where it is
        barrier.wait(timeout=races.WAIT)  # both have read the text before either redacts
        return services.redact(
            factories.auditor(session, educator),
            educator,
            record,
            places,
            text=text,
            reason="Names a patient",
            on=today(),
        ).id

    with (
        races.two_at_once(url, redact) as (redactions, errors, make_session),
        make_session() as check,
    ):
        assert errors == []
        assert len(redactions) == 2
        body = check.scalars(
            select(EvidenceVersion.body).where(EvidenceVersion.evidence_id == piece_id)
        ).one()
        assert body == f"{MARKER} in {MARKER} was anxious; I explained each step."
