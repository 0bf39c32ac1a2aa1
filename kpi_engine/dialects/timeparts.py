"""Date parts and date differences with DuckDB's meaning on every engine.

Definitions are written in DuckDB's dialect, so ``extract(isodow from ordered_at)``,
``hour(ordered_at)``, ``epoch(t)`` and ``date_diff('second', a, b)`` mean what DuckDB
computes. sqlglot passes most of them through unchanged, and engines disagree: PostgreSQL
returns NUMERIC, SQLite has no EXTRACT, MySQL has no ISODOW and its WEEK is not ISO,
Spark's DOW counts from Sunday = 1 and it has no ISODOW, MySQL's ``DATEDIFF`` ignores the
unit, Spark's and MySQL's differences count whole intervals where DuckDB counts
boundaries. :func:`portable_times` rewrites every such node through the target's
:meth:`~kpi_engine.dialects.base.Rules.date_part` and
:meth:`~kpi_engine.dialects.base.Rules.date_diff`, and refuses the parts and units no
rule covers, on every dialect alike, so no engine silently answers differently.

Parts (all integers but ``epoch``; executed and compared with Python's ``datetime`` on
DuckDB, SQLite, PostgreSQL, MariaDB and Spark in tests/test_date_parts.py):

========= ===================================================================
year      calendar year
quarter   1-4
month     1-12
day       day of the month, 1-31
hour      0-23
minute    0-59
second    0-59, the fraction dropped
isodow    ISO weekday, Monday 1 ... Sunday 7
dow       weekday, Sunday 0 ... Saturday 6
doy       day of the year, 1-366
week      ISO week, 1-53 (weeks start on Monday; week 1 holds the year's first Thursday)
isoyear   the year the ISO week belongs to (2024-12-30 is in week 1 of 2025)
epoch     seconds since 1970-01-01 00:00:00, with the fraction, as a DOUBLE
========= ===================================================================

Every name DuckDB accepts for these works (``hours``, ``dayofweek``, ``weekday``,
``dayofyear``, ``weekofyear``, ``m`` for minute as in DuckDB, ...). Function forms:
``year(x)``, ``quarter(x)``, ``month(x)``, ``day(x)``/``dayofmonth(x)``, ``hour(x)``,
``minute(x)``, ``second(x)``, ``isodow(x)``, ``dayofweek(x)`` (Sunday 0, as in DuckDB),
``dayofyear(x)``, ``week(x)``/``weekofyear(x)`` and ``epoch(x)``.

``date_diff(unit, a, b)`` counts the unit boundaries from ``a`` to ``b``, as DuckDB
does: ``second``, ``minute``, ``hour`` and ``day`` boundaries crossed (23:59:59 to 00:00:00
is one day), ``week`` is whole days divided by 7 truncated toward zero (DuckDB's
``date_diff('week')`` does not count Monday boundaries), ``month``, ``quarter`` and
``year`` the calendar boundaries. Where an engine has no boundary-counting difference,
it is day boundaries plus the time of day, e.g. seconds are ``days * 86400 + (second of
day at b - second of day at a)``: exact, no epoch arithmetic, no time zone.

Times without a time zone are wall-clock times everywhere (``epoch`` treats them as UTC,
like DuckDB). Columns with a time zone take their parts in the session time zone on
PostgreSQL, DuckDB and Spark (kpi-spark sets UTC); this module does not convert them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlglot import exp

from ..bottomup import rewrite_bottom_up
from ..errors import SelectionError
from ..snippet import snippet as _snippet

if TYPE_CHECKING:
    from .base import Rules

#: The parts every dialect computes alike, in the order the module docstring lists them.
PARTS = ("year", "quarter", "month", "day", "hour", "minute", "second",
         "isodow", "dow", "doy", "week", "isoyear", "epoch")

#: Every name DuckDB accepts for a supported part (``extract(<name> from x)``), lower-case.
PART_NAMES: dict[str, str] = {
    **dict.fromkeys(("year", "years", "y", "yr", "yrs"), "year"),
    **dict.fromkeys(("quarter", "quarters"), "quarter"),
    **dict.fromkeys(("month", "months", "mon", "mons"), "month"),
    **dict.fromkeys(("day", "days", "d", "dayofmonth"), "day"),
    **dict.fromkeys(("hour", "hours", "h", "hr", "hrs"), "hour"),
    **dict.fromkeys(("minute", "minutes", "min", "mins", "m"), "minute"),
    **dict.fromkeys(("second", "seconds", "sec", "secs", "s"), "second"),
    "isodow": "isodow",
    **dict.fromkeys(("dow", "dayofweek", "weekday"), "dow"),
    **dict.fromkeys(("doy", "dayofyear"), "doy"),
    **dict.fromkeys(("week", "weeks", "w", "weekofyear"), "week"),
    "isoyear": "isoyear",
    "epoch": "epoch",
}

#: ``date_diff`` units every dialect counts alike, by the names DuckDB accepts.
UNITS = ("second", "minute", "hour", "day", "week", "month", "quarter", "year")
UNIT_NAMES = {name: part for name, part in PART_NAMES.items() if part in UNITS}


def _node_class(name: str) -> type | None:
    # getattr with a default: sqlglot renames or drops node classes between releases.
    return getattr(exp, name, None)


#: Function nodes of the DuckDB-read tree and the part each one takes (DuckDB's meaning:
#: ``dayofweek(x)`` counts from Sunday 0, ``week(x)`` is the ISO week).
FUNCTION_PARTS: dict[type, str] = {
    cls: part
    for name, part in (
        ("Year", "year"), ("Quarter", "quarter"), ("Month", "month"), ("Day", "day"), ("DayOfMonth", "day"),
        ("Hour", "hour"), ("Minute", "minute"), ("Second", "second"), ("DayOfWeekIso", "isodow"),
        ("DayOfWeek", "dow"), ("DayOfYear", "doy"), ("Week", "week"), ("WeekOfYear", "week"),
        ("TimeToUnix", "epoch"),
    )
    if (cls := _node_class(name)) is not None
}

#: Difference nodes: ``date_diff``/``datediff`` and the BigQuery-style spellings sqlglot
#: also reads; all keep the later time in ``this`` and the earlier in ``expression``.
DIFF_NODES: tuple[type, ...] = tuple(
    cls for name in ("DateDiff", "DatetimeDiff", "TimestampDiff") if (cls := _node_class(name)) is not None
)
#: Every node class portable_times may rewrite.
_TIME_NODES: tuple[type, ...] = (exp.Extract, *FUNCTION_PARTS, *DIFF_NODES)


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names)


def _name(node: exp.Expression | None) -> str | None:
    if isinstance(node, (exp.Var, exp.Literal, exp.Column, exp.Identifier)):
        return node.name.lower()
    return None


def _refuse_interval(node: exp.Expression, value: exp.Expression) -> None:
    """An interval's parts (``extract(epoch from b - a)``) are not a time's; engines disagree on them."""
    if isinstance(value, exp.Interval) or (
        isinstance(value, exp.Sub) and not isinstance(value.expression, (exp.Interval, exp.Literal))
    ):
        raise SelectionError(
            f"'{_snippet(node)}': parts of an interval (such as the difference of two times) are not portable; "
            "use date_diff('second', a, b) or epoch(b) - epoch(a)"
        )


def _date_part(node: exp.Expression, rules: Rules) -> exp.Expression:
    if isinstance(node, exp.Extract):
        part = PART_NAMES.get(_name(node.this) or "")
        if part is None:
            raise SelectionError(
                f"'{_snippet(node)}': extract takes one of the date parts computed alike on every engine: "
                f"{_listed(PARTS)}"
            )
        time = node.expression
    else:
        if isinstance(node, exp.Week) and node.args.get("mode") is not None:
            raise SelectionError(f"'{_snippet(node)}': week(x) takes one argument, the ISO week of x")
        part = FUNCTION_PARTS[type(node)]
        time = node.this
    _refuse_interval(node, time)
    return rules.date_part(part, time)


def _date_diff(node: exp.Expression, rules: Rules) -> exp.Expression:
    unit = UNIT_NAMES.get(_name(node.args.get("unit")) or "day")
    if unit is None:
        raise SelectionError(f"'{_snippet(node)}': date_diff counts one of {_listed(UNITS)}")
    return rules.date_diff(unit, node.expression, node.this)


def portable_times(statement: exp.Expression, rules: Rules) -> exp.Expression:
    """``statement``, rewritten in place, with every date part and date difference built by ``rules``.

    Raises :class:`~kpi_engine.errors.SelectionError` for a part or unit outside
    :data:`PARTS`/:data:`UNITS`, on every dialect (DuckDB included), naming the expression.
    """
    # Children before parents: a part of a part (hour(date_trunc(...)) aside, a
    # date_diff of two extracts) is rebuilt from arguments already rewritten.
    return rewrite_bottom_up(statement, lambda node: _portable_node(node, rules), _TIME_NODES)


def _portable_node(node: exp.Expression, rules: Rules) -> exp.Expression:
    # Called for _TIME_NODES only; a subclass of a part's function class is not that part.
    if isinstance(node, exp.Extract) or type(node) in FUNCTION_PARTS:
        return _date_part(node, rules)
    if isinstance(node, DIFF_NODES):
        return _date_diff(node, rules)
    return node


# -- building blocks for the dialect rules ---------------------------------------------------


def number(value: int) -> exp.Literal:
    return exp.Literal.number(value)


def paren(node: exp.Expression) -> exp.Paren:
    return exp.Paren(this=node)


def plus(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return exp.Add(this=left, expression=right)


def minus(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return exp.Sub(this=left, expression=right)


def times(left: exp.Expression, right: exp.Expression) -> exp.Expression:
    return exp.Mul(this=left, expression=right)


def cast(node: exp.Expression, type_: str, dialect: str | None = None) -> exp.Cast:
    return exp.Cast(this=node, to=exp.DataType.build(type_, dialect=dialect))


def extract(part: str, time: exp.Expression) -> exp.Extract:
    """``EXTRACT(<PART> FROM time)`` with the part written as given (no mapping)."""
    return exp.Extract(this=exp.var(part.upper()), expression=time.copy())


def call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def isodow_from_dow(dow: exp.Expression) -> exp.Expression:
    """Monday 1 ... Sunday 7 from Sunday 0 ... Saturday 6: ``(dow + 6) % 7 + 1``."""
    return paren(plus(exp.Mod(this=paren(plus(dow, number(6))), expression=number(7)), number(1)))


def dow_from_isodow(isodow: exp.Expression) -> exp.Expression:
    """Sunday 0 ... Saturday 6 from Monday 1 ... Sunday 7: ``isodow % 7``."""
    return paren(exp.Mod(this=isodow, expression=number(7)))


def calendar_diff(
    rules: Rules,
    unit: str,
    start: exp.Expression,
    end: exp.Expression,
    days: Callable[[exp.Expression, exp.Expression], exp.Expression],
) -> exp.Expression:
    """``date_diff(unit, start, end)`` from ``rules.date_part`` and a day-boundary count.

    ``days(start, end)`` counts the midnights from ``start`` to ``end`` (an integer).
    Seconds, minutes and hours add the time of day to the days; weeks are days / 7
    truncated toward zero; months, quarters and years subtract calendar positions.
    """

    def part(name: str, time: exp.Expression) -> exp.Expression:
        return rules.date_part(name, time.copy())

    def delta(name: str) -> exp.Expression:
        return paren(minus(part(name, end), part(name, start)))

    if unit == "day":
        return days(start.copy(), end.copy())
    if unit == "week":
        return exp.IntDiv(this=paren(days(start.copy(), end.copy())), expression=number(7))
    if unit in ("hour", "minute", "second"):
        total = days(start.copy(), end.copy())
        for finer, per in (("hour", 24), ("minute", 60), ("second", 60)):
            total = plus(times(paren(total), number(per)), delta(finer))
            if finer == unit:
                return paren(total)
    if unit == "year":
        return delta("year")
    if unit in ("month", "quarter"):
        per = 12 if unit == "month" else 4
        return paren(plus(times(delta("year"), number(per)), delta(unit)))
    raise ValueError(f"unknown unit '{unit}'")
