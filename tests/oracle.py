"""An independent reference for KPI values: plain Python over the same rows.

Written from DESIGN.md's semantics and the metric types' documented contracts, not from
the engine or its SQL:

- a side is (source rows, row filter, aggregate); keys are (period bucket, dimensions)
  over *all* rows of the side's source in the period; a filter that keeps no row of a
  key gives the aggregate over no rows (count 0, sum/avg/min/max null); a ratio aligns
  its sides on the union of keys and is null where the denominator is 0 or null;
- a formula ``a / b`` aligns the two KPIs' values on the union of their keys (a key
  missing on one side makes that part null); numerator ``a``, denominator ``b``;
- ``top``/``breakdown`` list entries keyed by (key..., item as text, rank): ranked by
  the measure (largest first), ties by the item's own value, NULL items left out, cut
  at ``limit``; a breakdown's denominator is the measure over every row of the key;
- the cohort types of kpi-commerce (retention, churn, repeat_purchase,
  lifetime_value) follow their module docstring.

A KPI with no row at all is reported by the engine as one ``no_data`` row whose keys
and numbers are null; :func:`assert_matches` expects exactly that when the reference
has no key.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

TOLERANCE = 1e-9

Row = dict
Filter = Callable[[Row], bool]
Aggregate = Callable[[list[Row]], float | None]
Side = tuple[str, Filter, Aggregate]
Numbers = tuple[float | None, float | None, float | None]


# -- aggregates over a list of rows (SQL semantics: NULLs ignored, null over no value) -------

def count(rows):
    return len(rows)


def count_of(column):
    """``count(column)``: the rows where it is not null."""
    return lambda rows: len(_present(rows, column))


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


def median(column):
    """The exact median: the middle value, or the mean of the two middle ones."""

    def aggregate(rows):
        values = sorted(_present(rows, column))
        if not values:
            return None
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    return aggregate


def difference(first: Aggregate, second: Aggregate) -> Aggregate:
    """``agg1 - agg2`` (e.g. ``sum(revenue) - sum(cost)``): null when either is null."""

    def aggregate(rows):
        a, b = first(rows), second(rows)
        return None if a is None or b is None else a - b

    return aggregate


def quotient(first: Aggregate, second: Aggregate) -> Aggregate:
    """``agg1 / agg2`` inside one measure, as real division: null when either is null or agg2 is 0."""

    def aggregate(rows):
        a, b = first(rows), second(rows)
        return None if a is None or not b else a / b

    return aggregate


# -- row filters: SQL's WHERE keeps a row only when the condition is TRUE (not NULL) ---------

def every(row):
    return True


def is_true(column) -> Filter:
    return lambda r: r[column] is True


def is_false(column) -> Filter:
    """``not column``: false only; a NULL stays out, as in SQL."""
    return lambda r: r[column] is False


def equals(column, value) -> Filter:
    return lambda r: r[column] is not None and r[column] == value


def differs(column, value) -> Filter:
    return lambda r: r[column] is not None and r[column] != value


def one_of(column, *values) -> Filter:
    return lambda r: r[column] is not None and r[column] in values


def at_least(column, value) -> Filter:
    return lambda r: r[column] is not None and r[column] >= value


def at_most(column, value) -> Filter:
    return lambda r: r[column] is not None and r[column] <= value


def not_null(column) -> Filter:
    return lambda r: r[column] is not None


def later(column, other) -> Filter:
    """``column > other``."""
    return lambda r: r[column] is not None and r[other] is not None and r[column] > r[other]


def both(*filters: Filter) -> Filter:
    return lambda r: all(f(r) for f in filters)


# -- periods ----------------------------------------------------------------------------------

def bucket(moment: datetime | date | None, grain: str) -> date | None:
    if moment is None:
        return None
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


def following(start: date, grain: str) -> date:
    """The first day of the bucket after the one starting on ``start``."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    index = start.year * 12 + start.month - 1 + {"month": 1, "quarter": 3, "year": 12}[grain]
    return date(index // 12, index % 12 + 1, 1)


def _key(row: Row, time: str, grain: str | None, by: tuple[str, ...]) -> tuple:
    return ((bucket(row[time], grain),) if grain else ()) + tuple(row[d] for d in by)


def _divide(numerator, denominator):
    return None if numerator is None or not denominator else numerator / denominator


def _text(value) -> str:
    """An item as the engine lists it: text; whole numbers without a fraction ('9', not '9.0')."""
    if isinstance(value, bool):
        raise TypeError("boolean items have no agreed text form")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def evaluate(
    rows: Mapping[str, list[Row]],
    sides: list[Side],
    time: Mapping[str, str],
    grain: str | None,
    by: tuple[str, ...],
) -> dict[tuple, Numbers]:
    """(period?, *dims) -> (numerator, denominator, value) for a value (1 side) or ratio (2 sides)."""
    grouped = []
    for source, keep, aggregate in sides:
        groups = defaultdict(list)
        for row in rows[source]:
            groups[_key(row, time[source], grain, by)].append(row)
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
            out[key] = (numerator, values[1], _divide(numerator, values[1]))
    return out


# -- one reference per KPI kind ----------------------------------------------------------------

@dataclass(frozen=True)
class Data:
    """The rows of every source (by source name), its time column, and the whole reference."""

    rows: Mapping[str, list[Row]]
    time: Mapping[str, str]
    oracle: Mapping[str, object]

    def compute(self, name: str, grain: str | None, by: tuple[str, ...]) -> dict[tuple, Numbers]:
        return self.oracle[name].compute(self, grain, by)


@dataclass(frozen=True)
class Ratio:
    """A ``value`` (no denominator) or a ``numerator``/``denominator`` KPI."""

    numerator: Side
    denominator: Side | None = None
    lists = False

    def compute(self, data: Data, grain, by):
        return evaluate(data.rows, [s for s in (self.numerator, self.denominator) if s], data.time, grain, by)


@dataclass(frozen=True)
class Formula:
    """``a / b`` over two KPIs' values, aligned on the union of their keys."""

    a: str
    b: str
    lists = False

    def compute(self, data: Data, grain, by):
        left, right = data.compute(self.a, grain, by), data.compute(self.b, grain, by)
        out = {}
        for key in set(left) | set(right):
            a = left[key][2] if key in left else None
            b = right[key][2] if key in right else None
            out[key] = (a, b, _divide(a, b))
        return out


@dataclass(frozen=True)
class Ranked:
    """``top`` (``share=False``: the measure per item, no denominator) or ``breakdown``
    (``share=True``: the measure per item over the measure of every row of the key).

    ``item(row)`` gives the item's own value (its order breaks ties); it is listed as text.
    """

    source: str
    item: Callable[[Row], object]
    measure: Aggregate
    where: Filter = every
    limit: int | None = None
    share: bool = False
    lists = True

    def compute(self, data: Data, grain, by):
        groups = defaultdict(list)
        for row in data.rows[self.source]:
            if self.where(row):
                groups[_key(row, data.time[self.source], grain, by)].append(row)
        out = {}
        for key, rows in groups.items():
            entries = defaultdict(list)
            for row in rows:
                if (item := self.item(row)) is not None:
                    entries[item].append(row)
            whole = self.measure(rows) if self.share else None
            measured = [(self.measure(r), item) for item, r in entries.items()]
            # largest first, NULL measures last, ties by the item itself
            measured.sort(key=lambda m: (m[0] is None, -(m[0] or 0), m[1]))
            for rank, (value, item) in enumerate(measured[: self.limit], start=1):
                numbers = (value, whole, _divide(value, whole)) if self.share else (value, None, value)
                out[(*key, _text(item), rank)] = numbers
        return out


def top(source, item, measure, where=every, limit=10) -> Ranked:
    return Ranked(source, item, measure, where, limit)


def breakdown(source, item, measure, where=every, limit=None) -> Ranked:
    return Ranked(source, item, measure, where, limit, share=True)


@dataclass(frozen=True)
class Cohort:
    """kpi-commerce's cohort types over ``source`` rows of ``entity`` (customers).

    "Active in a period" is at least one row of the entity in it, after ``where`` (and
    with a non-null entity); with ``by``, per slice.

    - ``retention``: per period and slice, of the entities active in the previous period,
      those active in this one (numerator) over all of them (denominator);
    - ``churn``: those not active in this one over all of them;
    - ``repeat_purchase``: of the entities active in the period (and slice), those with
      more than one row so far (two in the period, or one before it; history is per
      slice, like activity), over all of them; no grain gives one row for the history;
    - ``lifetime_value``: ``value`` per active entity of the period (numerator) over the
      period's churn rate (denominator), for periods with both.

    retention, churn and lifetime_value need a grain (no row without one); the period
    after the last one with any activity is not reported (its data is not in yet).
    """

    kind: str
    source: str
    entity: str
    where: Filter = every
    value: Aggregate | None = None
    lists = False

    def _active(self, data: Data) -> list[Row]:
        return [r for r in data.rows[self.source] if r[self.entity] is not None and self.where(r)]

    def compute(self, data: Data, grain, by):
        if self.kind == "repeat_purchase":
            return self._repeat(data, grain, by)
        if grain is None:
            return {}
        cohorts = self._cohorts(data, grain, by)
        if self.kind == "retention":
            return {k: (kept, before, kept / before) for k, (kept, before) in cohorts.items()}
        if self.kind == "churn":
            return {k: (before - kept, before, (before - kept) / before) for k, (kept, before) in cohorts.items()}
        assert self.kind == "lifetime_value", self.kind
        time = data.time[self.source]
        groups = defaultdict(list)
        for row in self._active(data):
            groups[_key(row, time, grain, by)].append(row)
        out = {}
        for key, rows in groups.items():
            if key not in cohorts:
                continue
            value = self.value(rows)
            per_entity = None if value is None else value / len({r[self.entity] for r in rows})
            kept, before = cohorts[key]
            churn = (before - kept) / before
            out[key] = (per_entity, churn, _divide(per_entity, churn))
        return out

    def _cohorts(self, data: Data, grain, by) -> dict[tuple, tuple[int, int]]:
        """(period, *slice) -> (kept, before) for every period following one with activity."""
        active = defaultdict(set)
        for row in self._active(data):
            active[_key(row, data.time[self.source], grain, by)].add(row[self.entity])
        if not active:
            return {}
        last = max(key[0] for key in active)
        out = {}
        for (period, *slice_), before in active.items():
            nxt = following(period, grain)
            if nxt > last:
                continue
            now = active.get((nxt, *slice_), set())
            out[(nxt, *slice_)] = (len(before & now), len(before))
        return out

    def _repeat(self, data: Data, grain, by):
        """Per period and slice: the active entities with more than one row so far, that is
        at least two rows of the entity in the slice up to its last row in the period."""
        time = data.time[self.source]
        history = defaultdict(list)  # (slice, entity) -> times of its rows
        last = defaultdict(dict)  # key -> entity -> its last row's time in the key
        for row in self._active(data):
            entity = row[self.entity]
            history[tuple(row[d] for d in by), entity].append(row[time])
            latest = last[_key(row, time, grain, by)]
            latest[entity] = max(latest.get(entity, row[time]), row[time])
        out = {}
        for key, entities in last.items():
            slice_ = key[1:] if grain else key
            repeat = sum(sum(t <= at for t in history[slice_, e]) > 1 for e, at in entities.items())
            out[key] = (repeat, len(entities))
        if not grain and not by:
            out.setdefault((), (0, 0))  # one row over no activity, as an aggregate without GROUP BY
        return {k: (repeat, active, _divide(repeat, active)) for k, (repeat, active) in out.items()}


def retention(source, entity, where=every) -> Cohort:
    return Cohort("retention", source, entity, where)


def churn(source, entity, where=every) -> Cohort:
    return Cohort("churn", source, entity, where)


def repeat_purchase(source, entity, where=every) -> Cohort:
    return Cohort("repeat_purchase", source, entity, where)


def lifetime_value(source, entity, value: Aggregate, where=every) -> Cohort:
    return Cohort("lifetime_value", source, entity, where, value)


# -- comparing ---------------------------------------------------------------------------------

def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-12)


def assert_matches(table, expected: dict[str, dict[tuple, Numbers]], keys: list[str], lists=()) -> None:
    """Every KPI's rows in ``table`` equal ``expected`` (per KPI: key -> numbers), keys and values.

    The KPIs named in ``lists`` are keyed by ``keys`` plus ``item`` and ``rank``. A KPI
    the reference gives no key must come back as the engine's single ``no_data`` row,
    with null keys and numbers.
    """
    got: dict[str, dict] = defaultdict(dict)
    seen = Counter()
    status = {}
    for row in table.to_pylist():
        names = [*keys, "item", "rank"] if row["kpi"] in lists else keys
        key = tuple(row[k] for k in names)
        seen[row["kpi"], key] += 1
        got[row["kpi"]][key] = (row["numerator"], row["denominator"], row["value"])
        status[row["kpi"], key] = row.get("status")
    duplicates = [k for k, n in seen.items() if n > 1]
    assert not duplicates, ("several rows for one key", duplicates[:5])
    for name, want in expected.items():
        if not want:
            width = len(keys) + (2 if name in lists else 0)
            nothing = (None,) * width
            want = {nothing: (None, None, None)}
            assert set(got[name]) == set(want), (name, "expected one no_data row", sorted(map(str, got[name]))[:5])
            assert status.get((name, nothing), "no_data") == "no_data", (name, status[name, nothing])
            continue
        assert set(got[name]) == set(want), (name, sorted(map(str, set(got[name]) ^ set(want)))[:5])
        for key, numbers in want.items():
            have = got[name][key]
            assert all(close(h, w) for h, w in zip(have, numbers)), (name, key, have, numbers)
