"""Where each notice leads: one page per kind, as a route and its values, so the app and the
emails (absolute links from BASE_URL, built without a request) point at the same place."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from portfolio.notices.rules import NoticeKind

Target = tuple[str, dict[str, Any]]


def target(
    kind: NoticeKind,
    *,
    worker_id: int | None,
    competency_code: str | None,
    request_id: int | None,
) -> Target:
    if kind is NoticeKind.REQUEST_WAITING and request_id is not None:
        return "signoff.decide_request", {"request_id": request_id}
    if kind is NoticeKind.WEEKLY_SUMMARY:
        return "signoff.to_do", {}
    if kind in (NoticeKind.TOKEN_MADE, NoticeKind.TOKENS_REVOKED):
        return "accounts.tokens", {}
    if kind is NoticeKind.SIGNED_ON_SHARED_DEVICE:
        return "notices.index", {}  # the dispute link is the email's alone
    if kind is not NoticeKind.PROCEDURE_AWAITING and worker_id and competency_code:
        # The feedback of a returned request, or the sign-off that is due or expired.
        return "signoff.competency", {"person_id": worker_id, "code": competency_code}
    # The witness confirms on the worker's device: the notice itself says how.
    return "notices.index", {}


def absolute(app: Flask, base_url: str, endpoint: str, values: dict[str, Any]) -> str:
    """An absolute link under BASE_URL (which may include a path prefix), without a request."""
    parts = urlsplit(base_url.rstrip("/"))
    adapter = app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
