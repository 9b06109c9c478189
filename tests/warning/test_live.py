"""The live path's own work: the worklist written once per subject per batch, and the heap
the warner loads kept out of the garbage collector's walks."""

from __future__ import annotations

import gc
from pathlib import Path

from chaincut.services.warnings import save_warnings
from chaincut.store import open_store
from chaincut.store.tables import EarlyWarning
from chaincut.warning.events import Call
from chaincut.warning.evidence import Directory, RaisedWarning
from chaincut.warning.live import YOUNG_THRESHOLD, LiveWarnings
from chaincut.warning.state import Signal
from chaincut.warning.why import why

DAY = 86_400


def _warning(n: int, subject: str, ts: int, score: float) -> RaisedWarning:
    signal = Signal.of("call", f"C{n}", ts, why("seconds", s=str(n)))
    return RaisedWarning(f"W{n}", "person", subject, ts, score, "other", "sms", (signal,))


def test_a_batch_leaves_each_subject_one_warning_at_its_highest_score(tmp_path: Path) -> None:
    raised = [_warning(1, "P1", DAY, 0.4), _warning(2, "P2", DAY + 5, 0.5),
              _warning(3, "P1", DAY + 9, 0.7), _warning(4, "P1", DAY + 20, 0.6)]  # fmt: skip
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store, store.session() as s:
        ids = save_warnings(s, raised)
        rows = {w.subject_id: w for w in s.query(EarlyWarning)}
        assert sorted(ids) == sorted(w.warning_id for w in rows.values()) and len(ids) == 2
        p1 = rows["P1"]
        assert p1.score == 0.7 and [x["id"] for x in p1.signals] == ["C3"]
        assert int(p1.created_at.timestamp()) == DAY  # when it was first raised
        assert int(p1.updated_at.timestamp()) == DAY + 9
        # a later batch raises the open warning in score, never below it
        assert save_warnings(s, [_warning(5, "P1", 2 * DAY, 0.65)]) == [p1.warning_id]
        assert p1.score == 0.7
        assert save_warnings(s, [_warning(6, "P1", 2 * DAY, 0.9)]) == [p1.warning_id]
        assert p1.score == 0.9 and p1.signals[0]["why"] == "6 s"


def test_the_loaded_warner_is_frozen_out_of_the_collectors_walks() -> None:
    live = LiveWarnings()
    call = Call("C1", DAY, "+8613000000001", "+8613000000002", 30)
    assert live.take([call], Directory, list) == []
    assert live.warner is not None and live.events == 1
    assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] >= YOUNG_THRESHOLD
