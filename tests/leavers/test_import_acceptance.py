"""Sign-offs an import brings in count only once accepted here: the export is the person's own
file (they could have edited it), so each arrives as a previous employer's record waiting for
an educator or administrator to accept it after one practice observed on local equipment,
through the same page that accepts a previous employer's sign-off typed in by hand. And what
the exporting portfolio recorded about where a transcribed sign-off came from travels with it.
"""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole
from portfolio.people.models import User
from portfolio.people.registers import RegisterType
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff.models import Authentication, MinimumOverride, SignOffDecision
from portfolio.standing.status import Status
from tests import factories
from tests.leavers.portfolios import (
    Trusts,
    ago,
    download,
    edit_document,
    moved,
    open_zip,
    post_import,
)


def _made_up_sign_off(document: dict) -> None:  # type: ignore[type-arg]
    """What a worker could add to their own export: a current cannulation sign-off."""
    document["sign_offs"].append(
        {
            "id": 9999,
            "competency": "CANN",
            "outcome": "competent",
            "supervision": "remote",
            "observed_on": ago(10).isoformat(),
            "recorded_on": ago(10).isoformat(),
            "expires_on": ago(-300).isoformat(),
            "assessor": {"name": "Made Up", "profession": "radiographer"},
            "authentication": "own_session",
        }
    )


def _status(session: Session, person: User, code: str) -> Status:
    found = signoff_queries.statuses(session, person.id, [code], today(), due_window_days=60)
    return found[code].status


def _local_assessor(session: Session, trusts: Trusts) -> User:
    """A radiographer at the new trust, signed off in cannulation there: may observe it."""
    observer = factories.person(session, trusts.south, AccountRole.SUPERVISOR, name="Lee Local")
    factories.registrant(observer, RegisterType.HCPC, "RA654321", "radiographer")
    factories.transcribed(
        session, observer, "CANN", trusts.south_admin, source="South's cannulation training record"
    )
    return observer


def _post(client: FlaskClient, path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": factories.csrf_token(client, path), **data})


def test_a_sign_off_added_to_the_export_lets_nobody_practise_until_accepted_here(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    response = post_import(client, trusts, edit_document(exported, _made_up_sign_off))
    page = factories.page_text(response)
    assert response.status_code == 200, page[:2000]
    assert "Sign-offs, waiting to be accepted here 3" in page
    assert "The sign-offs brought in do not count here yet" in page
    robin = moved(session)
    made_up = session.scalars(
        select(SignOffDecision).where(
            SignOffDecision.worker_id == robin.id, SignOffDecision.assessor_name == "Made Up"
        )
    ).one()
    assert made_up.authentication is Authentication.TRANSCRIBED
    assert made_up.previous_employer == "North Hospitals NHS Trust"
    assert _status(session, robin, "CANN") is Status.AWAITING_ACCEPTANCE
    path = f"/people/{robin.id}/competencies/CANN"
    record = factories.page_text(client.get(path))
    assert "Awaiting local acceptance" in record
    assert "(previous employer's record, awaiting local acceptance)" in record
    assert "Local acceptance Awaiting: it does not count here" in record
    assert f"/accept?decision={made_up.id}" in client.get(path).get_data(as_text=True)

    # An override of the minimum made here waits while the sign-off does not count ...
    session.add(
        MinimumOverride(
            worker_id=robin.id,
            competency_code="CANN",
            procedures_required=5,
            procedures_confirmed=0,
            reason="Extensive practice at North",
            overridden_by_id=trusts.south_admin.id,
            overridden_by_name="Sid Admin",
            recorded_at=utcnow(),
            recorded_on=today(),
        )
    )
    session.flush()
    assert signoff_queries.open_override(session, robin.id, "CANN") is not None

    # An educator or administrator here accepts it on one practice observed locally.
    observer = _local_assessor(session, trusts)
    accept = f"{path}/accept?decision={made_up.id}"
    form = factories.page_text(client.get(accept))
    assert "Accept a sign-off brought in from North Hospitals NHS Trust" in form
    assert "Lee Local" in form
    response = _post(
        client,
        accept,
        {
            "observer_id": str(observer.id),
            "local_observed_on": today().isoformat(),
            "local_setting": "Cannulation pack, CT room 1",
        },
    )
    assert response.status_code == 302, factories.page_text(response)
    session.refresh(made_up)
    assert (made_up.accepted_on, made_up.accepted_by_id) == (today(), trusts.south_admin.id)
    assert (made_up.local_observer_id, made_up.local_setting) == (
        observer.id,
        "Cannulation pack, CT room 1",
    )
    assert _status(session, robin, "CANN") is Status.COMPETENT
    # ... and is spent once it does: it never waives the minimum of a later reassessment.
    assert signoff_queries.open_override(session, robin.id, "CANN") is None
    record = factories.page_text(client.get(path))
    assert "(transcribed record, accepted after local observation)" in record
    assert "Accepted by Sid Admin on" in record
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.accepted")
    ).one()
    assert (entry.actor_id, entry.subject_id) == (trusts.south_admin.id, str(made_up.id))
    # Accepted once: there is nothing left to accept.
    assert client.get(accept).status_code == 404


def test_accepting_a_sign_off_brought_in_refuses_what_the_rules_refuse(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    assert post_import(client, trusts, edit_document(exported, _made_up_sign_off)).status_code == (
        200
    )
    robin = moved(session)
    observer = _local_assessor(session, trusts)
    rows = {
        row.assessor_name: row
        for row in session.scalars(
            select(SignOffDecision).where(
                SignOffDecision.worker_id == robin.id, SignOffDecision.competency_code == "CANN"
            )
        )
    }
    made_up, expired = rows["Made Up"], rows["Sam Okafor"]
    path = f"/people/{robin.id}/competencies/CANN/accept"
    good = {
        "observer_id": str(observer.id),
        "local_observed_on": today().isoformat(),
        "local_setting": "CT room 1",
    }
    for decision, changes, message in (
        (made_up, {"observer_id": str(trusts.south_admin.id)}, "Choose the local assessor"),
        (made_up, {"local_observed_on": ago(40).isoformat()}, "in the last 30 days"),
        (made_up, {"local_setting": ""}, "Enter the equipment and room"),
        (expired, {}, "This sign-off has expired"),
    ):
        response = _post(client, f"{path}?decision={decision.id}", {**good, **changes})
        text = factories.page_text(response)
        assert response.status_code == 200
        assert message in text, text[:3000]
        session.refresh(decision)
        assert decision.accepted_on is None
    assert _status(session, robin, "CANN") is Status.AWAITING_ACCEPTANCE
    # Only a sign-off of this person and competency that waits may be accepted this way.
    assert client.get(f"{path}?decision={trusts.decisions['expired']}").status_code == 404
    assert (
        client.get(f"/people/{robin.id}/competencies/A-1/accept?decision={made_up.id}").status_code
        == 404
    )


def test_where_a_transcribed_sign_off_came_from_travels_with_the_export(
    session: Session, client: FlaskClient, trusts: Trusts
) -> None:
    worker = trusts.worker
    override = MinimumOverride(
        worker_id=worker.id,
        competency_code="CANN",
        procedures_required=5,
        procedures_confirmed=2,
        reason="Extensive practice at West",
        overridden_by_id=trusts.north_admin.id,
        overridden_by_name="Nell Admin",
        recorded_at=utcnow(),
        recorded_on=ago(31),
        closed_on=ago(30),
    )
    session.add(override)
    session.flush()
    west = factories.decision(
        session,
        worker,
        "CANN",
        observed_on=ago(30),
        assessor=trusts.supervisor,
        recorded_on=ago(29),
        expires_on=ago(-300),
        assessor_id=None,
        assessor_name="Wes Assessor",
        authentication=Authentication.TRANSCRIBED,
        transcribed_source="Scanned into the personnel file",
        previous_employer="West Hospitals NHS Trust",
        original_seen_by="Nell Admin",
        original_seen_on=ago(29),
        transcribed_by_id=trusts.north_admin.id,
        transcribed_by_name="Nell Admin",
        local_observer_id=trusts.supervisor.id,
        local_observer_name="Sam Okafor",
        local_observed_on=ago(29),
        local_setting="Day unit",
        minimum_override_id=override.id,
    )
    factories.sign_in(client, worker)
    data = download(client, worker)
    client.post("/sign-out", data={"csrf_token": factories.csrf_token(client, "/account")})

    exported = next(
        item
        for item in json.loads(open_zip(data).read("portfolio.json"))["sign_offs"]
        if item["id"] == west.id
    )
    assert exported["previous_employer"] == "West Hospitals NHS Trust"
    assert (exported["original_seen_by"], exported["original_seen_on"]) == (
        "Nell Admin",
        ago(29).isoformat(),
    )
    assert exported["transcribed_by"] == "Nell Admin"
    assert exported["local_acceptance"] == {
        "observer": "Sam Okafor",
        "observed_on": ago(29).isoformat(),
        "setting": "Day unit",
        "accepted_on": None,
        "accepted_by": None,
    }
    assert exported["minimum_override"]["reason"] == "Extensive practice at West"
    assert exported["minimum_override"]["procedures_confirmed"] == 2

    assert post_import(client, trusts, data).status_code == 200
    robin = moved(session)
    brought_in = session.scalars(
        select(SignOffDecision).where(
            SignOffDecision.worker_id == robin.id, SignOffDecision.assessor_name == "Wes Assessor"
        )
    ).one()
    # West made it, not North: North only typed it in.
    assert brought_in.previous_employer == "West Hospitals NHS Trust"
    source = brought_in.transcribed_source or ""
    assert "Exported from North Hospitals NHS Trust portfolio" in source
    assert "original seen there by Nell Admin" in source
    assert "accepted there after one practice observed by Sam Okafor" in source
    # Accepted at North, but not here yet.
    assert brought_in.awaiting_acceptance


def test_an_export_written_before_the_provenance_fields_still_comes_in(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    added = (
        "previous_employer",
        "original_seen_by",
        "original_seen_on",
        "transcribed_by",
        "local_acceptance",
        "awaiting_acceptance",
        "minimum_override",
    )

    def older(document: dict) -> None:  # type: ignore[type-arg]
        for item in document["sign_offs"]:
            for name in added:
                del item[name]

    response = post_import(client, trusts, edit_document(exported, older))
    assert response.status_code == 200, factories.page_text(response)[:2000]
    robin = moved(session)
    assert {
        row.previous_employer
        for row in session.scalars(
            select(SignOffDecision).where(SignOffDecision.worker_id == robin.id)
        )
    } == {"North Hospitals NHS Trust"}
