"""A practice educator's review of conditions of practice, as the service records it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.roles import AccountRole
from portfolio.people import reviews
from portfolio.people.registers import RegisterCheckResult, RegisterType
from tests import factories


def test_a_review_needs_conditions_found_and_no_patient_identifier(session: Session) -> None:
    org = factories.organisation(session)
    educator = factories.person(session, org, AccountRole.EDUCATOR, reach_whole_organisation=True)
    nurse = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    factories.registrant(nurse, RegisterType.NMC, "12A3456E", "nurse")
    review = {"reviewer": educator, "reviewed_on": today(), "today": today()}
    with pytest.raises(reviews.ReviewError, match="found no conditions of practice"):
        reviews.record_review(factories.auditor(session, educator), nurse, note="Fine", **review)
    nurse.register_check_result = RegisterCheckResult.CONDITIONS_OF_PRACTICE
    with pytest.raises(IdentifierFoundError):
        reviews.record_review(
            factories.auditor(session, educator), nurse, note="See NHS 943 476 5919", **review
        )
    reviews.record_review(
        factories.auditor(session, educator), nurse, note="Prescribing only", **review
    )
    assert reviews.reviewed_on(session, [nurse.id]) == {nurse.id: today()}
    assert reviews.standing_of(session, nurse, today()) == (
        True,
        "Conditions of practice, reviewed by a practice educator: may assess",
    )
    assert [row.reviewer for row in reviews.reviews_of(session, nurse.id)] == [educator.name]
