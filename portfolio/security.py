"""Security headers on every response, with a fresh nonce for the page's one inline script.

By default the policy lets a page load nothing from any host but this one; the NHS web font's
host is added only with `nhs_fonts_from_nhs_host` on (see `scripts/font_faces.py`)."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request

from portfolio.core.settings import get_settings

FONT_HOST = "https://assets.nhs.uk"  # the NHS.UK design system's Frutiger web font


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    nonce: str = g.csp_nonce
    return nonce


def content_security_policy(nonce: str, *, font_host: str | None = None) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"font-src 'self' {font_host}" if font_host else "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    nhs_fonts = get_settings(app).nhs_fonts_from_nhs_host
    app.jinja_env.globals["nhs_fonts_from_nhs_host"] = nhs_fonts
    font_host = FONT_HOST if nhs_fonts else None

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers["Content-Security-Policy"] = content_security_policy(
            csp_nonce(), font_host=font_host
        )
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            # Pages carry personal data and may be viewed on shared ward computers.
            headers["Cache-Control"] = "no-store"
        return response
