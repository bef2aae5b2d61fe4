"""incident lifecycle: stages, deadlines, levels; attachments; evaluations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 02:15:34.474316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident", sa.String(length=36), nullable=False),
        sa.Column("path", sa.String(length=512), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.Float(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_incident"), ["incident"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident", sa.String(length=36), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("evaluator", sa.String(length=64), nullable=False),
        sa.Column("department", sa.String(length=32), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_incident"), ["incident"], unique=False)

    with op.batch_alter_table("action_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("args", sa.JSON(), nullable=False, server_default="{}"))

    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("level", sa.String(length=24), nullable=False, server_default="village")
        )
        batch_op.add_column(sa.Column("platform", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("department", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("stage", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("stage_started_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("stage_due", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("stage_duration", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("overdue_noted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("case_due", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("extension_requested", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.String(length=36), nullable=True))
        batch_op.add_column(
            sa.Column("settled_in_village", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("closed_at", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("updated_at", sa.Float(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("is_open", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("urgency_rank", sa.Integer(), nullable=False, server_default="2")
        )
        batch_op.add_column(sa.Column("queue_due", sa.Float(), nullable=False, server_default="0"))
        batch_op.create_index(
            "ix_incident_queue", ["is_open", "urgency_rank", "queue_due"], unique=False
        )
        batch_op.create_index("ix_incident_stage_due", ["stage_due"], unique=False)
        batch_op.create_foreign_key(
            "fk_incident_department", "department", ["department"], ["code"]
        )
    # Incidents stored under 0001 were all just reported: give them their queue position.
    op.execute(
        "UPDATE incident SET urgency_rank = CASE urgency WHEN 'very_urgent' THEN 0 "
        "WHEN 'urgent' THEN 1 ELSE 2 END, queue_due = received_at, updated_at = received_at"
    )


def downgrade() -> None:

    with op.batch_alter_table("incident", schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint("fk_incident_department", type_="foreignkey")
        batch_op.drop_index("ix_incident_stage_due")
        batch_op.drop_index("ix_incident_queue")
        batch_op.drop_column("queue_due")
        batch_op.drop_column("urgency_rank")
        batch_op.drop_column("is_open")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("reopened")
        batch_op.drop_column("score")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("settled_in_village")
        batch_op.drop_column("merged_into")
        batch_op.drop_column("extension_requested")
        batch_op.drop_column("case_due")
        batch_op.drop_column("overdue_noted")
        batch_op.drop_column("stage_duration")
        batch_op.drop_column("stage_due")
        batch_op.drop_column("stage_started_at")
        batch_op.drop_column("stage")
        batch_op.drop_column("department")
        batch_op.drop_column("platform")
        batch_op.drop_column("level")

    with op.batch_alter_table("action_log", schema=None) as batch_op:
        batch_op.drop_column("args")
        batch_op.drop_column("version")

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_incident"))

    op.drop_table("evaluation")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_incident"))

    op.drop_table("attachment")
