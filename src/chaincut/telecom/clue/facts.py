"""What the clue index says about one number: holder, activity, devices, cells, victims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np

from chaincut.telecom.clue.result import (
    CellUse,
    DeviceUse,
    Holder,
    NumberClue,
    Report,
    VictimContact,
)
from chaincut.telecom.clue.store import KIND_CALL, KIND_MESSAGE, Array, Store

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
HOUR_US: Final = 3_600_000_000
DAY_US: Final = 24 * HOUR_US
#: record ids listed per victim contact
MAX_IDS: Final = 20


def when(us: int) -> datetime:
    return EPOCH + timedelta(microseconds=int(us))


class ClueIndex(Store):
    """The clue index folder with the look-ups the clue needs."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.calls, self.msgs = self.texts("call"), self.texts("msg")
        self.hold = (self.texts("hold_person"), self.texts("hold_name"), self.texts("hold_idno"))
        self.rep_ids, self.rep_types = self.texts("rep_id"), self.texts("rep_type")
        self.params: dict[str, Any] = dict(self.meta["params"])
        self.local_us = int(self.params["utc_offset_hours"]) * HOUR_US

    def number(self, code: int) -> str:
        return self.name("num_ids", code)

    def out(self, code: int, column: str) -> Array:
        return self.column("out", column, code)

    def holders(self, code: int) -> tuple[Holder, ...]:
        rows = self.rows("hold", code)
        person, name, idno = self.hold
        return tuple(
            Holder(person[i], name[i], idno[i], self.id_numbers(idno[i], code))
            for i in range(rows.start, rows.stop)
        )

    def id_numbers(self, id_number: str, code: int) -> tuple[str, ...]:
        """The numbers other than `code` registered to `id_number` (an index built before this
        look-up existed has none)."""
        if "idno_ids" not in self.arrays or not id_number:
            return ()
        at = self.code("idno_ids", id_number)
        if at < 0:
            return ()
        return tuple(
            sorted(self.number(int(c)) for c in self.column("idn", "num", at) if c != code)
        )

    def victim_pos(self, codes: Array) -> Array:
        """Position of each code among the victims' numbers, -1 for non-victims."""
        vic = self.arrays["vic_code"]
        if not len(vic) or not len(codes):
            return np.full(len(codes), -1, np.int64)
        pos = np.minimum(np.searchsorted(vic, codes), len(vic) - 1)
        out: Array = np.where(vic[pos] == codes, pos, -1)
        return out

    def reports(self, pos: int) -> tuple[Report, ...]:
        rows = self.rows("rep", pos)
        ts = self.arrays["rep_ts"]
        return tuple(
            Report(self.rep_ids[i], when(ts[i]), self.rep_types[i])
            for i in range(rows.start, rows.stop)
        )

    def event_id(self, kind: int, seq: int) -> str:
        return self.calls[seq] if kind == KIND_CALL else self.msgs[seq]

    def sims_on(self, imei: int) -> int:
        off = self.arrays["imei_off"]
        return int(off[imei + 1] - off[imei])


def number_clue(ix: ClueIndex, number: str, den_id: str | None = None) -> NumberClue:
    """The facts of `number` (`known` is false when the records never mention it)."""
    code = ix.code("num_ids", number)
    if code < 0:
        return NumberClue(number, known=False)
    ts = [ix.column(g, "ts", code) for g in ("out", "in", "mout", "min")]
    seen = np.concatenate(ts)
    dur = ix.out(code, "dur")
    sync = ix.rows("sync", code)
    return NumberClue(
        number=number,
        known=True,
        holders=ix.holders(code),
        first_seen=when(seen.min()) if len(seen) else None,
        last_seen=when(seen.max()) if len(seen) else None,
        calls_out=len(ts[0]),
        calls_in=len(ts[1]),
        answered_out=int(np.count_nonzero(dur > 0)),
        callees=len(np.unique(ix.out(code, "peer"))),
        messages_out=len(ts[2]),
        messages_in=len(ts[3]),
        devices=_devices(ix, code),
        cells=_cells(ix, code),
        victims=victim_contacts(ix, code),
        sync_peers=len(np.unique(ix.arrays["sync_peer"][sync])),
        den_id=den_id,
    )


def _devices(ix: ClueIndex, code: int) -> tuple[DeviceUse, ...]:
    imei, ts = ix.out(code, "imei"), ix.out(code, "ts")
    out = []
    for i in np.unique(imei[imei >= 0]):
        mine = ts[imei == i]
        out.append(
            DeviceUse(
                ix.name("imei_ids", int(i)), len(mine), when(mine.min()), when(mine.max()),
                ix.sims_on(int(i)),
            )
        )  # fmt: skip
    return tuple(sorted(out, key=lambda d: (-d.calls, d.imei)))


def _cells(ix: ClueIndex, code: int) -> tuple[CellUse, ...]:
    cell, ts = ix.out(code, "cell"), ix.out(code, "ts")
    out = []
    for c in np.unique(cell[cell >= 0]):
        mine = ts[cell == c]
        local = mine + ix.local_us
        hours = tuple(int(h) for h in np.unique((local // HOUR_US) % 24))
        out.append(
            CellUse(
                ix.name("cell_ids", int(c)), len(mine), when(mine.min()), when(mine.max()),
                len(np.unique(local // DAY_US)), hours,
            )
        )  # fmt: skip
    return tuple(sorted(out, key=lambda c: (-c.calls, c.cell_id)))


def victim_contacts(ix: ClueIndex, code: int) -> tuple[VictimContact, ...]:
    """The people `code` called or messaged before they reported fraud, earliest first."""
    parts: list[tuple[Array, Array, Array, Array]] = []
    for code_of_kind, group in ((KIND_CALL, "out"), (KIND_MESSAGE, "mout")):
        found = ix.victim_pos(ix.column(group, "peer", code))
        hit = found >= 0
        times, seqs = ix.column(group, "ts", code)[hit], ix.column(group, "seq", code)[hit]
        parts.append((found[hit], times, seqs, np.full(len(seqs), code_of_kind)))
    pos, ts, seq, kind = (np.concatenate(p) for p in zip(*parts, strict=True))
    before = ts < ix.arrays["vic_last"][pos] if len(pos) else np.zeros(0, bool)
    pos, ts, seq, kind = pos[before], ts[before], seq[before], kind[before]
    talk = ix.rows("talk", code)
    talked = set(ix.arrays["talk_victim"][talk].tolist())
    vic = ix.arrays["vic_code"]
    out = []
    for p in np.unique(pos):
        mine = np.flatnonzero(pos == p)
        mine = mine[np.lexsort((seq[mine], ts[mine]))]
        calls = tuple(ix.calls[int(seq[i])] for i in mine if kind[i] == KIND_CALL)[:MAX_IDS]
        msgs = tuple(ix.msgs[int(seq[i])] for i in mine if kind[i] == KIND_MESSAGE)[:MAX_IDS]
        victim = int(vic[p])
        out.append(
            VictimContact(
                ix.number(victim), ix.reports(int(p)), calls, msgs, when(ts[mine[0]]),
                victim in talked,
            )
        )  # fmt: skip
    return tuple(sorted(out, key=lambda v: (v.first_contact, v.victim)))


def describe(ix: ClueIndex) -> dict[str, Any]:
    """What the index was built from, for the answer's `index` field."""
    keys = ("generation", "built_at", "numbers", "calls", "messages", "reports", "build_seconds")
    return {k: ix.meta[k] for k in keys if k in ix.meta}
