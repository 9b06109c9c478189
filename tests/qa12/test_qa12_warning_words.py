"""A warning's signals as an analyst reads them on the worklist (round twelve's new-user run on
foreign world 860): "2162 min 45 s after a suspicious contact", a call nobody answered said as
"a message from", "a 8 s call", "a transfer of ¥26995.00"."""

from __future__ import annotations

from typing import Any

from chaincut.model.money import fmt_grouped, fmt_yuan
from chaincut.warning.events import Call, Message, Transfer
from chaincut.warning.evidence import minutes
from chaincut.warning.signals import Directory, Warner
from chaincut.web.phrasing import signal_why

T0 = 1_772_000_000
SCRIPT = "您好，我是公安局的，您涉嫌洗钱，请把钱转到安全账户，不要告诉家人"
BOOK = Directory({"+86victim": "P-V"}, {"ACC-V": "P-V"})


def test_a_long_span_is_said_in_hours() -> None:
    assert minutes(2162 * 60 + 45).text == "36 h 2 min"
    assert minutes(185).text == "3 min 5 s" and minutes(8).text == "8 s"
    assert signal_why({"why_code": minutes(7200).as_list()}, "zh-CN").text == "2 小时 0 分"


def _story(*events: Any) -> Warner:
    """A number that cold-called 40 people, then `events`."""
    warner = Warner(BOOK)
    for i in range(40):
        warner.process(Call(f"CC{i}", T0 + i, "+86gang", f"+86x{i}", 0))
    for event in events:
        warner.process(event)
    return warner


def _said(warner: Warner) -> dict[str, Any]:
    return {s.id: s for s in warner.subjects[("person", "P-V")].signals}


def test_an_unanswered_call_is_a_call_and_an_answered_one_has_its_length() -> None:
    warner = _story(
        Call("C0", T0 + 100, "+86gang", "+86victim", 0),
        Call("C1", T0 + 200, "+86gang", "+86victim", 8),
        Message("M1", T0 + 300, "+86gang", "+86victim", SCRIPT, "sms"),
    )
    said = _said(warner)
    assert said["C0"].why.startswith("an unanswered call from +86gang, a number that has contacted")
    assert said["C1"].why.startswith("a call of 8 s from +86gang")
    (c0,) = [s for s in _signals_json(warner) if s["id"] == "C0"]
    assert signal_why(c0, "zh-CN").text.startswith("来自 +86gang 的未接来电")


def test_a_transfer_amount_is_written_as_money() -> None:
    assert fmt_grouped(2_699_500) == "26,995.00" and fmt_grouped(-5) == "-0.05"
    assert fmt_yuan(2_699_500) == "¥26,995.00" and fmt_yuan(-123_456) == "-¥1,234.56"
    warner = _story(
        Message("M1", T0 + 300, "+86gang", "+86victim", SCRIPT, "sms"),
        Transfer("TV", T0 + 400, "ACC-V", "MULE", 2_699_500, "transfer"),
    )
    assert _said(warner)["TV"].why.startswith("a transfer of ¥26,995.00 from ACC-V to MULE")


def _signals_json(warner: Warner) -> list[dict[str, Any]]:
    return [s.record() for s in warner.subjects[("person", "P-V")].signals]
