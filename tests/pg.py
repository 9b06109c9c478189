"""A throw-away PostgreSQL server for tests: initdb in a temp dir, started on 127.0.0.1.

tests/conftest.py imports the fixtures, so every test folder has them; do not import them again
into another conftest.py or test module (pytest would keep a second instance of each session
fixture there and start a second server). The fixtures:

- `postgres_server` (session): a running `PostgresServer`, one per xdist worker;
- `postgres_url` (test): the SQLAlchemy URL of a fresh, empty database, dropped afterwards;
- `postgres_store_url` (test): a database with the store's schema at head and no rows (one
  database migrated once per session, emptied after each test; needs `postgres_store_database`).

Tests that use them should carry `@pytest.mark.postgres`. Without a server binary (Debian package `postgresql`; run
scripts/ensure-postgres.sh) the tests are skipped with the reason, except when the environment
variable `CI` is set: then they fail, so CI cannot pass by skipping.

Outside pytest, `running_postgres()` is a plain context manager. PostgreSQL refuses to run as
root, so as root the server runs as the `postgres` system user (via `runuser`).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

#: overrides where initdb and pg_ctl are looked for
BINDIR_ENV = "CHAINCUT_PG_BINDIR"
SERVER_USER = "postgres"
DB_USER = "chaincut"
START_TIMEOUT_S = 30
# a test server holds nothing worth an fsync
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server could be started here; the message says why and what to do."""


@dataclass
class PostgresServer:
    bindir: Path
    root: Path
    port: int
    host: str = "127.0.0.1"
    user: str = DB_USER

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.encode())

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (optionally a copy of `template`) and return its URL."""
        # a file copy is several times faster than the WAL-logged default for a small template
        clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        self.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl (newest Debian version first), or raise."""
    override = os.environ.get(BINDIR_ENV)
    candidates = [Path(override)] if override else []
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        (Path(v) for v in versions), key=lambda p: _version_key(p.parent.name), reverse=True
    )
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for path in candidates:
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin, "
        f"on PATH or in ${BINDIR_ENV}; install them with scripts/ensure-postgres.sh"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_server_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """The command prefix that runs a program as a non-root user, and that user."""
    if os.geteuid() != 0:
        return [], None
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError as exc:
        raise PostgresUnavailable(
            f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as "
            "(the Debian package creates it; run scripts/ensure-postgres.sh)"
        ) from exc
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root and `runuser` is missing (util-linux)")
    return [runuser, "-u", SERVER_USER, "--"], account


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
        raise PostgresUnavailable(
            f"{what} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}\n{tail}"
        )


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """Start a private PostgreSQL server on 127.0.0.1 and stop and delete it on exit."""
    bindir = find_bindir()
    prefix, account = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="chaincut-pg-"))
    try:
        if account is not None:
            os.chown(root, account.pw_uid, account.pw_gid)
        data, log = root / "data", root / "server.log"
        _run(
            [*prefix, str(bindir / "initdb"), "-D", str(data), "-U", DB_USER, "--auth=trust"]
            + ["-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            "initdb",
        )
        try:
            yield _start(bindir, prefix, root, data, log)
        finally:
            # also when the start failed half-way; a no-op when no server runs
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w"]
                + ["stop"],
                capture_output=True,
                timeout=60,
                check=False,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _start(bindir: Path, prefix: list[str], root: Path, data: Path, log: Path) -> PostgresServer:
    # another process may take the free port between the probe and the start: try a few
    error: PostgresUnavailable | None = None
    for _attempt in range(3):
        port = _free_port()
        options = ["-c listen_addresses='127.0.0.1'", f"-p {port}"]
        options.append(f"-c unix_socket_directories='{root}'")
        options += [f"-c {setting}" for setting in FAST_SETTINGS]
        cmd = [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log)]
        cmd += ["-o", " ".join(options), "-w", "-t", str(START_TIMEOUT_S), "start"]
        try:
            _run(cmd, "pg_ctl start", log)
        except PostgresUnavailable as exc:
            error = exc
            continue
        server = PostgresServer(bindir=bindir, root=root, port=port)
        _wait_ready(server)
        return server
    assert error is not None
    raise error


def _wait_ready(server: PostgresServer) -> None:
    import psycopg

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with psycopg.connect(
                host=server.host, port=server.port, user=server.user, dbname="postgres"
            ):
                return
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                raise PostgresUnavailable(f"PostgreSQL did not accept connections: {exc}") from exc
            time.sleep(0.1)


def unavailable(reason: str) -> None:
    """Skip the test with `reason` locally; fail it when `CI` is set (CI must not skip)."""
    message = f"PostgreSQL unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole test session (one per xdist worker)."""
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as exc:
        unavailable(str(exc))


_database_numbers = itertools.count()


@contextmanager
def _fresh_database(server: PostgresServer) -> Iterator[str]:
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    url = server.create_database(name)
    try:
        yield url
    finally:
        server.drop_database(name)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh empty database, dropped after the test."""
    with _fresh_database(postgres_server) as url:
        yield url


@pytest.fixture(scope="session")
def postgres_store_database(postgres_server: PostgresServer) -> str:
    """A database migrated to the store's head once per session (use `postgres_store_url`)."""
    from chaincut.store import open_store

    url = postgres_server.create_database(f"store_{os.getpid()}")
    open_store(url).close()
    return url


@pytest.fixture
def postgres_store_url(postgres_store_database: str) -> Iterator[str]:
    """The URL of a database with the store's schema at head and no rows; emptied after the test.

    Emptying one migrated database (about 10 ms) is much cheaper than creating and migrating one
    per test (about 0.5 s). Close your engines before the test ends (`Store` as a context
    manager does); a test that changes the schema should use `postgres_url` instead.
    """
    yield postgres_store_database
    empty_store_tables(postgres_store_database)


def empty_store_tables(url: str) -> None:
    """Delete every row of the store's tables, append-only ones included (triggers bypassed)."""
    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    from chaincut.store.tables import Base

    parsed = make_url(url)
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname=parsed.database
    ) as conn:
        # replica mode skips ordinary triggers: the append-only guards and FK checks
        conn.execute(b"SET LOCAL session_replication_role = replica")
        conn.execute(b"SET LOCAL lock_timeout = '10s'")
        for table in tables:
            conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
