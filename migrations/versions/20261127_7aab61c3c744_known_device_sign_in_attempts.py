"""Sign-in attempts remember whether they came from a browser the person had used before.

Revision ID: 7aab61c3c744
Revises: 3d15ebccf787
Created: 2026-11-27 22:02:24.545712+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7aab61c3c744"
down_revision: str | Sequence[str] | None = "3d15ebccf787"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("known_device", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_column("known_device")
