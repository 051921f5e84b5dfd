"""The app with the demo trust in a SQLite file of its own, served on a free local port in a
thread, as the browser tests' live server."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # one line per request and asset drowns a failure's output; errors still log


def demo_trust_app(folder: Path) -> Flask:
    """The app with the demo trust in a SQLite file of its own, its instance in `folder`."""
    from portfolio import create_app, demo, migrations
    from portfolio.commands import cli_auditor
    from portfolio.core.settings import get_settings
    from portfolio.db import get_session

    with pytest.MonkeyPatch.context() as env:
        # Nothing lands in the checkout's instance/.
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(folder))
        app = create_app("testing", database_url=f"sqlite:///{folder}/portfolio.db")
    migrations.upgrade(get_settings(app).database_url)
    with app.app_context():
        demo.load(cli_auditor())
        get_session().commit()
    return app


def _closed_before_sending(app: WSGIApplication) -> WSGIApplication:
    """Each response read whole and closed before the server sends it.

    When a browser drops a connection mid-request (Chromium cancels a favicon or stylesheet as
    a page navigates or a context closes), werkzeug's development server reads the dead socket
    again before it closes the response, that read raises, and the response's open static file
    is left to the garbage collector, whose ResourceWarning fails whichever test is running
    (warnings are errors). Pages and assets here are small, so buffering costs nothing.
    """

    def buffered(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return buffered


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serves the app on a free local port in a daemon thread; yields the base URL."""
    server = make_server(
        "127.0.0.1",
        0,
        _closed_before_sending(app),
        threaded=True,
        request_handler=_QuietRequestHandler,
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
