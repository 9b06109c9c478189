"""Opening the store: the engine, migrations to head, and transactional sessions.

`open_store(url)` is the one entry point. SQLite (the default, a file in the home) gets foreign
keys, WAL, a busy timeout and real transactions (DDL included, so a crash never leaves a
half-migrated file); PostgreSQL is reached through psycopg 3.

SQLite has one writer at a time per file. Left to itself, a writer that finds the file locked
sleeps in SQLite's busy handler (back-off steps up to 100 ms) and wakes late, so under load
writers queue badly and time out. Here the writers of one process first take a lock of their
own per file (`WriterGate`), handed over the moment the previous writer's connection returns
to the pool; only writers in other processes still meet the busy timeout.
"""

from __future__ import annotations

import threading
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

from chaincut.home import private_file, private_folder
from chaincut.store.errors import StoreBusy

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
    if head is None:
        raise RuntimeError("the packaged migrations have no head")
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
            private_folder(Path(database).parent)
            # a connection waiting at the writer gate holds its pool slot: room for every
            # request thread (40 in the server's pool) with a reader and a writer each
            kwargs.setdefault("pool_size", 16)
            kwargs.setdefault("max_overflow", 80)
            kwargs.setdefault("pool_timeout", SQLITE_BUSY_TIMEOUT_S)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_on_connect(engine, Path(database))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, **kwargs)


class WriterGate:
    """One writing transaction at a time per SQLite file in this process (see the module doc).

    Taken when a connection begins an IMMEDIATE (writing) transaction, released when that
    connection goes back to the pool, after its COMMIT or ROLLBACK.
    """

    _gates: dict[str, WriterGate] = {}
    _gates_lock = threading.Lock()

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._lock = threading.Lock()

    @classmethod
    def for_file(cls, database: str | None, timeout_s: float) -> WriterGate:
        """The gate of a database file (shared by every engine on it); in-memory ones get their own."""
        if not database or database == ":memory:" or database.startswith("file:"):
            return cls(timeout_s)
        key = str(Path(database).resolve())
        with cls._gates_lock:
            gate = cls._gates.get(key)
            if gate is None:
                gate = cls._gates[key] = cls(timeout_s)
            return gate

    def acquire(self) -> None:
        if not self._lock.acquire(timeout=self.timeout_s):
            raise StoreBusy(
                f"the store is busy: another writer held it for {self.timeout_s:.0f} s; try again"
            )

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.locked()


_HOLDS_GATE = "chaincut_writer_gate"


def _private_on_connect(engine: Engine, database: Path) -> None:
    """The store file and its WAL companions readable by their owner only, once created."""

    @event.listens_for(engine, "connect")
    def _private(_dbapi_connection: Any, _record: Any) -> None:
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            if path.exists():
                private_file(path)


def _configure_sqlite(engine: Engine) -> None:
    gate = WriterGate.for_file(engine.url.database, SQLITE_BUSY_TIMEOUT_S)

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
        record = connection.connection.record_info
        if mode != "DEFERRED" and not record.get(_HOLDS_GATE):
            gate.acquire()
            record[_HOLDS_GATE] = True
        try:
            connection.exec_driver_sql(f"BEGIN {mode}")
        except BaseException:
            _release(record)
            raise

    def _release(record: dict[str, Any] | None) -> None:
        if record is not None and record.pop(_HOLDS_GATE, False):
            gate.release()

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, connection_record: Any) -> None:
        # the transaction has ended (committed, or rolled back by the pool's reset)
        _release(connection_record.record_info)


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
