"""A lake query's rows kept as Arrow columns and read as plain dicts, a batch at a time.

`collect` used to turn every row set into a list of dicts. A dict of eight values costs about
750 bytes in CPython, the same row in Arrow columns under 100: at 10 M transactions the
contacts gathered for the freeze-ahead leads and the bosses (4.3 M rows), the persons and their
registrations (1.3 M) held several GB. A `RowSet` keeps the sorted Arrow table and gives the
rows back as the dicts `Table.to_pylist` makes, in the same order, each time it is read: the
readers see the same rows, and only the batch being read lives as dicts.

A `RowSet` is read-only evidence: its rows are made afresh at each reading, so changing one
changes nothing kept (build a list from it to edit rows).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence, Set
from operator import itemgetter
from typing import Any, overload

import pyarrow as pa
import pyarrow.compute as pc

Row = dict[str, Any]

#: rows turned into dicts at a time while reading (a batch's dicts are freed as it is left)
BATCH = 32_768


class RowSet(Sequence[Row]):
    """Rows of one Arrow table, read as dicts (`Table.to_pylist`'s) in the table's order."""

    __slots__ = ("table",)

    def __init__(self, table: pa.Table) -> None:
        self.table: pa.Table = table.combine_chunks()

    def __len__(self) -> int:
        return int(self.table.num_rows)

    def __iter__(self) -> Iterator[Row]:
        for batch in self.table.to_batches(max_chunksize=BATCH):
            names = batch.schema.names
            for values in zip(*(_values(c) for c in batch.columns), strict=True):
                yield dict(zip(names, values, strict=True))

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...

    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step == 1:
                return list(self.table.slice(start, max(0, stop - start)).to_pylist())
            return [self[k] for k in range(start, stop, step)]
        k = i + len(self) if i < 0 else i
        if not 0 <= k < len(self):
            raise IndexError(f"row {i} of {len(self)}")
        return dict(self.table.slice(k, 1).to_pylist()[0])

    def __add__(self, other: Sequence[Row]) -> Joined:
        return Joined(self, other)

    def __radd__(self, other: Sequence[Row]) -> Joined:
        return Joined(other, self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return _same(self, other)

    __hash__ = None  # type: ignore[assignment]  # (rows compare by value, as a list's do)

    def __repr__(self) -> str:
        return f"RowSet({len(self)} rows: {', '.join(self.table.column_names)})"

    def column(self, name: str) -> list[Any]:
        """One column's values in the rows' order (what `[r[name] for r in self]` gives)."""
        return _values(self.table.column(name))


class Joined(Sequence[Row]):
    """Row sets one after the other, as `a + b` of two lists gives them, read in turn: the
    contacts and the freeze-ahead contacts read together are never all dicts at once."""

    __slots__ = ("parts",)

    def __init__(self, *parts: Sequence[Row]) -> None:
        self.parts = parts

    def __len__(self) -> int:
        return sum(len(p) for p in self.parts)

    def __iter__(self) -> Iterator[Row]:
        for part in self.parts:
            yield from part

    @overload
    def __getitem__(self, i: int) -> Row: ...

    @overload
    def __getitem__(self, i: slice) -> list[Row]: ...

    def __getitem__(self, i: int | slice) -> Row | list[Row]:
        return list(self)[i]

    def __add__(self, other: Sequence[Row]) -> Joined:
        return Joined(*self.parts, other)

    def __radd__(self, other: Sequence[Row]) -> Joined:
        return Joined(other, *self.parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return _same(self, other)

    __hash__ = None  # type: ignore[assignment]


def _same(rows: Sequence[Row], other: Sequence[Any]) -> bool:
    """The same rows in the same order (as two lists of dicts compare)."""
    return len(rows) == len(other) and list(rows) == list(other)


def _values(column: pa.Array | pa.ChunkedArray) -> list[Any]:
    """`column.to_pylist()`; a timestamp column without a time zone through numpy, which
    makes the same `datetime`s five to ten times faster than Arrow's one scalar at a time."""
    kind = column.type
    if pa.types.is_timestamp(kind) and kind.tz is None and kind.unit in ("s", "ms", "us"):
        out: list[Any] = column.to_numpy(zero_copy_only=False).astype(object).tolist()
        if column.null_count:
            for k in pc.indices_nonzero(column.is_null()).to_pylist():
                out[k] = None
        return out
    return list(column.to_pylist())


def values(rows: Iterable[Row], *names: str) -> Iterator[tuple[Any, ...]]:
    """The `names` columns of `rows`, a tuple per row in the rows' order: a `RowSet` read a
    column at a time (no dict per row), a list of dicts row by row."""
    if isinstance(rows, RowSet):
        yield from zip(*(rows.column(n) for n in names), strict=True)
        return
    if len(names) == 1:  # (`itemgetter` of one name gives the value, not a tuple)
        for r in rows:
            yield (r[names[0]],)
        return
    yield from map(itemgetter(*names), rows)


def gets(rows: Iterable[Row], *names: str) -> Iterator[tuple[Any, ...]]:
    """`values`, a missing column or key read as None (what `row.get(name)` gives)."""
    if isinstance(rows, RowSet):
        have = set(rows.table.column_names)
        nothing = [None] * len(rows)
        yield from zip(*(rows.column(n) if n in have else nothing for n in names), strict=True)
        return
    for r in rows:
        yield tuple(r.get(n) for n in names)


#: the last contact rows indexed by `reached_by`: the rows, their number, the index
_indexed: list[tuple[Sequence[Row], int, dict[Any, list[tuple[int, Any, Any]]]]] = []
_index_lock = threading.Lock()


def _index(rows: Sequence[Row]) -> dict[Any, list[tuple[int, Any, Any]]]:
    """Each number of the contact rows -> the steps a scan of the rows takes for it:
    (position in the scan, the number whose set grows, the number added to it)."""
    with _index_lock:
        if _indexed and _indexed[0][0] is rows and _indexed[0][1] == len(rows):
            return _indexed[0][2]
    at: dict[Any, list[tuple[int, Any, Any]]] = defaultdict(list)
    for i, (src, dst) in enumerate(values(rows, "src", "dst")):
        at[src].append((2 * i, dst, src))
        at[dst].append((2 * i + 1, src, dst))
    with _index_lock:
        _indexed[:] = [(rows, len(rows), at)]
    return at


def reached_by(rows: Sequence[Row], numbers: Set[Any]) -> defaultdict[Any, set[Any]]:
    """Number -> the `numbers` it exchanged calls or messages with, over contact rows
    (`src`, `dst`): exactly what this scan gives, dict and sets filled in the same order,

        for c in rows:
            if c["src"] in numbers: out[c["dst"]].add(c["src"])
            if c["dst"] in numbers: out[c["src"]].add(c["dst"])

    but reading only the rows of `numbers`, from an index of the rows made once while the
    same rows are asked about (the roles ask it several times a gang, every gang of a run
    over the same contacts). The rows must not be changed in place while it is kept."""
    at = _index(rows)
    out: defaultdict[Any, set[Any]] = defaultdict(set)
    for _, grows, add in sorted(step for n in numbers for step in at.get(n, ())):
        out[grows].add(add)
    return out


Rows = list[Row] | RowSet
