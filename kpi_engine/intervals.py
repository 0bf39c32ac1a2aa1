"""Confidence intervals for rates: pure functions, no dependency beyond the standard library.

A rate KPI with ``confidence: c`` gets, on each row, the Wilson score interval of its
numerator (successes) out of its denominator (trials) at that confidence (Wilson,
"Probable inference, the law of succession, and statistical inference", JASA 1927).
Unlike the textbook ``p ± z·sqrt(p(1-p)/n)``, it stays inside [0, 1] and does not
collapse to a point at 0 of n or n of n, which is where small samples live: 1 late
delivery out of 3 is 33%, and the 95% interval is about [6%, 79%].

Judging against it is :mod:`kpi_engine.compliance`'s job; this module only computes.
"""

from __future__ import annotations

import math
from functools import lru_cache


@lru_cache(maxsize=16)
def z_score(confidence: float) -> float:
    """The two-sided normal quantile for ``confidence`` (0 < c < 1): 1.95996... for 0.95."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    # Imported here: statistics pulls in fractions, decimal and random (some 10 ms), which
    # a run without a confidence level never needs.
    from statistics import NormalDist

    return NormalDist().inv_cdf((1 + confidence) / 2)


def wilson(successes: float, trials: float, confidence: float) -> tuple[float, float]:
    """The Wilson score interval ``(low, high)`` for ``successes`` out of ``trials``.

    With p = successes / trials, n = trials and z = :func:`z_score`::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) · sqrt(p(1 - p)/n + z²/4n²)

    and the interval is ``[centre - half, centre + half]``: at 0 of n its low end is
    exactly 0, at n of n its high end exactly 1 (not a rounding error away). Raises
    ``ValueError`` unless 0 <= successes <= trials and trials > 0.
    """
    if not (trials > 0 and 0 <= successes <= trials):
        raise ValueError(f"{successes!r} successes out of {trials!r} trials is not a rate")
    z = z_score(confidence)
    n, p, z2 = float(trials), successes / trials, z * z
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def _whole(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and float(x).is_integer()


def rate_interval(numerator: object, denominator: object, confidence: float) -> tuple[float | None, float | None]:
    """:func:`wilson` for a result row, or ``(None, None)`` when the row is no count of
    successes out of trials (a missing side, a zero denominator, a fraction, a numerator
    above the denominator): such a row is judged on its value alone."""
    if not (_whole(numerator) and _whole(denominator)) or not 0 <= numerator <= denominator or denominator == 0:
        return None, None
    return wilson(numerator, denominator, confidence)
