"""Recording that an educator exported a CSV file: who, which list, with which filters and
how many rows. Never the contents: the audit trail cannot be edited, so nothing in it may
ever need erasing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from portfolio.audit.services import Auditor


def record_export(
    auditor: Auditor,
    *,
    organisation_id: int,
    export: str,
    on: dt.date,
    filters: Mapping[str, str],
    rows: int,
) -> None:
    """Flushes the entry; the request commits."""
    auditor.record(
        "oversight.exported",
        subject_type="organisation",
        subject_id=organisation_id,
        organisation_id=organisation_id,
        changes={"export": export, "on": on.isoformat(), "filters": dict(filters), "rows": rows},
    )
