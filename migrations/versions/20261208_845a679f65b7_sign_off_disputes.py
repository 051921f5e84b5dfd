"""Sign-off disputes: the link in the email confirming a sign-off made on someone else's device
to its assessor, and their dispute of it (only the token's SHA-256 is kept); and two kinds of
notice, that confirmation and the dispute told to the practice educators. Downgrading drops
the table and the notices of the new kinds.

Revision ID: 845a679f65b7
Revises: 3869b1c8a92f
Created: 2026-12-08 01:24:31.328544+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "845a679f65b7"
down_revision: str | Sequence[str] | None = "3869b1c8a92f"
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
    "token_made",
    "tokens_revoked",
)
NEW_KINDS = ("signed_on_shared_device", "sign_off_disputed")
CONSTRAINT = "ck_notices_notice_kind"


def _allow(kinds: Sequence[str]) -> None:
    # The kinds are fixed words of this file, never input: plain SQL text is safe here.
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.text(f"kind IN ({listed})"))


def upgrade() -> None:
    _allow((*KINDS, *NEW_KINDS))
    op.create_table(
        "sign_off_disputes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disputed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["users.id"], name=op.f("fk_sign_off_disputes_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["sign_off_decisions.id"],
            name=op.f("fk_sign_off_disputes_decision_id_sign_off_decisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_off_disputes")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_off_disputes_token_hash")),
    )
    with op.batch_alter_table("sign_off_disputes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_off_disputes_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sign_off_disputes_decision_id"), ["decision_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_off_disputes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_off_disputes_decision_id"))
        batch_op.drop_index(batch_op.f("ix_sign_off_disputes_assessor_id"))

    op.drop_table("sign_off_disputes")
    notices = sa.table("notices", sa.column("kind", sa.String))
    op.execute(notices.delete().where(notices.c.kind.in_(NEW_KINDS)))
    _allow(KINDS)
