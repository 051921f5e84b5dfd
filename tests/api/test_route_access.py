"""Every API route against tokens of each account role, and tokens that must not work: the
expected status written down for each, as `tests/test_route_access.py` does for the pages.
A new API route missing here fails `test_every_api_route_is_in_the_table`."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.api import services
from portfolio.api.models import ApiToken, TokenScope
from portfolio.core.clock import today, utcnow
from portfolio.evidence.models import EvidenceKind
from portfolio.signoff.models import RequestState, SignOffRequest
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer

CALLERS = (
    "no_token",
    "expired",
    "revoked",
    "worker_read_only",
    "worker",  # Morgan Davies, senior CSW: the paths' {worker}
    "other_worker",  # Jordan Lee, CSW in another department
    "assigned_supervisor",  # Sam Okafor, radiographer: Morgan's supervisor and assessor
    "educator",  # reach: the whole trust
    "admin",
)
WHO = {
    "expired": "scsw",
    "revoked": "scsw",
    "worker_read_only": "scsw",
    "worker": "scsw",
    "other_worker": "csw",
    "assigned_supervisor": "radiographer",
    "educator": "educator",
    "admin": "admin",
}
EVERYONE = (401, 401, 401, 200, 200, 200, 200, 200, 200)
SEES_WORKER = (401, 401, 401, 200, 200, 404, 200, 200, 200)
TODAY = today().isoformat()

# (method, path, body, statuses in the order of CALLERS). A JSON body is sent as JSON, one
# with "file" as multipart. Bodies are valid for the document, so what differs is the policy
# (404/403), the token (401/403) and the services' own rules (422).
TABLE: list[tuple[str, str, dict[str, Any] | None, tuple[int, ...]]] = [
    ("GET", "/api/openapi.json", None, (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/me", None, EVERYONE),
    ("GET", "/api/v1/frameworks", None, EVERYONE),
    ("GET", "/api/v1/competencies", None, EVERYONE),
    ("GET", "/api/v1/scopes/scsw", None, EVERYONE),
    ("GET", "/api/v1/workers?job_role=scsw", None, EVERYONE),
    ("GET", "/api/v1/workers/{worker}/competencies", None, SEES_WORKER),
    ("GET", "/api/v1/workers/{worker}/progress", None, SEES_WORKER),
    # The reckoner: the person themselves and any shift lead, educator or admin.
    ("GET", "/api/v1/workers/{worker}/reckoner?task=CANN", None, SEES_WORKER),
    ("GET", "/api/v1/standing?person={worker}&item=CANN", None, SEES_WORKER),
    ("GET", "/api/v1/workers/{worker}/evidence", None, SEES_WORKER),
    ("GET", "/api/v1/workers/{worker}/procedures", None, SEES_WORKER),
    ("GET", "/api/v1/evidence/{evidence}", None, SEES_WORKER),
    ("GET", "/api/v1/evidence/{evidence}/attachments/{attachment}", None, SEES_WORKER),
    # Only the worker logs their own evidence and procedures; a read-only token writes nothing.
    (
        "POST",
        "/api/v1/evidence",
        {
            "kind": "reflective_account",
            "title": "Study day",
            "activity_on": TODAY,
            "body": "What I learned.",
            "competency_codes": "CANN",
            "file": "png",
        },
        (401, 401, 401, 403, 201, 422, 403, 403, 403),
    ),
    (
        "POST",
        "/api/v1/evidence/{evidence}/attachments",
        {"file": "png"},
        (401, 401, 401, 403, 201, 404, 403, 403, 403),
    ),
    (
        "POST",
        "/api/v1/procedures",
        {
            "competency_code": "CANN",
            "performed_on": TODAY,
            "setting": "CT",
            "outcome": "successful",
            "witness_id": "{supervisor}",
        },
        (401, 401, 401, 403, 201, 422, 403, 403, 403),
    ),
    # The witness confirms as themselves; a wrong password is refused on its field.
    (
        "POST",
        "/api/v1/procedure-confirmations",
        {"line_ids": ["{line}"], "password": "not-the-password"},
        (401, 401, 401, 403, 403, 403, 422, 403, 403),
    ),
    (
        "GET",
        "/api/v1/competencies/CANN/assessors",
        None,
        (401, 401, 401, 200, 200, 404, 403, 403, 403),
    ),
    # Morgan already has a request waiting for cannulation: refused on its field (422).
    (
        "POST",
        "/api/v1/sign-off-requests",
        {
            "competency_code": "CANN",
            "assessor_id": "{supervisor}",
            "evidence_ids": ["{evidence}"],
            "declaration": True,
        },
        (401, 401, 401, 403, 422, 404, 403, 403, 403),
    ),
    ("GET", "/api/v1/sign-off-requests", None, (401, 401, 401, 403, 403, 403, 200, 200, 403)),
    # Only the assessor the request waits on decides it (a wrong password: 422).
    (
        "POST",
        "/api/v1/sign-off-requests/{request}/decision",
        {"outcome": "competent", "observed_on": TODAY, "supervision": "direct", "password": "x"},
        (401, 401, 401, 403, 404, 404, 422, 404, 404),
    ),
    ("GET", "/api/v1/cohort/matrix.csv", None, (401, 401, 401, 403, 403, 403, 403, 200, 403)),
    # Printing records a verifiable export: a read-write token of someone who may see them.
    (
        "POST",
        "/api/v1/workers/{worker}/portfolio.pdf",
        {"appendices": False},
        (401, 401, 401, 403, 200, 404, 200, 200, 200),
    ),
]


def test_every_api_route_is_in_the_table(app: Flask) -> None:
    in_app = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", "{}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods or ()
        if method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }
    in_table = {
        (
            method,
            re.sub(r"\{\w+\}", "{}", re.sub(r"/(scsw|CANN)(/|$)", r"/{}\2", path.split("?")[0])),
        )
        for method, path, _, _ in TABLE
    }
    assert in_app == in_table


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]


WHITE_PNG = factories.png((255, 255, 255), (2, 2))


@pytest.fixture
def world(app: Flask, session: Session, trust: Trust, make_token: MakeToken) -> World:
    worker, supervisor = trust["scsw"], trust["radiographer"]
    fresh = factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title="Notes",
        activity_on=today(),
        body="Text.",
        scope={"CANN"},
    )
    folder = Path(app.instance_path) / "attachments"
    attachment = factories.attachment(session, folder, worker, fresh, WHITE_PNG)
    line = factories.logged_procedure(session, worker, supervisor)
    waiting = session.scalars(
        select(SignOffRequest).where(
            SignOffRequest.worker_id == worker.id, SignOffRequest.state == RequestState.WAITING
        )
    ).first()
    if waiting is None:
        waiting = factories.sign_off_request(session, worker, supervisor)
    session.flush()
    tokens = {
        caller: make_token(
            trust[who], TokenScope.READ if caller == "worker_read_only" else TokenScope.READ_WRITE
        )
        for caller, who in WHO.items()
    }
    records = {
        record.id: record
        for record in session.scalars(select(ApiToken).where(ApiToken.user_id == worker.id))
    }
    by_hash = {record.token_hash: record for record in records.values()}
    expired = by_hash[services.tokens.token_hash(tokens["expired"])]
    expired.expires_at = utcnow() - dt.timedelta(minutes=1)
    revoked = by_hash[services.tokens.token_hash(tokens["revoked"])]
    services.revoke_token(factories.auditor(session, worker), revoked, utcnow())
    session.flush()
    return World(
        ids={
            "worker": worker.id,
            "supervisor": supervisor.id,
            "evidence": fresh.id,
            "attachment": attachment.id,
            "line": line.id,
            "request": waiting.id,
        },
        tokens=tokens,
    )


def _body(body: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return ids[value[1:-1]]
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value

    return {key: fill(value) for key, value in body.items()}


@pytest.mark.parametrize("caller", CALLERS)
def test_each_api_route_answers_each_caller_as_written(
    caller: str, world: World, client: FlaskClient
) -> None:
    headers = {} if caller == "no_token" else bearer(world.tokens[caller])
    column = CALLERS.index(caller)
    wrong = []
    for method, path, body, statuses in TABLE:
        url = path.format(**world.ids)
        if method == "GET":
            response = client.get(url, headers=headers)
        elif body is not None and "file" in body:
            data = _body(body, world.ids) | {"file": (io.BytesIO(WHITE_PNG), "scan.png")}
            response = client.post(
                url, headers=headers, data=data, content_type="multipart/form-data"
            )
        else:
            response = client.post(url, headers=headers, json=_body(body or {}, world.ids))
        if response.status_code != statuses[column]:
            wrong.append(f"{method} {url}: expected {statuses[column]}, got {response.status_code}")
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json", url
        assert "Set-Cookie" not in response.headers, url
    assert wrong == [], "\n".join(wrong)
