"""The API's blueprint and its registry of operations (every route module adds to both)."""

from __future__ import annotations

from flask import Blueprint

from portfolio.api import problems
from portfolio.api.registry import Api

blueprint = Blueprint("api", __name__, url_prefix="/api")
problems.init_blueprint(blueprint)
api = Api(blueprint, prefix="/api")
