"""An import is refused whole when a sign-off it brings records a level of supervision above
the person's ceiling here, and the command line names the file, the row and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.practice.preceptorships import start_preceptorship
from portfolio.signoff.models import SignOffDecision
from tests import factories
from tests.leavers.portfolios import Trusts, edit_document


def test_a_sign_off_above_the_ceiling_refuses_the_import_naming_file_row_and_field(
    app: Flask, session: Session, trusts: Trusts, exported: bytes, tmp_path: Path
) -> None:
    ward = factories.department(session, trusts.south)
    preceptee = factories.person(
        session,
        trusts.south,
        AccountRole.SUPPORT_WORKER,
        name="Robin Ash",
        email="robin.ash@south.example",
        department=ward,
        job_role=JobRole.SCSW,
    )
    preceptor = factories.person(session, trusts.south, AccountRole.SUPERVISOR, name="Jo Lee")
    start_preceptorship(
        factories.auditor(session, trusts.south_admin),
        preceptee.appointments[0],
        preceptor=preceptor,
        starts_on=dt.date(2024, 1, 1),
        ends_on=today() + dt.timedelta(days=30),
    )

    def remote(document: dict) -> None:  # type: ignore[type-arg]
        for sign_off in document["sign_offs"]:
            if sign_off["outcome"] == "competent":
                sign_off["supervision"] = "remote"

    path = tmp_path / "robin.zip"
    path.write_bytes(edit_document(exported, remote))
    result = app.test_cli_runner().invoke(
        args=[
            "people",
            "import-portfolio",
            str(path),
            "--email",
            preceptee.email,
            "--organisation",
            trusts.south.name,
            "--by",
            trusts.south_admin.email,
        ]
    )

    assert result.exit_code == 1
    assert (
        f"{path}: portfolio.json: sign_offs[0].supervision: Remote supervision is above the "
        "ceiling: at most direct supervision for a preceptee (set by your trust: direct "
        "supervision during a preceptorship)"
    ) in result.output
    assert f"{path}: nothing brought in" in result.output
    count = select(func.count()).where(SignOffDecision.worker_id == preceptee.id)
    assert session.scalar(count) == 0
