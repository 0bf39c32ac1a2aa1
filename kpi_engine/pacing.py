"""Total targets: which rows a ``target_period`` target judges, with which lines, and pace.

A KPI with ``target_period: month`` (or day, week, quarter, year) is a total whose target
and lines are for one whole period of that length, such as a monthly revenue target.
Each result row covers a span of time (its bucket at ``--grain``, cut by ``--from``/``--to``
or a named period; the requested range without a grain), and the KPI's lines are
prorated to the time the row covers:

- a row covering exactly one period is judged against the lines as written;
- a row covering the start of one period (month to date, a ``--to`` inside the month) is
  judged by its pace: against the lines times the share of the period it covers, which
  is the same as judging ``pace = value / share`` against the lines as written;
- a row inside one period that does not start with it (a day of the month at
  ``--grain day``, ``--period yesterday``, a week) is not judged (``finer_grains:
  unjudged``, the default: a day's share of a month's revenue is not a target anyone
  set) or judged by its share like a to-date row (``finer_grains: pace``);
- a row covering several periods (a quarter of a monthly target, a range across two
  months) is judged against the sum of those periods' prorated lines when the KPI is
  ``additive: true``, and not judged otherwise;
- a row in a slice (``--by``) is judged only by a ``targets:`` rule with a ``by:`` for that
  slice: the KPI's own target is for the whole, not for each channel;
- a row whose span is unknown (no grain and no range: all the data) is not judged.

``targets:`` rules are matched with each target period's first day as ``period_start``,
so a rule for November sets the target of November's days, of November to date and of
November's share of a quarter. A row that is not judged is ``unrated`` and its ``note``
says why. Rows lying in one period carry ``pace`` (the value projected to the whole
period) and ``pace_status`` (the pace against the lines as written).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import pyarrow as pa
from attrs import evolve, frozen

from .arrowcols import floats, strings
from .model import GRAINS, Band, Kpi, TargetRule, Thresholds
from .periods import as_datetime, period_start, shift


def covered_share(period: date, grain: str, start, end) -> float | None:
    """The share of the ``grain`` period starting on ``period`` that ``[start, end)`` covers."""
    first, after = as_datetime(period), as_datetime(shift(period, grain, 1))
    low = max(first, as_datetime(start)) if start is not None else first
    high = min(after, as_datetime(end)) if end is not None else after
    if high <= low:
        return None
    return (high - low) / (after - first)


@frozen
class Verdict:
    """How one row of a total is judged: ``kpi`` carries the row's prorated lines (``None``: not
    judged, ``note`` says why); ``pace`` and ``pace_kpi`` where the row lies in one period."""

    kpi: Kpi | None
    note: str | None = None
    pace: float | None = None
    pace_kpi: Kpi | None = None


def span(row: dict, grain: str | None, start, end) -> tuple[datetime, datetime] | None:
    """``[low, high)``, the time a result row covers: its bucket cut by the request's range."""
    if grain is not None and row.get("period_start") is not None:
        first = row["period_start"]
        low, high = as_datetime(first), as_datetime(shift(period_start(first, grain), grain, 1))
        if start is not None:
            low = max(low, as_datetime(start))
        if end is not None:
            high = min(high, as_datetime(end))
        return low, high
    if grain is None and start is not None and end is not None:
        return as_datetime(start), as_datetime(end)
    return None


def periods(unit: str, low: datetime, high: datetime) -> list[tuple[date, float]]:
    """Each ``unit`` period that ``[low, high)`` overlaps, with the share of it covered."""
    found = []
    first = period_start(low, unit)
    while as_datetime(first) < high:
        share = covered_share(first, unit, low, high)
        if share is not None:
            found.append((first, share))
        first = shift(first, unit, 1)
    return found


def verdict(kpi: Kpi, row: dict, grain: str | None, start, end, by: Sequence[str] = ()) -> Verdict:
    """How ``row`` of the total ``kpi`` (with ``target_period``) is judged; see the module docstring."""
    try:
        return _verdict(kpi, row, grain, start, end, by)
    except (OverflowError, ValueError):  # a span reaching past 9999-12-31
        return Verdict(None, f"{kpi.target_period}ly target: the row reaches past the dates it can prorate")


def _verdict(kpi: Kpi, row: dict, grain, start, end, by) -> Verdict:
    unit = kpi.target_period
    per = _per(unit)
    covered = span(row, grain, start, end)
    if covered is None:
        return Verdict(None, f"the target is {per}: give --grain, --period or --from/--to to judge a total against it")
    parts = periods(unit, *covered)
    if not parts:
        return Verdict(None, f"the row covers no time of a {unit}")
    rules = [_rule_for(kpi, row, first) for first, _ in parts]
    sliced = [name for name in by if name in row]
    if sliced and any(rule is None or not rule.by for rule in rules):
        return Verdict(None, f"the target is {per} in total: a slice by {', '.join(sliced)} is judged only by a "
                             "targets: rule with by: for it")
    lines = [_lines(kpi, rule) for rule in rules]
    if len(parts) > 1:
        if not kpi.additive:
            return Verdict(None, f"the target is {per} and the row covers {len(parts)} of them: "
                                 f"additive: true sums their targets")
        return Verdict(_prorated(kpi, lines, [share for _, share in parts]))
    ((first, share),) = parts
    whole = _prorated(kpi, lines, [1.0])
    value = row.get("value")
    pace = value / share if value is not None else None
    to_date = covered[0] == as_datetime(first) and (grain is None or GRAINS.index(grain) >= GRAINS.index(unit))
    if share < 1 and not to_date and kpi.finer_grains == "unjudged":
        shown = f"a {grain} of it" if grain is not None else f"a range inside one {unit}"
        return Verdict(None, f"the target is {per}: {shown} is not judged (finer_grains: pace judges it by its share)",
                       pace, whole)
    return Verdict(_prorated(kpi, lines, [share]), None, pace, whole)


def _per(unit: str) -> str:
    return f"per {unit}"


def _rule_for(kpi: Kpi, row: dict, first: date) -> TargetRule | None:
    """The first ``targets:`` rule matching the row in the target period starting on ``first``."""
    probe = {**row, "period_start": first}
    return next((rule for rule in kpi.targets if rule.matches(probe)), None)


def _lines(kpi: Kpi, rule: TargetRule | None) -> tuple:
    """(target, warn, critical) of the rule, or the KPI's own without one."""
    owner = kpi if rule is None else rule
    return owner.target, owner.thresholds.warn, owner.thresholds.critical


def _scaled(line, factor: float):
    if line is None:
        return None
    if isinstance(line, Band):
        return Band(None if line.low is None else line.low * factor, None if line.high is None else line.high * factor)
    return line * factor


def _sum(lines: list):
    """The sum of prorated lines; ``None`` when a period has no such line."""
    if any(line is None for line in lines):
        return None
    if isinstance(lines[0], Band):
        lows, highs = [b.low for b in lines], [b.high for b in lines]
        return Band(None if None in lows else sum(lows), None if None in highs else sum(highs))
    return sum(lines)


def _prorated(kpi: Kpi, lines: list[tuple], shares: list[float]) -> Kpi:
    target, warn, critical = (_sum([_scaled(line[i], share) for line, share in zip(lines, shares)]) for i in range(3))
    return evolve(kpi, target=target, thresholds=Thresholds(warn=warn, critical=critical), targets=())


def add_pace(table: pa.Table, verdicts: list[Verdict | None], samples: list, status) -> pa.Table:
    """Append ``pace`` and ``pace_status``: ``status(kpi, pace, denominator, sample)`` against the
    period's lines as written, with the row's ``samples`` (a row under its minimum sample is not
    judged by its pace either)."""
    paces = [v.pace if v is not None else None for v in verdicts]
    statuses = [status(v.pace_kpi, v.pace, None, s) if v is not None and v.pace is not None and v.pace_kpi is not None
                else None for v, s in zip(verdicts, samples)]
    table = table.append_column("pace", floats(paces))
    return table.append_column("pace_status", strings(statuses))
