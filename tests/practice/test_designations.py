"""MR Authorised Person designations from the MR Responsible Person, and staff MR safety
screening records: versioned, audited, withdrawn with a reason."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portfolio.frameworks.practice_terms import DesignationKind
from portfolio.people.models import User
from portfolio.practice import designations as service
from portfolio.practice.authorities import PracticeRecordError
from portfolio.practice.models import Change, Designation
from portfolio.practice.queries import designation_history, designations_as_at
from portfolio.standing.facts import GrantState
from tests.practice.records import GRANTED, REVIEW, TODAY, Trust, audit_actions, last_audit

AUTHORISED = DesignationKind.MR_AUTHORISED_PERSON
SCREENING = DesignationKind.MR_SAFETY_SCREENING


def _designate(
    trust: Trust, kind: DesignationKind, by: User, person: User | None = None, **kwargs: object
) -> Designation:
    values: dict[str, object] = {
        "granted_on": GRANTED,
        "review_on": REVIEW,
        "today": TODAY,
    } | kwargs
    return service.designate(
        trust.auditor(), person or trust.worker, trust.ward, kind=kind, granted_by=by, **values
    )  # type: ignore[arg-type]


def test_the_mr_responsible_person_designates_an_authorised_person(trust: Trust) -> None:
    designation = _designate(trust, AUTHORISED, trust.mr_lead)
    [version] = designation.versions
    assert (version.change, version.granted_by_id, version.review_on) == (
        Change.GRANTED,
        trust.mr_lead.id,
        REVIEW,
    )
    changes = json.loads(last_audit(trust.session, "designation.granted").changes)
    assert changes["kind"] == "mr_authorised_person"
    [row] = designations_as_at(trust.session, trust.worker.id, TODAY)
    assert (row.kind, row.granted_by, row.state_on(TODAY)) == (
        AUTHORISED,
        "Mo Rahman",
        GrantState.CURRENT,
    )


def test_nobody_else_designates_an_mr_authorised_person(trust: Trust) -> None:
    for someone in (trust.granter, trust.educator):
        with pytest.raises(PracticeRecordError, match="MR Responsible Person") as refused:
            _designate(trust, AUTHORISED, someone)
        assert refused.value.field == "granted_by_id"


def test_screening_is_recorded_by_the_responsible_or_an_authorised_person(trust: Trust) -> None:
    radiographer = trust.person(name="Rae Smith")
    _designate(trust, AUTHORISED, trust.mr_lead, person=radiographer)
    screening = _designate(trust, SCREENING, radiographer)
    assert screening.versions[0].granted_by_id == radiographer.id
    other = trust.person()
    _designate(trust, SCREENING, trust.mr_lead, person=other)
    with pytest.raises(PracticeRecordError, match="or an MR Authorised Person"):
        _designate(trust, SCREENING, trust.granter, person=trust.person())


def test_a_rescreening_is_a_new_version_dated_the_day_screened(trust: Trust) -> None:
    screening = _designate(trust, SCREENING, trust.mr_lead)
    rescreened = dt.date(2026, 5, 20)
    service.review_designation(
        trust.auditor(),
        screening,
        reviewed_by=trust.mr_lead,
        reviewed_on=rescreened,
        review_on=dt.date(2027, 5, 19),
        today=TODAY,
    )
    history = designation_history(trust.session, screening.id)
    assert [(row.change, row.granted_on) for row in history] == [
        (Change.GRANTED, GRANTED),
        (Change.REVIEWED, rescreened),
    ]
    assert audit_actions(trust.session, "designation.") == [
        "designation.granted",
        "designation.reviewed",
    ]


def test_an_authorisation_review_keeps_the_day_first_granted(trust: Trust) -> None:
    designation = _designate(trust, AUTHORISED, trust.mr_lead)
    version = service.review_designation(
        trust.auditor(),
        designation,
        reviewed_by=trust.mr_lead,
        reviewed_on=TODAY,
        review_on=dt.date(2027, 6, 1),
        today=TODAY,
    )
    assert (version.granted_on, version.effective_on) == (GRANTED, TODAY)


def test_a_withdrawn_authorisation_shows_as_withdrawn_from_that_day(trust: Trust) -> None:
    designation = _designate(trust, AUTHORISED, trust.mr_lead)
    withdrawn_on = dt.date(2026, 3, 1)
    service.withdraw_designation(
        trust.auditor(),
        designation,
        withdrawn_by=trust.mr_lead,
        withdrawn_on=withdrawn_on,
        reason="Left the MR unit",
        today=TODAY,
    )
    [before] = designations_as_at(trust.session, trust.worker.id, withdrawn_on - dt.timedelta(1))
    assert before.withdrawn_on is None
    [after] = designations_as_at(trust.session, trust.worker.id, withdrawn_on)
    assert (after.state_on(withdrawn_on), after.withdrawal_reason) == (
        GrantState.WITHDRAWN,
        "Left the MR unit",
    )
    assert "Left the MR unit" not in last_audit(trust.session, "designation.withdrawn").changes
    # A withdrawn one no longer blocks a new designation.
    assert _designate(trust, AUTHORISED, trust.mr_lead, granted_on=TODAY).id != designation.id


def test_an_authorised_person_whose_designation_was_withdrawn_cannot_screen(
    trust: Trust,
) -> None:
    radiographer = trust.person()
    designation = _designate(trust, AUTHORISED, trust.mr_lead, person=radiographer)
    service.withdraw_designation(
        trust.auditor(),
        designation,
        withdrawn_by=trust.mr_lead,
        withdrawn_on=dt.date(2026, 3, 1),
        reason="Left",
        today=TODAY,
    )
    with pytest.raises(PracticeRecordError):
        _designate(trust, SCREENING, radiographer, granted_on=dt.date(2026, 3, 2))
    assert _designate(trust, SCREENING, radiographer, granted_on=dt.date(2026, 2, 1))
