"""What every part of the demo generator shares: seeded draws, the calendar, the simulated period.

Every draw is built on ``random.Random.random()`` alone (see `Draws`), and each part of
the dataset added after the first release draws from its own stream (`stream`), so
changing one table never moves the values of another.

Timestamps are int seconds since 1970-01-01 (naive); `DAY` and `HOUR` are in seconds.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Mapping, Sequence

from attrs import frozen

DAY = 86_400
HOUR = 3_600
EPOCH = datetime.date(1970, 1, 1)
_TWO_PI = 2.0 * math.pi

# calendar month -> traffic multiplier (Q4 busy, August quiet)
SEASON = {1: 0.96, 2: 0.99, 3: 1.06, 4: 1.01, 5: 1.0, 6: 0.97,
          7: 0.88, 8: 0.74, 9: 1.04, 10: 1.1, 11: 1.22, 12: 1.07}
WEEKDAY = (1.18, 1.22, 1.2, 1.12, 0.95, 0.34, 0.28)  # Monday .. Sunday

# per calendar month: share of sessions from new visitors, bounce-rate shift, order
# propensity, margin shift, late-delivery multiplier, support load (response times)
MONTH_MOOD = {
    #   new    bounce  order  margin  late  load
    1: (0.40, 0.00, 0.94, 0.00, 1.15, 1.20),
    2: (0.38, -0.01, 1.00, 0.01, 0.95, 0.95),
    3: (0.39, -0.02, 1.04, 0.01, 0.90, 0.90),
    4: (0.37, -0.01, 1.00, 0.00, 0.85, 0.90),
    5: (0.36, -0.02, 1.02, 0.01, 0.90, 0.95),
    6: (0.38, 0.00, 0.98, 0.00, 0.95, 1.00),
    7: (0.41, 0.02, 0.93, -0.01, 1.00, 1.10),
    8: (0.43, 0.03, 0.90, -0.01, 0.85, 1.25),
    9: (0.40, -0.01, 1.05, 0.01, 0.95, 0.95),
    10: (0.42, 0.00, 1.06, 0.00, 1.30, 1.25),
    11: (0.47, 0.02, 1.10, -0.04, 1.30, 1.35),
    12: (0.45, 0.01, 1.12, -0.03, 1.45, 1.50),
}
LOAD = 5  # index of the support load in a MONTH_MOOD row


@frozen
class Period:
    """The simulated days: `start_day` (inclusive) to `end_day` (exclusive), as epoch day numbers."""

    start_day: int
    end_day: int
    scale: float

    @property
    def start_ts(self) -> int:
        return self.start_day * DAY

    @property
    def end_ts(self) -> int:
        return self.end_day * DAY


def stream(seed: int, label: str) -> random.Random:
    """An independent generator for one part of the dataset, derived from the seed.

    String seeds are hashed with SHA-512 by `random.seed`, identically on every Python
    version, so ``(seed, label)`` always gives the same stream.
    """
    return random.Random(f"{seed}:{label}")


class Picker:
    """Weighted choice by table lookup: one `random()` call per pick."""

    __slots__ = ("table", "size")

    def __init__(self, weights: Mapping[str, float], resolution: int = 1000) -> None:
        total = float(sum(weights.values()))
        table: list[str] = []
        acc = 0.0
        for key, weight in weights.items():
            acc += weight
            table.extend([key] * (round(acc / total * resolution) - len(table)))
        self.table = tuple(table)
        self.size = len(table)

    def pick(self, rnd) -> str:
        return self.table[int(rnd() * self.size)]


class Draws:
    """Distributions built on `random()` alone.

    Python guarantees that `Random.random()` gives the same sequence for the same seed
    across versions, but not its other methods (gauss, lognormvariate, ...). Building
    every draw on `random()` keeps the dataset identical on every Python version.
    """

    __slots__ = ("random",)

    def __init__(self, rng: random.Random) -> None:
        self.random = rng.random

    def randint(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def expo(self, rate: float) -> float:
        return -math.log(1.0 - self.random()) / rate

    def gauss(self, mu: float, sigma: float) -> float:
        # Box-Muller; 1 - random() is in (0, 1], so the log is finite
        radius = math.sqrt(-2.0 * math.log(1.0 - self.random()))
        return mu + sigma * radius * math.cos(_TWO_PI * self.random())

    def lognorm(self, mu: float, sigma: float) -> float:
        return math.exp(self.gauss(mu, sigma))

    def median_lognorm(self, median: float, sigma: float) -> float:
        """Lognormal with the given median (``exp(mu)``)."""
        return median * math.exp(self.gauss(0.0, sigma))


def hour_table(weights: Sequence[float], resolution: int = 1000) -> tuple[int, ...]:
    """Lookup table of hours of the day, each repeated by its weight."""
    return tuple(int(h) for h in Picker({str(h): w for h, w in enumerate(weights)}, resolution).table)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def add_business_days(day_number: int, count: int) -> int:
    """Epoch day number plus `count` working days (Monday-Friday)."""
    while count > 0:
        day_number += 1
        if (day_number + 3) % 7 < 5:  # 1970-01-01 was a Thursday
            count -= 1
    return day_number


def weekday(ts: int) -> int:
    """Monday 0 .. Sunday 6 of a timestamp."""
    return (ts // DAY + 3) % 7


def month(ts: int) -> int:
    """Calendar month 1..12 of a timestamp."""
    return (EPOCH + datetime.timedelta(days=ts // DAY)).month


def next_office_time(ts: int, rnd, opens: int = 8, closes: int = 18) -> int:
    """`ts` if it falls in office hours on a working day, else a time shortly after the next opening.

    What piled up overnight and over the weekend lands in the first two hours, which
    makes Monday mornings the busiest time of the week.
    """
    day = ts // DAY
    hour = (ts - day * DAY) / HOUR
    if (day + 3) % 7 < 5 and opens <= hour < closes:
        return ts
    if (day + 3) % 7 < 5 and hour < opens:
        next_day = day
    else:
        next_day = add_business_days(day, 1)
    return next_day * DAY + opens * HOUR + int(rnd() * 2 * HOUR)


def poisson(rnd, lam: float) -> int:
    """Knuth's method; lam is small here (a few events per day)."""
    if lam <= 0:
        return 0
    limit = math.exp(-lam)
    count = 0
    product = rnd()
    while product > limit:
        count += 1
        product *= rnd()
    return count


# trade fairs: (month, which Tuesday of it) opening a three-day fair, every year
_TRADE_FAIRS = ((3, 2), (10, 3))


def trade_fair_days(period: Period) -> list[int]:
    """Epoch day numbers of the trade-fair days inside the period."""
    days = []
    first = EPOCH + datetime.timedelta(days=period.start_day)
    last = EPOCH + datetime.timedelta(days=period.end_day)
    for year in range(first.year, last.year + 1):
        for fair_month, nth in _TRADE_FAIRS:
            first_of_month = (datetime.date(year, fair_month, 1) - EPOCH).days
            tuesday = first_of_month + (1 - (first_of_month + 3)) % 7 + 7 * (nth - 1)
            days.extend(d for d in range(tuesday, tuesday + 3) if period.start_day <= d < period.end_day)
    return days


def numbered(drafts: list[tuple], id_name: str, names: Sequence[str]) -> dict[str, list]:
    """Columns from row drafts whose first item is the time: ordered by it, ids numbered in that order.

    The sort is stable, so rows at the same second keep the (deterministic) order they were drafted in.
    """
    drafts.sort(key=lambda d: d[0])
    columns: dict[str, list] = {id_name: list(range(1, len(drafts) + 1))}
    for index, name in enumerate(names):
        columns[name] = [d[index] for d in drafts]
    return columns
