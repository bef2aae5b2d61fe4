"""incident.last_actor: who made the latest change, for a console's "my items"

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_actor", sa.String(length=64), nullable=True))
    # Existing incidents: the actor of their newest action-log row.
    op.execute(
        "UPDATE incident SET last_actor = (SELECT a.actor FROM action_log a "
        "WHERE a.incident = incident.id ORDER BY a.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("last_actor")
