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
"""

from __future__ import annotations

import math

import pyarrow as pa

from .arrowcols import floats, strings
from .comparisons import FLAT_WITHIN, verdict
from .intervals import rate_interval
from .model import Band, Catalog, Kpi
from .pacing import add_pace
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
    request=None,
) -> pa.Table:
    """Append ``target``, ``attainment`` and ``status`` columns to a result table.

    The table has one row per (kpi, period, slice): aggregated rows only, so a plain
    loop over them costs nothing next to the query. ``low`` and ``high`` (after ``value``
    and ``sample``) come only when a KPI has ``confidence``, ``note`` only when one has a
    minimum sample: a run without them keeps its columns.
    """
    names = table.column("kpi").to_pylist()
    values = table.column("value").to_pylist()
    numerators = table.column("numerator").to_pylist()
    denominators = table.column("denominator").to_pylist()
    samples = table.column("sample").to_pylist() if "sample" in table.column_names else [None] * len(names)
    kpis = [catalog.kpis[n] for n in names]
    if any(k.targets for k in kpis):  # rules per slice or period: each row its own lines
        kpis = [k.for_row(row) for k, row in zip(kpis, table.to_pylist())]
    asked = [catalog.kpis[n] for n in set(names)]
    intervals = [
        rate_interval(n, d, k.confidence) if k.confidence is not None else (None, None)
        for k, n, d in zip(kpis, numerators, denominators)
    ]
    targets = [scalar_target(k) for k in kpis]
    attainments = [attainment(k, v) for k, v in zip(kpis, values)]
    statuses = [
        status(k, v, d, s, i if i[0] is not None else None)
        for k, v, d, s, i in zip(kpis, values, denominators, samples, intervals)
    ]
    if any(k.confidence is not None for k in asked):
        at = table.column_names.index("sample" if "sample" in table.column_names else "value") + 1
        table = table.add_column(at, "low", floats([i[0] for i in intervals]))
        table = table.add_column(at + 1, "high", floats([i[1] for i in intervals]))
    table = table.append_column("target", floats(targets))
    table = table.append_column("attainment", floats(attainments))
    table = table.append_column("status", strings(statuses))
    if any(k.minimum is not None for k in asked):
        # Only when a KPI asked for one: a run without min_sample keeps its columns.
        notes = [note(k, d, s) for k, d, s in zip(kpis, denominators, samples)]
        table = table.append_column("note", strings(notes))
    if "compare_value" in table.column_names:
        before = table.column("compare_value").to_pylist()
        verdicts = [verdict(k, v, c, flat_within) for k, v, c in zip(kpis, values, before)]
        table = table.append_column("verdict", strings(verdicts))
    if request is not None and any(k.target_period for k in asked):
        # A projection rests on the row's sample: under the minimum, its pace is not judged either.
        table = add_pace(table, kpis, request.grain, request.start, request.end,
                         lambda k, v, row: status(k, v, row["denominator"], row.get("sample")))
    if weather:
        table = add_weather(table, kpis, trend, flat_within)
    return table


def worst(statuses) -> str | None:
    """The most severe status among ``statuses`` (critical > warn > the rest)."""
    best = None
    for s in statuses:
        if best is None or SEVERITY.get(s, 0) > SEVERITY.get(best, 0):
            best = s
    return best
