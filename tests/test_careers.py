"""Qualifications, IR(ME)R entitlements and plans on a person's profile."""

from __future__ import annotations

import html

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.frameworks.models import OperatorEntitlement, PersonQualification
from tests import factories


def _world(session: Session, client: FlaskClient):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    ward = factories.department(session, org)
    factories.frameworks(session, "minimal")
    worker = factories.person(session, org, department=ward)
    factories.sign_in(client, admin)
    return worker, factories.csrf_token(client, "/account")


def test_a_qualification_is_recorded_with_its_framework_and_level(
    session: Session, client: FlaskClient
) -> None:
    worker, token = _world(session, client)
    url = f"/people/{worker.id}/qualifications/new"
    missing_date = client.post(
        url,
        data={
            "csrf_token": token,
            "qualification_code": "other",
            "title": "Foundation degree in health",
            "framework": "fheq",
            "level": "5",
            "status": "achieved",
        },
    )
    assert "Enter the date it was achieved" in html.unescape(missing_date.get_data(as_text=True))
    wrong_level = client.post(
        url,
        data={
            "csrf_token": token,
            "qualification_code": "other",
            "title": "X",
            "framework": "fheq",
            "level": "3",
            "status": "planned",
        },
    )
    assert "FHEQ levels run from 4" in html.unescape(wrong_level.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(PersonQualification)) == 0
    saved = client.post(
        url,
        data={
            "csrf_token": token,
            "qualification_code": "other",
            "title": "Foundation degree in health",
            "framework": "fheq",
            "level": "5",
            "status": "achieved",
            "achieved_on": "2025-07-01",
        },
    )
    assert saved.status_code == 302
    page = factories.page_text(client.get(f"/people/{worker.id}"))
    assert "Foundation degree in health (FHEQ level 5): achieved 1 July 2025" in page


def test_an_entitlement_is_granted_by_an_admin_and_withdrawn_but_kept(
    session: Session, client: FlaskClient
) -> None:
    worker, token = _world(session, client)
    response = client.post(
        f"/people/{worker.id}/entitlements/new",
        data={
            "csrf_token": token,
            "scope": "Chest radiography, adults",
            "granted_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    entitlement = session.scalars(select(OperatorEntitlement)).one()
    response = client.post(
        f"/people/{worker.id}/entitlements/{entitlement.id}/withdraw",
        data={"csrf_token": token, "withdrawn_on": "2026-02-01"},
    )
    assert response.status_code == 302
    page = factories.page_text(client.get(f"/people/{worker.id}"))
    assert "Chest radiography, adults: granted 5 January 2026" in page
    assert "withdrawn 1 February 2026" in page


def test_a_supervisor_adds_an_optional_competency_to_their_supervisees_plan(
    session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    from portfolio.core.roles import JobRole
    from portfolio.people.models import Appointment

    appointment = session.scalars(select(Appointment).where(Appointment.user_id == worker.id)).one()
    appointment.job_role = JobRole.SCSW
    session.flush()
    client = new_client()
    factories.sign_in(client, supervisor)
    token = factories.csrf_token(client, f"/people/{worker.id}/plan/new")
    not_optional = client.post(
        f"/people/{worker.id}/plan/new", data={"csrf_token": token, "competency_code": "A-1"}
    )
    assert not_optional.status_code == 200
    added = client.post(
        f"/people/{worker.id}/plan/new", data={"csrf_token": token, "competency_code": "CANN"}
    )
    assert added.status_code == 302
    page = factories.page_text(client.get(f"/people/{worker.id}"))
    assert "In their plan" in page


def test_a_self_reported_qualification_does_not_qualify_anyone_to_assess(
    session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    from portfolio.careers.queries import qualification_tags_of
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import SHIPPED, discover, read_set

    org = factories.organisation(session)
    loading.load(factories.auditor(session), read_set(discover(SHIPPED), SHIPPED.parent))
    radiographer = factories.person(session, org, AccountRole.SUPERVISOR)
    admin = factories.person(session, org, AccountRole.ADMIN)
    data = {
        "qualification_code": "cor-pgaward-mammography",
        "status": "achieved",
        "achieved_on": "2020-06-01",
    }
    own = new_client()
    factories.sign_in(own, radiographer)
    token = factories.csrf_token(own, "/account")
    assert (
        own.post(
            f"/people/{radiographer.id}/qualifications/new", data={"csrf_token": token, **data}
        ).status_code
        == 302
    )
    assert qualification_tags_of(session, radiographer.id) == set()
    assert "Self-reported" in factories.page_text(own.get(f"/people/{radiographer.id}"))
    theirs = new_client()
    factories.sign_in(theirs, admin)
    token = factories.csrf_token(theirs, "/account")
    theirs.post(f"/people/{radiographer.id}/qualifications/new", data={"csrf_token": token, **data})
    assert qualification_tags_of(session, radiographer.id) == {"postgraduate-mammography"}


def test_scopes_for_many_workers_agree_with_each_workers_own(session: Session) -> None:
    import datetime as dt

    from portfolio.careers.queries import worker_scope_of, worker_scopes
    from portfolio.careers.services import add_to_plan
    from portfolio.core.roles import JobRole

    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    csw = factories.person(session, org, department=ward)
    planned = factories.person(
        session, org, department=ward, job_role=JobRole.SCSW, supervisors=[supervisor]
    )
    add_to_plan(factories.auditor(session, supervisor), planned, "CANN", optional_codes={"CANN"})
    nobody = factories.person(session, org)  # no job role recorded
    on = dt.date(2026, 6, 1)

    many = worker_scopes(session, [csw.id, planned.id, nobody.id], on)

    assert set(many) == {csw.id, planned.id}
    for person in (csw, planned):
        assert many[person.id] == worker_scope_of(session, person.id, on)
    assert {row.code: row.requirement.label for row in many[planned.id].rows}["CANN"] == (
        "In their plan"
    )
