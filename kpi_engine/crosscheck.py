"""Cross-check: the same KPI rows from two connections, and where they disagree.

Data teams reconcile a warehouse against its source with it: every (kpi, period,
slice) row present on only one side, or whose numerator, denominator or value differ
beyond the tolerance, is reported.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pyarrow as pa
from attrs import frozen

#: What the engines compute: ``sample`` when a KPI reports one (intervals, statuses and
#: notes are computed from these in Python, the same on both sides).
COMPARED = ("numerator", "denominator", "value", "sample")


def _keys(table: pa.Table) -> tuple[str, ...]:
    """The key columns: ``kpi``, ``period_start``, dimensions, ``item``, ``rank``, which come
    before ``numerator`` (so no computed column, such as ``note`` or ``low``, keys a row)."""
    columns = table.column_names
    return tuple(columns[: columns.index("numerator")])


@frozen
class Tolerance:
    """Two numbers agree when ``|a - b| <= max(relative * max(|a|, |b|), absolute)``."""

    relative: float = 1e-9
    absolute: float = 1e-12

    def close(self, a: float | None, b: float | None) -> bool:
        missing_a = a is None or (isinstance(a, float) and math.isnan(a))
        missing_b = b is None or (isinstance(b, float) and math.isnan(b))
        if missing_a or missing_b:
            return missing_a and missing_b
        return math.isclose(a, b, rel_tol=self.relative, abs_tol=self.absolute)


def _key_value(value):
    # Engines disagree on how a boolean or a whole number comes back (True vs 1 vs 1.0).
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(table: pa.Table, keys: tuple[str, ...]) -> dict[tuple, dict]:
    return {tuple(_key_value(row[k]) for k in keys): row for row in table.to_pylist()}


def differences(left: pa.Table, right: pa.Table, tolerance: Tolerance = Tolerance()) -> list[dict]:
    """Rows that differ between two result tables of the same selection.

    Each difference has the key columns (``kpi``, ``period_start``, dimensions), ``field``
    (``numerator``/``denominator``/``value``, or ``row`` when one side lacks it), ``left``,
    ``right`` and ``difference`` (right - left, where both are numbers).
    """
    keys = _keys(left)
    a, b = _rows(left, keys), _rows(right, keys)
    out: list[dict] = []
    for key in sorted(set(a) | set(b), key=lambda k: tuple((v is None, str(v)) for v in k)):
        base = dict(zip(keys, key))
        if key not in a or key not in b:
            out.append({**base, "field": "row", "left": "present" if key in a else "missing",
                        "right": "present" if key in b else "missing", "difference": None})
            continue
        for name in COMPARED:
            if name not in a[key] and name not in b[key]:
                continue
            x, y = a[key].get(name), b[key].get(name)
            if not tolerance.close(x, y):
                both = x is not None and y is not None
                out.append({**base, "field": name, "left": x, "right": y, "difference": (y - x) if both else None})
    return out


def row_count(tables: Iterable[pa.Table]) -> int:
    """Distinct (kpi, period, slice) rows over both sides."""
    seen: set[tuple] = set()
    for table in tables:
        keys = _keys(table)
        seen.update(_rows(table, keys))
    return len(seen)
