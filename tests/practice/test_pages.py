"""The practice records pages through the test client: who may see and grant, forms that
refuse and save nothing, records as at a past date, and withdrawals in the history."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import func, select

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.frameworks.practice_terms import EntitlementKind
from portfolio.practice import entitlements
from portfolio.practice.models import (
    Designation,
    IrmerEntitlement,
    PracticeAuthority,
    Preceptorship,
    Site,
)
from tests import factories
from tests.practice.records import Trust, audit_actions


def _post(client: FlaskClient, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": factories.csrf_token(client, path)})


def _count(trust: Trust, model: type) -> int:
    return trust.session.scalar(select(func.count()).select_from(model)) or 0


def _exposure(trust: Trust, **changes: str) -> dict[str, str]:
    return {
        "kind": "exposure",
        "modality": "general_radiography",
        "examinations": "chest, appendicular-skeleton",
        "granted_by_id": str(trust.granter.id),
        "granted_on": today().isoformat(),
        "review_on": (today() + dt.timedelta(days=365)).isoformat(),
        **changes,
    }


def _grant_in_the_past(trust: Trust, granted_on: dt.date) -> IrmerEntitlement:
    return entitlements.grant_entitlement(
        trust.auditor(),
        trust.worker,
        trust.ward,
        kind=EntitlementKind.PATIENT_IDENTIFICATION,
        modality=None,
        granted_by=trust.granter,
        granted_on=granted_on,
        review_on=granted_on + dt.timedelta(days=300),
        today=today(),
    )


def test_a_granter_grants_an_exposure_entitlement_the_worker_then_sees(
    trust: Trust, client: FlaskClient, new_client
) -> None:  # type: ignore[no-untyped-def]
    factories.sign_in(client, trust.granter)
    path = f"/people/{trust.worker.id}/practice/entitlements/new"
    response = _post(client, path, _exposure(trust))
    assert response.status_code == 302
    page = factories.page_text(client.get(f"/people/{trust.worker.id}/practice"))
    assert "Exposure, general radiography Current" in page
    assert "appendicular-skeleton, chest" in page
    assert audit_actions(trust.session, "irmer_entitlement.") == ["irmer_entitlement.granted"]
    worker = new_client()
    factories.sign_in(worker, trust.worker)
    own = factories.page_text(worker.get(f"/people/{trust.worker.id}/practice"))
    assert "Exposure, general radiography Current" in own
    assert "Grant an IR(ME)R operator entitlement" not in own  # nobody grants to themselves
    assert worker.get(path).status_code == 403


def test_someone_without_the_authority_may_neither_see_nor_grant(
    trust: Trust, client: FlaskClient
) -> None:
    colleague = factories.person(trust.session, trust.org, AccountRole.SUPERVISOR)
    factories.sign_in(client, colleague)
    assert client.get(f"/people/{trust.worker.id}/practice").status_code == 404
    token = factories.csrf_token(client, "/account")
    response = client.post(
        f"/people/{trust.worker.id}/practice/entitlements/new",
        data={**_exposure(trust, granted_by_id=str(colleague.id)), "csrf_token": token},
    )
    assert response.status_code == 404
    assert _count(trust, IrmerEntitlement) == 0


def test_a_form_with_mistakes_shows_them_all_keeps_what_was_typed_and_saves_nothing(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.granter)
    path = f"/people/{trust.worker.id}/practice/entitlements/new"
    response = _post(
        client,
        path,
        _exposure(trust, modality="", examinations="", review_on=today().isoformat()),
    )
    assert response.status_code == 200
    page = factories.page_text(response)
    assert "Choose the modality of the exposures" in page
    assert "Name the examinations it covers" in page
    assert "The review date must be after the date granted" in page
    assert f'value="{today().isoformat()}"' in response.get_data(as_text=True)
    assert _count(trust, IrmerEntitlement) == 0


def test_the_service_refuses_a_granter_without_the_entitlement_authority(
    trust: Trust, client: FlaskClient
) -> None:
    """The MR Responsible Person holds an authority in the department, but not this one."""
    factories.sign_in(client, trust.mr_lead)
    path = f"/people/{trust.worker.id}/practice/entitlements/new"
    response = _post(client, path, _exposure(trust, granted_by_id=str(trust.mr_lead.id)))
    assert response.status_code == 200
    assert "is not recorded as the department's IR(ME)R entitlement granter" in (
        factories.page_text(response)
    )
    assert _count(trust, IrmerEntitlement) == 0


def test_records_as_at_a_past_date(trust: Trust, client: FlaskClient) -> None:
    granted_on = today() - dt.timedelta(days=200)
    entitlement = _grant_in_the_past(trust, granted_on)
    entitlements.withdraw_entitlement(
        trust.auditor(),
        entitlement,
        withdrawn_by=trust.granter,
        withdrawn_on=today() - dt.timedelta(days=10),
        reason="Moved to a non-clinical role",
        today=today(),
    )
    factories.sign_in(client, trust.granter)
    path = f"/people/{trust.worker.id}/practice"

    def on(day: dt.date) -> str:
        return factories.page_text(client.get(f"{path}?on={day.isoformat()}"))

    assert "No IR(ME)R operator entitlements on" in on(granted_on - dt.timedelta(days=1))
    assert "Patient identification, any modality Current" in on(granted_on)
    assert "Patient identification, any modality Withdrawn" in on(today())
    assert "Enter a real date" in factories.page_text(client.get(f"{path}?on=2026-02-30"))


def test_withdrawing_needs_a_reason_which_the_history_then_shows(
    trust: Trust, client: FlaskClient
) -> None:
    entitlement = _grant_in_the_past(trust, today() - dt.timedelta(days=30))
    factories.sign_in(client, trust.granter)
    path = f"/people/{trust.worker.id}/practice/entitlements/{entitlement.id}/withdraw"
    data = {"withdrawn_by_id": str(trust.granter.id), "withdrawn_on": today().isoformat()}
    refused = _post(client, path, {**data, "reason": "  "})
    assert "Say why it is withdrawn" in factories.page_text(refused)
    assert len(entitlement.versions) == 1
    assert _post(client, path, {**data, "reason": "Failed the audit"}).status_code == 302
    page = factories.page_text(client.get(f"/people/{trust.worker.id}/practice"))
    assert "Withdrawn: Failed the audit" in page
    assert "Version history (2)" in page
    assert f"Withdrawn {today().day}" in page
    assert "by Dr Ada Lovelace" in page


def test_a_review_renews_it_with_a_new_review_date_and_keeps_the_first_version(
    trust: Trust, client: FlaskClient
) -> None:
    entitlement = _grant_in_the_past(trust, today() - dt.timedelta(days=30))
    factories.sign_in(client, trust.granter)
    path = f"/people/{trust.worker.id}/practice/entitlements/{entitlement.id}/review"
    next_review = today() + dt.timedelta(days=700)
    response = _post(
        client,
        path,
        {
            "reviewed_by_id": str(trust.granter.id),
            "reviewed_on": today().isoformat(),
            "review_on": next_review.isoformat(),
        },
    )
    assert response.status_code == 302
    page = factories.page_text(client.get(f"/people/{trust.worker.id}/practice"))
    assert "Version history (2)" in page
    assert "Reviewed" in page
    assert f"{next_review.year}" in page


def test_the_mr_responsible_person_designates_an_mr_authorised_person(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.mr_lead)
    path = f"/people/{trust.worker.id}/practice/designations/new"
    response = _post(
        client,
        path,
        {
            "kind": "mr_authorised_person",
            "granted_by_id": str(trust.mr_lead.id),
            "granted_on": today().isoformat(),
            "review_on": (today() + dt.timedelta(days=365)).isoformat(),
        },
    )
    assert response.status_code == 302
    page = factories.page_text(client.get(f"/people/{trust.worker.id}/practice"))
    assert "MR Authorised Person designation Current" in page
    assert _count(trust, Designation) == 1


def test_an_educator_records_a_preceptorship_and_ends_it_early(
    trust: Trust, client: FlaskClient
) -> None:
    educator = factories.person(trust.session, trust.org, AccountRole.EDUCATOR, reach=[trust.ward])
    factories.sign_in(client, educator)
    start = today() - dt.timedelta(days=20)
    path = f"/people/{trust.worker.id}/practice/preceptorships/new"
    data = {
        "preceptor_id": str(trust.granter.id),
        "starts_on": start.isoformat(),
        "ends_on": (start - dt.timedelta(days=1)).isoformat(),
        "ceiling": "direct",
    }
    assert "The last day cannot be before the first day" in factories.page_text(
        _post(client, path, data)
    )
    assert _count(trust, Preceptorship) == 0
    data["ends_on"] = (start + dt.timedelta(days=180)).isoformat()
    assert _post(client, path, data).status_code == 302
    period = trust.session.scalars(select(Preceptorship)).one()
    end = f"/people/{trust.worker.id}/practice/preceptorships/{period.id}/end"
    ended = {"ended_on": today().isoformat(), "reason": "Signed off early by the panel"}
    assert _post(client, end, ended).status_code == 302
    page = factories.page_text(client.get(f"/people/{trust.worker.id}/practice"))
    assert "Dr Ada Lovelace Direct supervision" in page
    assert "Signed off early by the panel" in page


def test_the_department_record_and_its_authorities(trust: Trust, client: FlaskClient) -> None:
    _grant_in_the_past(trust, today() - dt.timedelta(days=30))
    admin = factories.person(trust.session, trust.org, AccountRole.ADMIN, name="Ann Admin")
    factories.sign_in(client, admin)
    record = f"/organisation/departments/{trust.ward.id}/practice"
    page = factories.page_text(client.get(record))
    assert "Kim Lee" in page
    assert "Patient identification, any modality" in page
    assert "IR(ME)R entitlement granter Dr Ada Lovelace" in page
    path = f"{record}/authorities"
    refused = _post(client, path, {"user_id": "", "authority": "", "starts_on": ""})
    assert "Choose the person" in factories.page_text(refused)
    assert "Choose the authority" in factories.page_text(refused)
    before = _count(trust, PracticeAuthority)
    data = {"user_id": str(admin.id), "authority": "entitlement_granter"}
    assert _post(client, path, {**data, "starts_on": today().isoformat()}).status_code == 302
    assert _count(trust, PracticeAuthority) == before + 1
    held = trust.session.scalars(
        select(PracticeAuthority).where(PracticeAuthority.user_id == admin.id)
    ).one()
    ended = _post(client, f"{path}/{held.id}/end", {"ends_on": today().isoformat()})
    assert ended.status_code == 302
    trust.session.refresh(held)
    assert held.ends_on == today()


def test_a_holder_sees_the_department_record_but_may_not_assign_authorities(
    trust: Trust, client: FlaskClient
) -> None:
    factories.sign_in(client, trust.granter)
    record = f"/organisation/departments/{trust.ward.id}/practice"
    page = factories.page_text(client.get(record))
    assert "Assign or remove authorities" not in page
    assert client.get(f"{record}/authorities").status_code == 403


def test_sites_and_the_two_associate_model_from_a_date(trust: Trust, client: FlaskClient) -> None:
    admin = factories.person(trust.session, trust.org, AccountRole.ADMIN)
    factories.sign_in(client, admin)
    refused = _post(client, "/organisation/sites", {"code": "main site", "name": "Main"})
    assert "Use capital letters, digits and hyphens" in factories.page_text(refused)
    assert _count(trust, Site) == 0
    added = _post(client, "/organisation/sites", {"code": "MOB-1", "name": "Mobile unit"})
    assert added.status_code == 302
    site = trust.session.scalars(select(Site)).one()
    assert "Not recorded" in factories.page_text(client.get("/organisation/sites"))
    tomorrow = today() + dt.timedelta(days=1)
    data = {"qualifies": "yes", "from_on": tomorrow.isoformat()}
    assert _post(client, f"/organisation/sites/{site.id}", data).status_code == 302
    page = factories.page_text(client.get(f"/organisation/sites/{site.id}"))
    assert "meets the model" in page
    assert "Today it does not meet the model" in page  # it applies from tomorrow


def test_a_form_without_its_csrf_token_saves_nothing(trust: Trust, client: FlaskClient) -> None:
    factories.sign_in(client, trust.granter)
    response = client.post(
        f"/people/{trust.worker.id}/practice/entitlements/new", data=_exposure(trust)
    )
    assert response.status_code in {200, 400}
    assert _count(trust, IrmerEntitlement) == 0
