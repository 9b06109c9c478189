"""A GBK file's lines that happen to decode as UTF-8 are rejected with the rest, not imported
garbled: 郑平 in GBK (d6 a3 c6 bd) is valid UTF-8 (֣ƽ)."""

from __future__ import annotations

from pathlib import Path

from chaincut.ingest import import_folder
from chaincut.ingest.check import MISREAD
from chaincut.ingest.reader import NOT_UTF8
from chaincut.settings import Settings
from tests.ingest.test_foreign_csv import put, rows


def test_lucky_lines_of_a_gbk_file_are_not_imported_garbled(
    settings: Settings, tmp_path: Path
) -> None:
    text = "person_id,name,phone\nP1,张伟,13800005678\nP2,郑平,13900001111\nP3,Li Wei,\n"
    assert "郑平".encode("gbk").decode("utf-8") != "郑平"  # the premise: it decodes, wrongly
    path = put(tmp_path / "in", "persons.csv", text.encode("gbk"))
    result = import_folder(settings, tmp_path / "in")
    assert {(r.file, r.line): r.reason for r in result.rejected} == {
        (str(path), 2): NOT_UTF8,
        (str(path), 3): MISREAD,
    }
    assert [r[:2] for r in rows(settings, "persons")] == [("P3", "Li Wei")]  # ASCII reads alike
    assert result.as_dict()["rejected_count"] == 2


def test_a_utf8_file_keeps_its_chinese(settings: Settings, tmp_path: Path) -> None:
    put(tmp_path / "in", "persons.csv", "person_id,name\nP1,郑平\n")
    result = import_folder(settings, tmp_path / "in")
    assert result.rejected == []
    assert [r[:2] for r in rows(settings, "persons")] == [("P1", "郑平")]
