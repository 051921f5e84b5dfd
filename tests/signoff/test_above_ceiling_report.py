"""`flask report above-ceiling`: sign-offs recorded above the worker's supervision ceiling on
the day observed are listed with the ceiling and its source, and never changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from portfolio.practice.preceptorships import start_preceptorship
from portfolio.standing.status import SupervisionLevel
from tests import factories

ON = dt.date(2026, 3, 2)


def test_the_report_lists_records_above_their_ceiling_and_changes_nothing(
    app: Flask, session: Session, department: factories.SignOffWorld, tmp_path: Path
) -> None:
    dept = department
    start_preceptorship(
        factories.auditor(session, dept.educator),
        dept.worker.appointments[0],
        preceptor=dept.radiographer,
        starts_on=ON - dt.timedelta(days=10),
        ends_on=ON + dt.timedelta(days=10),
    )
    above = factories.decision(
        session, dept.worker, "CANN", observed_on=ON, supervision=SupervisionLevel.REMOTE
    )
    factories.decision(  # within the ceiling: not listed
        session, dept.worker, "CANN", observed_on=ON, supervision=SupervisionLevel.DIRECT
    )
    factories.decision(  # after the preceptorship: no ceiling
        session, dept.worker, "CANN", observed_on=ON + dt.timedelta(days=30)
    )
    path = tmp_path / "above.csv"

    result = app.test_cli_runner().invoke(args=["report", "above-ceiling", "--csv", str(path)])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Morgan Davies, CANN: Cannulation, observed 2 March 2026: recorded remote supervision, "
        "ceiling direct supervision (set by your trust: direct supervision during a "
        f"preceptorship); sign-off {above.id}",
        "1 sign-off above the ceiling: review it; nothing was changed.",
    ]
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "Person,Competency,Date observed,Recorded,Ceiling,Source,Sign-off"
    assert rows[1].startswith("Morgan Davies,CANN: Cannulation,2026-03-02,Remote supervision,")
    assert len(rows) == 2
    session.refresh(above)
    assert above.supervision is SupervisionLevel.REMOTE


def test_the_report_says_so_when_nothing_is_above_a_ceiling(
    app: Flask, session: Session, department: factories.SignOffWorld
) -> None:
    result = app.test_cli_runner().invoke(args=["report", "above-ceiling"])
    assert result.exit_code == 0
    assert "No sign-off records a level above its supervision ceiling." in result.output
