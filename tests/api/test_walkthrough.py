"""The README's walkthrough, as a new user would follow it: log evidence with a file, log
three supervised insertions the radiographer confirms with their password, ask for sign-off,
the radiographer decides, the reckoner says the sign-off now waits for its countersignature,
and the radiographer prints the worker's portfolio, which the public verify page knows."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from pypdf import PdfReader

from portfolio.clock import today
from portfolio.demo import PASSWORD
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer


def test_a_worker_is_signed_off_for_cannulation_through_the_api(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    worker, assessor = trust["scsw"], trust["radiographer"]
    mine, theirs = bearer(make_token(worker)), bearer(make_token(assessor))

    me = client.get("/api/v1/me", headers=mine)
    assert me.status_code == 200, me.json
    assert me.json["email"] == worker.email

    before = client.get(f"/api/v1/workers/{worker.id}/reckoner?task=CANN", headers=mine)
    assert before.status_code == 200, before.json
    assert before.json["may"] is False

    logged = client.post(
        "/api/v1/evidence",
        headers=mine,
        data={
            "kind": "observed_practice",
            "title": "Cannulation on the ward round",
            "activity_on": today().isoformat(),
            "body": "Observed cannulation, adult patient, aseptic technique throughout.",
            "competency_codes": "CANN",
            "file": (io.BytesIO(factories.png((255, 255, 255), (4, 4))), "record.png"),
        },
        content_type="multipart/form-data",
    )
    assert logged.status_code == 201, logged.json
    assert [item["filename"] for item in logged.json["attachments"]] == ["record.png"]
    evidence_id = logged.json["id"]

    lines = []
    for _ in range(3):
        line = client.post(
            "/api/v1/procedures",
            headers=mine,
            json={
                "competency_code": "CANN",
                "performed_on": today().isoformat(),
                "setting": "CT",
                "outcome": "successful",
                "witness_id": assessor.id,
            },
        )
        assert line.status_code == 201, line.json
        lines.append(line.json["id"])
    confirmed = client.post(
        "/api/v1/procedure-confirmations",
        headers=theirs,
        json={"line_ids": lines, "password": PASSWORD},
    )
    assert confirmed.status_code == 200, confirmed.json
    assert confirmed.json == {"confirmed": 3}

    who = client.get("/api/v1/competencies/CANN/assessors", headers=mine)
    assert who.status_code == 200, who.json
    assert assessor.id in [item["id"] for item in who.json["items"]]
    asked = client.post(
        "/api/v1/sign-off-requests",
        headers=mine,
        json={
            "competency_code": "CANN",
            "assessor_id": assessor.id,
            "evidence_ids": [evidence_id],
            "declaration": True,
        },
    )
    assert asked.status_code == 201, asked.json

    waiting = client.get("/api/v1/sign-off-requests", headers=theirs)
    assert [item["id"] for item in waiting.json["items"]] == [asked.json["id"]]
    decided = client.post(
        f"/api/v1/sign-off-requests/{asked.json['id']}/decision",
        headers=theirs,
        json={
            "outcome": "competent",
            "observed_on": today().isoformat(),
            "supervision": "indirect",
            "password": PASSWORD,
        },
    )
    assert decided.status_code == 201, decided.json

    after = client.get(f"/api/v1/workers/{worker.id}/reckoner?task=CANN", headers=theirs)
    assert after.status_code == 200, after.json
    # Cannulation is high risk: the sign-off counts once a practice educator countersigns.
    assert after.json["may"] is False
    assert after.json["status"] == "awaiting_countersignature"
    assert after.json["signed_off_by"] == assessor.name
    assert decided.json["countersignature_required"] is True

    printed = client.post(
        f"/api/v1/workers/{worker.id}/portfolio.pdf", headers=theirs, json={"appendices": True}
    )
    assert printed.status_code == 200
    assert printed.mimetype == "application/pdf"
    code = printed.headers["X-Verification-Code"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(printed.data)).pages)
    assert worker.name in text
    assert code in text.replace("\n", "")
    verified = client.get(f"/verify/{code}")
    assert verified.status_code == 200
    assert worker.name in verified.get_data(as_text=True)
