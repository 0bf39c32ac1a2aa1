"""Pace: where a period-to-date total is heading, for a target set for the whole period.

A KPI with ``target_period: month`` (or day, week, quarter, year) has a target for a whole
period of that length, such as a monthly revenue target. When a result row covers only
part of such a period (``--period mtd``, or a ``--to`` inside the month), its ``pace`` is
the linear projection ``value * period length / time covered``, and ``pace_status`` is
the status of that projection against the KPI's lines. A row covering the whole period
has ``pace`` equal to its value; a row whose period is not one ``target_period`` (another
grain, or a range across two months) has none.
"""

from __future__ import annotations

from datetime import date, datetime

import pyarrow as pa

from .arrowcols import floats, strings
from .model import Kpi
from .periods import as_datetime, period_start, shift


def covered_share(period: date, grain: str, start, end) -> float | None:
    """The share of the ``grain`` period starting on ``period`` that ``[start, end)`` covers."""
    first, after = as_datetime(period), as_datetime(shift(period, grain, 1))
    low = max(first, as_datetime(start)) if start is not None else first
    high = min(after, as_datetime(end)) if end is not None else after
    if high <= low:
        return None
    return (high - low) / (after - first)


def pace(kpi: Kpi, row: dict, grain: str | None, start, end) -> float | None:
    """The row's value projected to its whole ``target_period``; ``None`` when it does not apply,
    or when the period ends after 9999-12-31 (past the dates Python represents)."""
    try:
        return _pace(kpi, row, grain, start, end)
    except (OverflowError, ValueError):
        return None


def _pace(kpi: Kpi, row: dict, grain: str | None, start, end) -> float | None:
    unit = kpi.target_period
    if unit is None or row["value"] is None:
        return None
    if grain is not None:
        if grain != unit or row.get("period_start") is None:
            return None
        period = row["period_start"]
    else:
        if start is None or end is None:
            return None
        period = period_start(as_datetime(start).date(), unit)
        if as_datetime(end) > as_datetime(shift(period, unit, 1)):
            return None  # the range spans more than one period
    share = covered_share(period, unit, start, end)
    return None if share is None else row["value"] / share


def add_pace(table: pa.Table, kpis: list[Kpi], grain: str | None, start, end, status) -> pa.Table:
    """Append ``pace`` and ``pace_status`` (``status(kpi, projection, row)``: the status of
    the projection, for the row it projects).

    ``kpis`` are the rows' KPIs with the target rule that applies to each row already chosen.
    """
    rows = table.to_pylist()
    paces = [pace(k, r, grain, start, end) for k, r in zip(kpis, rows)]
    statuses = [status(k, p, r) if p is not None else None for k, p, r in zip(kpis, paces, rows)]
    table = table.append_column("pace", floats(paces))
    return table.append_column("pace_status", strings(statuses))
