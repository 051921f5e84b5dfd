"""One sign-in attempt from the request at hand, with the trust's limits: the sign-in page's,
and the emailed sign-off link's (`signoff.remote`), counted and locked out alike."""

from __future__ import annotations

import datetime as dt

from flask import current_app, request

from portfolio.accounts import devices, services
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.ratelimit.limiter import limiter


def attempt(email: str, password: str, *, own_device: bool = True) -> services.SignInOutcome:
    """`own_device`: False for someone proving who they are on another person's device (a
    witness, an assessor at the point of care), whose browser is never counted as theirs."""
    settings = get_settings()
    return services.sign_in(
        get_session(),
        email=email,
        password=password,
        address=request.remote_addr or "unknown",
        limits=services.SignInLimits(
            per_account=settings.sign_in_account_limit,
            window=dt.timedelta(minutes=settings.sign_in_window_minutes),
        ),
        limiter=limiter(),
        known_user_ids=devices.known_user_ids(current_app, request) if own_device else frozenset(),
    )
