"""The township's own time limits and holidays (its 时限 and 节假日 sheets), kept with it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("township") as t:
        t.add_column(sa.Column("deadline_rules", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("township") as t:
        t.drop_column("deadline_rules")
