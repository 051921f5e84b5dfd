"""Pages of the reckoner feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("reckoner", __name__)
