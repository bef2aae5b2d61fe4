"""The territory as a township brings it: boundaries of villages and grids, a version of the
territory that each apply raises, and entities retired by an apply kept for history

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETIRING = ("village", "person", "grid", "department", "category", "camera")


def upgrade() -> None:
    with op.batch_alter_table("township") as t:
        t.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        t.add_column(sa.Column("platform_set", sa.String(32), nullable=True))
        t.add_column(sa.Column("changed_by", sa.String(64), nullable=True))
        t.add_column(sa.Column("changed_at", sa.Float(), nullable=True))
    for table in ("village", "grid"):
        with op.batch_alter_table(table) as t:
            t.add_column(sa.Column("boundary", sa.JSON(), nullable=True))
    for table in RETIRING:
        with op.batch_alter_table(table) as t:
            t.add_column(sa.Column("retired_at", sa.Float(), nullable=True))


def downgrade() -> None:
    for table in RETIRING:
        with op.batch_alter_table(table) as t:
            t.drop_column("retired_at")
    for table in ("village", "grid"):
        with op.batch_alter_table(table) as t:
            t.drop_column("boundary")
    with op.batch_alter_table("township") as t:
        t.drop_column("changed_at")
        t.drop_column("changed_by")
        t.drop_column("platform_set")
        t.drop_column("version")
