"""The renderer's URL fetcher, on raw HTML (not through the evidence text sanitiser): every way
a document can ask for a sub-resource, pointed at a listener on 127.0.0.1 and at
`file:///etc/passwd`, makes no request and reads no file, while the app's own logo and QR
code still render."""

from __future__ import annotations

import http.server
import io
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pypdf import PageObject, PdfReader
from weasyprint import HTML

from portfolio.pdf.fetcher import Asset, AssetFetcher, RefusedURLError
from portfolio.pdf.render import assets_for, own_assets, qr_code


@dataclass
class Watch:
    """Files opened and sockets connected by this process while `on` (Python's audit hooks
    see every open() and connect(), whoever calls them)."""

    on: bool = False
    opened: list[str] = field(default_factory=list)
    connected: list[Any] = field(default_factory=list)


WATCH = Watch()


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not WATCH.on:
        return
    if event == "open" and args and isinstance(args[0], str | bytes):
        WATCH.opened.append(str(args[0]))
    elif event == "socket.connect":
        WATCH.connected.append(args[1] if len(args) > 1 else args)


sys.addaudithook(_hook)  # hooks cannot be removed; this one does nothing unless watching


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


SVG = "http://www.w3.org/2000/svg"


def hostile(base: str) -> str:
    files = "file:///etc/passwd"
    return f"""<!doctype html>
<html><head>
<base href="{files}">
<link rel="stylesheet" href="{base}/link.css">
<link rel="stylesheet" href="{files}">
<link rel="attachment" href="{base}/attachment.txt">
<style>
@import url("{base}/import.css");
@import url("{files}");
@font-face {{ font-family: Remote; src: url("{base}/font.woff2"); }}
@font-face {{ font-family: Local; src: url("{files}"); }}
body {{ font-family: Remote, Local, sans-serif; background: url("{base}/background.png"); }}
p {{ background-image: url("{files}"); list-style-image: url("{base}/bullet.png"); }}
</style>
<link rel="stylesheet" href="portfolio-asset:portfolio.css">
</head><body>
<img src="{base}/image.png" alt="">
<img src="{files}" alt="">
<img src="relative.png" alt="">
<img alt="" src="data:image/svg+xml,%3Csvg xmlns='{SVG}'%3E%3Cimage href='{base}/d'/%3E%3C/svg%3E">
<object data="{base}/object.svg"></object>
<embed src="{files}">
<iframe src="{base}/frame.html"></iframe>
<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40">
  <image href="{base}/svg-image.png" width="20" height="20"/>
  <image xlink:href="{files}" width="20" height="20"/>
  <use href="{base}/sprite.svg#icon"/>
</svg>
<h1>A hostile document</h1>
<p>Text.</p>
<img src="portfolio-asset:logo.svg" alt="The portfolio's logo">
<img src="portfolio-asset:qr.svg" alt="QR code">
<img src="portfolio-asset:nothing-of-ours.svg" alt="">
</body></html>"""


def test_nothing_outside_the_app_is_fetched_or_read_and_its_own_assets_render(
    listener: tuple[str, list[str]],
) -> None:
    base, requests = listener
    fetcher = AssetFetcher({**own_assets(), "qr.svg": qr_code("https://example.org/verify/x")})
    WATCH.opened.clear()
    WATCH.connected.clear()
    WATCH.on = True
    try:
        pdf = HTML(string=hostile(base), url_fetcher=fetcher).write_pdf()
    finally:
        WATCH.on = False
    assert requests == [], "the listener was reached"
    assert WATCH.connected == [], "a socket was connected during the render"
    assert not [path for path in WATCH.opened if "passwd" in path], "a local file was opened"
    assert sorted(set(fetcher.served)) == ["logo.svg", "portfolio.css", "qr.svg"]
    refused = " ".join(fetcher.refused)
    for asked in ("link.css", "import.css", "font.woff2", "image.png", "svg-image.png"):
        assert f"{base}/{asked}" in refused
    assert "file:///etc/passwd" in refused
    assert "portfolio-asset:nothing-of-ours.svg" in refused
    # The logo and the QR code are drawn: without them the page says the same in far less.
    without = HTML(string=hostile(base), url_fetcher=AssetFetcher({})).write_pdf()
    assert "A hostile document" in _page(pdf).extract_text()
    assert _drawing(pdf) > _drawing(without) + 2000


def _page(pdf: bytes) -> PageObject:
    return PdfReader(io.BytesIO(pdf)).pages[0]


def _drawing(pdf: bytes) -> int:
    contents = _page(pdf).get_contents()
    assert contents is not None
    return len(contents.get_data())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.png",
        "data:text/css,body{}",
        "ftp://example.org/x",
        "portfolio-asset:../../config.py",
        "PORTFOLIO-ASSET:logo.svg",
    ],
)
def test_the_fetcher_refuses_every_other_address(url: str) -> None:
    fetcher = AssetFetcher({"logo.svg": Asset(b"<svg/>", "image/svg+xml")})
    with pytest.raises(RefusedURLError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_a_portfolio_may_fetch_only_its_own_files_its_code_and_its_images() -> None:
    from tests.pdf.documents import small_document

    image = Asset(b"\x89PNG", "image/png")
    names = set(assets_for(small_document(), {"attachment/abc": image}))
    assert names == {"portfolio.css", "logo.svg", "qr.svg", "attachment/abc"}
