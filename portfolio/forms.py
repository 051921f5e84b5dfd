"""Form pieces shared by every feature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms import SelectChoice


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a select, radios or checkboxes field."""
    return [SelectChoice(value, label) for value, label in pairs]
