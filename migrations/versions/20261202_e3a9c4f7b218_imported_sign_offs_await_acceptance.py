"""A previous employer's sign-off brought in by an import waits for local acceptance: whether
it must be accepted here, and the day and who accepted it.

Revision ID: e3a9c4f7b218
Revises: e4b9d7a2c3f8
Created: 2026-12-02 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3a9c4f7b218"
down_revision: str | Sequence[str] | None = "e4b9d7a2c3f8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sign_off_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "acceptance_required", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
        batch_op.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("accepted_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("accepted_by_name", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sign_off_decisions_accepted_by_id_users"),
            "users",
            ["accepted_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_off_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sign_off_decisions_accepted_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("accepted_by_name")
        batch_op.drop_column("accepted_by_id")
        batch_op.drop_column("accepted_on")
        batch_op.drop_column("acceptance_required")
