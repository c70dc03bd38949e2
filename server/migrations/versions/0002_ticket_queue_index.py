"""index for the queue: waiting tickets of a service today (people ahead, counters calling next)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_queue", "tickets", ["department_id", "day", "service", "status"])


def downgrade() -> None:
    op.drop_index("ix_tickets_queue", table_name="tickets")
