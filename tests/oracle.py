"""An independent reference for KPI values: plain Python over the same rows.

Written from DESIGN.md's semantics, not from the engine: a side is (source rows, row
filter, aggregate); keys are (period bucket, dimensions) over *all* rows of the side's
source in the period; a filter that keeps no row of a key gives the aggregate over no
rows (count 0, sum/avg/min/max null); a ratio aligns its sides on the union of keys and
is null where the denominator is 0 or null.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta

TOLERANCE = 1e-9

Side = tuple[str, Callable[[dict], bool], Callable[[list[dict]], float | None]]


def count(rows):
    return len(rows)


def count_distinct(column):
    return lambda rows: len({r[column] for r in rows if r[column] is not None})


def _present(rows, column):
    return [r[column] for r in rows if r[column] is not None]


def total(column):
    return lambda rows: math.fsum(v) if (v := _present(rows, column)) else None


def mean(column):
    return lambda rows: math.fsum(v) / len(v) if (v := _present(rows, column)) else None


def minimum(column):
    return lambda rows: min(v) if (v := _present(rows, column)) else None


def maximum(column):
    return lambda rows: max(v) if (v := _present(rows, column)) else None


def every(row):
    return True


def bucket(moment: datetime | date, grain: str) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def evaluate(
    rows: dict[str, list[dict]],
    sides: list[Side],
    time: dict[str, str],
    grain: str | None,
    by: tuple[str, ...],
) -> dict[tuple, tuple]:
    """(period?, *dims) -> (numerator, denominator, value) for a value (1 side) or ratio (2 sides)."""
    grouped = []
    for source, keep, aggregate in sides:
        groups = defaultdict(list)
        for row in rows[source]:
            key = ((bucket(row[time[source]], grain),) if grain else ()) + tuple(row[d] for d in by)
            groups[key].append(row)
        grouped.append((groups, keep, aggregate))
    keys = set().union(*(g for g, _, _ in grouped))
    if not grain and not by:
        keys.add(())  # an aggregate without GROUP BY returns one row, even over no rows
    out = {}
    for key in keys:
        values = [aggregate([r for r in groups.get(key, []) if keep(r)]) for groups, keep, aggregate in grouped]
        numerator = values[0]
        if len(values) == 1:
            out[key] = (numerator, None, numerator)
        else:
            denominator = values[1]
            value = None if numerator is None or not denominator else numerator / denominator
            out[key] = (numerator, denominator, value)
    return out


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-12)


def assert_matches(table, expected: dict[str, dict[tuple, tuple]], keys: list[str]) -> None:
    """Every KPI's rows in ``table`` equal ``expected`` (per KPI: key -> numbers), keys and values."""
    got: dict[str, dict] = defaultdict(dict)
    for row in table.to_pylist():
        got[row["kpi"]][tuple(row[k] for k in keys)] = (row["numerator"], row["denominator"], row["value"])
    for name, want in expected.items():
        assert set(got[name]) == set(want), (name, sorted(map(str, set(got[name]) ^ set(want)))[:5])
        for key, numbers in want.items():
            have = got[name][key]
            assert all(close(h, w) for h, w in zip(have, numbers)), (name, key, have, numbers)
