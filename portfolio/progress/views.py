"""Pages of the progress feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("progress", __name__)
