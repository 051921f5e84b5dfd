"""Schemathesis in-process against the Flask app: for every operation in the OpenAPI
document, inputs generated from the document (a fixed, derandomised profile), sent with a
valid token of the demo trust's person who uses that operation. No answer may be a server
error, and every answer must conform to the document: its status, content type, headers and
body schema."""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portfolio import create_app
from portfolio.api.openapi import document
from portfolio.api.routes import api
from tests.api.demo_trust import MakeToken, Trust, bearer

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Small enough that the whole suite stays in its time budget; enough to reach every
# parameter's edges (Hypothesis tries boundaries and empty values first).
EXAMPLES = 25

create_app("testing")  # binds the routes, so the document lists every operation
SCHEMA = schemathesis.openapi.from_dict(document(api))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def _caller(method: str, path: str) -> str:
    """Whose token: the person the operation is for, so it gets past the policy and
    reaches its validation and services."""
    if "matrix" in path:
        return "educator"
    if path.endswith(("/decision", "/procedure-confirmations")) or (
        method == "GET" and path.endswith("/sign-off-requests")
    ):
        return "radiographer"
    return "scsw"


@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{item.method.upper()} {item.path}" for item in OPERATIONS]
)
def test_no_server_error_and_every_answer_conforms(
    operation,  # type: ignore[no-untyped-def]
    app: Flask,
    trust: Trust,
    make_token: MakeToken,
) -> None:
    headers = bearer(make_token(trust[_caller(operation.method.upper(), operation.path)]))

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)

    run()
