"""Pages of the oversight feature."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("oversight", __name__)
