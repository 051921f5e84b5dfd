"""The app served over HTTP on a free local port, in a thread of the test process: for the
browser tests and for schemathesis run against the served API."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class _QuietRequestHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # one line per request and asset drowns a failure's output; errors still log


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
