"""A warning's English `why` (the API's, the JSONL of `warn --replay`, the English console) in
plain English (round eleven's new-user run on a foreign world: "a number that has contacted 1
people", "the 2th payment" (round twelve: "2 payments ... this one included"), "a message the classifier calls a impersonate_boss script"). The
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
    said = why("lure", lure="QQ 123", n="1").text
    assert said.endswith("as a fraud message to 1 other person did")
    assert why("fan_in", n="1").text == "a new payee that 1 other account paid in two weeks"


def test_counts_and_fraud_types_read_as_english() -> None:
    # round twelve: a count, not an ordinal (gettext's plural forms have none: qa12)
    said = [why("burst", n=n).text.split(" to ")[0] for n in ("1", "2", "22")]
    assert said == ["1 payment", "2 payments", "22 payments"]
    script = why("script", fraud_type="impersonate_boss", phrases="截图、转到").text
    assert script == "a message the classifier calls fraud of type impersonate_boss (截图、转到)"


def test_the_chinese_console_says_the_same_codes() -> None:
    part = why("burst", n="2") + why("then") + why("reach", n="1")
    signal = {"why": part.text, "why_code": part.as_list()}
    assert part.as_list()[0] == {"code": "burst", "args": {"n": "2"}}
    assert (
        signal_why(signal, "zh-CN").text
        == "6 小时内向新收款方付款 2 笔（含本笔）；该号码已联系 1 人"
    )
    assert signal_why(signal, "en").text == (
        "2 payments to new payees within 6 hours, this one included; a number that has "
        "contacted 1 person"
    )
