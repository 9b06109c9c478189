"""One stored form per Chinese mobile number (`chaincut.ingest.phones`): `+86…`, `0086…`,
`86…` and the bare national number are the same number in the lake, so that calls, messages,
persons and labels written in different forms join; any number written with `00` for `+` (or
`+86 (0)…`) is its `+` form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import example, given
from hypothesis import settings as run_with
from hypothesis import strategies as st

from chaincut.ingest import import_folder
from chaincut.ingest.phones import ANY_FORM_CN, canonical, define_macro
from chaincut.settings import Settings
from tests.ingest.test_foreign_csv import put, rows

FORMS = ["+8613800005678", "008613800005678", "8613800005678", "13800005678", "138 0000 5678"]


def _world(folder: Path) -> None:
    put(folder, "calls.csv", "call_id,ts,caller,callee,duration_s\n" + "".join(
        f"C{i},2024-01-01T0{i}:00:00,{form},+8613900001111,30\n" for i, form in enumerate(FORMS)
    ))  # fmt: skip
    put(folder, "messages.csv", "msg_id,ts,sender,receiver,text\n"
        "M1,2024-01-01,13900001111,0086 138 0000 5678,hi\n")  # fmt: skip
    put(folder, "persons.csv", "person_id,phone\nP1,13800005678\nP2,+86 139-0000-1111\n")
    put(folder, "labels.csv", "entity_id,entity_kind,label\n"
        "13800005678,phone,fraud\n13800005678,account,mule\n")  # fmt: skip


def test_every_form_of_a_mobile_is_one_number(settings: Settings, tmp_path: Path) -> None:
    _world(tmp_path / "in")
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == [] and result.warnings == []
    assert {r[2] for r in rows(settings, "calls")} == {"+8613800005678"}
    assert [r[2:4] for r in rows(settings, "messages")] == [("+8613900001111", "+8613800005678")]
    assert [r[4] for r in rows(settings, "persons")] == ["+8613800005678", "+8613900001111"]
    # a phone's label names the number as the calls do; an account id is not a number
    assert [r[:2] for r in rows(settings, "labels", "2")] == [
        ("13800005678", "account"),
        ("+8613800005678", "phone"),
    ]


def test_outside_china_only_numbers_with_the_country_code_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAINCUT_PHONE_REGION", "US")
    settings = Settings(home=tmp_path / "home")
    _world(tmp_path / "in")
    result = import_folder(settings, tmp_path / "in")
    assert [r[2] for r in rows(settings, "calls")] == [
        "+8613800005678",
        "+8613800005678",
        "8613800005678",  # read in the US these are not Chinese numbers: kept as written
        "13800005678",
        "13800005678",
    ]
    (warned,) = result.warnings  # and the two forms are still pointed out
    assert "+8613800005678 and 13800005678" in warned


def test_a_lake_imported_in_the_old_forms_is_upgraded_once(
    settings: Settings, tmp_path: Path
) -> None:
    _world(tmp_path / "in")
    import_folder(settings, tmp_path / "in")
    con = duckdb.connect(str(settings.lake_path))  # as an import before the rule wrote it
    con.execute("UPDATE calls SET caller = '13800005678' WHERE call_id IN ('C3', 'C4')")
    con.execute("UPDATE persons SET phone = '13800005678'")
    con.execute("INSERT INTO labels VALUES ('13900001111', 'phone', 'normal', NULL)")
    con.execute("UPDATE labels SET entity_id = '13800005678' WHERE entity_kind = 'phone'")
    con.execute("INSERT INTO labels VALUES ('+8613900001111', 'phone', 'simbox', NULL)")
    con.execute("DELETE FROM lake_meta WHERE key = 'phone_form'")
    con.close()
    again = import_folder(settings, tmp_path / "in")  # the same files: nothing new, no reject
    assert again.rejected == []
    assert sum(again.imported.values()) == 0
    assert {r[2] for r in rows(settings, "calls")} == {"+8613800005678"}
    assert {r[4] for r in rows(settings, "persons")} == {"+8613800005678", "+8613900001111"}
    phones = [(r[0], r[2]) for r in rows(settings, "labels") if r[1] == "phone"]
    assert phones == [("+8613800005678", "fraud"), ("+8613900001111", "simbox")]


@pytest.fixture(scope="module")
def macro() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    define_macro(con, "CN")
    yield con
    con.close()


def test_a_number_written_with_00_or_a_trunk_zero_is_the_plus_form(
    settings: Settings, tmp_path: Path
) -> None:
    # an operator's records write a den's number abroad and a landline the ways people dial them
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s\n"
        "C1,2024-01-01,0063 917 123 4567,+86 (0)10 8888-6666,30\n"
        "C2,2024-01-01,+63 917 123 4567,0086 10 8888 6666,30\n"
        "C3,2024-01-01,+639171234567,+861088886666,30\n"
        "C4,2024-01-01,95588,010 8888 6666,30\n")  # fmt: skip
    put(tmp_path / "in", "labels.csv", "entity_id,entity_kind,label\n00639171234567,phone,den\n")
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == []
    assert [r[2:4] for r in rows(settings, "calls")] == [
        ("+639171234567", "+861088886666"),
        ("+639171234567", "+861088886666"),
        ("+639171234567", "+861088886666"),
        ("95588", "01088886666"),  # no country code: a landline's digits as written
    ]
    assert [r[0] for r in rows(settings, "labels")] == ["+639171234567"]


def test_a_lake_of_the_mobile_only_rule_is_upgraded_to_the_00_rule(
    settings: Settings, tmp_path: Path
) -> None:
    put(tmp_path / "in", "calls.csv", "call_id,ts,caller,callee,duration_s\n"
        "C1,2024-01-01,+639171234567,13800005678,30\n")  # fmt: skip
    import_folder(settings, tmp_path / "in")
    con = duckdb.connect(str(settings.lake_path))  # as round twelve's importer left it
    con.execute("UPDATE calls SET caller = '00639171234567'")
    con.execute("UPDATE lake_meta SET value = ? WHERE key = 'phone_form'", [ANY_FORM_CN])
    con.close()
    again = import_folder(settings, tmp_path / "in")
    assert again.rejected == [] and sum(again.imported.values()) == 0
    assert [r[2:4] for r in rows(settings, "calls")] == [("+639171234567", "+8613800005678")]


@run_with(deadline=None, max_examples=80)  # one query each on a shared, loaded machine
@example(text="008600100000")  # 00 86 0 0…: the trunk 0 goes only before a digit 1-9, once
@given(
    text=st.from_regex(
        r"(\+86|0086|86)?1[3-9][0-9]{9}|(\+|00)(860?)?[0-9]{5,14}|[0-9+]{1,16}", fullmatch=True
    )
)
def test_the_macro_is_the_python_rule(macro: duckdb.DuckDBPyConnection, text: str) -> None:
    row = macro.execute("SELECT chaincut_phone(?)", [text]).fetchone()
    assert row is not None and row[0] == canonical(text, "CN")
    assert canonical(row[0], "CN") == row[0]  # one stored form: storing it again changes nothing
    if row[0] != text:  # the same number: `+`, maybe China's 86, and the digits as written
        digits = row[0][1:]
        assert row[0].startswith("+") and digits.isdigit()
        assert text.endswith(digits) or (digits.startswith("86") and text.endswith(digits[2:]))
