"""Same seed and scale: byte-identical files. Another seed: another world."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from chaincut.simulate import simulate


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_csv(tmp_path: Path) -> None:
    simulate(tmp_path / "a", seed=4, scale=5000, fmt="csv")
    simulate(tmp_path / "b", seed=4, scale=5000, fmt="csv")
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert "truth/world.json" in a and "transactions.csv" in a
    assert a == b


def test_same_seed_same_bytes_parquet(tmp_path: Path) -> None:
    simulate(tmp_path / "a", seed=4, scale=5000, fmt="parquet")
    simulate(tmp_path / "b", seed=4, scale=5000, fmt="parquet")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")


def test_other_seed_other_world(tmp_path: Path) -> None:
    simulate(tmp_path / "a", seed=4, scale=5000, fmt="csv")
    simulate(tmp_path / "b", seed=5, scale=5000, fmt="csv")
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert all(a[name] != b[name] for name in ("transactions.csv", "persons.csv", "calls.csv"))


def test_rerun_replaces_the_other_format(tmp_path: Path) -> None:
    simulate(tmp_path, seed=4, scale=3000, fmt="csv")
    simulate(tmp_path, seed=4, scale=3000, fmt="parquet")
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob("*.partial"))
    assert len(list(tmp_path.glob("*.parquet"))) == 7


def test_a_failed_run_leaves_no_half_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chaincut.simulate import tables

    def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tables.Formatter, "calls", broken)
    try:
        simulate(tmp_path, seed=4, scale=3000, fmt="parquet")
    except RuntimeError as exc:
        assert "disk on fire" in str(exc)
    else:
        raise AssertionError("the run should fail")
    assert not list(tmp_path.glob("*.partial")) and not (tmp_path / "calls.parquet").exists()
