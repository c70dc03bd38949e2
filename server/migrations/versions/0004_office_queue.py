"""the office side of the queue: ticket life (recalls, serving, done, transfers), counters' services and pause

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as t:
        t.add_column(sa.Column("queue_at", server.db.UTCDateTime(), nullable=True))
        t.add_column(sa.Column("recalls", sa.Integer(), nullable=False, server_default="0"))
        t.add_column(sa.Column("last_called_at", server.db.UTCDateTime(), nullable=True))
        t.add_column(sa.Column("serving_at", server.db.UTCDateTime(), nullable=True))
        t.add_column(sa.Column("done_at", server.db.UTCDateTime(), nullable=True))
        t.add_column(sa.Column("target_counter", sa.Integer(), nullable=True))
        t.add_column(sa.Column("queue_service", sa.String(length=4), nullable=True))
        t.add_column(sa.Column("requeues", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE tickets SET queue_at = issued_at")
    with op.batch_alter_table("counter_state") as c:
        c.add_column(sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "counter_services",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["department_id"], ["departments.id"]),
        sa.PrimaryKeyConstraint("department_id", "counter"),
    )
    op.create_index("ix_tickets_counter", "tickets", ["department_id", "day", "counter"])


def downgrade() -> None:
    op.drop_index("ix_tickets_counter", "tickets")
    op.drop_table("counter_services")
    with op.batch_alter_table("counter_state") as c:
        c.drop_column("paused")
    with op.batch_alter_table("tickets") as t:
        for col in ("requeues", "queue_service", "target_counter", "done_at", "serving_at", "last_called_at", "recalls", "queue_at"):
            t.drop_column(col)
