"""patrol: grid workers' patrols (巡查) sent by the grid app

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patrol",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("worker", sa.String(length=32), nullable=False),
        sa.Column("worker_name", sa.String(length=64), nullable=False),
        sa.Column("grid", sa.String(length=32), nullable=False),
        sa.Column("village", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("ended_at", sa.Float(), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.Float(), nullable=False),
        sa.Column("report_digest", sa.String(length=64), nullable=False),
        sa.Column("sent", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_patrol_started_at", "patrol", ["started_at"])
    op.create_index(op.f("ix_patrol_worker"), "patrol", ["worker"])
    op.create_index(op.f("ix_patrol_grid"), "patrol", ["grid"])


def downgrade() -> None:
    op.drop_index(op.f("ix_patrol_grid"), table_name="patrol")
    op.drop_index(op.f("ix_patrol_worker"), table_name="patrol")
    op.drop_index("ix_patrol_started_at", table_name="patrol")
    op.drop_table("patrol")
