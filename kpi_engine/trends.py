"""Trend over the last N buckets and the weather summary of a result row.

- ``trend`` (``--trend N``, with a grain): the sign of the least-squares slope of the
  KPI's value over the last N buckets up to the row's, in the same slice (and list item):
  ``up``, ``down``, or ``flat`` when the fitted change over those buckets is within
  ``flat_within`` of their mean value. Buckets without a value are skipped; fewer than
  two values give no trend.
- ``weather``: the status and the change together, as the literature's daily summary shows
  them (a falling conversion rate as a storm, a rising satisfaction score as a sun):

  ==========  ==============================================================================
  weather     when
  ==========  ==============================================================================
  ``stormy``  status ``critical``, or worsening by more than the KPI's ``alert_change`` (the
              comparison's |change_ratio|), whatever the status
  ``cloudy``  status ``warn``, or worsening (the comparison's verdict, or the trend going the
              wrong way for the KPI's direction)
  ``sunny``   status ``ok`` and not worsening; or no target (``unrated``) and improving or flat
  none        ``no_data``; ``unrated`` with neither a comparison nor a trend to go by
  ==========  ==============================================================================

Both are computed from the aggregated result rows (one per KPI, period and slice).
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa

from .arrowcols import strings
from .model import Kpi


def slope(values: list[float]) -> float:
    """Least-squares slope of ``values`` over 0, 1, 2, ... (at least two values)."""
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / spread


def direction_of(values: list[float], flat_within: float) -> str | None:
    """``up``, ``down`` or ``flat`` for a series (oldest first); ``None`` under two values."""
    if len(values) < 2:
        return None
    fitted_change = slope(values) * (len(values) - 1)
    base = abs(sum(values) / len(values))
    if fitted_change == 0 or (base > 0 and abs(fitted_change) / base <= flat_within):
        return "flat"
    return "up" if fitted_change > 0 else "down"


def trends(table: pa.Table, window: int, flat_within: float, by: tuple[str, ...] = ()) -> list[str | None]:
    """The trend of every row of ``table`` (which has ``period_start``), in row order; a series is
    one KPI in one slice of the ``by`` dimensions (and one list item)."""
    series_keys = [c for c in dict.fromkeys(("kpi", *by, "item")) if c in table.column_names]
    rows = table.to_pylist()
    series: dict[tuple, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        series[tuple(row[c] for c in series_keys)].append(index)
    out: list[str | None] = [None] * len(rows)
    for indexes in series.values():
        ordered = sorted((i for i in indexes if rows[i]["period_start"] is not None), key=lambda i: rows[i]["period_start"])
        for position, index in enumerate(ordered):
            recent = [rows[i]["value"] for i in ordered[max(0, position - window + 1): position + 1]]
            out[index] = direction_of([v for v in recent if v is not None], flat_within)
    return out


def worsening(kpi: Kpi, verdict: str | None, trend: str | None) -> bool:
    """Whether the comparison or the trend says the KPI is getting worse."""
    if verdict == "worsening":
        return True
    if trend in ("up", "down") and kpi.direction in ("higher", "lower"):
        return (trend == "down") == (kpi.direction == "higher")
    return False


def sharply_worse(kpi: Kpi, verdict: str | None, change_ratio: float | None) -> bool:
    """Whether the comparison worsened by more than the KPI's ``alert_change`` (a share of the compared value)."""
    return (verdict == "worsening" and kpi.alert_change is not None and change_ratio is not None
            and abs(change_ratio) > kpi.alert_change)


def weather(kpi: Kpi, status: str, verdict: str | None, trend: str | None, change_ratio: float | None = None) -> str | None:
    """The row's weather: see the table in the module docstring."""
    if status == "no_data":
        return None
    if status == "critical" or sharply_worse(kpi, verdict, change_ratio):
        return "stormy"
    if status == "warn" or worsening(kpi, verdict, trend):
        return "cloudy"
    if status == "ok":
        return "sunny"
    # unrated: no line to judge by, only the direction of the change
    if verdict in ("improving", "flat") or _favourable(kpi, trend):
        return "sunny"
    return None


def _favourable(kpi: Kpi, trend: str | None) -> bool:
    if trend == "flat":
        return True
    return trend in ("up", "down") and kpi.direction in ("higher", "lower") and (trend == "up") == (kpi.direction == "higher")


def add_weather(table: pa.Table, kpis: list[Kpi], window: int | None, flat_within: float,
                by: tuple[str, ...] = ()) -> pa.Table:
    """Append ``trend`` (with a window and a grain) and ``weather`` to a judged table (``kpis``: each row's)."""
    statuses = table.column("status").to_pylist()
    verdicts = table.column("verdict").to_pylist() if "verdict" in table.column_names else [None] * len(kpis)
    ratios = table.column("change_ratio").to_pylist() if "change_ratio" in table.column_names else [None] * len(kpis)
    trend = [None] * len(kpis)
    if window is not None and "period_start" in table.column_names:
        trend = trends(table, window, flat_within, by)
        table = table.append_column("trend", strings(trend))
    summary = [weather(k, s, v, t, r) for k, s, v, t, r in zip(kpis, statuses, verdicts, trend, ratios)]
    return table.append_column("weather", strings(summary))
