"""A fraud-list file's errors say what is wrong in words, with the file and line, as the
house's other errors do (`FILE:LINE: ...`), never as a Python list."""

from __future__ import annotations

from pathlib import Path

import pytest

from chaincut.store.fraud_list_file import read_file


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_column_is_named_in_words_with_file_and_line(tmp_path: Path) -> None:
    path = _file(tmp_path, "kind,reason\nphone,scam\n")
    with pytest.raises(ValueError) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:1: ")
    assert "missing column(s): value" in message
    assert "[" not in message and "'" not in message


def test_both_missing_columns_and_unknown_columns_are_listed_in_words(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing column\(s\): kind, value\)$"):
        read_file(_file(tmp_path, "number\n+8613800000000\n"))
    with pytest.raises(ValueError) as caught:
        read_file(_file(tmp_path, "kind,value,colour\nphone,+8613800000000,red\n"))
    assert str(caught.value).endswith(
        ":1: unknown column(s): colour (known: kind, value, reason, risk, source, expires_at)"
    )


def test_a_bad_kind_lists_the_kinds_in_words(tmp_path: Path) -> None:
    entries, problems = read_file(_file(tmp_path, "kind,value\nfax,123\n"))
    assert entries == [] and [(p.line, p.field) for p in problems] == [(2, "kind")]
    assert "[" not in problems[0].message and "phone" in problems[0].message
