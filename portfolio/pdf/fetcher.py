"""WeasyPrint's only way to the outside world, shut: it serves the app's own assets and
refuses everything else.

A document asks for sub-resources (stylesheets, `@import`, `@font-face`, images, SVG
`<image>`, backgrounds) through the URL fetcher. This one answers only
`portfolio-asset:<name>` from the assets it was given in memory, and raises for any other
address, `file:`, `http:`, `https:` and `data:` included, so a render opens no socket and reads
no file whatever the HTML holds. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from weasyprint.urls import URLFetcher, URLFetcherResponse

SCHEME = "portfolio-asset:"


@dataclass(frozen=True)
class Asset:
    content: bytes
    media_type: str  # "text/css", "image/svg+xml", "image/png", …


class RefusedURLError(ValueError):
    """An address outside the app's assets. WeasyPrint logs it and leaves the resource out."""


class AssetFetcher(URLFetcher):
    def __init__(self, assets: Mapping[str, Asset]) -> None:
        # No protocol is allowed through the parent's opener: `fetch` below never calls it.
        super().__init__(allowed_protocols=frozenset())
        self.assets = assets
        self.served: list[str] = []  # the names of the assets it fetched
        self.refused: list[str] = []  # what it asked for and did not get

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(SCHEME):
            asset = self.assets.get(url.removeprefix(SCHEME))
            if asset is not None:
                self.served.append(url.removeprefix(SCHEME))
                return URLFetcherResponse(url, asset.content, {"Content-Type": asset.media_type})
        self.refused.append(url)
        raise RefusedURLError(f"not one of the portfolio's own assets: {url[:200]}")


def asset_url(name: str) -> str:
    return SCHEME + name
