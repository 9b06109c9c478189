"""The console's gettext catalogues (issue 16, point 4): every message Babel extracts has its
Chinese, the compiled `.mo` files are those of the `.po` files, the translations keep their
placeholders, and what the services and detectors write is said from codes and values."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("babel")

from babel.messages.catalog import Catalog  # noqa: E402

import chaincut.service  # noqa: E402, F401  (the services and the console import in this order)
from chaincut import catalogues  # noqa: E402
from chaincut.services.listings import REASON_CONTACT, REASON_NAMED, REASON_PAID  # noqa: E402
from chaincut.services.phrases import PHRASES, WORDS, Phrase, phrase  # noqa: E402
from chaincut.store.enums import ListSource  # noqa: E402
from chaincut.telecom.indicators import INDICATORS  # noqa: E402
from chaincut.web.i18n import translate  # noqa: E402
from chaincut.web.phrasing import indicator, listed_reason, say  # noqa: E402
from chaincut.web.vocabulary import VOCABULARY  # noqa: E402

_HAN = re.compile(r"[\u4e00-\u9fff]")


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
        for pattern in (r"%\((\w+)\)s", r"\{(\w+)[^}]*\}"):
            wanted = sorted(re.findall(pattern, str(message.id)))
            assert sorted(re.findall(pattern, str(message.string))) == wanted, message.id
        assert _HAN.search(str(message.string)), f"not Chinese: {message.id!r}"


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
        names = re.findall(r"\{(\w+)", ind.text)
        args = {name: 0.25 for name in names}
        reason = {"code": ind.code, "text": ind.text.format(**args), "args": args}
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
