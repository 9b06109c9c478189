"""Physical line numbers for the records DuckDB read from a CSV file.

DuckDB numbers the good records it returns (in file order) and gives each record it refused the
byte offset where it starts, but it does not say on which line a good record starts. Rejects must
cite that line, so this module works it out from the file's bytes:

- the fast path, nearly every file: when the file has exactly one line per record (no quoted
  newlines, no blank lines), good record `r` (1-based) sits on line `r + 1` plus the number of
  refused records before it. Counting newlines is one cheap pass over the bytes.
- the slow path: a vectorised scan finds where records start (a newline ends a record when the
  number of `"` before it is even), skips blank lines, and checks that it found exactly the
  records DuckDB saw, at the offsets DuckDB gave for the refused ones. If it cannot confirm that,
  the caller reads the file with Python's csv module instead.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

CHUNK = 16 << 20
NEWLINE, QUOTE, CR = 10, 34, 13

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class LineMap:
    """Where the records of one CSV file start.

    `bad_lines[i]` is the line of the i-th refused record (in the order of the offsets given).
    `good_lines` is None when good record `r` starts on line `r + 1`; otherwise it holds the start
    line of every good record in order.
    """

    bad_lines: list[int]
    good_lines: IntArray | None


class LinesUnknown(Exception):
    """The file's records could not be matched to DuckDB's with certainty."""


@contextmanager
def _open(path: Path) -> Iterator[BinaryIO]:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield fh  # type: ignore[misc]
    else:
        with path.open("rb") as fh:
            yield fh


def _chunks(path: Path) -> Iterator[bytes]:
    with _open(path) as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def map_lines(path: Path, n_good: int, bad_offsets: list[int]) -> LineMap:
    """The lines of a CSV file's records; see the module docstring.

    `n_good` is how many records DuckDB returned, `bad_offsets` the byte offsets (from the start
    of the file, decompressed) of the records it refused. Raises `LinesUnknown` when the file's
    structure cannot be matched to DuckDB's reading.
    """
    # DuckDB's offset of a refused record is where it starts or one byte later: the newlines
    # before it give its line either way when no record spans lines
    lines, last_byte, before = _count_newlines(path, sorted(set(bad_offsets)))
    physical = lines + (1 if last_byte not in (None, NEWLINE) else 0)
    if physical == 1 + n_good + len(bad_offsets):
        bad_lines = [before[o] for o in bad_offsets]
        if not bad_lines:
            return LineMap([], None)
        every = np.arange(2, physical + 1, dtype=np.int64)
        good = np.setdiff1d(every, np.asarray(bad_lines, dtype=np.int64), assume_unique=True)
        return LineMap(bad_lines, good)
    return _scan_records(path, n_good, bad_offsets)


def _count_newlines(path: Path, offsets: list[int]) -> tuple[int, int | None, dict[int, int]]:
    """Newlines in the file, its last byte, and the line on which each (sorted) offset falls."""
    count = 0  # newlines before `pos`
    pos = 0
    last: int | None = None
    before: dict[int, int] = {}
    pending = iter(offsets)
    nxt = next(pending, None)
    for chunk in _chunks(path):
        end = pos + len(chunk)
        seen, at = count, 0  # newlines before `at` (an index into the chunk)
        while nxt is not None and nxt < end:
            upto = max(nxt - pos, 0)
            seen += chunk.count(b"\n", at, upto)
            at = max(at, upto)
            before[nxt] = seen + 1
            nxt = next(pending, None)
        count += chunk.count(b"\n")
        last = chunk[-1]
        pos = end
    while nxt is not None:  # an offset past the end: cannot happen unless the file changed
        before[nxt] = count + 1
        nxt = next(pending, None)
    return count, last, before


def _records(path: Path) -> tuple[IntArray, IntArray, IntArray]:
    """For each non-blank record (the header included): where the blank lines before it start,
    where it starts, and its line."""
    ends: list[IntArray] = []  # offsets of the newlines that end a record
    ranks: list[IntArray] = []  # how many newlines come before each of them
    before_end: list[IntArray] = []  # the byte before each of them
    quotes = newlines = pos = 0
    last = 0
    for chunk in _chunks(path):
        arr = np.frombuffer(chunk, dtype=np.uint8)
        nl = np.flatnonzero(arr == NEWLINE)
        quote_at = np.flatnonzero(arr == QUOTE)
        outside = ((quotes + np.searchsorted(quote_at, nl)) & 1) == 0
        local = nl[outside]
        ends.append(pos + local)
        ranks.append(newlines + np.flatnonzero(outside))
        prev = np.concatenate(([last], arr))[local]  # arr[local - 1], across the chunk edge
        before_end.append(prev.astype(np.int64))
        quotes += len(quote_at)
        newlines += len(nl)
        pos += len(chunk)
        last = int(arr[-1])
    end = np.concatenate([*ends, np.array([pos], dtype=np.int64)])
    rank = np.concatenate([*ranks, np.array([newlines], dtype=np.int64)])
    prev_byte = np.concatenate([*before_end, np.array([last], dtype=np.int64)])
    start = np.concatenate((np.zeros(1, dtype=np.int64), end[:-1] + 1))
    line = np.concatenate((np.ones(1, dtype=np.int64), rank[:-1] + 2))
    length = end - start
    kept = ~((length <= 0) | ((length == 1) & (prev_byte == CR)))
    lead = np.concatenate((np.zeros(1, dtype=np.int64), end[kept][:-1] + 1))
    return lead, start[kept], line[kept]


def _scan_records(path: Path, n_good: int, bad_offsets: list[int]) -> LineMap:
    lead, starts, lines = _records(path)
    lead, starts, lines = lead[1:], starts[1:], lines[1:]  # the header
    if len(starts) != n_good + len(bad_offsets):
        raise LinesUnknown(
            f"found {len(starts)} records where DuckDB read {n_good + len(bad_offsets)}"
        )
    offsets = np.asarray(bad_offsets, dtype=np.int64)
    # DuckDB's offset of a refused record lies between the end of the record before it (blank
    # lines included) and one byte into the record itself
    idx = np.searchsorted(lead, offsets, side="right") - 1
    if len(offsets) and (
        idx.min() < 0 or bool(np.any(offsets > starts[idx] + 1)) or len(set(idx)) < len(idx)
    ):
        raise LinesUnknown("a refused record does not start where a record starts")
    is_bad = np.zeros(len(starts), dtype=bool)
    is_bad[idx] = True
    return LineMap([int(lines[i]) for i in idx], lines[~is_bad])
