"""Competency frameworks (every version kept), scopes, qualifications and pathways; a
department's posts and an organisation's local policies; people's qualifications and IR(ME)R
operator entitlements; an appointment's post.

Revision ID: 61c5d1ed268d
Revises: 0871b2dccd4d
Created: 2026-11-27 21:42:50.398987+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "61c5d1ed268d"
down_revision: str | Sequence[str] | None = "0871b2dccd4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frameworks")),
        sa.UniqueConstraint("code", name=op.f("uq_frameworks_code")),
    )
    op.create_table(
        "framework_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("nations", sa.String(length=200), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["frameworks.id"],
            name=op.f("fk_framework_versions_framework_id_frameworks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_versions")),
        sa.UniqueConstraint(
            "framework_id", "sequence", name=op.f("uq_framework_versions_framework_id_sequence")
        ),
        sa.UniqueConstraint(
            "framework_id", "version", name=op.f("uq_framework_versions_framework_id_version")
        ),
    )
    with op.batch_alter_table("framework_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_framework_versions_framework_id"), ["framework_id"], unique=False
        )

    op.create_table(
        "competencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("domain", sa.String(length=300), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_competencies_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competencies")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_competencies_version_id_code")),
    )
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competencies_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_competencies_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "framework_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("publisher", sa.String(length=300), nullable=False),
        sa.Column("date", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_framework_sources_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_sources")),
        sa.UniqueConstraint("version_id", "key", name=op.f("uq_framework_sources_version_id_key")),
    )
    with op.batch_alter_table("framework_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_framework_sources_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "local_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("supervised_procedures", sa.Integer(), nullable=True),
        sa.Column("reassessment_months", sa.Integer(), nullable=True),
        sa.Column("countersignature_required", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_local_policies_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_local_policies_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_policies")),
        sa.UniqueConstraint(
            "organisation_id",
            "competency_code",
            "version",
            name=op.f("uq_local_policies_organisation_id_competency_code_version"),
        ),
    )
    with op.batch_alter_table("local_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_local_policies_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "operator_entitlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=300), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
            name=op.f("fk_operator_entitlements_granted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_operator_entitlements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_entitlements")),
    )
    with op.batch_alter_table("operator_entitlements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operator_entitlements_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "pathways",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column(
            "job_role",
            sa.Enum(
                "csw",
                "scsw",
                "ma",
                "ap",
                name="pathway_job_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_pathways_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pathways")),
        sa.UniqueConstraint("version_id", "job_role", name=op.f("uq_pathways_version_id_job_role")),
    )
    with op.batch_alter_table("pathways", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pathways_version_id"), ["version_id"], unique=False)

    op.create_table(
        "person_qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("qualification_code", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("framework", sa.String(length=8), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=True),
        sa.Column("planned_start_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_person_qualifications_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_person_qualifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_qualifications")),
    )
    with op.batch_alter_table("person_qualifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_person_qualifications_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "job_role",
            sa.Enum(
                "csw",
                "scsw",
                "ma",
                "ap",
                name="post_job_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_posts_department_id_departments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("department_id", "name", name=op.f("uq_posts_department_id_name")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posts_department_id"), ["department_id"], unique=False)

    op.create_table(
        "qualifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("framework", sa.String(length=8), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_qualifications_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_qualifications_version_id_code")),
    )
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_qualifications_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_qualifications_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "job_role",
            sa.Enum(
                "csw",
                "scsw",
                "ma",
                "ap",
                name="scope_job_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("builds_on", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["framework_versions.id"],
            name=op.f("fk_scopes_version_id_framework_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scopes")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_scopes_version_id_code")),
    )
    with op.batch_alter_table("scopes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scopes_version_id"), ["version_id"], unique=False)

    op.create_table(
        "post_competencies",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_post_competencies_post_id_posts")
        ),
        sa.PrimaryKeyConstraint("post_id", "competency_code", name=op.f("pk_post_competencies")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("post_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_appointments_post_id"), ["post_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_appointments_post_id_posts"), "posts", ["post_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_appointments_post_id_posts"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_appointments_post_id"))
        batch_op.drop_column("post_id")

    op.drop_table("post_competencies")
    with op.batch_alter_table("scopes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scopes_version_id"))

    op.drop_table("scopes")
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualifications_version_id"))
        batch_op.drop_index(batch_op.f("ix_qualifications_code"))

    op.drop_table("qualifications")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_department_id"))

    op.drop_table("posts")
    with op.batch_alter_table("person_qualifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_qualifications_user_id"))

    op.drop_table("person_qualifications")
    with op.batch_alter_table("pathways", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pathways_version_id"))

    op.drop_table("pathways")
    with op.batch_alter_table("operator_entitlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_entitlements_user_id"))

    op.drop_table("operator_entitlements")
    with op.batch_alter_table("local_policies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_policies_organisation_id"))

    op.drop_table("local_policies")
    with op.batch_alter_table("framework_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_sources_version_id"))

    op.drop_table("framework_sources")
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competencies_version_id"))
        batch_op.drop_index(batch_op.f("ix_competencies_code"))

    op.drop_table("competencies")
    with op.batch_alter_table("framework_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_versions_framework_id"))

    op.drop_table("framework_versions")
    op.drop_table("frameworks")
