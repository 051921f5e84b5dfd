"""One waiting request per worker and competency, one open suspension per sign-off, and a
decision's one-off submission key, enforced by the database so that races and double taps
cannot record twice.

Revision ID: b41f6c2d8e57
Revises: 9d2e4b7c1f30
Created: 2026-11-28 03:55:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b41f6c2d8e57"
down_revision: str | Sequence[str] | None = "9d2e4b7c1f30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("state = 'waiting'")
OPEN = sa.text("reinstated_on IS NULL")


def upgrade() -> None:
    op.create_index(
        "uq_sign_off_requests_one_waiting",
        "sign_off_requests",
        ["worker_id", "competency_code"],
        unique=True,
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )
    op.create_index(
        "uq_sign_off_suspensions_one_open",
        "sign_off_suspensions",
        ["decision_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    with op.batch_alter_table("sign_off_decisions") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(
            batch.f("uq_sign_off_decisions_submission_key"), ["submission_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_off_decisions") as batch:
        batch.drop_constraint(batch.f("uq_sign_off_decisions_submission_key"), type_="unique")
        batch.drop_column("submission_key")
    op.drop_index("uq_sign_off_suspensions_one_open", table_name="sign_off_suspensions")
    op.drop_index("uq_sign_off_requests_one_waiting", table_name="sign_off_requests")
