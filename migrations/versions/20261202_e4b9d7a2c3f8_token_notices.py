"""Two kinds of notice about a person's own account: a personal access token was made for
them, and their tokens were revoked with their password or sessions.

Revision ID: e4b9d7a2c3f8
Revises: c5e8f2a7d913
Created: 2026-12-02 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4b9d7a2c3f8"
down_revision: str | Sequence[str] | None = "c5e8f2a7d913"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "request_waiting",
    "request_returned",
    "procedure_awaiting",
    "due_60",
    "due_30",
    "expired",
    "weekly_summary",
)
NEW_KINDS = ("token_made", "tokens_revoked")
CONSTRAINT = "ck_notices_notice_kind"


def _allow(kinds: Sequence[str]) -> None:
    # The kinds are fixed words of this file, never input: plain SQL text is safe here.
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.text(f"kind IN ({listed})"))


def upgrade() -> None:
    _allow((*KINDS, *NEW_KINDS))


def downgrade() -> None:
    # The notices of the new kinds go with them: they say nothing an older version can show.
    notices = sa.table("notices", sa.column("kind", sa.String))
    op.execute(notices.delete().where(notices.c.kind.in_(NEW_KINDS)))
    _allow(KINDS)
