"""action_log.at indexed: the indicators' rebuild reads the log from a moment on

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_action_log_at", "action_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_action_log_at", table_name="action_log")
