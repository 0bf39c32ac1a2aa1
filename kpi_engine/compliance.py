"""Compliance: value against target and thresholds -> status, as DESIGN.md fixes it.

- ``higher``: critical if value < critical; else warn if value < warn; else ok.
- ``lower``: critical if value > critical; else warn if value > warn; else ok.
- ``range``: lines are [low, high] bands (None an open side); outside a band trips it.
- No warn threshold but a target: the target is the warn line. No line at all: ``unrated``.
- A null value, or a ratio whose denominator is 0 or null: ``no_data``, never an error.
- A sample under the KPI's ``min_sample`` (a ratio's denominator, or the count its
  ``sample`` declares; ``min_denominator`` is the older spelling, always the denominator):
  ``no_data`` too (too few to judge), and the row's ``note`` says so.
- A rate with ``confidence`` is judged on its Wilson interval ``[low, high]``
  (:mod:`kpi_engine.intervals`), not its value: a line trips only when the whole interval
  is past it. ``higher``: critical if high < critical, warn if high < warn; ``lower``:
  critical if low > critical, warn if low > warn; ``range``: a band trips when the
  interval lies wholly outside it (no point of it inside the band).
- A total with ``target_period``: its lines are prorated to the time the row covers, or
  the row is ``unrated`` with a ``note`` (:mod:`kpi_engine.pacing`).
"""

from __future__ import annotations

import math

import pyarrow as pa
from attrs import evolve

from .arrowcols import floats, strings
from .comparisons import FLAT_WITHIN
from .comparisons import verdict as comparison
from .freshness import Timing, add_complete, bucket_end, immature, moment
from .intervals import rate_interval
from .model import GRAINS, Band, Catalog, Kpi, Thresholds
from .pacing import Verdict, add_pace, verdict
from .periods import as_datetime
from .trends import add_weather

STATUSES = ("ok", "warn", "critical", "no_data", "unrated")
SEVERITY = {"ok": 0, "unrated": 0, "no_data": 0, "warn": 1, "critical": 2}

Interval = tuple[float, float]


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _trips(direction: str, low: float, high: float, line) -> bool:
    """Whether every value in ``[low, high]`` is past ``line`` (a plain value: low == high)."""
    if line is None:
        return False
    if direction == "range":
        return (line.low is not None and high < line.low) or (line.high is not None and low > line.high)
    return high < line if direction == "higher" else low > line


def status(
    kpi: Kpi, value: float | None, denominator: float | None = None, sample: float | None = None,
    interval: Interval | None = None,
) -> str:
    """The status of one value of ``kpi``: ``denominator`` matters for ratios, ``sample``
    for a KPI whose sample is a count of its own, ``interval`` (``(low, high)``) for a rate
    with ``confidence``, judged on it instead of the value."""
    if _missing(value):
        return "no_data"
    if kpi.kind == "ratio" and (_missing(denominator) or denominator == 0):
        return "no_data"
    if too_few(kpi, denominator, sample):
        return "no_data"
    if not kpi.rated:
        return "unrated"
    critical = kpi.thresholds.critical
    # Without a warn threshold the target is the warn line: DESIGN's ROAS (target [4, 10],
    # critical [2, null]) is warn at 3 (short of target) and critical only below 2.
    warn = kpi.thresholds.warn if kpi.thresholds.warn is not None else kpi.target
    low, high = interval if interval is not None else (value, value)
    if _trips(kpi.direction, low, high, critical):
        return "critical"
    if _trips(kpi.direction, low, high, warn):
        return "warn"
    return "ok"


def _counted(kpi: Kpi, denominator: float | None, sample: float | None) -> tuple[str, float | None] | None:
    """``(what, count)`` the KPI's minimum is checked against (``None`` without a minimum)."""
    minimum = kpi.minimum
    if minimum is None:
        return None
    if minimum[0] == "min_denominator" or kpi.sample_kind == "denominator":
        return "denominator", denominator
    return "sample", sample


def too_few(kpi: Kpi, denominator: float | None, sample: float | None = None) -> bool:
    """Whether the row's sample is under the KPI's minimum. A missing denominator is not
    judged here (the ratio is no_data anyway); a missing sample count is too few."""
    counted = _counted(kpi, denominator, sample)
    if counted is None:
        return False
    what, count = counted
    if _missing(count):
        return what == "sample"
    return count < kpi.minimum[1]


def note(kpi: Kpi, denominator: float | None, sample: float | None = None) -> str | None:
    """Why a row is not judged although it has a value, or ``None``."""
    if not too_few(kpi, denominator, sample):
        return None
    what, count = _counted(kpi, denominator, sample)
    key, minimum = kpi.minimum
    if _missing(count):
        return f"no sample count: too few to judge ({key} {minimum:g})"
    shown = f"{count:g}" if isinstance(count, float) else str(count)
    return f"{what} {shown} is under {key} {minimum:g}: too few to judge"


def scalar_target(kpi: Kpi) -> float | None:
    """The target as a number, ``None`` for a range or no target."""
    return None if isinstance(kpi.target, Band) else kpi.target


def attainment(kpi: Kpi, value: float | None) -> float | None:
    """value / target, for a numeric non-zero target."""
    target = scalar_target(kpi)
    if _missing(value) or target in (None, 0):
        return None
    return value / target


def judge(
    table: pa.Table, catalog: Catalog, flat_within: float = FLAT_WITHIN, *, weather: bool = False, trend: int | None = None,
    request=None, timing: Timing | None = None,
) -> pa.Table:
    """Append ``target``, ``attainment`` and ``status`` columns to a result table.

    The table has one row per (kpi, period, slice): aggregated rows only, so a plain
    loop over them costs nothing next to the query. ``low`` and ``high`` (after ``value``
    and ``sample``) come only when a KPI has ``confidence``. A KPI with ``target_period`` is
    judged against lines prorated to the time each row covers (:mod:`kpi_engine.pacing`),
    which needs the ``request`` (its grain, range and slices); without one such rows are
    not judged. ``timing`` (:mod:`kpi_engine.freshness`) stops a total's span where its data
    ends, marks cohorts still maturing, and adds ``complete`` to rows with a ``period_start``.
    """
    names = table.column("kpi").to_pylist()
    values = table.column("value").to_pylist()
    numerators = table.column("numerator").to_pylist()
    denominators = table.column("denominator").to_pylist()
    samples = table.column("sample").to_pylist() if "sample" in table.column_names else [None] * len(names)
    kpis = [catalog.kpis[n] for n in names]
    selected = [catalog.kpis[n] for n in dict.fromkeys(names)]
    totals = any(k.target_period for k in selected)
    rows = table.to_pylist() if totals or any(k.targets for k in selected) else None
    verdicts: list[Verdict | None] = [None] * len(kpis)
    grain, start, end, by = ((request.grain, request.start, request.end, request.by) if request is not None
                             else (None, None, None, ()))
    bucketed = request is not None and grain is not None and "period_start" in table.column_names
    # Up to when each KPI's data reaches (the as-of moment, or earlier where a source's data ends):
    # cuts a total's span, and says which buckets are complete.
    cutoffs: dict[str, object] = {}
    if timing is not None:
        cutoffs = {k.name: timing.cutoff(catalog, k) for k in selected}
    elif bucketed:
        cutoffs = dict.fromkeys((k.name for k in selected), moment(None))
    if totals:
        verdicts = [verdict(k, row, grain, start, _earlier(end, cutoffs.get(k.name)), by) if k.target_period else None
                    for k, row in zip(kpis, rows)]
    notes = [note(k, d, s) for k, d, s in zip(kpis, denominators, samples)]
    maturing: list[str | None] = [None] * len(kpis)
    if timing is not None and any(k.mature_after for k in selected):
        starts = table.column("period_start").to_pylist() if "period_start" in table.column_names else [None] * len(kpis)
        maturing = [immature(k, _span_end(first, grain, end), timing.at) for k, first in zip(kpis, starts)]
        notes = [n or m for n, m in zip(notes, maturing)]
    judged: list[Kpi | None] = []
    for i, (kpi, found) in enumerate(zip(kpis, verdicts)):
        short = too_short(kpi, grain, start, end)
        if short is not None:
            judged.append(None)
            notes[i] = notes[i] or short
        elif found is not None:
            judged.append(found.kpi)
            notes[i] = notes[i] or found.note
        else:
            judged.append(kpi.for_row(rows[i]) if kpi.targets else kpi)
    intervals = [
        rate_interval(n, d, k.confidence) if k.confidence is not None else (None, None)
        for k, n, d in zip(kpis, numerators, denominators)
    ]
    targets = [scalar_target(k) if k is not None else None for k in judged]
    attainments = [attainment(k, v) if k is not None else None for k, v in zip(judged, values)]
    statuses = [
        status(k, v, d, s, i if i[0] is not None else None) if k is not None else _unjudged(o, v, d, s)
        for k, o, v, d, s, i in zip(judged, kpis, values, denominators, samples, intervals)
    ]
    statuses = ["no_data" if m is not None else s for s, m in zip(statuses, maturing)]
    if any(k.confidence is not None for k in selected):
        at = table.column_names.index("sample" if "sample" in table.column_names else "value") + 1
        table = table.add_column(at, "low", floats([i[0] for i in intervals]))
        table = table.add_column(at + 1, "high", floats([i[1] for i in intervals]))
    table = table.append_column("target", floats(targets))
    table = table.append_column("attainment", floats(attainments))
    table = table.append_column("status", strings(statuses))
    if bucketed:
        table = add_complete(table, grain, cutoffs)
    if totals or any(k.minimum is not None or k.mature_after is not None or k.min_grain is not None for k in selected):
        # Only when a KPI can have one: a run without such keys keeps its columns.
        table = table.append_column("note", strings(notes))
    if "compare_value" in table.column_names:
        before = table.column("compare_value").to_pylist()
        compared = [comparison(k or o, v, c, flat_within) for k, o, v, c in zip(judged, kpis, values, before)]
        table = table.append_column("verdict", strings(compared))
    if totals:
        # A projection rests on the row's sample: under the minimum, its pace is not judged either.
        table = add_pace(table, verdicts, [row.get("sample") for row in rows],
                         lambda k, v, d, s: status(k, v, d, s))
    if weather:
        table = add_weather(table, [k or o for k, o in zip(judged, kpis)], trend, flat_within, tuple(by))
    return table


#: The fewest days of each grain: a range shorter than this is shorter than one such period.
_SHORTEST = {"day": 1, "week": 7, "month": 28, "quarter": 89, "year": 365}


def too_short(kpi: Kpi, grain: str | None, start=None, end=None) -> str | None:
    """Why a row says too little to judge: its grain is finer than the KPI's ``min_grain``, or
    without a grain its range is shorter than one such period; ``None`` otherwise."""
    if kpi.min_grain is None:
        return None
    if grain is not None:
        if GRAINS.index(grain) >= GRAINS.index(kpi.min_grain):
            return None
        shown = f"a {grain}"
    else:
        if start is None or end is None or (as_datetime(end) - as_datetime(start)).days >= _SHORTEST[kpi.min_grain]:
            return None
        shown = "this range"
    return f"{shown} is too short for this KPI to mean much: read it by {kpi.min_grain} or longer (min_grain)"


def _earlier(end, limit):
    """The request's end, or the point a KPI's data stops when that comes first."""
    if limit is None:
        return end
    return limit if end is None or limit < as_datetime(end) else end


def _span_end(first, grain: str | None, end):
    """Where a row's span ends: its bucket's end (cut at the request's), else the request's end."""
    if first is not None and grain is not None:
        bucket = bucket_end(first, grain)
        return bucket if end is None else min(bucket, as_datetime(end))
    return as_datetime(end) if end is not None else None


def _unjudged(kpi: Kpi, value, denominator, sample) -> str:
    """The status of a row no line applies to: ``no_data`` still wins (nothing to judge), else ``unrated``."""
    return status(evolve(kpi, target=None, thresholds=Thresholds(), targets=()), value, denominator, sample)


def worst(statuses) -> str | None:
    """The most severe status among ``statuses`` (critical > warn > the rest)."""
    best = None
    for s in statuses:
        if best is None or SEVERITY.get(s, 0) > SEVERITY.get(best, 0):
            best = s
    return best
