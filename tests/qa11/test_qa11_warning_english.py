"""A warning's English `why` (the API's, the JSONL of `warn --replay`, the English console) in
plain English (round eleven's new-user run on a foreign world: "a number that has contacted 1
people", "the 2th payment", "a message the classifier calls a impersonate_boss script"). The
codes and values the Chinese console says them from are unchanged."""

from __future__ import annotations

from chaincut.warning.why import why
from chaincut.web.phrasing import signal_why


def test_a_count_of_one_is_singular_and_others_plural() -> None:
    assert why("reach", n="1").text == "a number that has contacted 1 person"
    assert why("reach", n="12").text == "a number that has contacted 12 people"
    both = why("reach_handset", n="1", imei="864547114613321", handset_n="3")
    assert both.text == (
        "a number that has contacted 1 person (its handset 864547114613321: 3 people)"
    )
    assert why("lure", lure="QQ 123", n="1").text.endswith("as fraud messages to 1 other did")
    assert why("fan_in", n="1").text == "a new payee that 1 other account paid in two weeks"


def test_ordinals_and_fraud_types_read_as_english() -> None:
    said = [why("burst", n=n).text.split()[1] for n in ("1", "2", "3", "4", "11", "12", "22")]
    assert said == ["1st", "2nd", "3rd", "4th", "11th", "12th", "22nd"]
    script = why("script", fraud_type="impersonate_boss", phrases="截图、转到").text
    assert script == "a message the classifier calls fraud of type impersonate_boss (截图、转到)"


def test_the_chinese_console_says_the_same_codes() -> None:
    part = why("burst", n="2") + why("then") + why("reach", n="1")
    signal = {"why": part.text, "why_code": part.as_list()}
    assert part.as_list()[0] == {"code": "burst", "args": {"n": "2"}}
    assert signal_why(signal, "zh-CN").text == "6 小时内第 2 笔向新收款方的付款；该号码已联系 1 人"
    assert signal_why(signal, "en").text == (
        "the 2nd payment to a new payee within 6 hours; a number that has contacted 1 person"
    )
