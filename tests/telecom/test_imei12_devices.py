"""Round twelve: SIM-box IMEIs at the threshold. A slot that never rotates nor swaps its SIM
inherits part of its site's evidence (the reused IMEIs at its busiest cell; `box_days` since
round thirteen), and the device threshold is chosen for its harm with every world size weighing
the same (docs/telecom.md "Round twelve: SIM-box devices")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest

from chaincut.telecom import calibrate as cal
from chaincut.telecom import indicators as rules
from chaincut.telecom import train
from chaincut.telecom.features import DEVICE_FEATURES, FeatureFrame

NAMES = tuple(DEVICE_FEATURES)
IMEI = "861234567890123"

#: a slot of a box that never rotates nor swaps, in a world whose boxes call slowly (randomised
#: world 680, `tiny`): one SIM, two unanswered calls from one cell, nobody in sync; 28 other
#: IMEIs at its cell carried several SIMs or rotated. The round-eleven model scored such slots
#: 0.26-0.54 (threshold 0.810)
SLOT = {
    "calls": 2, "sims": 1, "distinct_callees": 2, "callee_spread": 1.0, "answer_rate": 0.0,
    "cells": 1, "top_cell_share": 1.0, "active_days": 1, "sims_max_imeis": 1,
    "lifetime_d": 0.2, "site_reused": 28,
}  # fmt: skip


def _frame(rows: Sequence[Mapping[str, float]]) -> FeatureFrame:
    values = np.array([[r.get(n, 0.0) for n in NAMES] for r in rows], np.float64)
    return FeatureFrame(np.array([IMEI] * len(rows)), NAMES, values, {})


def _site(rows: Sequence[Mapping[str, float]]) -> list[float]:
    """The site's evidence (`box_days` since round thirteen) of devices that call only on the
    days the site's reused slots call (so that all of it is kept)."""
    [ind] = [i for i in rules.DEVICE_INDICATORS if i.code == "box_days"]
    return [float(v) for v in ind.value(_frame([{**r, "site_days": r["calls"]} for r in rows]))]


def test_a_slot_inherits_its_sites_reused_imeis() -> None:
    alone, at_site = _site([{**SLOT, "site_reused": 0}, SLOT])
    assert alone == 0.0
    assert at_site == pytest.approx(np.log(29.0))


def test_who_lives_under_the_mast_inherits_little() -> None:
    called_back, carried, room = _site(
        [
            {**SLOT, "sims_in_calls": 2, "sims_in_share": 1.0},  # a person: called back
            {**SLOT, "calls": 150, "cells": 12, "top_cell_share": 0.16},  # a gang's handset
            {**SLOT, "max_sync_peers": 15, "sync_sharers": 0},  # a campaign's seat in sync
        ]
    )
    assert called_back == 0.0 and room == 0.0
    assert carried == pytest.approx(0.16 * np.log(29.0))


def test_a_room_whose_sync_group_shares_slots_is_no_room() -> None:
    # in sync with 15 numbers of which 10 reused an IMEI: the box's own slots, not a room
    [value] = _site([{**SLOT, "max_sync_peers": 15, "sync_sharers": 10}])
    assert value == pytest.approx(np.log(29.0))


def test_a_size_may_be_limited_to_some_seeds() -> None:
    assert train.parse_scales("tiny,small:680-682;690") == [
        ("tiny", None),
        ("small", frozenset({680, 681, 682, 690})),
    ]
    assert train.seeds_at([679, 680, 695], frozenset({680, 681})) == [680]
    assert train.seeds_at([679, 680], None) == [679, 680]


def test_every_size_weighs_the_same_within_a_generator() -> None:
    # 20 tiny and 5 small simulated worlds, 20 tiny and 4 small foreign ones
    share = cal._shares([20, 5, 20, 4], 2)
    assert len(share) == 49
    assert sum(share[:20]) == pytest.approx(0.25) and sum(share[20:25]) == pytest.approx(0.25)
    assert sum(share[25:45]) == pytest.approx(0.25) and sum(share[45:]) == pytest.approx(0.25)
    # one size, no foreign worlds: every world the same
    assert cal._shares([4, 0], 1) == [0.25] * 4


@pytest.mark.parametrize("module", ["train", "calibrate"])
@pytest.mark.parametrize(
    ("option", "says"),
    [
        (["--scale", "tiny,small:68x-686"], "'68x-686' is neither a seed nor a range"),
        (["--seeds", "9-1"], "ends before it starts"),
    ],
)
def test_a_seed_it_cannot_read_is_named(
    module: str, option: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--scale tiny,small:68x-686` ended in a traceback from int()
    folder = ["--out", str(tmp_path)] if module == "train" else ["--model", str(tmp_path)]
    main = train.main if module == "train" else cal.main
    with pytest.raises(SystemExit) as exit_:
        main(["--work", str(tmp_path), *folder, *option])
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err
