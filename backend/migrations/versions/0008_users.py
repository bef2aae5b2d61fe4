"""app_user and login_session: logins and roles; a resident reporter's phone and ID number

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("login", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("person", sa.String(length=16), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("login"),
    )
    op.create_index("ix_app_user_changed_at", "app_user", ["changed_at"])
    op.create_table(
        "login_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("login", sa.String(length=32), nullable=False),
        sa.Column("console", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.Float(), nullable=False),
        sa.Column("ended_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["login"], ["app_user.login"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_login_session_ended_at", "login_session", ["ended_at"])
    with op.batch_alter_table("incident") as batch:
        batch.add_column(sa.Column("reporter_phone", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("reporter_id_number", sa.String(length=18), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incident") as batch:
        batch.drop_column("reporter_id_number")
        batch.drop_column("reporter_phone")
    op.drop_index("ix_login_session_ended_at", table_name="login_session")
    op.drop_table("login_session")
    op.drop_index("ix_app_user_changed_at", table_name="app_user")
    op.drop_table("app_user")
