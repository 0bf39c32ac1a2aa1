"""Durations written in definitions: ``30m``, ``36h``, ``1d``, ``2w`` (``freshness:``, ``mature_after:``).

A number and one unit: ``m`` minutes, ``h`` hours, ``d`` days, ``w`` weeks; the number is
whole or decimal (``1.5d``), above zero, and at most 100 years in all. No other form is
read, so ``1 day`` or ``P1D`` is an error, never a guess.
"""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
LONGEST = timedelta(days=36525)
_FORM = re.compile(r"^([0-9]{1,6}(?:\.[0-9]{1,6})?)([mhdw])$")


def parse(text: object) -> timedelta:
    """The duration ``text`` names; :class:`ValueError` with a one-line reason otherwise."""
    match = _FORM.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError("a duration is a number and a unit: 30m, 36h, 1d, 2w")
    amount, unit = float(match.group(1)), match.group(2)
    if amount <= 0:
        raise ValueError("a duration must be above zero")
    duration = UNITS[unit] * amount
    if duration > LONGEST:
        raise ValueError("a duration must be at most 100 years")
    return duration


def shown(duration: timedelta) -> str:
    """``duration`` the way definitions write it (``2d``, ``36h``, ``90m``)."""
    seconds = int(duration.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{duration.total_seconds() / 60:g}m"
