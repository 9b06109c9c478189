"""The console's gettext catalogues (issue 16, point 4): every message Babel extracts has its
Chinese, the compiled `.mo` files are those of the `.po` files, the translations keep their
placeholders, and what the services and detectors write is said from codes and values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("babel")

from babel.messages.catalog import Catalog  # noqa: E402

import chaincut.service  # noqa: E402, F401  (the services and the console import in this order)
from chaincut import catalogues  # noqa: E402
from chaincut.gangs.member import member  # noqa: E402
from chaincut.gangs.sentences import SENTENCES, readable, said  # noqa: E402
from chaincut.gangs.sentences import english as sentence_english  # noqa: E402
from chaincut.markers import Plural  # noqa: E402
from chaincut.services.listings import REASON_CONTACT, REASON_NAMED, REASON_PAID  # noqa: E402
from chaincut.services.phrases import PHRASES, WORDS, Phrase, phrase  # noqa: E402
from chaincut.store.enums import ListSource  # noqa: E402
from chaincut.telecom.indicators import INDICATORS  # noqa: E402
from chaincut.telecom.scoring import fields  # noqa: E402
from chaincut.trace.bystander import Facts, judge  # noqa: E402
from chaincut.trace.model import Activity, TraceParams  # noqa: E402
from chaincut.trace.reasons import REASONS, fill  # noqa: E402
from chaincut.warning.why import TEMPLATES as WHY  # noqa: E402
from chaincut.warning.why import as_why, why  # noqa: E402
from chaincut.web.i18n import translate  # noqa: E402
from chaincut.web.phrasing import (  # noqa: E402
    indicator,
    listed_reason,
    member_evidence,
    order_reason,
    say,
    signal_why,
)
from chaincut.web.vocabulary import VOCABULARY  # noqa: E402

_HAN = re.compile(r"[\u4e00-\u9fff]")
#: an English word of three letters or more
_WORDS = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(scope="module")
def template() -> Catalog:
    return catalogues.extract()


def test_every_message_has_its_chinese_and_the_mo_files_are_current(template: Catalog) -> None:
    assert len(template) > 300  # templates, code and indicators were all read
    assert catalogues.problems(template) == []


def test_a_message_without_its_chinese_is_found(template: Catalog) -> None:
    template.add("a message nobody translated", context="test")
    found = catalogues.problems(template)
    assert found == [
        f"{locale}: no translation of 'a message nobody translated' (test)"
        for locale in ("zh_CN", "en")
    ]


def test_translations_keep_their_placeholders() -> None:
    catalog = catalogues.read("zh_CN")
    for message in catalog:
        if not message.id:
            continue
        # a plural's forms each say every placeholder of its plural (round twelve)
        english, forms = catalogues._forms(message.id)[-1], catalogues._forms(message.string)
        for pattern in (r"%\((\w+)\)s", r"\{(\w+)[^}]*\}"):
            wanted = sorted(re.findall(pattern, english))
            for form in forms:
                assert sorted(re.findall(pattern, form)) == wanted, message.id
        assert forms and all(_HAN.search(f) for f in forms), f"not Chinese: {message.id!r}"


def test_every_vocabulary_word_is_said_in_both_languages() -> None:
    for key in VOCABULARY:
        zh, en = translate(key, "zh-CN"), translate(key, "en")
        assert _HAN.search(zh) and not _HAN.search(en), key


@given(st.dictionaries(st.sampled_from(["noun", "source", "what", "label", "kind", "status",
                                        "fraud_type", "nouns", "order", "amount", "report",
                                        "phrases"]),
                       st.text(st.characters(max_codepoint=0x2FF, exclude_characters="%"), max_size=12)))  # fmt: skip
def test_every_phrase_is_said_whatever_its_arguments(args: dict[str, str]) -> None:
    for code in PHRASES:
        names = re.findall(r"%\((\w+)\)s", PHRASES[code])
        filled = Phrase(code=code, args={n: args.get(n, "x") for n in names})
        for lang in ("zh-CN", "en"):
            said = say(filled, lang)
            assert "%(" not in said
        english = say(filled, "en")  # the services' text, but for its Chinese terms
        assert english == filled.text or _HAN.search(filled.text)
        assert not _HAN.search(english)


def test_the_english_of_a_phrase_is_the_services_text() -> None:
    listed = phrase("listed", noun="phone", source="victim")
    assert listed.text == "this number is on the fraud list (reported by a fraud victim)"
    assert say(listed, "zh-CN") == "该号码在涉诈名单上（受害人举报）"
    order = phrase("order", kind="emergency_stop", order="O1", status="issued", amount="10.00")
    assert order.text == "emergency_stop order O1: issued, 10.00"
    assert say(order, "zh-CN") == "紧急止付指令 O1：已下发，10.00 元"
    assert all(key.partition(":")[0] for key in WORDS)


@pytest.mark.parametrize("kind", ["number", "device"])
def test_every_indicator_is_said_in_chinese_from_its_values(kind: str) -> None:
    for ind in INDICATORS[kind]:
        args = {name: 0.25 for name in fields(ind.text)}
        reason = {"code": ind.code, "text": ind.said(args), "args": args}
        said = indicator(reason, kind, "zh-CN")
        assert said.lang == "zh-CN" and _HAN.search(said.text) and "{" not in said.text
        assert indicator(reason, kind, "en") == (reason["text"], "en")
        # a reason written before the values travelled with it keeps its English
        assert indicator({**reason, "args": None}, kind, "zh-CN") == (reason["text"], "en")


@given(st.from_regex(r"[A-Za-z0-9_.:@-]{1,64}", fullmatch=True), st.datetimes())
def test_a_reports_fraud_list_reasons_are_said_in_chinese(report: str, when: datetime) -> None:
    written = [
        REASON_NAMED % {"report": report},
        REASON_PAID % {"report": report},
        REASON_CONTACT % {"report": report, "when": f"{when:%Y-%m-%d %H:%M}"},
    ]
    for text in written:
        said = listed_reason(ListSource.report, text, "zh-CN")
        assert said.lang == "zh-CN" and report in said.text and _HAN.search(said.text)
    # a reason typed by a person is shown as typed, in no language claimed
    assert listed_reason(ListSource.analyst, written[1], "zh-CN") == (written[1], "")
    assert listed_reason(ListSource.report, "typed by hand", "zh-CN") == ("typed by hand", "")


def test_the_catalogues_ship_in_the_package() -> None:
    import tomllib

    root = catalogues.ROOT
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["chaincut"]
    package = root / "src" / "chaincut"
    shipped = sorted((package / "web" / "locale").rglob("*.[mp]o"))
    assert {p.suffix for p in shipped} == {".po", ".mo"} and len(shipped) == 4
    packaged = {path for pattern in patterns for path in package.glob(pattern)}
    assert set(shipped) <= packaged


def test_the_english_catalogue_is_english() -> None:
    """An id written with its Chinese term for the API's readers (断卡) says it in English
    only on the English console."""
    chinese = [m.id for m in catalogues.read("en") if m.id and _HAN.search(str(m.string))]
    assert chinese == []


def test_every_audit_action_the_services_record_has_its_words() -> None:
    services = catalogues.ROOT / "src" / "chaincut" / "services"
    recorded = re.compile(r"audit\.record\(\s*[^,]+,\s*[^,]+,\s*\"([a-z_]+)\",\s*\"([a-z_]+)\"")
    found = [
        m.groups() for path in services.glob("*.py") for m in recorded.finditer(path.read_text())
    ]
    assert len(found) > 20  # the pattern still finds the calls
    for action, subject in found:
        assert f"audit_{action}" in VOCABULARY and f"subject_{subject}" in VOCABULARY, action


def _english(reason: Mapping[str, Any]) -> str:
    """A trace reason's English from its code and values, as the trace wrote it."""
    return fill(REASONS[reason["code"]], reason["args"], _english)


_MICROS_H = 3_600_000_000
_facts = st.builds(
    Facts,
    account_id=st.just("A"),
    hop=st.integers(1, 6),
    traced=st.integers(0, 10**7),
    tainted_in=st.integers(1, 10**7),
    tainted_amounts=st.lists(st.integers(1, 10**7), min_size=1, max_size=4).map(
        lambda a: tuple(sorted(a, reverse=True))
    ),
    reach=st.floats(0, 1),
    inflow_after=st.integers(1, 10**8),
    outs=st.lists(
        st.tuples(
            st.integers(0, 200 * _MICROS_H),
            st.integers(1, 10**7),
            st.sampled_from(["B", "C", "D", "E"]),
            st.sampled_from([None, "pos", "cash", "bank"]),
        ),
        max_size=6,
        # in time order; a channel may be None, so it never decides the order
    ).map(lambda o: tuple(sorted(o, key=lambda t: (t[0], t[1], t[2], t[3] or "")))),  # fmt: skip
    arrival=st.just(0),
    until=st.integers(0, 300 * _MICROS_H),
    age_days=st.none() | st.floats(0, 4000),
    prior=st.builds(Activity, st.integers(0, 60), st.integers(0, 10**8), st.integers(0, 10**21)),
    exit_channels=st.just(("cash",)),
    mule_score=st.none() | st.floats(0, 1),
    lag=st.none() | st.integers(0, 200 * _MICROS_H),
)


@settings(max_examples=150, deadline=None)
@given(_facts)
def test_every_reason_the_trace_writes_has_its_code_and_chinese(facts: Facts) -> None:
    """Each reason `judge` writes comes with its code and values, they give back its English
    word for word, and the console says it in Chinese."""
    verdict = judge(facts, TraceParams())
    assert len(verdict.codes) == len(verdict.reasons)
    for text, coded in zip(verdict.reasons, verdict.codes, strict=True):
        assert text == f"{coded['sign']} {_english(coded)}"
        said = order_reason(coded, text, "zh-CN")
        assert said.lang == "zh-CN" and _HAN.search(said.text) and "%(" not in said.text
        assert not _WORDS.search(said.text.replace("¥", "")), said.text
    assert order_reason(None, "typed", "zh-CN") == ("typed", "en")


_CALLS = re.compile(r"\b(?:said|why)\(\s*\"(\w+)\"")


def test_every_code_written_has_its_template_and_every_template_is_written() -> None:
    """The codes the trace, the warner and the gang analysis write (`said("…")`, `why("…")`)
    are those of their template tables: none missing (it would fail where it is written), none dead."""
    src = catalogues.ROOT / "src" / "chaincut"
    for tables, files in (
        (REASONS, ["trace/bystander.py", "trace/assemble.py", "trace/chain.py", "trace/relay.py"]),
        (
            WHY,
            [
                "warning/signals.py",
                "warning/evidence.py",
                "warning/urgency.py",
                "services/warnings.py",
            ],
        ),
        (
            SENTENCES,
            [
                "gangs/roles.py",
                "gangs/lines.py",
                "gangs/dealers.py",
                "gangs/analyse.py",
                "gangs/bosses.py",
                "gangs/cards.py",
                "gangs/funders.py",
                "gangs/ahead.py",
                "gangs/lenders.py",
                "gangs/running.py",
            ],
        ),
    ):
        text = "\n".join((src / f).read_text(encoding="utf-8") for f in files)
        written = set(_CALLS.findall(text))
        # codes the code composes (the kind of forwarding, of dwell, of engagement)
        chosen = {c for c in tables if re.fullmatch(
            r"(forwarded|passed_through)(_one)?|dwell_\w+|(called|wrote)_\w+|relayed(_victim)?|text|then|colon", c)}  # fmt: skip
        assert set(tables) - written - chosen == set()


@pytest.mark.parametrize("table", ["trace", "warning", "gangs"])
def test_every_template_is_said_in_chinese(table: str) -> None:
    templates: Mapping[str, str | Plural] = (
        WHY if table == "warning" else REASONS if table == "trace" else SENTENCES
    )
    for code, template in templates.items():
        if code in ("text", "then", "colon"):
            continue
        text = template.plural if isinstance(template, Plural) else template
        args = {n: "7" for n in re.findall(r"%\((\w+)\)s", text)}
        if table == "trace":
            said = order_reason({"code": code, "args": args}, "x", "zh-CN")
        elif table == "warning":
            said = signal_why({"why": "x", "why_code": [{"code": code, "args": args}]}, "zh-CN")
        else:
            (said,) = member_evidence({"evidence": ["x"], "evidence_codes": [{"code": code,
                                       "args": args}]}, "zh-CN")  # fmt: skip
        assert said.lang == "zh-CN" and _HAN.search(said.text), code
        assert not _WORDS.search(said.text.replace("¥", "")), (code, said.text)


def test_a_signal_with_a_flag_from_elsewhere_keeps_it_as_written() -> None:
    flagged = as_why("on a partner's list") + why("then") + why("reported_in", report="R1")
    said = signal_why({"why": "x", "why_code": why("account_is", flagged=flagged).as_list()},
                      "zh-CN")  # fmt: skip
    assert said.text == "收款账户on a partner's list；已在报案 R1 中被举报"
    assert signal_why({"why": "old"}, "zh-CN") == ("old", "en")


_ids = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789+", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_gang_evidence_sentence_is_rebuilt_and_said_in_chinese(data: st.DataObject) -> None:
    """Each sentence a gang member's evidence can hold, with any values: its English is the
    template filled with them (amounts grouped, role keys as words), kept beside its code and
    values, and the console says it in Chinese; identifiers stay as they are, in no language."""
    for code, template in SENTENCES.items():
        names = re.findall(r"%\((\w+)\)s", template)
        if code == "model_paid_by":  # its payers: nested sentences
            payers = [said("contacted_payer", person=data.draw(_ids), line=data.draw(_ids),
                           contact=data.draw(_ids)) for _ in range(data.draw(st.integers(1, 3)))]  # fmt: skip
            args: dict[str, Any] = {"score": data.draw(_ids), "payers": payers}
        else:
            args = {n: data.draw(_ids) for n in names}
        english = sentence_english(code, args) % {k: v if isinstance(v, str) else ", ".join(p.text for p in v)
                              for k, v in readable(args).items()}  # fmt: skip
        ident = data.draw(_ids)
        found = member("phone", "X", "operator", 0.9, [said(code, **args), ident]).json()
        assert found["evidence"] == [english, ident]
        sentence, identifier = member_evidence(found, "zh-CN")
        assert identifier == (ident, "")
        assert sentence.lang == "zh-CN" and _HAN.search(sentence.text), sentence
        assert not _WORDS.search(re.sub(r"[A-Z0-9+]+", "", sentence.text)), sentence.text
        assert member_evidence(found, "en") == [(english, "en"), (ident, "")]


def test_a_member_saved_before_codes_keeps_its_english() -> None:
    old = {"evidence": ["holder of account A1", "T1"]}
    assert member_evidence(old, "zh-CN") == [("holder of account A1", "en"), ("T1", "en")]
    unknown = {"evidence": ["x", "T1"], "evidence_codes": [{"code": "nope", "args": {}}, None]}
    assert member_evidence(unknown, "zh-CN") == [("x", "en"), ("T1", "")]
