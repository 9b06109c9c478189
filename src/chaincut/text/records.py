"""Streaming reader of texts to classify: JSONL (`{"id", "text"}`) or CSV, with line numbers.

A record that cannot be used is yielded as a `RecordError` (file, line, reason) so that the
caller reports it and goes on; only a file that cannot be opened at all raises.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass(frozen=True, slots=True)
class Record:
    id: Any
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class RecordError:
    line: int
    reason: str


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it (for a progress bar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def sniff_encoding(path: Path) -> str:
    """utf-8 (a BOM allowed) if the first 64 KiB decode as UTF-8, else gb18030."""
    with path.open("rb") as handle:
        head = handle.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the block's end
            return "gb18030"
    return "utf-8-sig"


def is_jsonl(path: Path, encoding: str) -> bool:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return True
    if path.suffix.lower() == ".csv":
        return False
    with path.open(encoding=encoding, errors="replace") as handle:
        return handle.read(1024).lstrip().startswith("{")


def read_records(
    stream: IO[str], *, jsonl: bool, text_column: str = "text", id_column: str = "id"
) -> Iterator[Record | RecordError]:
    """Records from a JSONL or CSV text stream; ids default to the line number."""
    if jsonl:
        yield from _jsonl(stream, text_column, id_column)
    else:
        yield from _csv(stream, text_column, id_column)


def _jsonl(stream: IO[str], text_column: str, id_column: str) -> Iterator[Record | RecordError]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordError(number, f"not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield RecordError(number, "a line must be a JSON object with a text field")
            continue
        text = row.get(text_column)
        if not isinstance(text, str):
            yield RecordError(number, f'no string field "{text_column}"')
            continue
        yield Record(row.get(id_column, number), text, number)


def _csv(stream: IO[str], text_column: str, id_column: str) -> Iterator[Record | RecordError]:
    reader = csv.DictReader(stream)
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        columns = ", ".join(reader.fieldnames or []) or "none"
        yield RecordError(1, f'no column "{text_column}" in the header (columns: {columns})')
        return
    for row in reader:
        text = row.get(text_column)
        line = reader.line_num
        if text is None:
            yield RecordError(line, "row shorter than the header")
            continue
        yield Record(row.get(id_column) or line, text, line)
