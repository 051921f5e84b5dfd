"""`GET /api/v1/workers?on=<date>`: who is listed is decided on today's facts, as for their
profiles (a former supervisor or an educator asking about another date sees no one the
profile page would hide today); each row shows the worker as they were on the date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people import services
from portfolio.people.models import User
from tests import factories
from tests.api.demo_trust import MakeToken, bearer

MOVED = 20  # days ago two workers changed department
ASKED = 50  # days ago: the date asked about


@dataclass
class Staff:
    educator: User  # reaches the first department only
    supervisor: User  # supervised `former` until 10 days ago
    moved_out: User  # in the educator's department on the date asked, elsewhere today
    moved_in: User  # elsewhere on the date asked, in the educator's department today
    former: User
    first_department_id: int
    second_department_id: int


@pytest.fixture
def staff(session: Session) -> Staff:
    org = factories.organisation(session)
    first, second = factories.department(session, org), factories.department(session, org)
    educator = factories.person(session, org, AccountRole.EDUCATOR, reach=[first])
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    moved_out = factories.person(session, org, name="Alex Out", department=first)
    moved_in = factories.person(session, org, name="Bea In", department=second)
    former = factories.person(session, org, name="Cal Former", department=second)
    for worker, department in ((moved_out, second), (moved_in, first)):
        services.record_appointment(
            factories.auditor(session),
            worker,
            services.AppointmentDetails(
                effective_from=today() - dt.timedelta(days=MOVED),
                job_role=JobRole.CSW,
                trainee=False,
                afc_band="2",
                department_id=department.id,
                started_in_post_on=dt.date(2024, 1, 1),
            ),
        )
    assignment = services.assign_supervisor(
        factories.auditor(session), former, supervisor, today() - dt.timedelta(days=100)
    )
    services.end_supervision(
        factories.auditor(session), assignment, today() - dt.timedelta(days=10)
    )
    session.flush()
    return Staff(educator, supervisor, moved_out, moved_in, former, first.id, second.id)


def _listed(client: FlaskClient, token: str, on: dt.date | None = None) -> dict[int, dict]:  # type: ignore[type-arg]
    url = "/api/v1/workers?limit=100" + (f"&on={on.isoformat()}" if on else "")
    response = client.get(url, headers=bearer(token))
    assert response.status_code == 200
    return {item["id"]: item for item in response.json["items"]}


def _profile_visible(client: FlaskClient, token: str, worker: User) -> bool:
    status = client.get(f"/api/v1/workers/{worker.id}/competencies", headers=bearer(token))
    assert status.status_code in (200, 404)
    return status.status_code == 200


def test_an_educator_sees_on_any_date_whom_they_may_see_today(
    client: FlaskClient, staff: Staff, make_token: MakeToken
) -> None:
    token = make_token(staff.educator)
    asked = _listed(client, token, today() - dt.timedelta(days=ASKED))
    assert staff.moved_out.id not in asked  # in their department then, not now
    assert not _profile_visible(client, token, staff.moved_out)
    assert staff.moved_in.id in asked  # in their department now
    assert _profile_visible(client, token, staff.moved_in)
    # The row is as on the date: then, Bea worked in the other department.
    assert asked[staff.moved_in.id]["department"]["id"] == staff.second_department_id
    assert set(asked) == set(_listed(client, token))


def test_a_former_supervisor_sees_none_of_their_former_workers_on_any_date(
    client: FlaskClient, staff: Staff, make_token: MakeToken
) -> None:
    token = make_token(staff.supervisor)
    assert not _profile_visible(client, token, staff.former)
    while_supervising = today() - dt.timedelta(days=ASKED)
    assert staff.former.id not in _listed(client, token, while_supervising)
    assert staff.former.id not in _listed(client, token)
