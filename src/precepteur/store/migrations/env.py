"""Alembic environment for Précepteur's schema.

`Database.migrate()` hands over an open connection in `config.attributes`; a
developer running Alembic by hand (e.g. `alembic revision`) gives a URL in
`sqlalchemy.url` instead. Offline (SQL script) mode is not offered.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from precepteur.store.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as own_connection:
        _run(own_connection)
    engine.dispose()
