"""Cross-check: the same KPI rows from two connections, and where they disagree.

Data teams reconcile a warehouse against its source with it: every (kpi, period,
slice) row present on only one side, or whose numerator, denominator or value differ
beyond the tolerance, is reported.

Rows are matched on what identifies them (``kpi``, ``period_start``, the slice's
dimensions and a list's ``item``), never on a computed column: two engines that agree
to the last digit but one must not turn a row into "missing" on one side because its
``pace`` or ``compare_value`` differs in the last bit. Only the three computed
quantities are compared; everything derived from them (status, pace, comparisons,
trends) follows from those.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pyarrow as pa
from attrs import frozen

#: What the engines compute: ``sample`` when a KPI reports one (intervals, statuses and
#: notes are computed from these in Python, the same on both sides).
COMPARED = ("numerator", "denominator", "value", "sample")
#: The columns that identify a row besides its slice's dimensions, in the order they are reported.
IDENTITY = ("kpi", "period_start")


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


def keys(table: pa.Table, by: Iterable[str] | None = None) -> tuple[str, ...]:
    """The columns identifying a row of ``table``: ``kpi``, ``period_start`` (with a grain), the
    ``by`` dimensions and ``item`` (when a list KPI is selected). Without ``by``, the columns a
    result table puts before ``numerator`` (its keys; everything computed comes after), but
    ``rank``, which two engines may give ties in another order."""
    if by is None:
        columns = table.column_names
        before = columns[: columns.index("numerator")] if "numerator" in columns else columns
        return tuple(c for c in before if c != "rank")
    wanted = (*IDENTITY, *by, "item")
    return tuple(c for c in dict.fromkeys(wanted) if c in table.column_names)


def _rows(table: pa.Table, keys: tuple[str, ...]) -> dict[tuple, dict]:
    return {tuple(_key_value(row[k]) for k in keys): row for row in table.to_pylist()}


def differences(left: pa.Table, right: pa.Table, tolerance: Tolerance = Tolerance(),
                by: Iterable[str] | None = None) -> list[dict]:
    """Rows that differ between two result tables of the same selection, sliced ``by`` those dimensions.

    Each difference has the key columns (:func:`keys`), ``field`` (``numerator``/``denominator``/
    ``value``, or ``row`` when one side lacks it), ``left``, ``right`` and ``difference``
    (right - left, where both are numbers).
    """
    keys_ = keys(left, by)
    a, b = _rows(left, keys_), _rows(right, keys_)
    out: list[dict] = []
    for key in sorted(set(a) | set(b), key=lambda k: tuple((v is None, str(v)) for v in k)):
        base = dict(zip(keys_, key))
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


def row_count(tables: Iterable[pa.Table], by: Iterable[str] | None = None) -> int:
    """Distinct (kpi, period, slice) rows over both sides."""
    seen: set[tuple] = set()
    by = tuple(by) if by is not None else None
    for table in tables:
        seen.update(_rows(table, keys(table, by)))
    return len(seen)
