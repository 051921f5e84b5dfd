"""Cohort exports through the pages, on the demo trust: Priya Patel (educator, the whole trust
in reach) exports a department and downloads one ZIP of its portfolio PDFs with an index; the
progress page and its JSON follow each portfolio as it finishes; bad choices change nothing;
nobody else sees her export; a task that runs twice prepares nothing twice; expired ZIPs are
deleted.

The queue runs tasks at once under test, inside the request; tests that watch the progress
turn that off and run the queued tasks one at a time, as a consumer would. Exports commit, so
each test has a committed copy of the demo trust of its own (`demo_app`): what one leaves
behind (an export still waiting, a setting changed) no other test sees, in any order.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from huey import Huey
from pypdf import PdfReader
from sqlalchemy import func, select, update

from portfolio import demo, unit_of_work
from portfolio.audit.models import AuditEntry
from portfolio.cohorts import services
from portfolio.cohorts.models import CohortExport, CohortPortfolio, CohortState, PortfolioState
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.jobs import cohorts as jobs
from portfolio.pdf.models import PortfolioExport
from tests import factories
from tests.cohorts.demo_trust import PRIYA, department_id, person_id, signed_in

pytestmark = pytest.mark.commits

RADIOGRAPHY = ("Chris Taylor", "Jordan Lee", "Sophie Turner")  # General radiography, by name


def _ask(client: FlaskClient, **choice: str) -> tuple[int, str, str]:
    """Post the form; the status, where it leads and the page's text."""
    token = factories.csrf_token(client, "/oversight/portfolios")
    response = client.post("/oversight/portfolios", data={"csrf_token": token, **choice})
    return response.status_code, response.headers.get("Location", ""), response.get_data(True)


def _export_id(location: str) -> int:
    found = re.fullmatch(r"/oversight/portfolios/(\d+)", location)
    assert found, location
    return int(found.group(1))


def _count(app: Flask, model: type, *where: object) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model).where(*where)) or 0


@contextmanager
def queued(app: Flask) -> Iterator[Huey]:
    """Tasks wait in the queue (SQLite storage in the instance folder) until run."""
    queue: Huey = app.extensions["huey"]
    queue.immediate = False
    try:
        yield queue
    finally:
        queue.flush()
        queue.immediate = True


def _run_next(queue: Huey) -> str:
    task = queue.dequeue()
    assert task is not None, "the queue is empty"
    queue.execute(task)
    return str(task.name)


def _download(client: FlaskClient, location: str) -> tuple[int, bytes, dict[str, str]]:
    """The ZIP's status, bytes and headers (the file it streams is closed after reading)."""
    response = client.get(f"{location}/download")
    try:
        return response.status_code, response.data, dict(response.headers)
    finally:
        response.close()


def _progress(client: FlaskClient, export_id: int) -> dict[str, object]:
    response = client.get(f"/oversight/portfolios/{export_id}/progress")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    answer: dict[str, object] = response.get_json()
    return answer


@pytest.fixture
def radiography(demo_app: Flask) -> tuple[int, bytes, str]:
    """Priya's export of General radiography, run to the end: its id, ZIP and page."""
    client = signed_in(demo_app)
    status, location, _ = _ask(
        client, department=str(department_id(demo_app, "General radiography"))
    )
    assert status == 303
    export_id = _export_id(location)
    page = client.get(location).get_data(as_text=True)
    status, content, headers = _download(client, location)
    assert status == 200
    assert headers["Content-Type"] == "application/zip"
    assert headers["Content-Disposition"] == (
        f"attachment; filename=portfolios-general-radiography-department-{today().isoformat()}.zip"
    )
    return export_id, content, page


def test_the_educator_downloads_one_zip_of_the_departments_portfolios(
    demo_app: Flask, radiography: tuple[int, bytes, str]
) -> None:
    export_id, content, page = radiography
    assert "Your ZIP file is ready to download" in page
    assert 'value="100"' in page
    assert "3 of 3 portfolios prepared: your ZIP file is ready to download" in page
    archive = zipfile.ZipFile(io.BytesIO(content))
    on = today().isoformat()
    assert sorted(archive.namelist()) == [
        f"001-portfolio-chris-taylor-{on}.pdf",
        f"002-portfolio-jordan-lee-{on}.pdf",
        f"003-portfolio-sophie-turner-{on}.pdf",
        "index.csv",
    ]
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert [row["Name"] for row in index] == list(RADIOGRAPHY)
    priya = person_id(demo_app, PRIYA)
    with demo_app.app_context():
        session = get_session()
        for row in index:
            pdf = archive.read(row["File"])
            # Each PDF is a recorded print anyone can verify: its hash, its code, by Priya.
            printed = session.scalar(
                select(PortfolioExport).where(
                    PortfolioExport.sha256 == hashlib.sha256(pdf).hexdigest()
                )
            )
            assert printed is not None
            assert printed.worker_name == row["Name"]
            assert printed.exported_by_id == priya
            assert row["Included"] == "Yes"
            assert row["Verification address"] == f"http://localhost/verify/{printed.code}"
            assert row["Pages"] == str(printed.pages)
            reader = PdfReader(io.BytesIO(pdf))
            assert f"{row['Name']} · competency portfolio" in reader.pages[1].extract_text()
        assert index[0]["Job role"] == "Assistant practitioner"
        assert index[0]["Department"] == "General radiography"
        requested = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "portfolios.cohort_requested",
                AuditEntry.subject_id == str(export_id),
            )
        ).one()
        assert requested.actor_id == priya
        assert '"portfolios":3' in requested.changes


def test_each_portfolio_printed_is_on_the_audit_trail_as_a_print(
    demo_app: Flask, radiography: tuple[int, bytes, str]
) -> None:
    export_id, _, _ = radiography
    with demo_app.app_context():
        session = get_session()
        prints = session.scalars(
            select(CohortPortfolio.portfolio_export_id).where(
                CohortPortfolio.cohort_export_id == export_id
            )
        ).all()
        printed = session.scalars(
            select(AuditEntry.changes).where(AuditEntry.action == "portfolio.printed")
        ).all()
    assert len(prints) == 3
    for print_id in prints:
        assert sum(f'"export":{print_id},' in changes for changes in printed) == 1


def test_the_progress_moves_as_each_portfolio_finishes_then_the_zip_is_built(
    demo_app: Flask,
) -> None:
    client = signed_in(demo_app)
    with queued(demo_app) as queue:
        status, location, _ = _ask(client, job_role="ap")  # Chris Taylor, Sophie Turner
        assert status == 303
        export_id = _export_id(location)
        page = client.get(location).get_data(as_text=True)
        assert "Preparing the portfolios" in page
        assert "0 of 2 portfolios prepared (0%)" in page
        assert "Check progress" in page
        assert re.search(r"data-progress-download\s+hidden", page)
        seen = [_progress(client, export_id)]
        while queue.pending_count():
            _run_next(queue)
            seen.append(_progress(client, export_id))
    assert [(item["done"], item["percent"], item["state"]) for item in seen] == [
        (0, 0, "preparing"),
        (1, 50, "preparing"),
        (2, 99, "preparing"),  # every portfolio done: the ZIP is being put together
        (2, 100, "ready"),
    ]
    assert seen[2]["stage"] == "Putting the ZIP file together"
    assert seen[-1]["summary"] == "2 of 2 portfolios prepared"
    page = client.get(location).get_data(as_text=True)
    assert "Check progress" not in page
    assert not re.search(r"data-progress-download\s+hidden", page)


def test_a_task_run_twice_prepares_its_portfolio_once(demo_app: Flask) -> None:
    client = signed_in(demo_app)
    with queued(demo_app) as queue:
        _, location, _ = _ask(client, job_role="ma")  # Aisha Khan
        export_id = _export_id(location)
        with demo_app.app_context():
            (portfolio_id,) = services.waiting_portfolios(get_session(), export_id)
        prints = _count(demo_app, PortfolioExport)
        with demo_app.app_context():
            assert jobs.prepare_portfolio(demo_app, portfolio_id, last_attempt=True) == "prepared"
        with demo_app.app_context():
            assert (
                jobs.prepare_portfolio(demo_app, portfolio_id, last_attempt=True) == "nothing to do"
            )
        assert _count(demo_app, PortfolioExport) == prints + 1
        assert [_run_next(queue) for _ in range(queue.pending_count())] == [
            "prepare_cohort_portfolio",  # the one the page queued: nothing left to do
            "build_cohort_zip",
        ]
    assert _progress(client, export_id)["state"] == "ready"
    folder = services.folder(jobs.export_folder(demo_app), export_id)
    assert len(list(folder.glob("*.pdf"))) == 1


def test_a_run_that_loses_the_race_keeps_neither_its_print_nor_its_file(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs of one task side by side: the second to finish rolls back."""
    client = signed_in(demo_app)
    with queued(demo_app):
        _, location, _ = _ask(client, job_role="scsw")  # Morgan Davies
        export_id = _export_id(location)
        with demo_app.app_context():
            (portfolio_id,) = services.waiting_portfolios(get_session(), export_id)
        write = services.write_pdf
        other_run = {}

        def write_then_lose(root: Path, export: int, code: str, content: bytes) -> str:
            name = write(root, export, code, content)
            with demo_app.app_context():  # the other run finishes first
                session = get_session()
                session.execute(
                    update(CohortPortfolio)
                    .where(CohortPortfolio.id == portfolio_id)
                    .values(state=PortfolioState.DONE, filename="other.pdf")
                )
                session.commit()
            other_run["name"] = name
            return name

        monkeypatch.setattr(services, "write_pdf", write_then_lose)
        prints = _count(demo_app, PortfolioExport)
        with demo_app.app_context():
            outcome = jobs.prepare_portfolio(demo_app, portfolio_id, last_attempt=True)
    assert outcome == "done already"
    assert _count(demo_app, PortfolioExport) == prints
    folder = services.folder(jobs.export_folder(demo_app), export_id)
    assert not (folder / other_run["name"]).exists()


def test_a_portfolio_that_cannot_be_printed_is_listed_with_the_reason(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(demo_app)
    with monkeypatch.context() as patch:
        patch.setitem(
            demo_app.extensions, "settings", get_settings(demo_app).changed(pdf_max_pages=1)
        )
        status, location, _ = _ask(client, job_role="csw")  # Jordan Lee
    assert status == 303
    page = client.get(location).get_data(as_text=True)
    assert "0 of 1 portfolio prepared, 1 could not be" in page
    assert "Not every portfolio could be prepared" in page
    archive = zipfile.ZipFile(io.BytesIO(_download(client, location)[1]))
    assert archive.namelist() == ["index.csv"]
    (row,) = csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")))
    assert row["Name"] == "Jordan Lee"
    assert row["Included"] == "No"
    assert re.fullmatch(
        r"The portfolio would run to \d+ pages, more than the 1 allowed", row["Why not included"]
    )
    assert row["File"] == ""


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ({"department": "999999"}, "Choose a department from the list"),
        ({"job_role": "radiographer"}, "Choose a job role from the list"),
        (
            {"department": "MRI", "job_role": "ap"},  # replaced by MRI's id below
            "No active support workers match what you chose: choose again",
        ),
    ],
)
def test_a_choice_that_cannot_be_exported_changes_nothing(
    demo_app: Flask, choice: dict[str, str], message: str
) -> None:
    if choice.get("department") == "MRI":
        choice = {**choice, "department": str(department_id(demo_app, "MRI"))}
    client = signed_in(demo_app)
    before = _count(demo_app, CohortExport)
    status, _, page = _ask(client, **choice)
    assert status == 400
    assert "There is a problem" in page
    assert message in page
    assert _count(demo_app, CohortExport) == before


def test_more_portfolios_than_one_export_may_hold_are_refused(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(demo_app)
    changed = get_settings(demo_app).changed(cohort_export_max_portfolios=2)
    with monkeypatch.context() as patch:
        patch.setitem(demo_app.extensions, "settings", changed)
        status, _, page = _ask(client)  # everyone: 5 support workers
    assert status == 400
    assert "That is 5 portfolios, more than the 2 one export may hold" in page


def test_one_export_at_a_time_for_each_educator(demo_app: Flask) -> None:
    client = signed_in(demo_app)
    before = _count(demo_app, CohortExport)
    with queued(demo_app) as queue:
        first, _, _ = _ask(client, job_role="ma")
        second, _, page = _ask(client, job_role="ma")
        assert (first, second) == (303, 400)
        assert "Your last export is still being prepared" in page
        assert _count(demo_app, CohortExport) == before + 1
        while queue.pending_count():
            _run_next(queue)
    assert _ask(client, job_role="ma")[0] == 303  # finished: she may ask again


def test_nobody_but_the_educator_who_asked_sees_the_export(
    demo_app: Flask, radiography: tuple[int, bytes, str]
) -> None:
    export_id, _, _ = radiography
    with demo_app.app_context():
        session = get_session()
        from portfolio.people.models import Organisation, User

        organisation = session.scalar(select(Organisation).join(User).where(User.email == PRIYA))
        assert organisation is not None
        factories.person(
            session,
            organisation,
            AccountRole.EDUCATOR,
            email="second.educator@northfield.example",
            reach_whole_organisation=True,
            password=demo.PASSWORD,
        )
        session.commit()
    other = signed_in(demo_app, "second.educator@northfield.example")
    for path in ("", "/progress", "/download"):
        assert other.get(f"/oversight/portfolios/{export_id}{path}").status_code == 404
    listing = other.get("/oversight/portfolios").get_data(as_text=True)
    assert "Your recent exports" not in listing
    worker = signed_in(demo_app, "ap@northfield.example")
    assert worker.get("/oversight/portfolios").status_code == 403


def test_expired_zips_are_deleted_and_say_so(demo_app: Flask) -> None:
    client = signed_in(demo_app)
    _, location, _ = _ask(client, job_role="ma")
    export_id = _export_id(location)
    root = jobs.export_folder(demo_app)
    folder = services.folder(root, export_id)
    assert (folder / services.ZIP).is_file()
    with demo_app.app_context():
        session = get_session()
        export = session.get(CohortExport, export_id)
        assert export is not None
        hours = get_settings(demo_app).cohort_export_hours
        assert export.expires_at - export.finished_at == dt.timedelta(hours=hours)  # type: ignore[operator]
        # Not yet: an hour before it expires, nothing is removed.
        assert (
            services.remove_expired(session, root, export.expires_at - dt.timedelta(hours=1)) == 0
        )
        assert folder.is_dir()
        # Then every export past its time goes (earlier tests' too: they were asked for at
        # about the same moment).
        assert services.remove_expired(session, root, export.expires_at) >= 1
        session.commit()
        assert export.state is CohortState.EXPIRED
    assert not folder.exists()
    status, content, _ = _download(client, location)
    assert status == 410
    assert "The ZIP file is not available" in content.decode()
    page = client.get(location).get_data(as_text=True)
    assert "The ZIP file was deleted" in page
    assert "data-progress-url" not in page
    # A folder a worker left behind for an export that has expired goes at the next upkeep.
    folder.mkdir(parents=True)
    (folder / "late.pdf").write_bytes(b"%PDF-")
    with demo_app.app_context():
        session = get_session()
        assert services.remove_expired(session, root, utcnow()) == 0
        session.commit()
    assert not folder.exists()


def test_a_zip_missing_from_the_server_says_so_rather_than_waiting(demo_app: Flask) -> None:
    """A restored backup holds the export's rows but not its files."""
    client = signed_in(demo_app)
    _, location, _ = _ask(client, job_role="ma")
    export_id = _export_id(location)
    folder = services.folder(jobs.export_folder(demo_app), export_id)
    (folder / services.ZIP).unlink()
    page = client.get(location).get_data(as_text=True)
    assert "The ZIP file is no longer on this server" in page
    assert "data-progress-url" not in page  # nothing to wait for
    status, content, _ = _download(client, location)
    assert status == 410
    assert "no longer on this server" in content.decode()


def test_work_lost_from_the_queue_is_queued_again_when_the_consumer_starts(
    demo_app: Flask,
) -> None:
    client = signed_in(demo_app)
    with queued(demo_app) as queue:
        _, location, _ = _ask(client, job_role="ap")
        export_id = _export_id(location)
        queue.flush()  # the consumer and its queue are gone
        assert jobs.requeue_unfinished(demo_app) == 2
        assert queue.pending_count() == 2
        while queue.pending_count():
            _run_next(queue)
    assert _progress(client, export_id)["state"] == "ready"


def test_an_export_that_stopped_making_progress_is_queued_again_once(demo_app: Flask) -> None:
    client = signed_in(demo_app)
    with queued(demo_app) as queue:
        _, location, _ = _ask(client, job_role="csw")
        export_id = _export_id(location)
        queue.flush()
        now = utcnow()
        with demo_app.app_context():
            session = get_session()
            assert services.stalled(session, now, after=jobs.STALLED_AFTER) == []
            later = now + jobs.STALLED_AFTER + dt.timedelta(minutes=1)
            assert services.stalled(session, later, after=jobs.STALLED_AFTER) == [export_id]
            assert services.stalled(session, later, after=jobs.STALLED_AFTER) == []
            session.commit()
        with demo_app.app_context(), unit_of_work.transaction():
            jobs.queue_export(demo_app, export_id)  # queued once the unit of work commits
        while queue.pending_count():
            _run_next(queue)
    assert _progress(client, export_id)["state"] == "ready"
