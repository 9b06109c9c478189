"""The clue index on disk: numpy arrays a fresh process memory-maps and searches.

Identifiers (numbers, IMEIs, cells) are sorted fixed-width byte strings: an identifier's code is
its position, found by binary search. Per-entity rows (a number's calls out, its calls in, an
IMEI's SIMs, ...) are grouped by the entity's code: `<group>_off[code]:<group>_off[code + 1]`
are its rows in every `<group>_*` array (compressed sparse rows). Variable-length texts (call
ids, names) are Arrow's layout: `<name>_off` and `<name>_data`. Opening maps the files and reads
nothing; a look-up touches a few pages. Answering needs only numpy: this module, and the ones
that read the index, import neither Ibis nor the lake jobs, so a fresh process answers quickly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # the build's needs: a process that only answers clues does not import it
    import pyarrow as pa

Array = npt.NDArray[Any]
#: the index layout's version: an index of another version is rebuilt
FORMAT_VERSION: Final = 11
#: `kind` of a contact in the talk arrays
KIND_CALL: Final = 0
KIND_MESSAGE: Final = 1


def save(folder: Path, name: str, values: Array) -> None:
    np.save(folder / f"{name}.npy", values, allow_pickle=False)


def _texts(column: pa.Array | pa.ChunkedArray) -> pa.LargeStringArray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.string())
    filled = pc.fill_null(column.cast(pa.large_string()), "")
    if not isinstance(filled, pa.LargeStringArray):
        raise TypeError(f"expected a large string array, got {type(filled).__name__}")
    return filled


def _offsets_and_bytes(column: pa.Array | pa.ChunkedArray) -> tuple[Array, Array]:
    texts = _texts(column)
    n = len(texts)
    offsets_buf = texts.buffers()[1]
    if offsets_buf is None:
        raise ValueError("a string array without an offsets buffer")
    offs = np.frombuffer(offsets_buf, np.int64)[texts.offset : texts.offset + n + 1]
    data_buf = texts.buffers()[2]
    start = int(offs[0]) if n else 0
    offsets = (offs - start).astype(np.int64) if n else np.zeros(1, np.int64)
    if data_buf is None or n == 0:
        return offsets, np.zeros(0, np.uint8)
    data = np.frombuffer(data_buf, np.uint8)[start : start + int(offsets[-1])].copy()
    return offsets, data


def sorted_ids(column: pa.Array | pa.ChunkedArray) -> Array:
    """Strings (already sorted by bytes) as a searchable numpy `S<w>` array."""
    offsets, data = _offsets_and_bytes(column)
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    width = max(int(lengths.max()) if n else 1, 1)
    out = np.zeros((n, width), np.uint8)
    cols = np.arange(width)
    step = max(1, (1 << 24) // width)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        mask = cols[None, :] < lengths[lo:hi, None]
        out[lo:hi][mask] = data[(offsets[lo:hi, None] + cols[None, :])[mask]]
    ids = out.view(f"S{width}").reshape(n)
    if n > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise RuntimeError("identifiers are not unique and in byte order")
    return ids


def save_texts(folder: Path, name: str, batches: Iterator[pa.Array]) -> int:
    """Write texts (in batches, in order) as `<name>_off` and `<name>_data`; return the count."""
    offs: list[Array] = [np.zeros(1, np.int64)]
    data: list[Array] = []
    base = 0
    for batch in batches:
        o, d = _offsets_and_bytes(batch)
        offs.append(o[1:] + base)
        data.append(d)
        base += int(o[-1])
    save(folder, f"{name}_off", np.concatenate(offs))
    save(folder, f"{name}_data", np.concatenate(data) if data else np.zeros(0, np.uint8))
    return sum(len(o) for o in offs) - 1


def write_groups(
    folder: Path,
    group: str,
    batches: Iterable[pa.RecordBatch],
    total: int,
    keys: int,
    columns: Mapping[str, npt.DTypeLike],
) -> int:
    """Write `total` rows, arriving in `batches` ordered by their column `key` (a code in
    [0, keys)), into the arrays `<group>_<column>` and the offsets `<group>_off`; return the
    rows written."""
    arrays = {
        c: np.lib.format.open_memmap(folder / f"{group}_{c}.npy", "w+", dtype, (total,))
        for c, dtype in columns.items()
    }
    counts = np.zeros(keys, np.int64)
    pos = 0
    for batch in batches:
        key = batch.column("key").to_numpy(zero_copy_only=False).astype(np.int64)
        if pos + len(key) > total:
            raise RuntimeError(f"the clue index's {group} rows grew while it was built")
        for c, arr in arrays.items():
            arr[pos : pos + len(key)] = batch.column(c).to_numpy(zero_copy_only=False)
        counts += np.bincount(key, minlength=keys)
        pos += len(key)
    if pos != total:
        raise RuntimeError(f"the clue index's {group} rows changed while it was built")
    for arr in arrays.values():
        arr.flush()
    offsets = np.zeros(keys + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    save(folder, f"{group}_off", offsets)
    return total


class Texts:
    """Variable-length texts by position."""

    def __init__(self, offsets: Array, data: Array) -> None:
        self.offsets, self.data = offsets, data

    def __getitem__(self, i: int) -> str:
        lo, hi = int(self.offsets[i]), int(self.offsets[i + 1])
        return bytes(self.data[lo:hi]).decode()

    def __len__(self) -> int:
        return len(self.offsets) - 1


class Store:
    """An index folder, memory-mapped: `arrays[name]`, `ids(name)`, `texts(name)`, `rows`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / "meta.json").read_text("utf-8"))
        # plain ndarray views of the maps: indexing a np.memmap costs microseconds a call
        self.arrays: dict[str, Array] = {
            p.stem: np.load(p, mmap_mode="r").view(np.ndarray) for p in sorted(folder.glob("*.npy"))
        }

    def texts(self, name: str) -> Texts:
        return Texts(self.arrays[f"{name}_off"], self.arrays[f"{name}_data"])

    def code(self, ids_name: str, value: str) -> int:
        """The code of `value` among the sorted ids `ids_name`, or -1 when it is not there."""
        ids = self.arrays[ids_name]
        key = value.encode()
        if not len(ids) or len(key) > ids.dtype.itemsize:
            return -1
        pos = int(np.searchsorted(ids, key))
        return pos if pos < len(ids) and ids[pos] == key else -1

    def name(self, ids_name: str, code: int) -> str:
        return bytes(self.arrays[ids_name][code]).decode()

    def rows(self, group: str, code: int) -> slice:
        off = self.arrays[f"{group}_off"]
        return slice(int(off[code]), int(off[code + 1]))

    def column(self, group: str, column: str, code: int) -> Array:
        """Column `column` of the rows of `code` in `group` (a small in-memory copy)."""
        return np.asarray(self.arrays[f"{group}_{column}"][self.rows(group, code)])
