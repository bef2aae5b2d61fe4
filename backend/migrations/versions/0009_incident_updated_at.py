"""incident.updated_at indexed: the backend's start reads what ended since yesterday by it, not
by scanning the whole history

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_incident_updated_at", "incident", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_incident_updated_at", table_name="incident")
