"""township.map_layers (its roads, rivers, reservoirs) and camera.direction, for the map

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.add_column(sa.Column("map_layers", sa.JSON(), nullable=True))
    with op.batch_alter_table("camera", schema=None) as batch_op:
        batch_op.add_column(sa.Column("direction", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("camera", schema=None) as batch_op:
        batch_op.drop_column("direction")
    with op.batch_alter_table("township", schema=None) as batch_op:
        batch_op.drop_column("map_layers")
