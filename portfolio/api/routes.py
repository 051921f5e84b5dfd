"""Every module of API operations, imported once so each adds its routes to the blueprint."""

from __future__ import annotations

from portfolio.api import cohort, evidence, printing, signoffs, standing, views
from portfolio.api.blueprint import api, blueprint

__all__ = ["api", "blueprint", "cohort", "evidence", "printing", "signoffs", "standing", "views"]
