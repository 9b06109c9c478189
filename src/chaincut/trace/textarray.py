"""Arrow string columns as numpy arrays a fresh process can memory-map and search.

`fixed_width` gives a sorted-searchable `S<w>` array (ids looked up with `np.searchsorted`);
`variable_width` gives Arrow's own layout (offsets and UTF-8 bytes) for compact storage.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc


def _large(arr: pa.Array | pa.ChunkedArray) -> pa.LargeStringArray:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks else pa.array([], type=pa.string())
    filled = pc.fill_null(arr.cast(pa.large_string()), "")
    if not isinstance(filled, pa.LargeStringArray):
        raise TypeError(f"expected large strings, got {filled.type}")
    return filled


def variable_width(
    arr: pa.Array | pa.ChunkedArray,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """(offsets, data): value i is data[offsets[i]:offsets[i+1]]; offsets start at 0."""
    large = _large(arr)
    n = len(large)
    offs_buf, data_buf = large.buffers()[1], large.buffers()[2]
    if offs_buf is None:
        raise ValueError("a string array without offsets")
    offsets = np.frombuffer(offs_buf, dtype=np.int64)[large.offset : large.offset + n + 1]
    offsets = offsets - offsets[0]
    start = int(np.frombuffer(offs_buf, dtype=np.int64)[large.offset]) if n else 0
    if data_buf is None or n == 0:
        return offsets.astype(np.int64), np.zeros(0, dtype=np.uint8)
    data = np.frombuffer(data_buf, dtype=np.uint8)[start : start + int(offsets[-1])]
    return offsets.astype(np.int64), data.copy()


def fixed_width(arr: pa.Array | pa.ChunkedArray) -> npt.NDArray[np.bytes_]:
    """The strings as a numpy `S<w>` array (w = the longest UTF-8 length, at least 1)."""
    offsets, data = variable_width(arr)
    n = len(offsets) - 1
    lengths = np.diff(offsets)
    width = max(int(lengths.max()) if n else 1, 1)
    out = np.zeros((n, width), dtype=np.uint8)
    step = max(1, (1 << 24) // width)
    cols = np.arange(width)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        mask = cols[None, :] < lengths[lo:hi, None]
        idx = offsets[lo:hi, None] + cols[None, :]
        out[lo:hi][mask] = data[idx[mask]]
    return out.view(f"S{width}").reshape(n)
