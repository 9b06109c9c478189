"""Alembic environment for the store's packaged migrations.

`chaincut.store.database` runs it with a live connection in `config.attributes["connection"]`;
Alembic's own command line works too, given `sqlalchemy.url` in the config. Logging is left to
the application (no fileConfig).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from chaincut.store.database import create_store_engine
from chaincut.store.tables import Base

#: key of the PostgreSQL advisory lock that serialises concurrent upgrades ("cc-store")
MIGRATION_LOCK_KEY = 0x63632D73746F7265

config = context.config
target_metadata = Base.metadata


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # chaincut's SQLite connections run DDL inside real transactions (see database.py)
        transactional_ddl=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # two processes opening the store at once: the second waits, then finds head
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
            )
        context.run_migrations()


def run_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection to run the migrations")
    engine = create_store_engine(url)
    try:
        with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn:
            run_migrations(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
