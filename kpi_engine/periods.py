"""Named periods: ``mtd``, ``last_7_days``, ``previous_month``, ... as half-open date ranges.

Every period is resolved against an *as-of* date ``D``, the day the report is for
(``--as-of``; by default today's date on the machine's clock), and is a half-open
interval ``[start, end)`` of whole days, like ``--from``/``--to``:

=====================  ==================================================  =========================
keyword                meaning                                             range
=====================  ==================================================  =========================
``today``              the as-of day                                       ``[D, D+1)``
``yesterday``          the day before                                      ``[D-1, D)``
``last_N_days``        the N whole days before the as-of day               ``[D-N, D)``
``last_N_weeks``       the N whole weeks (Monday to Sunday) before the     ``[mon(D)-7N, mon(D))``
                       week holding D
``last_N_months``      the N whole months before D's month                 ``[month(D)-N, month(D))``
``last_N_quarters``    the N whole quarters before D's quarter
``last_N_years``       the N whole years before D's year
``wtd``, ``mtd``,      week, month, quarter or year to date: from the      ``[mon(D), D+1)``, ...
``qtd``, ``ytd``       period's first day through the as-of day
``previous_week``,     the whole period before the one holding D           ``last_1_weeks``, ...
``previous_month``,
``previous_quarter``,
``previous_year``
=====================  ==================================================  =========================

The ``last_N`` periods stop before the as-of day or period, because an unfinished day
is not comparable with finished ones; the ``*td`` periods and ``today`` include it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from .errors import SelectionError

GRAIN_OF = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}
TO_DATE = {"wtd": "week", "mtd": "month", "qtd": "quarter", "ytd": "year"}
PREVIOUS = {f"previous_{g}": g for g in ("week", "month", "quarter", "year")}
_LAST = re.compile(r"^last_([1-9][0-9]{0,3})_(day|week|month|quarter|year)s$")
KEYWORDS = ("today", "yesterday", "last_N_days", "last_N_weeks", "last_N_months", "last_N_quarters",
            "last_N_years", *TO_DATE, *PREVIOUS)


def bound_problem(value: object) -> str | None:
    """Why ``value`` cannot bound a period (``--from``, ``--to``, ``--as-of``), or ``None``.

    Bounds are local: a timestamp with a UTC offset (``...+05:00``, ``...Z``) is refused,
    since a source's time is compared as stored, or in its ``timezone:``, never as an instant.
    """
    if not isinstance(value, (date, datetime)):
        return f"{value!r} is not a date or timestamp"
    if isinstance(value, datetime) and value.tzinfo is not None:
        return (f"{value.isoformat()} has a UTC offset; give a local date or timestamp "
                "(it is compared with each source's time as stored, or in its timezone:)")
    return None


BOUND_FORMAT = "a date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM[:SS])"


def parse_bound(text: str) -> date | datetime:
    """A bound written as text, ``2025-01-31`` or ``2025-01-31T08:00`` (or with a space);
    :class:`ValueError` for anything else. What ``--from``, ``--to`` and ``--as-of`` take."""
    text = text.strip()
    # fromisoformat takes any character between date and time, a newline too: only T or a space here
    if not text.isprintable() or (len(text) > 10 and text[10] not in "T "):
        raise ValueError(text)
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def as_bound(value: object, option: str):
    """``value`` as a bound of a period (``None`` stays ``None``): a local date or timestamp,
    or its ISO text (:func:`parse_bound`); anything else is a :class:`SelectionError` naming ``option``."""
    if isinstance(value, str):
        try:
            value = parse_bound(value)
        except ValueError:
            raise SelectionError(f"{option} {value.strip()!r:.60} is not {BOUND_FORMAT}") from None
    problem = bound_problem(value) if value is not None else None
    if problem:
        raise SelectionError(f"{option} {problem}")
    return value


def as_datetime(value: date | datetime) -> datetime:
    """A bound as a datetime, so a date and a timestamp compare (a date is its midnight)."""
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def period_start(day: date | datetime, grain: str) -> date:
    """The first day of the ``grain`` period holding ``day`` (weeks start on Monday)."""
    day = _day(day)
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def shift(start: date, grain: str, periods: int) -> date:
    """The first day of the period ``periods`` grains after the one starting on ``start``."""
    if grain == "day":
        return start + timedelta(days=periods)
    if grain == "week":
        return start + timedelta(days=7 * periods)
    months = {"month": 1, "quarter": 3, "year": 12}[grain] * periods
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def resolve(keyword: str, as_of: date | datetime) -> tuple[date, date]:
    """``(start, end)`` of the named period for the as-of day; :class:`SelectionError` for an unknown name,
    or for a period reaching outside the dates Python represents (years 1 to 9999)."""
    try:
        return _resolve(keyword, as_of)
    except (OverflowError, ValueError):  # date arithmetic past 0001-01-01 or 9999-12-31
        raise SelectionError(
            f"--period {keyword} as of {_day(as_of).isoformat()} reaches outside the years 1 to 9999"
        ) from None


def _resolve(keyword: str, as_of: date | datetime) -> tuple[date, date]:
    day = _day(as_of)
    name = keyword.strip().lower()
    if name == "today":
        return day, day + timedelta(days=1)
    if name == "yesterday":
        return day - timedelta(days=1), day
    if name in TO_DATE:
        return period_start(day, TO_DATE[name]), day + timedelta(days=1)
    if name in PREVIOUS:
        name = f"last_1_{PREVIOUS[name]}s"
    match = _LAST.match(name)
    if match:
        count, grain = int(match.group(1)), match.group(2)
        end = period_start(day, grain)
        return shift(end, grain, -count), end
    raise SelectionError(
        f"unknown period '{keyword}': use one of {', '.join(KEYWORDS)} (N from 1 to 9999), or --from/--to"
    )


def bounds(period: str | None, as_of, start, end):
    """``(start, end)`` of a request: the named ``period`` resolved for ``as_of`` (default: today),
    else ``start``/``end`` as given; a period together with bounds, ``as_of`` alone, or a bound
    that is not a local date or timestamp (:func:`bound_problem`) is refused. A bound may be
    text, as the command line takes it (:func:`parse_bound`)."""
    start, end, as_of = as_bound(start, "--from"), as_bound(end, "--to"), as_bound(as_of, "--as-of")
    if period is None:
        if as_of is not None:
            raise SelectionError("--as-of needs --period: it is the day a named period is resolved for")
        return start, end
    if start is not None or end is not None:
        raise SelectionError("give --period or --from/--to, not both")
    return resolve(period, as_of if as_of is not None else date.today())
