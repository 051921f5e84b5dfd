"""Who may assess: the GMC and the Register of Clinical Technologists beside the HCPC and the
NMC, a radiographer's part of the HCPC register (diagnostic or therapeutic), conditions of
practice apart from a caution (and struck off apart from not found), an educator's review of
conditions of practice, and the organisations' approved-assessor lists (domain review E1,
E18, E20 and section 2b).

A check that said "registered with conditions or caution" becomes "conditions of practice":
the cautious reading, so nobody under conditions assesses until an educator reviews them.

Downgrading cannot keep what the old schema has no words for: GMC and RCT registrations are
cleared from people (their sign-offs keep the number, with no register), a caution and
conditions of practice both become "registered with conditions or caution", struck off
becomes not found, and the reviews, lists and radiography are dropped.

Revision ID: a7d2e5c9f031
Revises: f1c7a3e9b2d4
Created: 2026-12-07 17:20:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7d2e5c9f031"
down_revision: str | Sequence[str] | None = "f1c7a3e9b2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_REGISTERS = ("none", "hcpc", "nmc")
NEW_REGISTERS = (*OLD_REGISTERS, "gmc", "rct")
OLD_RESULTS = ("registered", "registered_with_conditions", "suspended", "not_found", "lapsed")
NEW_RESULTS = (
    "registered",
    "caution",
    "conditions_of_practice",
    "suspended",
    "struck_off",
    "not_found",
    "lapsed",
)
LISTS = ("cannulation_assessor", "antt_assessor", "bls_instructor", "mr_safety_trainer")

users = sa.table(
    "users",
    sa.column("register", sa.String()),
    sa.column("register_number", sa.String()),
    sa.column("register_checked_on", sa.Date()),
    sa.column("register_check_result", sa.String()),
)
decisions = sa.table("sign_off_decisions", sa.column("assessor_register", sa.String()))


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _recheck(table: str, column: str, values: Sequence[str], fill: Sequence[sa.Executable]) -> None:
    """Replace a column's CHECK constraint: drop it, move the rows, create the new one (two
    batches, because SQLite's batch mode copies the table once per batch)."""
    name = f"ck_{table}_{column}"
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_="check")
    for statement in fill:
        op.execute(statement)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_check_constraint(op.f(name), _in(column, values))


def upgrade() -> None:
    _recheck("users", "register", NEW_REGISTERS, ())
    _recheck(
        "users",
        "register_check_result",
        NEW_RESULTS,
        (
            users.update()
            .where(users.c.register_check_result == "registered_with_conditions")
            .values(register_check_result="conditions_of_practice"),
        ),
    )
    _recheck("sign_off_decisions", "assessor_register", NEW_REGISTERS, ())
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("radiography", sa.String(length=32), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_users_radiography"), _in("radiography", ("diagnostic", "therapeutic"))
        )
    _create_reviews()
    _create_lists()


def _create_reviews() -> None:
    op.create_table(
        "registration_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("register_checked_on", sa.Date(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_registration_reviews_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_registration_reviews_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_reviews")),
    )
    with op.batch_alter_table("registration_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_reviews_user_id"), ["user_id"], unique=False
        )


def _create_lists() -> None:
    op.create_table(
        "assessor_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "assessor_list",
            sa.Enum(
                *LISTS,
                name="assessor_list",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(removed_on IS NULL) = (removed_by_id IS NULL)",
            name=op.f("ck_assessor_list_entries_removal_has_remover"),
        ),
        sa.CheckConstraint(
            "removed_on IS NULL OR removed_on >= approved_on",
            name=op.f("ck_assessor_list_entries_removed_after_approval"),
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_assessor_list_entries_approved_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_assessor_list_entries_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["users.id"],
            name=op.f("fk_assessor_list_entries_removed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_assessor_list_entries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessor_list_entries")),
    )
    with op.batch_alter_table("assessor_list_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessor_list_entries_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assessor_list_entries_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assessor_list_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessor_list_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_assessor_list_entries_organisation_id"))
    op.drop_table("assessor_list_entries")
    with op.batch_alter_table("registration_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_reviews_user_id"))
    op.drop_table("registration_reviews")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_radiography"), type_="check")
        batch_op.drop_column("radiography")
    newer = users.c.register.in_(("gmc", "rct"))
    _recheck(
        "users",
        "register",
        OLD_REGISTERS,
        (
            users.update()
            .where(newer)
            .values(
                register="none",
                register_number=None,
                register_checked_on=None,
                register_check_result=None,
            ),
        ),
    )
    result = users.c.register_check_result
    _recheck(
        "users",
        "register_check_result",
        OLD_RESULTS,
        (
            users.update()
            .where(result.in_(("caution", "conditions_of_practice")))
            .values(register_check_result="registered_with_conditions"),
            users.update().where(result == "struck_off").values(register_check_result="not_found"),
        ),
    )
    _recheck(
        "sign_off_decisions",
        "assessor_register",
        OLD_REGISTERS,
        (
            decisions.update()
            .where(decisions.c.assessor_register.in_(("gmc", "rct")))
            .values(assessor_register="none"),
        ),
    )
