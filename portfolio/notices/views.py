"""Pages of the notices feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("notices", __name__)
