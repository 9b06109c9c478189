"""Opening the store: the engine, migrations to head, and transactional sessions.

`open_store(url)` is the one entry point. SQLite (the default, a file in the home) gets foreign
keys, WAL, a busy timeout and real transactions (DDL included, so a crash never leaves a
half-migrated file); PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "alembic"
#: how long a SQLite writer waits for another one before giving up
SQLITE_BUSY_TIMEOUT_S = 30


def alembic_config(url: str | URL) -> Config:
    """An Alembic `Config` for the packaged migrations, built in code (no alembic.ini needed).

    Developers can drive Alembic's commands with it, e.g.
    `command.revision(alembic_config(url), "add x", autogenerate=True)`.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", _render(normalize_url(url)))
    return cfg


def normalize_url(url: str | URL) -> URL:
    """`url` as a SQLAlchemy URL; a bare `postgresql://` URL gets the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _render(url: URL) -> str:
    # ConfigParser interpolates '%': escape it so passwords with '%' survive
    return url.render_as_string(hide_password=False).replace("%", "%%")


def head_revision() -> str:
    """The newest migration revision shipped with this package."""
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    assert head is not None, "the packaged migrations have no head"
    return head


class Store:
    """The operational store: an engine and the sessions over it.

    Use `with store.session() as s:` for a unit of work: it commits when the block ends and
    rolls back if it raises. Objects read in a session stay usable after it (no expiry on commit).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else engine
        self._writer = sessionmaker(writer, expire_on_commit=False)
        self._reader = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> URL:
        return self.engine.url

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def session(self, *, readonly: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed at the end, rolled back on an exception.

        On SQLite a writing session takes the write lock when it starts (BEGIN IMMEDIATE), so
        two writers queue instead of failing half-way; `readonly=True` skips that and never
        commits (anything written in it is discarded).
        """
        factory = self._reader if readonly else self._writer
        with factory() as session:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            if not readonly:
                session.commit()
            # closing a read-only session ends its transaction without expiring what it loaded

    def revision(self) -> str | None:
        """The migration revision the database is at (None before the first migration)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self, revision: str = "head") -> None:
        """Run the packaged Alembic migrations up to `revision`, in one transaction."""
        cfg = alembic_config(self.url)
        with self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create_store_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An engine for `url` with chaincut's connection settings (see the module docstring)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # hand transaction control to SQLAlchemy (pysqlite would not BEGIN before DDL)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000:d}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
            raise ValueError(f"unknown SQLite transaction mode {mode!r}")
        connection.exec_driver_sql(f"BEGIN {mode}")


def open_store(url: str | URL | None = None, *, migrate: bool = True) -> Store:
    """Open the store at `url` (default: the settings' `resolved_store_url`), migrated to head.

    `migrate=False` skips the upgrade, for tools that only inspect a database.
    """
    if url is None:
        from chaincut.settings import load_settings

        url = load_settings().resolved_store_url
    store = Store(create_store_engine(url))
    if migrate:
        try:
            store.upgrade()
        except BaseException:
            store.close()
            raise
    return store
