"""Human formatting of KPI values by unit: percents as %, currency with two decimals, durations."""

from __future__ import annotations

import math

from .model import Band


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def duration(seconds: float) -> str:
    """``45s``, ``3m 20s``, ``2h 05m``, ``3d 04h``."""
    sign = "-" if seconds < 0 else ""
    s = abs(seconds)
    if s < 60:
        return f"{sign}{s:.1f}s" if s < 10 and s != int(s) else f"{sign}{s:.0f}s"
    minutes, sec = divmod(int(round(s)), 60)
    if minutes < 60:
        return f"{sign}{minutes}m {sec:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours}h {minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{sign}{days}d {hours:02d}h"


def number(value: float | None, unit: str) -> str:
    """One value formatted for ``unit``; an empty string for a missing value."""
    if _is_missing(value):
        return ""
    if unit == "percent":
        return f"{value * 100:.2f}%"
    if unit == "currency":
        return f"{value:,.2f}"
    if unit == "seconds":
        return duration(value)
    if unit == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if unit == "ratio":
        return f"{value:.3f}"
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def line(value, unit: str) -> str:
    """A target or threshold: a number or a ``[low, high]`` band."""
    if value is None:
        return ""
    if isinstance(value, Band):
        low = "" if value.low is None else number(value.low, unit)
        high = "" if value.high is None else number(value.high, unit)
        return f"{low}..{high}"
    return number(value, unit)


def interval(low: float | None, high: float | None, unit: str) -> str:
    """A confidence interval, ``6.15%..79.23%``; empty when the row has none."""
    if _is_missing(low) or _is_missing(high):
        return ""
    return f"{number(low, unit)}..{number(high, unit)}"
