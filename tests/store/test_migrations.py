"""The packaged migrations reach head on both databases and create exactly the models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from chaincut.store import alembic_config, head_revision, open_store
from chaincut.store.tables import Base


def test_migrations_reach_head_and_match_the_models(empty_url: str) -> None:
    with open_store(empty_url) as store, store.engine.connect() as conn:
        assert store.revision() == head_revision()
        assert set(Base.metadata.tables) <= set(inspect(conn).get_table_names())
        # what `alembic check` does: autogenerate finds nothing left to migrate
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_opening_twice_is_a_no_op(empty_url: str) -> None:
    with open_store(empty_url) as first:
        revision = first.revision()
    with open_store(empty_url) as second:
        assert second.revision() == revision == head_revision()


def test_downgrade_to_base_and_back(empty_url: str) -> None:
    store = open_store(empty_url)
    cfg = alembic_config(store.url)
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
        conn.commit()
    assert store.revision() is None
    assert "freeze_orders" not in inspect(store.engine).get_table_names()
    store.upgrade()
    assert store.revision() == head_revision()
    store.close()


def test_migrations_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'store.db'}") as store:
        assert store.revision() == head_revision()
    assert os.listdir(tmp_path) == ["nested"]


def test_sqlite_has_foreign_keys_and_wal(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_default_url_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINCUT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHAINCUT_STORE_URL", raising=False)
    with open_store() as store:
        assert store.is_sqlite
        assert Path(str(store.url.database)) == (tmp_path / "home" / "store.db").resolve()
    assert (tmp_path / "home" / "store.db").exists()


def test_a_failed_migration_leaves_nothing_half_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic.operations import Operations

    real_create_index = Operations.create_index
    calls = 0

    def failing_create_index(self: Operations, *args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise RuntimeError("simulated crash mid-migration")
        return real_create_index(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Operations, "create_index", failing_create_index)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with pytest.raises(RuntimeError, match="simulated crash"):
        open_store(url)
    monkeypatch.undo()
    with open_store(url, migrate=False) as store:
        assert inspect(store.engine).get_table_names() == []
        store.upgrade()
        assert store.revision() == head_revision()
