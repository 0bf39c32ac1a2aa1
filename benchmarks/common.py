"""What every contender writes, and how two results are compared.

A runner writes one Parquet file with the columns ``kpi`` (string), ``period_start``
(date32), ``slice`` (string, null in the unsliced shape) and ``value`` (float64). Rows
whose value is null (no data) may be left out: only non-null values are compared.
"""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = pa.schema([("kpi", pa.string()), ("period_start", pa.date32()), ("slice", pa.string()), ("value", pa.float64())])
TOLERANCE = 1e-9


def write(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` (any column order, castable types) in the canonical schema."""
    columns = [table.column(f.name).cast(f.type) for f in SCHEMA]
    pq.write_table(pa.Table.from_arrays(columns, schema=SCHEMA), path)


def read(path: str | Path) -> dict[tuple, float]:
    """(kpi, period_start, slice) -> value, for the rows with a value."""
    rows = pq.read_table(path).to_pylist()
    return {(r["kpi"], r["period_start"], r["slice"]): r["value"] for r in rows if r["value"] is not None}


def same(a: float | None, b: float | None) -> bool:
    """Equal to 1e-9 (relative or absolute); a null equals only a null."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def differences(expected: dict[tuple, float | None], got: dict[tuple, float | None], limit: int = 10) -> list[str]:
    """Why ``got`` differs from ``expected`` (see :func:`same`), at most ``limit`` lines."""
    problems = [f"missing {k}" for k in expected.keys() - got.keys()]
    problems += [f"unexpected {k} = {got[k]!r}" for k in got.keys() - expected.keys()]
    problems += [f"{k}: expected {expected[k]!r}, got {got[k]!r}"
                 for k in expected.keys() & got.keys() if not same(expected[k], got[k])]
    return sorted(problems)[:limit]
