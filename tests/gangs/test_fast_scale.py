"""The gang analysis's scaling changes give the same output: the saved mule-card flags are the
scores' flags and are reused only for the same lake and model, the trace ledger built from
Arrow columns is the one the pandas slices built, and the persons' phones read once per run are
the maps each gang built."""

from __future__ import annotations

import math
import shutil
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

import chaincut.scoring.score as score_module
from chaincut.gangs import collect
from chaincut.gangs.phonebook import phonebook
from chaincut.lake.engine import get_engine
from chaincut.scoring import default_model, score_accounts
from chaincut.scoring.saved import FILE, flagged_accounts, flags_key, flags_of, load_flags
from chaincut.settings import Settings
from chaincut.trace import frames
from chaincut.trace.model import AccountInfo, Micros, ReportInfo, Txn


@pytest.fixture
def home(foreign_world: tuple[Path, Settings], tmp_path: Path) -> Settings:
    """A home of its own holding a copy of the foreign world's lake (flags are written)."""
    settings = Settings(home=tmp_path / "home")
    settings.lake_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(foreign_world[1].lake_path, settings.lake_path)
    return settings


def _no_scoring(*_: Any, **__: Any) -> Any:
    raise AssertionError("scored again")


def test_saved_flags_are_the_scores_and_kept_for_the_same_lake_and_model_only(
    home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with get_engine(home) as engine:
        s = score_accounts(engine, explain=0)
        expected = flags_of(s.ids, s.values, s.flagged)
        assert flagged_accounts(engine) == expected and expected
        key = flags_key(engine, default_model())
        monkeypatch.setattr(score_module, "score_accounts", _no_scoring)
        assert flagged_accounts(engine) == expected  # read back, bit for bit
        lake = dict(key["lake"], generation=key["lake"]["generation"] + 1)
        assert load_flags(engine, key | {"lake": lake}) is None  # an import since
        assert load_flags(engine, key | {"model": "another"}) is None
        assert load_flags(engine, key) == expected
        (home.index_dir / FILE).write_bytes(b"damaged")
        assert load_flags(engine, key) is None


def test_collect_with_the_saved_flags_gathers_the_same_evidence(
    home: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with get_engine(home) as engine:
        first = collect(engine)
    monkeypatch.setattr(score_module, "score_accounts", _no_scoring)
    with get_engine(home) as engine:
        again = collect(engine)
    assert again.scores == first.scores and first.scores
    assert again.transfers_between == first.transfers_between
    assert again.targeted == first.targeted and again.owned == first.owned


# ---- trace.frames.ledger_of: the pandas-slice version it replaced, as the reference


def _text(v: object) -> str | None:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    return str(v)


def _old_ledger_args(
    frame: pd.DataFrame, reports: list[ReportInfo], busy: int, victims: Mapping[str, Micros]
) -> tuple[Any, ...]:
    t = frame[frame["row"] == "t"]
    txns = [
        Txn(ts, tid, src, dst, int(c), _text(ch))
        for ts, tid, src, dst, c, ch in zip(
            frames.micros_of(t["ts"]), t["txn_id"], t["src"], t["dst"], t["cents"],
            t["channel"], strict=True,
        )
    ]  # fmt: skip
    o = frame[frame["row"] == "o"]
    openings = {str(a): int(v) for a, v in zip(o["account"], o["opening"], strict=True)}
    a = frame[frame["row"] == "a"]
    opened, first = frames._optional_micros(a["opened"]), frames._optional_micros(a["first_ts"])
    accounts = {
        str(acc): AccountInfo(str(acc), _text(k), _text(i), _text(c), int(d),
                              frames._earliest(op, f), frames._flag(org))
        for acc, k, i, c, d, op, f, org in zip(
            a["account"], a["kind"], a["institution"], a["country"], a["degree"], opened, first,
            a["org"], strict=True,
        )
    }  # fmt: skip
    return (txns, accounts, reports, openings, busy, victims)


_maybe_text = st.one_of(st.none(), st.sampled_from(["bank", "payment", "CN", "x y", "甲"]))
_stamp = st.integers(1_500_000_000_000_000, 1_900_000_000_000_000)
_row = st.tuples(
    st.sampled_from("toa"),
    st.text("abc123", min_size=1, max_size=4),
    _stamp,
    st.integers(0, 10**9),
    _maybe_text,
    st.one_of(st.none(), _stamp),
    st.one_of(st.none(), _stamp),
    st.one_of(st.none(), st.booleans()),
)


def _frame(rows: list[tuple[Any, ...]], aware: bool) -> pd.DataFrame:
    """Rows in the shape `trace.batch` ships (WIDE), the columns a row kind lacks null."""

    def stamps(values: list[int | None]) -> pd.Series:
        s = pd.to_datetime(pd.Series(values, dtype="Int64"), unit="us")
        return s.dt.tz_localize("UTC") if aware else s

    t = [r[0] == "t" for r in rows]
    o = [r[0] == "o" for r in rows]
    a = [r[0] == "a" for r in rows]

    def only(kind: list[bool], values: list[Any]) -> list[Any]:
        return [v if k else None for k, v in zip(kind, values, strict=True)]

    return pd.DataFrame(
        {
            "report_id": ["R1"] * len(rows),
            "row": [r[0] for r in rows],
            "txn_id": only(t, [f"T{r[1]}" for r in rows]),
            "ts": stamps(only(t, [r[2] for r in rows])),
            "src": only(t, [f"A{r[1]}" for r in rows]),
            "dst": only(t, [f"B{r[1]}" for r in rows]),
            "cents": pd.Series(only(t, [r[3] for r in rows]), dtype="float64"),
            "channel": only(t, [r[4] for r in rows]),
            "account": only([x or y for x, y in zip(o, a, strict=True)], [r[1] for r in rows]),
            "kind": only(a, [r[4] for r in rows]),
            "institution": only(a, [r[4] for r in rows]),
            "country": only(a, [r[4] for r in rows]),
            "degree": pd.Series(only(a, [r[3] % 50 for r in rows]), dtype="float64"),
            "opened": stamps(only(a, [r[5] for r in rows])),
            "first_ts": stamps(only(a, [r[6] for r in rows])),
            "org": pd.Series(only(a, [r[7] for r in rows]), dtype=object),
            "opening": pd.Series(only(o, [r[3] for r in rows]), dtype="float64"),
        }
    )


@examples(max_examples=60)
@given(rows=st.lists(_row, max_size=8), aware=st.booleans())
def test_ledger_of_builds_the_ledger_the_pandas_slices_built(
    rows: list[tuple[Any, ...]], aware: bool
) -> None:
    frame = _frame(rows, aware)
    report = ReportInfo("R1", 1_600_000_000_000_000, "V1", ())
    seen: list[tuple[Any, ...]] = []

    def capture(txns: Any, **kw: Any) -> Any:
        seen.append((txns, kw["accounts"], kw["reports"], kw["openings"], kw["busy_over"],
                     kw["victims"]))  # fmt: skip
        return None

    with patch.object(frames, "MemoryLedger", capture):
        frames.ledger_of(frame, [report], 7, {"V1": 3})
    assert len(seen[0][0]) == sum(r[0] == "t" for r in rows)
    try:
        expected = _old_ledger_args(frame, [report], 7, {"V1": 3})
    except ValueError:  # (the old way could not read an aware column with a time missing)
        assert aware
        return
    assert seen == [expected]


# ---- gangs.phonebook: the maps each gang built from every person


_person = st.fixed_dictionaries(
    {"person_id": st.sampled_from(["P1", "P2", "P3", "P4"]),
     "phone": st.one_of(st.none(), st.just(""), st.sampled_from(["+861", "+862", "+863"]))}
)  # fmt: skip


@given(persons=st.lists(_person, max_size=10))
def test_the_phonebook_is_what_each_gang_built_and_built_once(
    persons: list[dict[str, Any]],
) -> None:
    book = phonebook(persons)
    people: dict[str, list[str]] = defaultdict(list)
    for p in persons:
        if p["phone"]:
            people[str(p["phone"])].append(str(p["person_id"]))
    assert book.people == people
    assert book.people_set == {k: set(v) for k, v in people.items()}
    assert book.owner == {str(p["phone"]): str(p["person_id"]) for p in persons if p["phone"]}
    phone_of: dict[str, str] = {}
    for p in persons:
        if p["phone"]:
            phone_of[str(p["person_id"])] = str(p["phone"])
    assert book.phone_of == phone_of
    assert phonebook(persons) is book  # the same list again: not read again
    persons.append({"person_id": "P9", "phone": "+869"})
    assert phonebook(persons).owner.get("+869") == "P9"  # grown: read again
