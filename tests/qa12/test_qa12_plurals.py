"""Counts said the gettext way (round twelve, routed by round eleven's new-user run): a reason
with a count is a singular and a plural in the catalogues (Babel's `ngettext` keyword `NN_`),
English picks by its rule ("1 person", "2 people"), Chinese has one form; the reason codes and
their values are as before. And the device and number reason that read "called on 35 days over
34 days" (35 calendar days are 34 days apart)."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from chaincut.catalogues import _translated, read
from chaincut.markers import Plural, count
from chaincut.telecom.clue.den import _same
from chaincut.telecom.indicators import INDICATORS, Indicator
from chaincut.telecom.render import _n
from chaincut.telecom.scoring import fields
from chaincut.warning.why import TEMPLATES, why
from chaincut.web.phrasing import indicator, signal_why

PLURAL_TEMPLATES = {code: t for code, t in TEMPLATES.items() if isinstance(t, Plural)}
PLURAL_INDICATORS = [
    (kind, ind) for kind, inds in INDICATORS.items() for ind in inds if isinstance(ind.text, Plural)
]


@pytest.mark.parametrize(
    ("code", "args", "said"),
    [
        ("reach", {"n": "1"}, "a number that has contacted 1 person"),
        ("reach", {"n": "2"}, "a number that has contacted 2 people"),
        ("lure_account", {"n": "1"}, "an account that a fraud message to 1 person named"),
        ("lure_account", {"n": "5"}, "an account that fraud messages to 5 people named"),
        ("burst", {"n": "3"}, "3 payments to new payees within 6 hours, this one included"),
        ("fan_in", {"n": "3"}, "a new payee that 3 other accounts paid in two weeks"),
    ],
)
def test_a_warning_reason_takes_the_form_of_its_count(
    code: str, args: dict[str, str], said: str
) -> None:
    part = why(code, **args)
    assert part.text == said
    assert part.as_list() == [{"code": code, "args": args}]  # the JSON as before


def test_chinese_says_one_form_for_every_count() -> None:
    for n in ("1", "7"):
        part = why("lure_account", n=n)
        signal = {"why": part.text, "why_code": part.as_list()}
        assert signal_why(signal, "zh-CN").text == f"发给 {n} 人的诈骗消息中提到的账户"


def test_every_plural_is_in_both_catalogues_with_its_languages_forms() -> None:
    messages: list[tuple[str | Plural, str | None]] = [(t, None) for t in PLURAL_TEMPLATES.values()]
    messages += [(ind.text, f"{kind} reason") for kind, ind in PLURAL_INDICATORS]
    assert len(messages) > 20
    for locale, forms in (("en", 2), ("zh_CN", 1)):
        catalog = read(locale)
        assert catalog.num_plurals == forms
        for message, context in messages:
            assert isinstance(message, Plural)
            found = catalog.get(message.singular, context)
            assert found is not None, (locale, message.singular)
            assert tuple(found.id) == (message.singular, message.plural)
            assert isinstance(found.string, tuple | list), (locale, message.singular)
            assert len(found.string) == forms and all(found.string), (locale, message.singular)


def test_the_check_finds_a_plural_without_all_its_forms() -> None:
    english, chinese = Catalog(locale="en"), Catalog(locale="zh_CN")
    assert _translated(("1 person", "%(n)s people"), english)
    assert not _translated(("1 person", ""), english)
    assert not _translated(("1 person",), english)
    assert _translated(("%(n)s 人",), chinese)
    assert not _translated(("",), chinese)
    assert _translated("人", chinese) and not _translated("", chinese)


@pytest.mark.parametrize("ind", [ind for _, ind in PLURAL_INDICATORS], ids=lambda i: i.code)
def test_both_forms_of_an_indicator_name_the_same_values(ind: Indicator) -> None:
    text = ind.text
    assert isinstance(text, Plural)
    one, many = (set(fields(form)) for form in text[:2])
    assert one == many and text.counted in one  # a reason's args serve either form


def _said(kind: str, code: str, values: dict[str, float]) -> str:
    (ind,) = [i for i in INDICATORS[kind] if i.code == code]
    full = {name: values.get(name, 0.0) for name in fields(ind.text)}
    return ind.said(full)


def test_a_reason_with_a_count_of_one_is_singular() -> None:
    assert _said("number", "synchronised", {"sync_peers": 1, "sync_shared_max": 3}).startswith(
        "calls from one cell in the same hours as 1 other number ("
    )
    shared = _said("number", "shared_slots", {"sync_peers": 1, "sync_sharers": 2})
    assert shared.startswith("2 of it and its 1 peer in sync")
    said = _said("device", "victims_reached", {"victims_contacted": 1})
    assert said == "called 1 person who later reported fraud"
    assert _said("device", "victims_reached", {"victims_contacted": 4}).startswith(
        "called 4 people"
    )


def test_a_reason_says_what_it_counts_without_contradiction() -> None:
    # "up to 2 numbers in sync with its SIMs (up to 1)": the group counts the SIM itself
    said = _said("device", "shared_slots", {"sync_sharers": 2, "max_sync_peers": 1})
    assert said.startswith(
        "up to 2 numbers, of one of its SIMs and those in sync with it (up to 1)"
    )
    # "talked ... with 4 of them": nothing for "them" where the victims' reason is not shown
    said = _said("number", "victims_talked", {"victims_talked": 4})
    assert said.startswith("talked at length or chatted with 4 people who later reported fraud")
    assert _said("number", "victims_talked", {"victims_talked": 1}).startswith(
        "talked at length or chatted with 1 person who"
    )


@pytest.mark.parametrize("kind", ["number", "device"])
def test_days_active_and_the_span_between_first_and_last_agree(kind: str) -> None:
    # 35 calendar days from the 1st to the 35th: 34.2 days from first call to last
    said = _said(kind, "established", {"active_days": 35, "lifetime_d": 34.2})
    assert said.startswith("called on 35 different days, its first and last call")
    assert said.endswith("34.2 days apart") and "over" not in said
    assert _said(kind, "established", {"active_days": 1, "lifetime_d": 0.3}).startswith(
        "called on 1 day,"
    )


def test_the_chinese_console_says_a_plural_reason_from_its_values() -> None:
    reason = {"code": "established", "text": "called ...", "args": {"active_days": 35.0,
              "lifetime_d": 34.2}}  # fmt: skip
    assert indicator(reason, "number", "zh-CN").text == "有 35 天通话，首末次通话或短信相隔 34.2 天"
    assert indicator(reason, "number", "en").text == "called ..."  # the English as written


def test_a_count_is_read_from_text_or_a_number() -> None:
    assert [count(v) for v in ("1", "12", 3.0, 0.4, "x", float("inf"))] == [1, 12, 3, 0, 0, 0]


def test_the_clue_says_its_counts_in_english() -> None:
    assert _same(1, "cell") == "the same cell" and _same(3, "cell") == "the same 3 cells"
    assert _n(1, "other number") == "1 other number" and _n(2, "number") == "2 numbers"
    assert _n(1, "person", "people") == "1 person" and _n(1_200, "box", "boxes") == "1,200 boxes"
