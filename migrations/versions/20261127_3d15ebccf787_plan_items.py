"""Optional competencies added to a worker's plan by their supervisor or educator.

Revision ID: 3d15ebccf787
Revises: 61c5d1ed268d
Created: 2026-11-27 21:49:08.881338+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3d15ebccf787"
down_revision: str | Sequence[str] | None = "61c5d1ed268d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_plan_items_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_plan_items_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_items")),
        sa.UniqueConstraint(
            "worker_id", "competency_code", name=op.f("uq_plan_items_worker_id_competency_code")
        ),
    )
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_items_worker_id"), ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_items_worker_id"))

    op.drop_table("plan_items")
