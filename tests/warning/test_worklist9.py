"""`chaincut warn --replay --worklist`: a centre's own data onto the worklist, as the live path
writes it, once; on a tiny foreign world (a world the warner was not designed on)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import chaincut.cli.commands_warn  # noqa: F401  (registers the command)
from chaincut.cli.app import app
from chaincut.foreign import generate
from chaincut.ingest import import_folder
from chaincut.lake.engine import get_engine
from chaincut.services import warning_worklist as warn_worklist
from chaincut.services.warning_worklist import store_replay
from chaincut.services.warnings import save_warnings
from chaincut.settings import Settings
from chaincut.store import Store, open_store, warning
from chaincut.store.enums import DissuasionChannel, DissuasionOutcome, WarningStatus
from chaincut.store.tables import EarlyWarning
from chaincut.store.types import as_utc
from chaincut.warning.replay import replay
from chaincut.warning.signals import RaisedWarning
from tests.service.conftest import make_api

SEED = 9307


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose lake holds a tiny foreign world and whose store is still empty."""
    root = tmp_path_factory.mktemp("worklist9")
    generate(root / "world", SEED, "tiny")
    result = import_folder(Settings(home=root / "home"), root / "world")
    assert result.rejected_count == 0
    return root / "home"


@pytest.fixture(scope="module")
def cli_run(home: Path) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """`warn --replay --worklist --json --out`, run once: its counts and the warnings it wrote."""
    out = home.parent / "warnings.jsonl"
    args = ["warn", "--replay", "--worklist", "--json", "--out", str(out), "--home", str(home)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    return json.loads(result.stdout), [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def raised(home: Path) -> list[RaisedWarning]:
    with get_engine(Settings(home=home)) as lake:
        found = list(replay(lake))
    assert len({(w.subject_kind, w.subject_id) for w in found}) > 3
    return found


@pytest.fixture
def store(tmp_path: Path, store_template: Path) -> Iterator[Store]:
    shutil.copyfile(store_template, tmp_path / "store.db")
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


def _rows(store: Store) -> list[tuple[Any, ...]]:
    """Every stored warning as plain values (its id left out), in a fixed order."""
    with store.session(readonly=True) as s:
        found = [
            (w.subject_kind, w.subject_id, as_utc(w.created_at), as_utc(w.updated_at), w.score,
             w.fraud_type, w.status.value, json.dumps(w.signals, sort_keys=True))
            for w in s.scalars(select(EarlyWarning))
        ]  # fmt: skip
    return sorted(found)


def test_the_cli_puts_one_open_warning_per_subject_with_its_best_evidence(
    home: Path, cli_run: tuple[dict[str, int], list[dict[str, Any]]]
) -> None:
    counts, written = cli_run
    best: dict[tuple[str, str], dict[str, Any]] = {}
    first: dict[tuple[str, str], str] = {}
    for w in written:
        key = (w["subject_kind"], w["subject_id"])
        first.setdefault(key, w["raised_at"])
        if key not in best or w["score"] > best[key]["score"]:
            best[key] = w
    assert counts == {"warnings": len(written), "subjects": len(best), "added": len(best),
                      "updated": 0, "unchanged": 0}  # fmt: skip
    store = open_store(Settings(home=home).resolved_store_url)
    try:
        rows = {(r[0], r[1]): r for r in _rows(store)}
    finally:
        store.close()
    assert rows.keys() == best.keys()
    for key, row in rows.items():
        assert row[2] == datetime.fromisoformat(first[key]).astimezone(UTC)
        assert round(row[4], 4) == best[key]["score"] and row[6] == "open"
        stored = json.loads(row[7])
        assert [s["id"] for s in stored] == [s["id"] for s in best[key]["signals"]]


def test_the_console_lists_them(
    home: Path, cli_run: tuple[dict[str, int], list[dict[str, Any]]]
) -> None:
    top = max(cli_run[1], key=lambda w: w["score"])
    for api in make_api(home, Settings(home=home).resolved_store_url):
        r = api.client.post("/console/sign-in", data={"token": api.tokens["analyst"]},
                            follow_redirects=False)  # fmt: skip
        assert r.status_code == 303
        page = api.client.get("/console/warnings?lang=en")
        assert page.status_code == 200 and top["subject_id"] in page.text


def test_the_rows_are_the_live_paths(store: Store, raised: list[RaisedWarning],
                                     tmp_path: Path, store_template: Path) -> None:  # fmt: skip
    stored = store_replay(store, raised)
    shutil.copyfile(store_template, tmp_path / "live.db")
    live = open_store(f"sqlite:///{tmp_path / 'live.db'}")
    try:
        with live.session() as s:
            ids = save_warnings(s, raised)
        assert _rows(store) == _rows(live) and stored.added == len(ids)
    finally:
        live.close()


def test_running_it_again_adds_nothing_even_after_staff_worked_warnings(
    store: Store, raised: list[RaisedWarning]
) -> None:
    store_replay(store, raised)
    with store.session() as s:
        top = warning.worklist(s, limit=2)
        warning.record_dissuasion(s, top[0].warning_id, DissuasionChannel.call,
                                  DissuasionOutcome.stopped, actor="test")  # fmt: skip
        warning.close_warning(s, top[1].warning_id, WarningStatus.false_alarm)
    before = _rows(store)
    again = store_replay(store, raised)
    assert _rows(store) == before
    assert again.added == 0 and again.updated == 0 and again.warnings == len(raised)
    assert again.unchanged == len({(w.subject_kind, w.subject_id) for w in raised})


@pytest.mark.parametrize("part", [0.2, 0.5, 0.9])
def test_a_replay_of_more_data_adds_only_what_the_newer_events_raise(
    store: Store, raised: list[RaisedWarning], part: float, tmp_path: Path, store_template: Path
) -> None:
    # the lake replayed up to a time, then again after more data came: as if replayed once
    store_replay(store, raised[: int(len(raised) * part)])
    store_replay(store, raised)
    shutil.copyfile(store_template, tmp_path / "once.db")
    once = open_store(f"sqlite:///{tmp_path / 'once.db'}")
    try:
        store_replay(once, raised)
        assert _rows(store) == _rows(once)
    finally:
        once.close()


def test_a_failure_part_way_leaves_the_store_as_it_was(
    store: Store, raised: list[RaisedWarning], monkeypatch: pytest.MonkeyPatch
) -> None:
    store_replay(store, raised[: len(raised) // 2])
    before = _rows(store)

    def written_then_broken(s: Any, found: list[RaisedWarning]) -> list[int]:
        ids = save_warnings(s, found)  # the rows are flushed to the database by now
        assert ids
        raise OSError("disk full")

    monkeypatch.setattr(warn_worklist, "save_warnings", written_then_broken)
    with pytest.raises(OSError, match="disk full"):
        store_replay(store, raised)
    assert _rows(store) == before


def test_worklist_does_not_go_with_evaluate(home: Path) -> None:
    args = ["warn", "--replay", "--worklist", "--evaluate", "--home", str(home)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0 and "--evaluate" in result.output


def test_the_demo_run_twice_puts_no_worked_subject_back_on_the_worklist(
    home: Path, store: Store
) -> None:
    from chaincut.services.warning_demo import raise_and_work

    settings = Settings(home=home)
    first = raise_and_work(settings, store)
    assert first["worked"] > 0
    rows = _rows(store)
    second = raise_and_work(settings, store)
    assert second["worked"] == 0  # worked by the first run
    assert _rows(store) == rows  # no warning re-opened, none added
    with store.session(readonly=True) as s:
        still_open = s.scalar(
            select(func.count())
            .select_from(EarlyWarning)
            .where(EarlyWarning.status == WarningStatus.open)
        )
    assert second["on_worklist"] == still_open  # what is open, not what this run added
    assert first["on_worklist"] - first["worked"] <= still_open < first["on_worklist"]
