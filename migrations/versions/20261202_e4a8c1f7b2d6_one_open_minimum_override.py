"""One open override of the supervised procedure minimum per worker and competency, enforced
by the database so that two educators overriding at the same moment cannot make two.

Overrides already open twice (from such a race) keep the newest open, the one the pages
already show and a sign-off would use; the older are closed on the day it was made.

Revision ID: e4a8c1f7b2d6
Revises: e3a9c4f7b218
Created: 2026-12-02 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a8c1f7b2d6"
down_revision: str | Sequence[str] | None = "e3a9c4f7b218"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("closed_on IS NULL")

CLOSE_ALL_BUT_THE_NEWEST = sa.text(
    """
    UPDATE minimum_overrides SET closed_on = (
        SELECT max(newer.recorded_on) FROM minimum_overrides AS newer
        WHERE newer.worker_id = minimum_overrides.worker_id
          AND newer.competency_code = minimum_overrides.competency_code
          AND newer.closed_on IS NULL
          AND newer.id > minimum_overrides.id
    )
    WHERE closed_on IS NULL AND EXISTS (
        SELECT 1 FROM minimum_overrides AS newer
        WHERE newer.worker_id = minimum_overrides.worker_id
          AND newer.competency_code = minimum_overrides.competency_code
          AND newer.closed_on IS NULL
          AND newer.id > minimum_overrides.id
    )
    """
)


def upgrade() -> None:
    op.execute(CLOSE_ALL_BUT_THE_NEWEST)
    op.create_index(
        "uq_minimum_overrides_one_open",
        "minimum_overrides",
        ["worker_id", "competency_code"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_minimum_overrides_one_open", table_name="minimum_overrides")
