"""Compliance: value against target and thresholds -> status, as DESIGN.md fixes it.

- ``higher``: critical if value < critical; else warn if value < warn; else ok.
- ``lower``: critical if value > critical; else warn if value > warn; else ok.
- ``range``: lines are [low, high] bands (None an open side); outside a band trips it.
- No warn threshold but a target: the target is the warn line. No line at all: ``unrated``.
- A null value, or a ratio whose denominator is 0 or null: ``no_data``, never an error.
- A denominator under the KPI's ``min_denominator``: ``no_data`` too (too few to judge),
  and the row's ``note`` says so.
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
from .model import GRAINS, Band, Catalog, Kpi, Thresholds
from .freshness import MATURING, Timing, add_complete, bucket_end, immature
from .pacing import Verdict, add_pace, verdict
from .periods import as_datetime
from .trends import add_weather

STATUSES = ("ok", "warn", "critical", "no_data", "unrated")
SEVERITY = {"ok": 0, "unrated": 0, "no_data": 0, "warn": 1, "critical": 2}


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _trips(direction: str, value: float, line) -> bool:
    if line is None:
        return False
    if direction == "range":
        return not line.contains(value)
    return value < line if direction == "higher" else value > line


def status(kpi: Kpi, value: float | None, denominator: float | None = None) -> str:
    """The status of one value of ``kpi`` (``denominator`` matters for ratios only)."""
    if _missing(value):
        return "no_data"
    if kpi.kind == "ratio" and (_missing(denominator) or denominator == 0):
        return "no_data"
    if too_few(kpi, denominator):
        return "no_data"
    if not kpi.rated:
        return "unrated"
    critical = kpi.thresholds.critical
    # Without a warn threshold the target is the warn line: DESIGN's ROAS (target [4, 10],
    # critical [2, null]) is warn at 3 (short of target) and critical only below 2.
    warn = kpi.thresholds.warn if kpi.thresholds.warn is not None else kpi.target
    if _trips(kpi.direction, value, critical):
        return "critical"
    if _trips(kpi.direction, value, warn):
        return "warn"
    return "ok"


def too_few(kpi: Kpi, denominator: float | None) -> bool:
    """Whether the denominator is under the KPI's ``min_denominator`` (a missing one is not judged anyway)."""
    return kpi.min_denominator is not None and not _missing(denominator) and denominator < kpi.min_denominator


def note(kpi: Kpi, denominator: float | None) -> str | None:
    """Why a row is not judged although it has a value, or ``None``."""
    if too_few(kpi, denominator):
        shown = f"{denominator:g}" if isinstance(denominator, float) else str(denominator)
        return f"denominator {shown} is under min_denominator {kpi.min_denominator:g}: too few to judge"
    return None


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
    loop over them costs nothing next to the query. A KPI with ``target_period`` is
    judged against lines prorated to the time each row covers (:mod:`kpi_engine.pacing`),
    which needs the ``request`` (its grain, range and slices); without one such rows are
    not judged. ``timing`` (:mod:`kpi_engine.freshness`) stops a total's span where its data
    ends, marks cohorts still maturing, and adds ``complete`` to rows with a ``period_start``.
    """
    names = table.column("kpi").to_pylist()
    values = table.column("value").to_pylist()
    denominators = table.column("denominator").to_pylist()
    kpis = [catalog.kpis[n] for n in names]
    selected = [catalog.kpis[n] for n in dict.fromkeys(names)]
    totals = any(k.target_period for k in selected)
    rows = table.to_pylist() if totals or any(k.targets for k in selected) else None
    verdicts: list[Verdict | None] = [None] * len(kpis)
    grain, start, end, by = ((request.grain, request.start, request.end, request.by) if request is not None
                             else (None, None, None, ()))
    cutoffs = {k.name: timing.cutoff(catalog, k) for k in selected} if timing is not None else {}
    if totals:
        verdicts = [verdict(k, row, grain, start, _earlier(end, cutoffs.get(k.name)), by) if k.target_period else None
                    for k, row in zip(kpis, rows)]
    notes = [note(k, d) for k, d in zip(kpis, denominators)]
    if timing is not None and any(k.mature_after for k in selected):
        starts = table.column("period_start").to_pylist() if "period_start" in table.column_names else [None] * len(kpis)
        for i, (kpi, first) in enumerate(zip(kpis, starts)):
            ends = _span_end(first, grain, end)
            notes[i] = notes[i] or immature(kpi, ends, timing.at)
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
    targets = [scalar_target(k) if k is not None else None for k in judged]
    attainments = [attainment(k, v) if k is not None else None for k, v in zip(judged, values)]
    statuses = [status(k, v, d) if k is not None else _unjudged(o, v, d) for k, o, v, d in zip(judged, kpis, values, denominators)]
    statuses = ["no_data" if n is not None and n.startswith(MATURING) else s for s, n in zip(statuses, notes)]
    table = table.append_column("target", floats(targets))
    table = table.append_column("attainment", floats(attainments))
    table = table.append_column("status", strings(statuses))
    if request is not None and grain is not None and "period_start" in table.column_names:
        table = add_complete(table, catalog, grain, timing.newest if timing is not None else None,
                             timing.at if timing is not None else None)
    if totals or any(k.min_denominator is not None or k.mature_after is not None or k.min_grain is not None
                     for k in selected):
        # Only when a KPI can have one: a run without min_denominator or target_period keeps its columns.
        table = table.append_column("note", strings(notes))
    if "compare_value" in table.column_names:
        before = table.column("compare_value").to_pylist()
        verdicts_ = [comparison(k or o, v, c, flat_within) for k, o, v, c in zip(judged, kpis, values, before)]
        table = table.append_column("verdict", strings(verdicts_))
    if totals:
        table = add_pace(table, verdicts, status)
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


def _unjudged(kpi: Kpi, value, denominator) -> str:
    """The status of a row no line applies to: ``no_data`` still wins (nothing to judge), else ``unrated``."""
    return status(evolve(kpi, target=None, thresholds=Thresholds(), targets=()), value, denominator)


def worst(statuses) -> str | None:
    """The most severe status among ``statuses`` (critical > warn > the rest)."""
    best = None
    for s in statuses:
        if best is None or SEVERITY.get(s, 0) > SEVERITY.get(best, 0):
            best = s
    return best
