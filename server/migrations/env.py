"""Alembic environment: run on the connection handed over by server.db.migrate (or a URL for `alembic` itself)."""

from __future__ import annotations

from alembic import context

from server.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # `alembic -x url=… revision --autogenerate` from a developer's shell
    from server.db import make_engine

    engine = make_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
