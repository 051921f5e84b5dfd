"""Schemathesis in-process against the Flask app: for every operation in the OpenAPI
document, inputs generated from the document (a fixed, derandomised profile), sent with a
valid token of the demo trust's person who uses that operation. No answer may be a server
error, and every answer must conform to the document: its status, content type, headers and
body schema."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

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
from sqlalchemy import select

from portfolio import create_app
from portfolio.api import services
from portfolio.api.models import TokenScope
from portfolio.api.openapi import document
from portfolio.api.routes import api
from portfolio.commands import cli_auditor
from portfolio.core.clock import today
from portfolio.people.models import User
from tests.api.demo_trust import MakeToken, Trust, bearer
from tests.serving import serving
from tests.support.databases import make_demo_app

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


# Schemathesis against the app served over HTTP (a real server on a free port, the demo trust
# committed in a database of its own), run as its command line runs in CI: every check, every
# phase. Each operation is called with the token of the person who uses it (`_caller`).
SERVED_EXAMPLES = 6
SERVED_SEED = 21
# The checks that probe a missing or an invalid token count the unknown ones as failed
# sign-ins from 127.0.0.1; a run makes far more than a trust's proxy would, so the address
# limit is raised out of the way for this server only (the limit has tests of its own).
SERVED_ADDRESS_LIMIT = 1_000_000


def _served_config(tokens: dict[str, str]) -> str:
    """schemathesis.toml. Each operation with the token of the person who uses it (the first
    matching entry decides, the narrowest first). Strings
    without NUL characters and as valid UTF-8:
    every text field refuses those with a 400 naming it, which the document cannot say.

    A request the document allows may still be refused, by the rules the pages keep and no
    schema can hold, naming the field: on a list, a cursor it never gave (400); on a write, a
    competency outside your scope, a wrong password, a file that is not what its name says,
    a possible NHS number (422); on the reckoner, a task no framework has (422). Only those
    operations accept those statuses as answers to schema-valid data; every other check
    stands as schemathesis has it."""

    def entry(name: str, who: str, *refusals: str) -> list[str]:
        statuses = ", ".join(
            f'"{status}"' for status in ("2xx", "401", "403", "404", "409", *refusals)
        )
        return [
            "[[operations]]",
            f'include-name-regex = "{name}"',
            f'headers = {{ Authorization = "Bearer {tokens[who]}" }}',
            f"checks.positive_data_acceptance.expected-statuses = [{statuses}]",
        ]

    return "\n".join(
        [
            "[generation]",
            "allow-x00 = false",
            'codec = "utf-8"',
            *entry("^GET .*/matrix[.]csv$", "educator", "400"),
            *entry("^POST .*/(decision|procedure-confirmations)$", "radiographer", "422"),
            *entry("^GET /api/v1/sign-off-requests$", "radiographer", "400"),
            *entry("^GET .*/reckoner$", "scsw", "400", "422"),
            *entry("^GET ", "scsw", "400"),
            *entry("^POST ", "scsw", "422"),
            "",
        ]
    )


@pytest.mark.commits
@pytest.mark.served
def test_the_served_api_passes_every_check_in_every_phase(
    fresh_database_url: str, tmp_path: Path
) -> None:
    from portfolio.db import get_session

    served = make_demo_app(
        fresh_database_url, tmp_path / "instance", sign_in_address_limit=SERVED_ADDRESS_LIMIT
    )
    with served.app_context():
        session = get_session()
        people = {
            person.email.split("@")[0]: person
            for person in session.scalars(
                select(User).where(User.email.like("%@northfield.example"))
            )
        }
        tokens = {}
        for who in ("scsw", "radiographer", "educator"):
            _, tokens[who] = services.create_token(
                cli_auditor(),
                people[who],
                name="schemathesis",
                scope=TokenScope.READ_WRITE,
                expires_on=today() + dt.timedelta(days=2),
                today=today(),
                max_days=365,
                created_by=people[who],
            )
        session.commit()
    config = tmp_path / "schemathesis.toml"
    config.write_text(_served_config(tokens))
    try:
        with serving(served) as url:
            run = subprocess.run(
                [
                    str(Path(sys.executable).with_name("schemathesis")),
                    "--config-file",
                    str(config),
                    "--no-color",
                    "run",
                    f"{url}/api/openapi.json",
                    "--checks",
                    "all",
                    "--phases",
                    "examples,coverage,fuzzing,stateful",
                    "--max-examples",
                    str(SERVED_EXAMPLES),
                    "--seed",
                    str(SERVED_SEED),
                    "--workers",
                    "1",
                    "--request-timeout",
                    "30",
                    "--continue-on-failure",
                    "--suppress-health-check",
                    "all",
                ],
                capture_output=True,
                text=True,
                timeout=600,
                cwd=tmp_path,
            )
    finally:
        served.extensions["engine"].dispose()
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    for phase in ("Coverage", "Fuzzing", "Stateful"):  # examples: the document has none yet
        assert f"✅ {phase}" in report, report
