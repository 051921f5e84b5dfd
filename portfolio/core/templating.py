"""Jinja set-up for the NHS.UK design system templates, plus the few filters pages share."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader

from portfolio.core.clock import local, long_date


def format_date(value: dt.date | None) -> str:
    """NHS.UK style: 3 March 2026."""
    if value is None:
        return ""
    return long_date(value)


def format_datetime(value: dt.datetime | None) -> str:
    """UK local time, NHS.UK style: 3 March 2026 at 2:05pm."""
    if value is None:
        return ""
    value = local(value)
    hour = value.hour % 12 or 12
    return f"{format_date(value.date())} at {hour}:{value:%M}{'am' if value.hour < 12 else 'pm'}"


def init_app(app: Flask) -> None:
    # The NHS.UK macros read optional parameters through chains like params.label.text.
    # Escape everything, always: Flask only escapes templates named .html, and the NHS.UK
    # macros live in .jinja files, so a name typed as <b>x</b> would otherwise reach the page
    # as markup through every macro it passes through.
    app.jinja_options = {
        **app.jinja_options,
        "undefined": ChainableUndefined,
        "autoescape": True,
    }
    loader = app.jinja_env.loader
    assert loader is not None
    app.jinja_env.loader = ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")])
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.globals["service_name"] = "Imaging support portfolio"
