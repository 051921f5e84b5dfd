"""Browsers people have signed in on before, remembered in a signed cookie.

Only used to count failed sign-ins apart (OWASP's "device cookies"): it grants nothing, and a
copied cookie only spares its holder the limits for accounts that already signed in there.
"""

from __future__ import annotations

from flask import Flask, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from portfolio.core.settings import get_settings

COOKIE = "portfolio_device"
LIFETIME_SECONDS = 365 * 24 * 3600
KEPT = 20  # a shared ward computer sees many people


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings(app).secret_key, salt="known-device")


def known_user_ids(app: Flask, request: Request) -> frozenset[int]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return frozenset()
    try:
        ids = _serializer(app).loads(raw, max_age=LIFETIME_SECONDS)
    except BadSignature:
        return frozenset()
    if not isinstance(ids, list):
        return frozenset()
    return frozenset(item for item in ids if isinstance(item, int))


def remember(app: Flask, request: Request, response: Response, user_id: int) -> None:
    ids = [user_id, *(item for item in known_user_ids(app, request) if item != user_id)][:KEPT]
    response.set_cookie(
        COOKIE,
        _serializer(app).dumps(ids),
        max_age=LIFETIME_SECONDS,
        httponly=True,
        secure=get_settings(app).secure_cookies,
        samesite="Lax",
    )
