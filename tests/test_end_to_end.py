"""End to end: a simulated world goes through the importer whole, and a second import is a no-op."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from chaincut.ingest import import_folder
from chaincut.settings import Settings
from chaincut.simulate import simulate
from tests.conftest import copy_home


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_simulated_world_imports_without_rejects(tmp_path: Path, fmt: str) -> None:
    world = tmp_path / "world"
    summary = simulate(world, seed=11, scale="tiny", fmt=fmt)  # type: ignore[arg-type]
    settings = Settings(home=tmp_path / "home")
    result = import_folder(settings, world)
    assert result.rejected_count == 0, result.rejected[:5]
    assert result.imported == {name: n for name, n in summary.rows.items() if n}
    again = import_folder(settings, world)
    assert sum(again.imported.values()) == 0
    assert {n: c.unchanged for n, c in again.tables.items()} == result.imported
    con = duckdb.connect(str(settings.lake_path), read_only=True)
    try:
        # every report's fraud transfers are in the ledger, leaving the victim's account
        orphans = con.execute(
            "SELECT count(*) FROM (SELECT r.report_id, unnest(r.fraud_txn_ids) AS txn_id, "
            "r.victim_account FROM reports r) f LEFT JOIN transactions t USING (txn_id) "
            "WHERE t.txn_id IS NULL OR t.src_account <> f.victim_account"
        ).fetchone()
        assert orphans == (0,)
    finally:
        con.close()


def test_demo_runs_end_to_end_and_again_changes_nothing(
    demo_run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    import json

    from typer.testing import CliRunner

    from chaincut.cli import _register, app

    # the first run is the session's (tests/conftest.py); the second goes over a copy of its home
    first_home, data = demo_run
    assert data["import"]["rejected_count"] == 0
    assert data["trace"]["reports"] == data["simulated"]["reports"] > 0
    assert data["trace"]["amount_recall"] >= 0.8
    assert data["trace"]["innocent_share"] <= 0.01
    assert data["freeze_orders"]["created"] > 0
    assert data["warnings"]["on_worklist"] > 0 and data["warnings"]["worked"] > 0
    _register()
    home = copy_home(first_home, tmp_path)
    args = ["demo", "--home", str(home), "--scale", "tiny", "--no-serve", "--json"]
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 0, again.output
    second = json.loads(again.stdout)
    assert second["home"] == str(home.resolve())  # the copy, not the session's home
    assert second["freeze_orders"]["created"] == 0
    assert second["warnings"]["worked"] == 0
    assert sum(second["import"]["imported"].values()) == 0
