"""IR(ME)R operator entitlements: granted by the department's granter, reviewed and withdrawn
as new versions (nothing overwritten), audited, and shown as at any date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from portfolio.core.identifiers import IdentifierFoundError
from portfolio.frameworks.practice_terms import EntitlementKind, Modality
from portfolio.practice import entitlements as service
from portfolio.practice.authorities import PracticeRecordError, end_authority
from portfolio.practice.models import (
    Authority,
    Change,
    EntitlementVersion,
    IrmerEntitlement,
    PracticeAuthority,
)
from portfolio.practice.queries import entitlement_history, entitlements_as_at
from portfolio.standing.facts import GrantState
from tests.practice.records import GRANTED, REVIEW, TODAY, Trust, audit_actions, last_audit

DAY = dt.timedelta(days=1)


def _chest(trust: Trust, **kwargs: object) -> IrmerEntitlement:
    values: dict[str, object] = {
        "kind": EntitlementKind.EXPOSURE,
        "modality": Modality.GENERAL_RADIOGRAPHY,
        "examinations": ["chest", "appendicular-skeleton"],
        "granted_by": trust.granter,
        "granted_on": GRANTED,
        "review_on": REVIEW,
        "today": TODAY,
    } | kwargs
    return service.grant_entitlement(trust.auditor(), trust.worker, trust.ward, **values)  # type: ignore[arg-type]


def _versions(trust: Trust) -> int:
    return trust.session.scalar(select(func.count()).select_from(EntitlementVersion)) or 0


def test_a_grant_is_version_one_and_audited(trust: Trust) -> None:
    entitlement = _chest(trust)
    [version] = entitlement.versions
    assert (version.number, version.change, version.granted_by_id) == (
        1,
        Change.GRANTED,
        trust.granter.id,
    )
    assert version.examinations == {"chest", "appendicular-skeleton"}
    assert version.recorded_by_id == trust.educator.id
    entry = last_audit(trust.session, "irmer_entitlement.granted")
    assert entry.actor_id == trust.educator.id
    assert entry.subject_id == str(trust.worker.id)
    changes = json.loads(entry.changes)
    assert changes["kind"] == "exposure"
    assert changes["examinations"] == ["appendicular-skeleton", "chest"]
    assert changes["review_on"] == REVIEW.isoformat()


def test_only_a_holder_of_the_granter_authority_may_grant(trust: Trust) -> None:
    with pytest.raises(PracticeRecordError) as refused:
        _chest(trust, granted_by=trust.educator)
    assert refused.value.field == "granted_by_id"
    assert "Priya Patel is not recorded as the department's IR(ME)R entitlement granter" in str(
        refused.value
    )
    # The MR Responsible Person holds another authority, not this one.
    with pytest.raises(PracticeRecordError):
        _chest(trust, granted_by=trust.mr_lead)
    assert _versions(trust) == 0


def test_an_ended_authority_grants_nothing_after_its_last_day(trust: Trust) -> None:
    record = trust.session.scalars(
        select(PracticeAuthority).where(
            PracticeAuthority.user_id == trust.granter.id,
            PracticeAuthority.authority == Authority.ENTITLEMENT_GRANTER,
        )
    ).one()
    end_authority(trust.auditor(), record, last_day=GRANTED - DAY)
    with pytest.raises(PracticeRecordError):
        _chest(trust)
    assert _chest(trust, granted_on=GRANTED - DAY).versions[0].granted_on == GRANTED - DAY
    assert audit_actions(trust.session, "practice_authority.") == [
        "practice_authority.appointed",
        "practice_authority.appointed",
        "practice_authority.ended",
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"examinations": []}, "examinations"),
        ({"examinations": ["Chest X-ray"]}, "examinations"),
        ({"modality": None}, "modality"),
        ({"kind": EntitlementKind.PATIENT_IDENTIFICATION}, "examinations"),
        ({"granted_on": TODAY + DAY}, "granted_on"),
        ({"review_on": GRANTED}, "review_on"),
    ],
)
def test_a_grant_that_cannot_be_made_names_its_field(
    trust: Trust, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(PracticeRecordError) as refused:
        _chest(trust, **kwargs)
    assert refused.value.field == field


def test_patient_identification_in_any_modality_needs_no_examinations(trust: Trust) -> None:
    entitlement = _chest(
        trust, kind=EntitlementKind.PATIENT_IDENTIFICATION, modality=None, examinations=()
    )
    assert entitlement.modality is None
    assert entitlement.versions[0].examinations == frozenset()


def test_a_second_current_grant_of_the_same_kind_is_refused_until_withdrawn(trust: Trust) -> None:
    first = _chest(trust)
    with pytest.raises(PracticeRecordError, match="review or withdraw it instead"):
        _chest(trust)
    _chest(trust, modality=Modality.FLUOROSCOPY, examinations=["barium-swallow"])
    service.withdraw_entitlement(
        trust.auditor(),
        first,
        withdrawn_by=trust.granter,
        withdrawn_on=TODAY - DAY,
        reason="Moved to CT",
        today=TODAY,
    )
    assert _chest(trust, granted_on=TODAY).id != first.id


def test_a_review_adds_a_version_and_keeps_the_first_as_it_was(trust: Trust) -> None:
    entitlement = _chest(trust)
    reviewed_on = dt.date(2026, 5, 1)
    version = service.review_entitlement(
        trust.auditor(),
        entitlement,
        reviewed_by=trust.granter,
        reviewed_on=reviewed_on,
        review_on=dt.date(2027, 4, 30),
        examinations=["chest"],
        today=TODAY,
    )
    first, second = entitlement.versions
    assert (first.review_on, first.examinations) == (REVIEW, {"chest", "appendicular-skeleton"})
    assert (second.number, second.change, second.granted_on) == (2, Change.REVIEWED, GRANTED)
    assert (second.effective_on, second.review_on) == (reviewed_on, dt.date(2027, 4, 30))
    assert version.examinations == {"chest"}
    assert _versions(trust) == 2
    assert (
        json.loads(last_audit(trust.session, "irmer_entitlement.reviewed").changes)["version"] == 2
    )
    # As at a day before the review, the record as it applied then.
    [before] = entitlements_as_at(trust.session, trust.worker.id, reviewed_on - DAY)
    assert (before.version, before.review_on) == (1, REVIEW)
    [after] = entitlements_as_at(trust.session, trust.worker.id, reviewed_on)
    assert (after.version, after.examinations) == (2, {"chest"})


def test_a_review_recorded_after_the_review_date_leaves_the_lapse_showing(trust: Trust) -> None:
    entitlement = _chest(trust, review_on=dt.date(2026, 3, 31))
    service.review_entitlement(
        trust.auditor(),
        entitlement,
        reviewed_by=trust.granter,
        reviewed_on=dt.date(2026, 4, 10),
        review_on=dt.date(2027, 3, 31),
        today=TODAY,
    )

    def state(on: dt.date) -> GrantState:
        [row] = entitlements_as_at(trust.session, trust.worker.id, on)
        return row.state_on(on)

    assert state(dt.date(2026, 3, 31)) is GrantState.CURRENT
    assert state(dt.date(2026, 4, 5)) is GrantState.REVIEW_LAPSED
    assert state(dt.date(2026, 4, 10)) is GrantState.CURRENT
    # The review kept the examinations it had.
    [row] = entitlements_as_at(trust.session, trust.worker.id, TODAY)
    assert row.examinations == {"chest", "appendicular-skeleton"}


def test_a_withdrawal_says_why_and_ends_it_from_that_day(trust: Trust) -> None:
    entitlement = _chest(trust)
    withdrawn_on = dt.date(2026, 4, 1)
    service.withdraw_entitlement(
        trust.auditor(),
        entitlement,
        withdrawn_by=trust.granter,
        withdrawn_on=withdrawn_on,
        reason="Concerns about collimation; retraining",
        today=TODAY,
    )
    history = entitlement_history(trust.session, entitlement.id)
    assert [(row.version, row.change) for row in history] == [
        (1, Change.GRANTED),
        (2, Change.WITHDRAWN),
    ]
    assert history[0].withdrawn_on is None
    assert history[1].withdrawal_reason == "Concerns about collimation; retraining"
    [before] = entitlements_as_at(trust.session, trust.worker.id, withdrawn_on - DAY)
    assert before.state_on(withdrawn_on - DAY) is GrantState.CURRENT
    [after] = entitlements_as_at(trust.session, trust.worker.id, withdrawn_on)
    assert after.state_on(withdrawn_on) is GrantState.WITHDRAWN
    entry = last_audit(trust.session, "irmer_entitlement.withdrawn")
    assert "collimation" not in entry.changes  # free text is never copied into the log
    assert json.loads(entry.changes)["withdrawn_on"] == withdrawn_on.isoformat()
    with pytest.raises(PracticeRecordError, match="already been withdrawn"):
        service.withdraw_entitlement(
            trust.auditor(),
            entitlement,
            withdrawn_by=trust.granter,
            withdrawn_on=TODAY,
            reason="again",
            today=TODAY,
        )
    with pytest.raises(PracticeRecordError, match="grant a new one"):
        service.review_entitlement(
            trust.auditor(),
            entitlement,
            reviewed_by=trust.granter,
            reviewed_on=TODAY,
            review_on=REVIEW,
            today=TODAY,
        )


def test_a_withdrawal_needs_a_reason_without_patient_identifiers(trust: Trust) -> None:
    entitlement = _chest(trust)

    def withdraw(reason: str) -> None:
        service.withdraw_entitlement(
            trust.auditor(),
            entitlement,
            withdrawn_by=trust.granter,
            withdrawn_on=TODAY,
            reason=reason,
            today=TODAY,
        )

    with pytest.raises(PracticeRecordError) as empty:
        withdraw("  ")
    assert empty.value.field == "reason"
    with pytest.raises(IdentifierFoundError):
        withdraw("Incident with NHS 943 476 5919")
    assert _versions(trust) == 1


def test_changes_cannot_be_dated_before_the_latest_version(trust: Trust) -> None:
    entitlement = _chest(trust)
    service.review_entitlement(
        trust.auditor(),
        entitlement,
        reviewed_by=trust.granter,
        reviewed_on=dt.date(2026, 5, 1),
        review_on=REVIEW,
        today=TODAY,
    )
    with pytest.raises(PracticeRecordError) as refused:
        service.withdraw_entitlement(
            trust.auditor(),
            entitlement,
            withdrawn_by=trust.granter,
            withdrawn_on=dt.date(2026, 4, 1),
            reason="Backdated",
            today=TODAY,
        )
    assert refused.value.field == "withdrawn_on"


def test_as_at_a_date_before_the_grant_shows_nothing(trust: Trust) -> None:
    _chest(trust)
    assert entitlements_as_at(trust.session, trust.worker.id, GRANTED - DAY) == []
    [row] = entitlements_as_at(trust.session, trust.worker.id, GRANTED)
    assert row.granted_by == "Dr Ada Lovelace"
    assert row.grant.state_on(GRANTED) is GrantState.CURRENT
