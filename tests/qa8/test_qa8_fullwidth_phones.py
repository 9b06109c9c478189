"""A number typed with a Chinese input method in full-width mode is the same number: it joins
its calls, texts and holder like one typed in ASCII (round eight's new-user run found it kept as
written, so a bank's hand-typed export split every such number in two)."""

from __future__ import annotations

from pathlib import Path

from chaincut.ingest import import_folder
from chaincut.settings import Settings, load_settings
from tests.ingest.test_foreign_csv import put, rows

WIDE = str.maketrans("0123456789+()- ", "０１２３４５６７８９＋（）－\u3000")


def test_full_width_digits_are_the_ascii_number(tmp_path: Path) -> None:
    settings: Settings = load_settings(home=tmp_path / "home")
    wide = "+86 138-0000-5678".translate(WIDE)
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s\n"
        f"C1,2024-01-01,{wide},{'(010) 1234-5678'.translate(WIDE)},30\n"
        "C2,2024-01-01,13800005678,ｉｍ：１２,30\n")  # fmt: skip
    put(tmp_path / "in", "persons.csv", f"person_id,phone\nP1,{'13800005678'.translate(WIDE)}\n")
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == []
    calls = rows(settings, "calls")
    assert [r[2:4] for r in calls] == [
        ("+8613800005678", "01012345678"),
        ("+8613800005678", "ｉｍ：１２"),  # not a number: kept as written
    ]
    assert [r[4] for r in rows(settings, "persons")] == ["+8613800005678"]
    again = import_folder(settings, tmp_path / "in")
    assert sum(again.imported.values()) == 0 and again.rejected == []


def test_a_phones_label_is_the_number_as_calls_store_it(tmp_path: Path) -> None:
    # docs/data-format.md: a label's entity_id of kind phone follows the phone rules, so that
    # the label reaches the number's scores; it kept its separators and full-width digits
    settings = load_settings(home=tmp_path / "home")
    put(tmp_path / "in", "labels.csv", "entity_id,entity_kind,label\n"
        "138 0000 5678,phone,fraud\n"
        f"{'13900001111'.translate(WIDE)},phone,simbox\n"
        "(010) 1234-5678,phone,fraud\n"
        "6222 0200 0000 0001,account,mule\n")  # fmt: skip
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == []
    assert {r[:2] for r in rows(settings, "labels")} == {
        ("+8613800005678", "phone"),
        ("+8613900001111", "phone"),
        ("01012345678", "phone"),
        ("6222 0200 0000 0001", "account"),  # not a phone: as written
    }
