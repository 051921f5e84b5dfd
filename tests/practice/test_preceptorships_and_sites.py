"""Preceptorship periods on an appointment, and sites with their two-associate model records."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portfolio.core.identifiers import IdentifierFoundError
from portfolio.people.models import Appointment
from portfolio.practice.authorities import PracticeRecordError
from portfolio.practice.preceptorships import end_preceptorship, start_preceptorship
from portfolio.practice.queries import site_qualifies_on
from portfolio.practice.sites import record_two_ma_model, save_site, set_appointment_site
from portfolio.standing.status import SupervisionLevel
from tests import factories
from tests.practice.records import Trust, audit_actions, last_audit

STARTS = dt.date(2026, 2, 1)
ENDS = dt.date(2026, 7, 31)


def _appointment(trust: Trust) -> Appointment:
    return trust.worker.appointments[-1]


def test_a_preceptorship_is_direct_by_default_and_audited(trust: Trust) -> None:
    period = start_preceptorship(
        trust.auditor(),
        _appointment(trust),
        preceptor=trust.granter,
        starts_on=STARTS,
        ends_on=ENDS,
    )
    assert (period.ceiling, period.last_day) == (SupervisionLevel.DIRECT, ENDS)
    changes = json.loads(last_audit(trust.session, "preceptorship.started").changes)
    assert (changes["preceptor_id"], changes["ceiling"]) == (trust.granter.id, "direct")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"starts_on": dt.date(2023, 12, 31)}, "starts_on"),  # before the appointment
        ({"ends_on": STARTS - dt.timedelta(1)}, "ends_on"),
    ],
)
def test_a_period_outside_its_appointment_or_backwards_is_refused(
    trust: Trust, kwargs: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"starts_on": STARTS, "ends_on": ENDS} | kwargs
    with pytest.raises(PracticeRecordError) as refused:
        start_preceptorship(trust.auditor(), _appointment(trust), preceptor=trust.granter, **values)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_nobody_is_their_own_preceptor_nor_in_two_periods_at_once(trust: Trust) -> None:
    with pytest.raises(PracticeRecordError, match="their own preceptor"):
        start_preceptorship(
            trust.auditor(),
            _appointment(trust),
            preceptor=trust.worker,
            starts_on=STARTS,
            ends_on=ENDS,
        )
    start_preceptorship(
        trust.auditor(),
        _appointment(trust),
        preceptor=trust.granter,
        starts_on=STARTS,
        ends_on=ENDS,
    )
    with pytest.raises(PracticeRecordError, match="already have a preceptorship"):
        start_preceptorship(
            trust.auditor(),
            _appointment(trust),
            preceptor=trust.mr_lead,
            starts_on=ENDS,
            ends_on=ENDS + dt.timedelta(30),
        )


def test_ending_a_period_early_keeps_its_planned_end(trust: Trust) -> None:
    period = start_preceptorship(
        trust.auditor(),
        _appointment(trust),
        preceptor=trust.granter,
        starts_on=STARTS,
        ends_on=ENDS,
        ceiling=SupervisionLevel.INDIRECT,
    )
    with pytest.raises(IdentifierFoundError):
        end_preceptorship(
            trust.auditor(), period, last_day=dt.date(2026, 5, 1), reason="NHS 943 476 5919"
        )
    with pytest.raises(PracticeRecordError):
        end_preceptorship(trust.auditor(), period, last_day=ENDS + dt.timedelta(1), reason="x")
    end_preceptorship(trust.auditor(), period, last_day=dt.date(2026, 5, 1), reason="Consolidated")
    assert (period.ends_on, period.ended_on, period.last_day) == (
        ENDS,
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 1),
    )
    assert audit_actions(trust.session, "preceptorship.") == [
        "preceptorship.started",
        "preceptorship.ended",
    ]


def test_a_sites_two_associate_model_is_recorded_from_a_date(trust: Trust) -> None:
    site = save_site(trust.auditor(), trust.org, code="bsu-1", name="Breast screening unit")
    assert site.code == "BSU-1"
    assert not site_qualifies_on(trust.session, site.id, dt.date(2026, 1, 1))
    record_two_ma_model(trust.auditor(), site, qualifies=True, from_on=dt.date(2026, 3, 1))
    record_two_ma_model(trust.auditor(), site, qualifies=False, from_on=dt.date(2026, 9, 1))
    assert not site_qualifies_on(trust.session, site.id, dt.date(2026, 2, 28))
    assert site_qualifies_on(trust.session, site.id, dt.date(2026, 3, 1))
    assert not site_qualifies_on(trust.session, site.id, dt.date(2026, 9, 1))
    assert audit_actions(trust.session, "site.") == [
        "site.added",
        "site.two_ma_model_recorded",
        "site.two_ma_model_recorded",
    ]


def test_site_codes_are_unique_in_an_organisation_and_names_guarded(trust: Trust) -> None:
    save_site(trust.auditor(), trust.org, code="MAIN", name="Main hospital")
    with pytest.raises(PracticeRecordError, match="already a site"):
        save_site(trust.auditor(), trust.org, code="main", name="Another")
    with pytest.raises(PracticeRecordError):
        save_site(trust.auditor(), trust.org, code="A B", name="Spaces")
    with pytest.raises(IdentifierFoundError):
        save_site(trust.auditor(), trust.org, code="X", name="NHS 943 476 5919")
    other = factories.organisation(trust.session)
    assert save_site(trust.auditor(), other, code="MAIN", name="Elsewhere").code == "MAIN"


def test_an_appointment_works_at_a_site_of_its_organisation(trust: Trust) -> None:
    site = save_site(trust.auditor(), trust.org, code="MAIN", name="Main hospital")
    mobile = save_site(trust.auditor(), trust.org, code="MOBILE", name="Mobile unit")
    set_appointment_site(trust.auditor(), _appointment(trust), site)
    set_appointment_site(trust.auditor(), _appointment(trust), mobile)
    changes = json.loads(last_audit(trust.session, "appointment.site_set").changes)
    assert changes["site_id"] == [site.id, mobile.id]
    elsewhere = save_site(
        trust.auditor(), factories.organisation(trust.session), code="X", name="X"
    )
    with pytest.raises(PracticeRecordError):
        set_appointment_site(trust.auditor(), _appointment(trust), elsewhere)
