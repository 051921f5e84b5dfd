"""Form pieces shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectMultipleField
from wtforms.validators import Optional


def optional_int(value: object) -> int | None:
    """A select's value as an id, or None for its "Choose…" option."""
    return int(str(value)) if value not in (None, "") else None


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radios or checkboxes field."""
    return [SelectChoice(value, label) for value, label in pairs]


class ConfirmsNumbers:
    """For forms with free text: the numbers the person confirmed are not patient identifiers."""

    confirmed = SelectMultipleField("Confirmed not patient identifiers", validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A form with nothing but its CSRF token, for buttons that change something."""
