"""A leaver is archived, never deleted: signed out and unable to sign in, gone from the lists
of current staff, found by administrators and educators, read only, and back if they return."""

from __future__ import annotations

from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import Evidence
from portfolio.people.models import SupervisorAssignment
from portfolio.policy import _CHANGES_A_RECORD, Actor, Decision, Permission, PersonFacts, decide
from portfolio.signoff.models import RequestState, SignOffDecision
from tests import factories
from tests.leavers.portfolios import Trusts

LEAVER = PersonFacts(
    id=1,
    organisation_id=10,
    roles=frozenset({AccountRole.SUPPORT_WORKER}),
    department_id=100,
    supervisor_ids=frozenset({2}),
    active=False,
)


@given(
    roles=st.frozensets(st.sampled_from(list(AccountRole)), min_size=1),
    permission=st.sampled_from(sorted(_CHANGES_A_RECORD, key=lambda item: item.value)),
)
def test_nobody_changes_a_leavers_records(
    roles: frozenset[AccountRole], permission: Permission
) -> None:
    someone = Actor(id=3, organisation_id=10, roles=roles, reach_whole_organisation=True)
    assert decide(someone, permission, LEAVER) is not Decision.ALLOW


def test_those_allowed_still_read_and_export_a_leavers_portfolio() -> None:
    admin = Actor(id=3, organisation_id=10, roles=frozenset({AccountRole.ADMIN}))
    educator = Actor(
        id=4,
        organisation_id=10,
        roles=frozenset({AccountRole.EDUCATOR}),
        reach_department_ids=frozenset({100}),
    )
    for actor in (admin, educator):
        assert decide(actor, Permission.VIEW_PERSON, LEAVER) is Decision.ALLOW
        assert decide(actor, Permission.VIEW_EVIDENCE, LEAVER) is Decision.ALLOW
    assert decide(admin, Permission.EXPORT_PORTFOLIO, LEAVER) is Decision.ALLOW
    assert decide(educator, Permission.EXPORT_PORTFOLIO, LEAVER) is Decision.FORBID
    # Reactivating is the one change allowed: an administrator's.
    assert decide(admin, Permission.DEACTIVATE_PERSON, LEAVER) is Decision.ALLOW
    assert decide(educator, Permission.VIEW_LEAVERS) is Decision.ALLOW
    worker = Actor(id=5, organisation_id=10, roles=frozenset({AccountRole.SUPPORT_WORKER}))
    assert decide(worker, Permission.VIEW_LEAVERS) is Decision.FORBID


def _deactivate(client: FlaskClient, trusts: Trusts) -> None:
    factories.sign_in(client, trusts.north_admin)
    token = factories.csrf_token(client, "/account")
    response = client.post(
        f"/people/{trusts.worker.id}/deactivate",
        data={"csrf_token": token, "last_day": today().isoformat(), "reason": "left_the_trust"},
    )
    assert response.status_code == 302


def test_leaving_ends_supervision_and_withdraws_waiting_requests_keeping_every_record(
    session: Session,
    client: FlaskClient,
    new_client,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    waiting = factories.sign_off_request(session, trusts.worker, trusts.supervisor, "A-1")
    supervisor = new_client()
    factories.sign_in(supervisor, trusts.supervisor)
    assert "Robin Ash" in factories.page_text(supervisor.get("/to-do"))
    records = (
        session.scalar(select(func.count()).where(Evidence.worker_id == trusts.worker.id)),
        session.scalar(select(func.count()).where(SignOffDecision.worker_id == trusts.worker.id)),
    )
    _deactivate(client, trusts)

    session.refresh(waiting)
    assert (waiting.state, waiting.ended_on) == (RequestState.WITHDRAWN, today())
    assignment = session.scalars(
        select(SupervisorAssignment).where(SupervisorAssignment.worker_id == trusts.worker.id)
    ).one()
    session.refresh(assignment)
    assert assignment.ends_on == today()
    assert "Robin Ash" not in factories.page_text(supervisor.get("/to-do"))
    assert "Robin Ash" not in factories.page_text(supervisor.get("/home"))
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"person.deactivated", "supervisor.ended", "sign_off.request_withdrawn"} <= actions
    assert (
        session.scalar(select(func.count()).where(Evidence.worker_id == trusts.worker.id)),
        session.scalar(select(func.count()).where(SignOffDecision.worker_id == trusts.worker.id)),
    ) == records
    assert "This account is not active" in factories.page_text(
        factories.sign_in(new_client(), trusts.worker)
    )


def test_administrators_and_educators_in_reach_find_leavers_and_read_not_change(
    session: Session,
    client: FlaskClient,
    new_client,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    ward = trusts.worker.appointments[0].department
    inside = factories.person(session, trusts.north, AccountRole.EDUCATOR, reach=[ward])
    outside = factories.person(
        session,
        trusts.north,
        AccountRole.EDUCATOR,
        reach=[factories.department(session, trusts.north)],
    )
    _deactivate(client, trusts)
    listing = factories.page_text(client.get("/people/left"))
    assert "Robin Ash" in listing
    assert f"{today().day} {today():%B %Y}" in listing
    assert "Robin Ash" not in factories.page_text(client.get("/people"))  # current staff
    assert "Robin Ash" in factories.page_text(client.get("/people?status=inactive"))

    educator = new_client()
    factories.sign_in(educator, inside)
    assert "Robin Ash" in factories.page_text(educator.get("/people/left"))
    assert "Robin Ash" not in factories.page_text(educator.get("/home"))
    assert "Robin Ash" not in factories.page_text(educator.get("/oversight/matrix"))
    page = factories.page_text(educator.get(f"/people/{trusts.worker.id}"))
    assert "Robin Ash has left" in page
    assert educator.get(f"/people/{trusts.worker.id}/evidence").status_code == 200
    assert educator.get(f"/people/{trusts.worker.id}/qualifications/new").status_code == 403
    elsewhere = new_client()
    factories.sign_in(elsewhere, outside)
    assert "Robin Ash" not in factories.page_text(elsewhere.get("/people/left"))

    assert client.get(f"/people/{trusts.worker.id}/edit").status_code == 403
    assert client.get(f"/people/{trusts.worker.id}/entitlements/new").status_code == 403
    assert client.get(f"/people/{trusts.worker.id}/evidence").status_code == 200


def test_an_administrator_reactivates_someone_who_returns(
    session: Session,
    client: FlaskClient,
    new_client,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    _deactivate(client, trusts)
    token = factories.csrf_token(client, "/account")
    response = client.post(f"/people/{trusts.worker.id}/reactivate", data={"csrf_token": token})
    assert response.status_code == 302
    assert factories.sign_in(new_client(), trusts.worker).status_code == 302
    assert client.get(f"/people/{trusts.worker.id}/edit").status_code == 200
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "person.reactivated")
    ).one()
    assert entry.actor_id == trusts.north_admin.id
