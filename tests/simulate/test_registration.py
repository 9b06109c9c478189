"""Accounts carry the phone they were registered with (`reg_phone`): the holder's own, or for
a share of the mule cards a card dealer's; drawn apart from everything else."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import defaultdict
from pathlib import Path

from chaincut.simulate import SimParams, simulate
from chaincut.simulate.ranges import range_of


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _world(folder: Path, share: float) -> Path:
    simulate(folder, seed=5, scale=3000, fmt="csv", params=SimParams(dealer_reg_share=share))
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _facts(folder: Path) -> tuple[dict[str, str], set[str], dict[str, str], list[dict[str, str]]]:
    """Person -> phone, the dens' dealer phones, mule card -> den's dealer phones (joined),
    and the accounts."""
    phone = {p["person_id"]: p["phone"] for p in _rows(folder, "persons")}
    info = json.loads((folder / "truth" / "world.json").read_text(encoding="utf-8"))
    dealers: set[str] = set()
    den_of: dict[str, str] = {}
    for d in info["dens"]:
        mine = {phone[p] for p in d["members"].get("card_dealer", [])}
        dealers |= mine
        for k, v in d["accounts"].items():
            if k.startswith("mule_"):
                den_of.update(dict.fromkeys(v, ",".join(sorted(mine))))
    return phone, dealers, den_of, _rows(folder, "accounts")


def test_other_tables_do_not_move_with_the_share(tmp_path: Path) -> None:
    a, b = _world(tmp_path / "a", 0.0), _world(tmp_path / "b", 1.0)
    for name in ("transactions", "calls", "messages", "persons", "reports", "labels"):
        assert _digest(a / f"{name}.csv") == _digest(b / f"{name}.csv"), name
    for name in ("holdings", "exits", "spent"):
        assert _digest(a / "truth" / f"{name}.csv") == _digest(b / "truth" / f"{name}.csv")
    strip = [{k: v for k, v in r.items() if k != "reg_phone"} for r in _rows(a, "accounts")]
    assert strip == [{k: v for k, v in r.items() if k != "reg_phone"} for r in _rows(b, "accounts")]
    # none of a dealer's cards carry his number at 0; all of them at 1, shared by 3+ people
    phone, dealers, den_of, accounts = _facts(a)
    assert not {r["reg_phone"] for r in accounts if r["account_id"] in den_of} & dealers
    phone, dealers, den_of, accounts = _facts(b)
    holders: dict[str, set[str]] = defaultdict(set)
    for r in accounts:
        if r["account_id"] in den_of:
            assert r["reg_phone"] in den_of[r["account_id"]].split(",")
            holders[r["reg_phone"]].add(r["holder_id"])
    assert holders and max(len(h) for h in holders.values()) >= 3


def test_ordinary_accounts_carry_their_holders_phone(tmp_path: Path) -> None:
    phone, _, den_of, accounts = _facts(_world(tmp_path, 0.5))
    ordinary = [r for r in accounts if r["account_id"] not in den_of]
    for r in ordinary:
        if r["reg_phone"]:
            assert r["reg_phone"] == phone[r["holder_id"]], r
    people = [r for r in ordinary if r["holder_id"] in phone]
    assert 0 < sum(1 for r in people if not r["reg_phone"]) < 0.2 * len(people)
    assert all(not r["reg_phone"] for r in ordinary if r["holder_id"].startswith("ORG"))


def test_the_share_is_drawn_wide() -> None:
    r = range_of("dealer_reg_share")
    assert (r.low, r.high) == (0.0, 1.0)
    drawn = {SimParams.randomised(s).dealer_reg_share for s in range(20)}
    assert min(drawn) < 0.3 and max(drawn) > 0.7
    assert SimParams().dealer_reg_share == 0.5
