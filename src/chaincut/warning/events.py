"""The events early warning reads, in the interchange shapes: calls, messages, transfers, reports.

Times are integer seconds since the epoch (UTC) and amounts integer cents, so that the per-event
work of a replay or of `POST /v1/events` stays cheap. `parse_event` turns one interchange row
(a mapping of column to value, as a bank or operator pushes it) into an event, or raises
`EventError` saying which field is wrong and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, Literal

from chaincut.model.money import to_cents

EventKind = Literal["call", "message", "transaction", "report"]
EVENT_KINDS: Final[tuple[str, ...]] = ("call", "message", "transaction", "report")


class EventError(ValueError):
    """An event that breaks the interchange format; `field` names the culprit."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True, slots=True)
class Call:
    call_id: str
    ts: int
    caller: str
    callee: str
    duration_s: int
    imei: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    msg_id: str
    ts: int
    sender: str
    receiver: str
    text: str
    channel: str


@dataclass(frozen=True, slots=True)
class Transfer:
    txn_id: str
    ts: int
    src: str
    dst: str
    cents: int
    channel: str


@dataclass(frozen=True, slots=True)
class Report:
    report_id: str
    ts: int
    victim_id: str | None
    victim_account: str
    fraud_txn_ids: tuple[str, ...]
    fraud_type: str | None


Event = Call | Message | Transfer | Report

#: events at one instant are taken in this order (a report of a transfer comes after it)
KIND_ORDER: Final[dict[type, int]] = {Transfer: 0, Call: 1, Message: 2, Report: 3}


def event_id(event: Event) -> str:
    match event:
        case Call():
            return event.call_id
        case Message():
            return event.msg_id
        case Transfer():
            return event.txn_id
        case Report():
            return event.report_id


def to_epoch(value: datetime) -> int:
    """Seconds since the epoch; a naive datetime means UTC (the interchange rule)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp())


def iso(ts: int) -> str:
    """ISO-8601 UTC with a `Z`, as warnings are written."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any, field: str = "ts") -> int:
    """An ISO-8601 text or a datetime as epoch seconds; raises `EventError` on anything else."""
    if isinstance(value, datetime):
        return to_epoch(value)
    if not isinstance(value, str) or not value.strip():
        raise EventError(field, "an ISO-8601 timestamp is required")
    try:  # the usual shape first: Python 3.11 reads "2024-05-03T09:00:00Z" as it is
        return to_epoch(datetime.fromisoformat(value))
    except ValueError:
        pass
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return to_epoch(datetime.fromisoformat(text))
    except ValueError:
        raise EventError(field, f"{value!r} is not an ISO-8601 timestamp") from None


def _text(row: Mapping[str, Any], field: str, *, required: bool = True) -> str:
    value = row.get(field)
    if type(value) is str:  # the usual case first: this runs for every field of every event
        text = value.strip()
    elif isinstance(value, str | int):
        text = str(value).strip()
    elif value is None:
        text = ""
    else:
        raise EventError(field, "must be text")
    if text or not required:
        return text
    raise EventError(field, "is required")


def _int(row: Mapping[str, Any], field: str) -> int:
    value = row.get(field)
    if isinstance(value, bool) or value is None:
        raise EventError(field, "a whole number is required")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise EventError(field, f"{value!r} is not a whole number") from None
    if number < 0:
        raise EventError(field, "must not be negative")
    return number


def _cents(row: Mapping[str, Any], field: str) -> int:
    value = row.get(field)
    if isinstance(value, float | bool) or value is None:
        raise EventError(field, 'an exact decimal (a string such as "120.50") is required')
    try:
        cents = to_cents(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError, ArithmeticError):
        raise EventError(field, f"{value!r} is not an amount with at most 2 decimals") from None
    if cents <= 0:
        raise EventError(field, "must be greater than 0")
    return cents


def parse_event(kind: str, row: Mapping[str, Any]) -> Event:
    """One interchange row of table `kind` (call, message, transaction, report) as an event."""
    if kind == "call":
        return Call(
            _text(row, "call_id"), parse_time(row.get("ts")), _text(row, "caller"),
            _text(row, "callee"), _int(row, "duration_s"), _text(row, "imei", required=False),
        )  # fmt: skip
    if kind == "message":
        return Message(
            _text(row, "msg_id"), parse_time(row.get("ts")), _text(row, "sender"),
            _text(row, "receiver"), _text(row, "text"),
            _text(row, "channel", required=False) or "sms",
        )  # fmt: skip
    if kind == "transaction":
        return Transfer(
            _text(row, "txn_id"), parse_time(row.get("ts")), _text(row, "src_account"),
            _text(row, "dst_account"), _cents(row, "amount"),
            _text(row, "channel", required=False) or "transfer",
        )  # fmt: skip
    if kind == "report":
        raw = row.get("fraud_txn_ids")
        ids = raw.split(";") if isinstance(raw, str) else list(raw or [])
        txns = tuple(str(i).strip() for i in ids if str(i).strip())
        if not txns:
            raise EventError("fraud_txn_ids", "at least one txn_id is required")
        return Report(
            _text(row, "report_id"), parse_time(row.get("ts")),
            _text(row, "victim_id", required=False) or None, _text(row, "victim_account"),
            txns, _text(row, "fraud_type", required=False) or None,
        )  # fmt: skip
    raise EventError("kind", f"{kind!r} is not one of {', '.join(EVENT_KINDS)}")
