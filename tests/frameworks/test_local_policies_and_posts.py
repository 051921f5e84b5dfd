"""Local policies keep their history; posts can only take up optional items of their scope."""

from __future__ import annotations

import html

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.frameworks.models import LocalPolicy, Post
from tests import factories


def _admin(session: Session, client: FlaskClient):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    factories.frameworks(session, "minimal")
    factories.sign_in(client, admin)
    return org, factories.csrf_token(client, "/organisation/policies/CANN")


def _new_version(client: FlaskClient, token: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/organisation/policies/CANN",
        data={"csrf_token": token, "countersignature": "default", **data},
    )


def test_an_admin_records_versions_and_the_history_shows_each(
    session: Session, client: FlaskClient
) -> None:
    _, token = _admin(session, client)
    assert (
        _new_version(
            client,
            token,
            title="Cannulation policy v3",
            effective_from="2024-04-01",
            supervised_procedures="5",
        ).status_code
        == 302
    )
    assert (
        _new_version(
            client,
            token,
            title="Cannulation policy v4",
            effective_from="2026-01-01",
            supervised_procedures="10",
            reassessment_months="24",
        ).status_code
        == 302
    )
    page = html.unescape(client.get("/organisation/policies/CANN").get_data(as_text=True))
    history = page.split("<h2>History</h2>")[1].split("</table>")[0]
    assert history.index("Cannulation policy v4") < history.index("Cannulation policy v3")
    assert "In force today:</strong> Cannulation policy v4." in page
    detail = factories.page_text(client.get("/frameworks/competencies/CANN"))
    assert "10 supervised procedures, reassessed every 24 months" in detail


def test_a_version_cannot_take_effect_before_the_one_it_follows(
    session: Session, client: FlaskClient
) -> None:
    _, token = _admin(session, client)
    _new_version(client, token, title="v4", effective_from="2026-01-01")
    response = _new_version(client, token, title="backdated", effective_from="2025-06-01")
    page = html.unescape(response.get_data(as_text=True))
    assert "There is a problem" in page
    assert "on or after version 1" in page
    assert session.scalar(select(func.count()).select_from(LocalPolicy)) == 1


def test_a_competency_that_never_expires_has_no_reassessment(
    session: Session, client: FlaskClient
) -> None:
    _, token = _admin(session, client)
    response = client.post(
        "/organisation/policies/A-1",
        data={
            "csrf_token": token,
            "countersignature": "default",
            "title": "x",
            "effective_from": "2026-01-01",
            "reassessment_months": "12",
        },
    )
    assert "does not expire" in html.unescape(response.get_data(as_text=True))


def test_a_post_takes_up_optional_items_only(session: Session, client: FlaskClient) -> None:
    org, token = _admin(session, client)
    ward = factories.department(session, org, "MRI")
    url = "/organisation/posts/new?job_role=scsw"
    forged = client.post(
        url,
        data={
            "csrf_token": token,
            "name": "MRI senior CSW",
            "department_id": ward.id,
            "core_codes": ["A-1"],
        },
    )
    assert forged.status_code == 200  # A-1 is core already, not a choice
    assert session.scalar(select(func.count()).select_from(Post)) == 0
    saved = client.post(
        url,
        data={
            "csrf_token": token,
            "name": "MRI senior CSW",
            "department_id": ward.id,
            "core_codes": ["CANN"],
        },
    )
    assert saved.status_code == 302
    listing = client.get("/organisation/posts").get_data(as_text=True)
    assert "MRI senior CSW" in listing
    assert "CANN" in listing


def test_a_workers_post_and_plan_decide_what_their_progress_counts(
    session: Session, client: FlaskClient
) -> None:
    org, token = _admin(session, client)
    ward = factories.department(session, org)
    post = factories.post(session, ward, "Cannulating SCSW", "CANN")
    worker = factories.person(session, org, department=ward)
    response = client.post(
        f"/people/{worker.id}/job-role",
        data={
            "csrf_token": token,
            "job_role": "scsw",
            "afc_band": "3",
            "department_id": ward.id,
            "post_id": post.id,
            "started_in_post_on": "2025-01-01",
            "effective_from": "2025-01-01",
        },
    )
    assert response.status_code == 302
    page = factories.page_text(client.get(f"/people/{worker.id}"))
    assert "post: Cannulating SCSW" in page
    assert "Core in this post" in page
    assert "Their progress counts 2 competencies" in page


def test_continuing_without_a_job_role_says_what_is_missing(
    session: Session, client: FlaskClient
) -> None:
    _admin(session, client)
    response = client.get("/organisation/posts/new")
    assert response.status_code == 200
    page = factories.page_text(response)
    assert "There is a problem" in page
    assert "Select a job role" in page


def test_qualifications_show_their_level_in_every_framework(
    session: Session, client: FlaskClient
) -> None:
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import SHIPPED, discover, read_set

    org = factories.organisation(session)
    loading.load(factories.auditor(session), read_set(discover(SHIPPED), SHIPPED.parent))
    factories.sign_in(client, factories.person(session, org))
    page = factories.page_text(client.get("/frameworks"))
    # The mammography associate apprenticeship (RQF 4) and National 5 (SCQF 5).
    assert "Mammography associate" in page
    assert "RQF 4 EQF 5 = CQFW 4 = SCQF 7-8 = FHEQ 4 ST0583" in page
    assert "SCQF 5 EQF 3 = RQF 2 = CQFW 2" in page


def test_a_post_can_move_to_another_department(session: Session, client: FlaskClient) -> None:
    org, token = _admin(session, client)
    first, second = factories.department(session, org), factories.department(session, org)
    post = factories.post(session, first, "Cannulating SCSW", "CANN")
    response = client.post(
        f"/organisation/posts/{post.id}",
        data={
            "csrf_token": token,
            "name": "Cannulating SCSW",
            "department_id": second.id,
            "core_codes": ["CANN"],
        },
    )
    assert response.status_code == 302
    session.refresh(post)
    assert post.department_id == second.id
