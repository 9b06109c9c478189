"""Gang evidence in English says one of a thing in the singular ("paid by 1 victim", "1 SIM-box
site"), many in the plural; the codes and values, and so the Chinese, are unchanged."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from chaincut.gangs.sentences import SENTENCES, SINGULAR, said


def test_one_victim_and_one_site_are_singular() -> None:
    assert said("paid_by", victims="1").text == "paid by 1 victim"
    assert said("paid_by", victims="3").text == "paid by 3 victims"
    one = said("visits_den", cells="1", bosses="2").text
    assert one.startswith("called from 1 SIM-box site of the gang")
    assert said("visits_den", cells="2", bosses="2").text.startswith("called from 2 SIM-box sites")


def test_each_count_is_inflected_on_its_own() -> None:
    text = said("reached", victims="1", contacts="40").text
    assert text == "reached 1 victim among 40 contacts"
    assert said("reached", victims="5", contacts="1").text == "reached 5 victims among 1 contact"


def test_every_plural_is_words_of_its_template_about_its_field() -> None:
    for code, fields in SINGULAR.items():
        for name, (many, one) in fields.items():
            assert SENTENCES[code].count(many) == 1, (code, many)
            assert many.startswith(f"%({name})s ") and one.startswith(f"%({name})s "), code


def test_the_codes_and_values_stay_as_written() -> None:
    assert said("paid_by", victims="1").as_dict() == {"code": "paid_by", "args": {"victims": "1"}}


@given(st.sampled_from(sorted(SINGULAR)), st.integers(0, 5))
def test_no_sentence_says_one_with_a_plural_noun(code: str, n: int) -> None:
    fields = re.findall(r"%\((\w+)\)s", SENTENCES[code])
    text = said(code, **{f: str(n) if f in SINGULAR[code] else "X" for f in fields}).text
    if n == 1:
        assert not re.search(
            r"\b1 ([\w-]+ )?(victims|contacts|numbers|sites|counterparties|people)\b", text
        ), text
    else:
        assert text == SENTENCES[code] % {f: str(n) if f in SINGULAR[code] else "X" for f in fields}
