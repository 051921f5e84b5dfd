"""Choosing a cohort to export: the oversight pages' department, post and job role filters,
and whether to append the certificates."""

from __future__ import annotations

from wtforms import BooleanField

from portfolio.oversight.forms import WorkerFilters


class CohortForm(WorkerFilters):
    appendices = BooleanField(
        "Add the PDF certificates attached to evidence as appendices",
        description="Each portfolio gets its own certificates after its numbered pages.",
    )
