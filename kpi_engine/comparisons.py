"""Comparisons (``--compare``): which range each result row is compared with, and the verdict.

The comparison range is the request's range moved back:

- ``previous_period``: by one grain (a month for ``--grain month``); without a grain, by
  the range's own length (``--from 2024-03-01 --to 2024-03-15`` compares with
  02-16 .. 03-01, ``--period yesterday`` with the day before, ``previous_week`` with the
  week before), which needs both bounds; a range of whole calendar months moves by that
  many months (``previous_month`` in March compares February with January, whatever
  their lengths);
- ``same_period_last_year``: by twelve months, or by 52 weeks (364 days) at day and week
  grain, so a Monday is compared with a Monday; without a grain both bounds are needed.

Months move by the calendar, a day past the month's end clamped to its last day
(03-31 minus a month is 02-29 in 2024). Each KPI of the comparison range is computed in
the same statement as the current one, with its own CTEs; a comparison bucket is joined
to the current bucket it is shifted onto, per slice (and per item for list KPIs), so a
partial current period (month to date) meets the same days of the period before.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from .errors import SelectionError
from .periods import as_datetime

COMPARISONS = ("previous_period", "same_period_last_year")
#: |change_ratio| up to this is ``flat``.
FLAT_WITHIN = 0.01

# grain -> (unit, count) moved back by each comparison
_PREVIOUS = {"day": ("day", 1), "week": ("day", 7), "month": ("month", 1), "quarter": ("month", 3), "year": ("month", 12)}
_LAST_YEAR = {"day": ("day", 364), "week": ("day", 364), "month": ("month", 12), "quarter": ("month", 12), "year": ("month", 12)}
_BUCKETS = {"day": 1, "week": 7, "month": 1, "quarter": 3, "year": 12}  # a grain in its unit


def _add_months(value: date | datetime, months: int) -> date | datetime:
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def move(value: date | datetime | None, unit: str, count: int) -> date | datetime | None:
    """``value`` moved by ``count`` days or calendar months (negative: back).

    Raises :class:`SelectionError` when that leaves the dates Python represents (years 1 to
    9999): a comparison range before 0001-01-01 cannot be asked for.
    """
    if value is None:
        return None
    try:
        return value + timedelta(days=count) if unit == "day" else _add_months(value, count)
    except (OverflowError, ValueError):
        edge, sign = ("begin before 0001-01-01", "-") if count < 0 else ("end after 9999-12-31", "+")
        step = f"{abs(count)} {unit}{'s' if abs(count) != 1 else ''}"
        raise SelectionError(
            f"--compare: the comparison range would {edge} ({value.isoformat()} {sign} {step}); "
            "compare a later or shorter period"
        ) from None


def offset(compare: str, grain: str | None, start, end) -> tuple[str, int]:
    """(unit, count) the comparison range lies back from the request's range."""
    if compare not in COMPARISONS:
        raise SelectionError(f"unknown comparison '{compare}': use one of {', '.join(COMPARISONS)}")
    if grain is not None:
        return (_PREVIOUS if compare == "previous_period" else _LAST_YEAR)[grain]
    if start is None or end is None:
        raise SelectionError(
            f"--compare {compare} without --grain compares one range with another: give --from and --to (or --period)"
        )
    if compare == "same_period_last_year":
        return "month", 12
    months = _whole_months(start, end)
    if months:
        return "month", months
    length = as_datetime(end) - as_datetime(start)
    if length.seconds or length.microseconds:
        raise SelectionError("--compare previous_period without --grain needs a range of whole days")
    return "day", length.days


def _whole_months(start, end) -> int | None:
    """How many calendar months ``[start, end)`` is when both bounds are the first of a month, else ``None``."""
    low, high = as_datetime(start), as_datetime(end)
    if high <= low or any(b.day != 1 or b.time() != datetime.min.time() for b in (low, high)):
        return None
    return (high.year - low.year) * 12 + high.month - low.month


def bucket_steps(grain: str, unit: str, count: int) -> int:
    """How many ``grain`` buckets a comparison bucket moves forward to meet the current one."""
    return count // _BUCKETS[grain]


def change_ratio(value: float | None, compare_value: float | None) -> float | None:
    """(value - compare_value) / |compare_value|; ``None`` when either is missing or the base is 0."""
    if value is None or compare_value is None or compare_value == 0:
        return None
    return (value - compare_value) / abs(compare_value)


def verdict(kpi, value: float | None, compare_value: float | None, flat_within: float = FLAT_WITHIN) -> str | None:
    """``improving``, ``worsening`` or ``flat``; ``None`` when either value is missing.

    ``flat`` when the values are equal or |change_ratio| is within ``flat_within``;
    otherwise ``higher``: up is better, ``lower``: down is better, ``range``: closer to
    the target band (or the warn band without a target) is better.
    """
    if value is None or compare_value is None:
        return None
    ratio = change_ratio(value, compare_value)
    if value == compare_value or (ratio is not None and abs(ratio) <= flat_within):
        return "flat"
    if kpi.direction == "higher":
        return "improving" if value > compare_value else "worsening"
    if kpi.direction == "lower":
        return "improving" if value < compare_value else "worsening"
    band = kpi.target if kpi.target is not None else kpi.thresholds.warn
    if band is None:
        return None  # a range without a band has no better side
    now, before = _distance(band, value), _distance(band, compare_value)
    if now == before:
        return "flat"
    return "improving" if now < before else "worsening"


def _distance(band, value: float) -> float:
    if band.low is not None and value < band.low:
        return band.low - value
    if band.high is not None and value > band.high:
        return value - band.high
    return 0.0
