"""No free-text field anywhere keeps a patient identifier: local policy notes, post names,
qualification titles and IR(ME)R entitlement scopes are guarded like evidence."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.frameworks.models import LocalPolicy, OperatorEntitlement, PersonQualification, Post
from tests import factories

NUMBER = "NHS 943 476 5919"


def _admin(session: Session, client: FlaskClient):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    worker = factories.person(session, org, department=ward)
    factories.sign_in(client, factories.person(session, org, AccountRole.ADMIN))
    return ward, worker, factories.csrf_token(client, "/account")


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_every_admin_text_field_refuses_an_nhs_number(
    session: Session, client: FlaskClient
) -> None:
    ward, worker, token = _admin(session, client)
    attempts = [
        (
            "/organisation/policies/CANN",
            {
                "title": "Cannulation v4",
                "effective_from": "2026-01-01",
                "countersignature": "default",
                "notes": f"Audit of {NUMBER}",
            },
        ),
        (
            "/organisation/posts/new?job_role=scsw",
            {"name": f"Post {NUMBER}", "department_id": ward.id},
        ),
        (
            f"/people/{worker.id}/qualifications/new",
            {
                "qualification_code": "other",
                "title": NUMBER,
                "framework": "rqf",
                "level": "3",
                "status": "planned",
            },
        ),
        (
            f"/people/{worker.id}/entitlements/new",
            {"scope": f"Chest for {NUMBER}", "granted_on": "2026-01-01"},
        ),
    ]
    for url, data in attempts:
        response = client.post(url, data={"csrf_token": token, **data})
        page = factories.page_text(response)
        assert response.status_code == 200, url
        assert "This looks like an NHS number (943 476 5919)" in page, url
    assert [
        _count(session, m) for m in (LocalPolicy, Post, PersonQualification, OperatorEntitlement)
    ] == [0, 0, 0, 0]


def test_a_bare_number_confirmed_as_not_an_identifier_is_kept(
    session: Session, client: FlaskClient
) -> None:
    _, worker, token = _admin(session, client)
    data = {"csrf_token": token, "scope": "Protocol 9434765919, chest", "granted_on": "2026-01-01"}
    first = client.post(f"/people/{worker.id}/entitlements/new", data=data)
    assert "9434765919 is not a patient identifier" in factories.page_text(first)
    assert _count(session, OperatorEntitlement) == 0
    second = client.post(
        f"/people/{worker.id}/entitlements/new", data={**data, "confirmed": ["9434765919"]}
    )
    assert second.status_code == 302
    assert _count(session, OperatorEntitlement) == 1
