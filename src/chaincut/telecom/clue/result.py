"""What a number clue returns (号码核查): facts per number and the candidate dens.

All times are UTC; `to_dict()` gives plain JSON types (times as ISO-8601 with `Z`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Role = Literal["simbox", "fraud_line", "linked"]
LinkKind = Literal[
    "same_device",
    "in_sync",
    "shared_victim",
    "same_cell",
    "same_place",
    "same_text",
    "handover",
    "call_circle",
    "co_located",
    "same_beat",
    "shared_money",
]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


class Plain:
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = _plain(self)
        return out


@dataclass(frozen=True)
class Holder(Plain):
    """A person whose `phone` is the number (for a fraud SIM, often someone else's identity)."""

    person_id: str
    name: str
    id_number: str
    #: the other numbers registered to the same ID number (SIMs bought on one person's ID)
    id_numbers: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeviceUse(Plain):
    """An IMEI the number called from; `sims`: how many numbers called from that IMEI."""

    imei: str
    calls: int
    first: datetime
    last: datetime
    sims: int


@dataclass(frozen=True)
class CellUse(Plain):
    """A cell the number called from, when, and at which local hours of the day."""

    cell_id: str
    calls: int
    first: datetime
    last: datetime
    days: int
    hours: tuple[int, ...]


@dataclass(frozen=True)
class Report(Plain):
    report_id: str
    ts: datetime
    fraud_type: str


@dataclass(frozen=True)
class VictimContact(Plain):
    """A person who later reported fraud and whom the number called or messaged before."""

    victim: str  # the victim's number
    reports: tuple[Report, ...]
    calls: tuple[str, ...]  # call_ids, earliest first
    messages: tuple[str, ...]  # msg_ids, earliest first
    first_contact: datetime
    talked: bool  # a long call or a message in the week before the first report


@dataclass(frozen=True)
class NumberClue(Plain):
    """Everything the records say about one number."""

    number: str
    known: bool
    holders: tuple[Holder, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    calls_out: int = 0
    calls_in: int = 0
    answered_out: int = 0
    callees: int = 0
    messages_out: int = 0
    messages_in: int = 0
    devices: tuple[DeviceUse, ...] = ()
    cells: tuple[CellUse, ...] = ()
    victims: tuple[VictimContact, ...] = ()
    sync_peers: int = 0
    den_id: str | None = None


@dataclass(frozen=True)
class Link(Plain):
    """Why `number` belongs with `via`: a shared device, activity in sync, a shared victim."""

    kind: LinkKind
    number: str
    via: str
    detail: str
    evidence: tuple[str, ...]  # call_ids and msg_ids


@dataclass(frozen=True)
class Member(Plain):
    number: str
    role: Role
    clue: bool  # one of the numbers asked about
    holders: tuple[str, ...]  # person ids
    calls_out: int
    victims: int  # people it reached who later reported fraud
    joined: Link | None  # how the search reached it (None for a clue)


@dataclass(frozen=True)
class Box(Plain):
    """A group of SIMs that share IMEIs or call in sync from one place: a SIM box."""

    cells: tuple[str, ...]
    sims: tuple[str, ...]
    imeis: tuple[str, ...]
    calls: int
    hours: int  # hour windows with calls
    first: datetime
    last: datetime


@dataclass(frozen=True)
class DenVictim(Plain):
    victim: str
    reports: tuple[str, ...]
    reached_by: tuple[str, ...]


@dataclass(frozen=True)
class Den(Plain):
    """A candidate den: the clues' numbers and every number linked to them, with evidence."""

    den_id: str
    clues: tuple[str, ...]
    members: tuple[Member, ...]
    boxes: tuple[Box, ...]
    cells: tuple[tuple[str, int], ...]  # (cell_id, calls from the den's numbers there)
    victims: tuple[DenVictim, ...]
    truncated: bool  # the search stopped at its size limit


@dataclass(frozen=True)
class ClueResult(Plain):
    numbers: tuple[NumberClue, ...]
    dens: tuple[Den, ...]
    index: dict[str, Any]
    elapsed_ms: float
