"""Arrow columns from Python lists, built from buffers.

``pyarrow.array`` asks, on its first call in a process, whether its argument is a
pandas object, and so imports pandas when it is installed: 0.3 s of a ``kpi run``
that otherwise takes about as long. The result columns the engine adds are plain
floats and texts, so they are laid out directly (validity bitmap, offsets, data)
with the public ``Array.from_buffers``; ``None`` becomes null.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import pyarrow as pa


def _validity(values: Sequence[object]) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap (bit i set when values[i] is not None, least significant bit
    first) and the null count; no bitmap when nothing is null."""
    nulls = sum(v is None for v in values)
    if not nulls:
        return None, 0
    bits = bytearray((len(values) + 7) // 8)
    for i, value in enumerate(values):
        if value is not None:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.py_buffer(bytes(bits)), nulls


def floats(values: Sequence[float | None]) -> pa.Array:
    """A float64 array of ``values`` (ints are converted; NaN stays NaN)."""
    validity, nulls = _validity(values)
    data = array("d", (0.0 if v is None else float(v) for v in values))
    return pa.Array.from_buffers(pa.float64(), len(values), [validity, pa.py_buffer(data)], null_count=nulls)


def strings(values: Sequence[str | None]) -> pa.Array:
    """A string (utf8) array of ``values``."""
    validity, nulls = _validity(values)
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = array("i", [0])
    total = 0
    for item in encoded:
        total += len(item)
        offsets.append(total)
    if total >= 2**31:
        raise ValueError("text column too large for a 32-bit offset string array")
    data = pa.py_buffer(b"".join(encoded))
    return pa.Array.from_buffers(pa.string(), len(values), [validity, pa.py_buffer(offsets), data], null_count=nulls)


def booleans(values: Sequence[bool | None]) -> pa.Array:
    """A boolean array of ``values`` (a bitmap, least significant bit first)."""
    validity, nulls = _validity(values)
    bits = bytearray((len(values) + 7) // 8)
    for i, value in enumerate(values):
        if value:
            bits[i >> 3] |= 1 << (i & 7)
    return pa.Array.from_buffers(pa.bool_(), len(values), [validity, pa.py_buffer(bytes(bits))], null_count=nulls)
