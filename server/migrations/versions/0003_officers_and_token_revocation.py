"""officer accounts and sessions, kiosk token revocation, the credential revision

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", server.db.UTCDateTime(), nullable=False),
        sa.Column("password_changed_at", server.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "officer_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("csrf_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", server.db.UTCDateTime(), nullable=False),
        sa.Column("expires_at", server.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_officer_sessions_user_id", "officer_sessions", ["user_id"])
    rev = op.create_table(
        "auth_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(rev, [{"id": 1, "value": 0}])
    with op.batch_alter_table("kiosks") as batch_op:
        batch_op.add_column(sa.Column("revoked_at", server.db.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kiosks") as batch_op:
        batch_op.drop_column("revoked_at")
    op.drop_table("auth_revision")
    op.drop_index("ix_officer_sessions_user_id", table_name="officer_sessions")
    op.drop_table("officer_sessions")
    op.drop_table("users")
