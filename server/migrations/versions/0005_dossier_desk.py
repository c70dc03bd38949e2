"""the officer's dossier desk: who moved a dossier (history), the apology's new date and reason, the result's time

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import server.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_events") as e:
        e.add_column(sa.Column("from_status", sa.String(length=16), nullable=True))
        e.add_column(sa.Column("officer_id", sa.Integer(), nullable=True))
        e.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="status"))
        e.create_foreign_key("fk_dossier_events_officer", "users", ["officer_id"], ["id"])
    with op.batch_alter_table("dossiers") as d:
        d.add_column(sa.Column("result_at", server.db.UTCDateTime(), nullable=True))
        d.add_column(sa.Column("new_appointment_at", server.db.UTCDateTime(), nullable=True))
        d.add_column(sa.Column("apology_reason", sa.Text(), nullable=True))
        d.add_column(sa.Column("apology_at", server.db.UTCDateTime(), nullable=True))
    op.create_index("ix_dossiers_dept_received", "dossiers", ["department_id", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_dept_received", "dossiers")
    with op.batch_alter_table("dossiers") as d:
        for col in ("apology_at", "apology_reason", "new_appointment_at", "result_at"):
            d.drop_column(col)
    with op.batch_alter_table("dossier_events") as e:
        e.drop_constraint("fk_dossier_events_officer", type_="foreignkey")
        for col in ("kind", "officer_id", "from_status"):
            e.drop_column(col)
