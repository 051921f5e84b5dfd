"""Exporting a department's portfolios in a real browser, as a new user would: Priya Patel
(educator) goes from her home page to Oversight, asks for every portfolio of General
radiography, and watches the progress bar fill while a real job consumer prepares them, the
page asking the server for the progress without reloading. Then she downloads the ZIP (three
PDFs and the index) and finds the export among her recent ones. Each page is checked with
axe, and at 360 px wide; the progress page both while preparing and once ready.

Under test the queue runs tasks inside the request that queues them, which would prepare
every portfolio before the progress page showed. Here tasks wait in the queue's SQLite
storage, as in production, and a Huey consumer runs in this process, started only once the
page has shown nothing prepared.

The export must hold exactly the demo's three General radiography workers, and other tests
on the shared live server add people there, so this test has a server and demo trust of its
own.
"""

from __future__ import annotations

import csv
import io
import re
import signal
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from huey import Huey
from huey.consumer import Consumer
from playwright.sync_api import Page, Response, expect

from portfolio.core.clock import today
from tests.browser.pages import Check, SignIn, header_menu, heading
from tests.browser.server import demo_trust_app, serving

PRIYA_EMAIL = "educator@northfield.example"
RADIOGRAPHY = ("Chris Taylor", "Jordan Lee", "Sophie Turner")  # the demo's, by name
PROGRESS = re.compile(r"/oversight/portfolios/\d+/progress$")
# What the consumer takes over as it starts (its graceful and immediate stops, and restart).
CONSUMER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture(scope="module")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo trust as loaded, for this module alone."""
    app = demo_trust_app(tmp_path_factory.mktemp("cohort-server"))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture(scope="module")
def trust_server(trust: Flask) -> Iterator[str]:
    with serving(trust) as url:
        yield url


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict[str, Any], trust_server: str) -> dict[str, Any]:
    """Every page here opens on this module's server (`page.goto("/home")` goes there)."""
    return {**browser_context_args, "base_url": trust_server}


@pytest.fixture
def start_consumer(trust: Flask) -> Iterator[Callable[[], None]]:
    """Tasks wait in the trust's queue until the test calls `start_consumer()`, which starts
    a real Huey consumer in this process: two worker threads, as `make run` has two worker
    processes. (A render away from the main thread runs in a forked child under the same
    limits, see `portfolio.core.sandbox.run_here`.) Afterwards the consumer is stopped, waiting
    for its tasks, its threads must have ended, and the queue runs tasks at once again."""
    queue: Huey = trust.extensions["huey"]
    queue.immediate = False  # Huey swaps to its SQLite storage in the instance folder
    handlers = {signum: signal.getsignal(signum) for signum in CONSUMER_SIGNALS}
    consumers: list[Consumer] = []

    def start() -> None:
        consumer = queue.create_consumer(
            workers=2, worker_type="thread", periodic=False, shutdown_timeout=60
        )
        consumer.start()  # starts the threads and returns
        consumers.append(consumer)

    try:
        yield start
    finally:
        threads = []
        for consumer in consumers:
            consumer.stop(graceful=True)  # sets the stop flag, joins the threads
            threads += [thread for _, thread in consumer.worker_threads]
            threads.append(consumer.scheduler)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        queue.flush()
        queue.storage.close()
        queue.immediate = True
        assert not [thread.name for thread in threads if thread.is_alive()]


def test_the_educator_watches_a_departments_portfolios_prepared_and_downloads_the_zip(
    page: Page,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
    start_consumer: Callable[[], None],
    tmp_path: Path,
) -> None:
    sign_in(page, PRIYA_EMAIL)
    header_menu(page, "Oversight").click()
    expect(heading(page, "Oversight")).to_be_visible()
    page.get_by_role("link", name="Export portfolios").click()

    expect(heading(page, "Export portfolios")).to_be_visible()
    expect(header_menu(page, "Oversight")).to_have_attribute("aria-current", "true")
    axe(page, "export portfolios")
    narrow(page, "export portfolios")
    page.get_by_label("Department").select_option(label="General radiography")
    page.get_by_role("button", name="Export the portfolios").click()

    # The progress page, with nothing prepared: the consumer has not started.
    expect(heading(page, "General radiography department")).to_be_visible()
    navigations: list[str] = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    answers: list[Response] = []
    page.on("response", lambda response: answers.append(response))
    bar = page.get_by_role("progressbar", name="Progress")
    status = page.get_by_role("status")
    download = page.get_by_role("button", name="Download the ZIP file", include_hidden=True)
    check = page.get_by_role("link", name="Check progress", include_hidden=True)
    with page.expect_response(PROGRESS) as first_answer:
        expect(heading(page, "Preparing the portfolios", level=2)).to_be_visible()
        expect(bar).to_have_js_property("value", 0)
        expect(status).to_have_text("0 of 3 portfolios prepared (0%)")
        expect(download).to_have_count(1)
        expect(download).to_be_hidden()
        expect(check).to_have_count(1)
        expect(check).to_be_hidden()  # the script updates the page itself
        axe(page, "progress, preparing")
        narrow(page, "progress, preparing")
    assert first_answer.value.json()["percent"] == 0  # the page asks; nothing is prepared yet
    expect(bar).to_have_js_property("value", 0)

    start_consumer()
    expect(bar).to_have_js_property("value", 100, timeout=90_000)
    expect(status).to_have_text("3 of 3 portfolios prepared: your ZIP file is ready to download")
    expect(heading(page, "Your ZIP file is ready to download", level=2)).to_be_visible()
    expect(download).to_be_visible()
    expect(page).to_have_title(re.compile("^Your ZIP file is ready to download:"))
    assert navigations == []  # all of it without reloading the page
    percents = [answer.json()["percent"] for answer in answers if PROGRESS.search(answer.url)]
    assert percents[0] == 0
    assert percents[-1] == 100
    assert percents == sorted(percents), percents  # the bar only moves forward
    axe(page, "progress, ready")
    narrow(page, "progress, ready")

    on = today().isoformat()
    with page.expect_download(timeout=30_000) as waiting:
        download.click()
    zip_file = waiting.value
    assert zip_file.suggested_filename == f"portfolios-general-radiography-department-{on}.zip"
    saved = tmp_path / zip_file.suggested_filename
    zip_file.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert sorted(archive.namelist()) == [
            f"001-portfolio-chris-taylor-{on}.pdf",
            f"002-portfolio-jordan-lee-{on}.pdf",
            f"003-portfolio-sophie-turner-{on}.pdf",
            "index.csv",
        ]
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        assert [(row["Name"], row["Included"]) for row in index] == [
            (name, "Yes") for name in RADIOGRAPHY
        ]
        for row in index:
            assert archive.read(row["File"]).startswith(b"%PDF-")

    page.get_by_role("link", name="Export portfolios").click()  # the back link
    expect(heading(page, "Export portfolios")).to_be_visible()
    recent = page.get_by_role("table", name="Your recent exports")
    export = recent.get_by_role("row", name=re.compile("^General radiography department"))
    expect(export.get_by_role("link")).to_have_text("General radiography department")
    expect(export.get_by_role("cell").last).to_contain_text(
        "3 of 3 portfolios prepared; ready until "
    )
    axe(page, "export portfolios, with a recent export")
