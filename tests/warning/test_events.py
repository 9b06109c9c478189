"""Events in the interchange shapes: parsed exactly, or refused naming the field."""

from __future__ import annotations

import pytest

from chaincut.warning.events import Call, EventError, Report, Transfer, iso, parse_event


def test_a_call_row_is_parsed_with_its_time_in_utc() -> None:
    call = parse_event(
        "call",
        {"call_id": "C1", "ts": "2026-03-01T08:00:00+08:00", "caller": "+861", "callee": "+862",
         "duration_s": "75", "imei": "I1"},
    )  # fmt: skip
    assert isinstance(call, Call)
    assert iso(call.ts) == "2026-03-01T00:00:00Z"
    assert (call.duration_s, call.imei) == (75, "I1")


def test_amounts_are_exact_cents_and_never_floats() -> None:
    row = {"txn_id": "T1", "ts": "2026-03-01T00:00:00", "src_account": "A", "dst_account": "B"}
    transfer = parse_event("transaction", {**row, "amount": "1234.56"})
    assert isinstance(transfer, Transfer) and transfer.cents == 123456
    with pytest.raises(EventError) as error:
        parse_event("transaction", {**row, "amount": 12.5})
    assert error.value.field == "amount"


@pytest.mark.parametrize(
    ("kind", "row", "field"),
    [
        ("call", {"call_id": "C", "caller": "a", "callee": "b", "duration_s": 1}, "ts"),
        ("call", {"call_id": "C", "ts": "x", "caller": "a", "callee": "b", "duration_s": 1}, "ts"),
        (
            "call",
            {"call_id": "C", "ts": "2026-03-01", "caller": "a", "callee": "b", "duration_s": -4},
            "duration_s",
        ),  # fmt: skip
        ("message", {"msg_id": "M", "ts": "2026-03-01", "sender": "a", "receiver": "b"}, "text"),
        (
            "transaction",
            {
                "txn_id": "T",
                "ts": "2026-03-01",
                "src_account": "a",
                "dst_account": "b",
                "amount": "0",
            },
            "amount",
        ),  # fmt: skip
        (
            "report",
            {"report_id": "R", "ts": "2026-03-01", "victim_account": "a", "fraud_txn_ids": ""},
            "fraud_txn_ids",
        ),  # fmt: skip
        ("fax", {}, "kind"),
    ],
)
def test_bad_rows_name_the_field(kind: str, row: dict[str, object], field: str) -> None:
    with pytest.raises(EventError) as error:
        parse_event(kind, row)
    assert error.value.field == field


def test_a_report_lists_its_transfers() -> None:
    report = parse_event(
        "report",
        {"report_id": "R1", "ts": "2026-03-02T00:00:00Z", "victim_account": "V",
         "fraud_txn_ids": "T1; T2"},
    )  # fmt: skip
    assert isinstance(report, Report) and report.fraud_txn_ids == ("T1", "T2")
