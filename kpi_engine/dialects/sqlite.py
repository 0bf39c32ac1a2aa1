"""SQLite: time buckets from ``date()`` modifiers, text period bounds, and a final pass for
the aggregates SQLite lacks or spells differently.

SQLite has no DATE/TIMESTAMP type: times are stored as ISO-8601 text, and this module
assumes SQLite's own canonical form, ``YYYY-MM-DD HH:MM:SS[.SSS]`` for timestamps (what
``datetime()`` returns and Python's ``sqlite3`` writes) and ``YYYY-MM-DD`` for dates.
A time column holding Unix-epoch numbers or other ISO 8601 text (a ``T``, ``Z``, an
offset) declares it (``time: {column: ts, format: epoch_s | epoch_ms | iso}``) and is
read into that form, ``STRFTIME('%Y-%m-%d %H:%M:%f', ts, 'unixepoch')`` (``ts / 1000.0``
for milliseconds) or ``STRFTIME('%Y-%m-%d %H:%M:%f', ts)`` (which converts an offset to
UTC); undeclared, the time check refuses it (:mod:`kpi_engine.timeformats`).

What sqlglot 30 renders wrongly for SQLite, and what these rules do instead (each one is
executed on SQLite and compared with DuckDB in tests/test_sqlite.py):

- ``DATE_TRUNC(unit, ts)`` becomes ``TIMESTAMP_TRUNC(ts, MONTH)`` ("no such column:
  MONTH"). Buckets are built from ``date()`` modifiers instead and are ISO text
  ``YYYY-MM-DD`` (the engine casts ``period_start`` to a date):

  ======== =====================================================================
  day      ``DATE(ts)``
  week     ``DATE(DATE(ts), 'weekday 0', '-6 days')`` (on to Sunday, back to Monday)
  month    ``DATE(ts, 'start of month')``
  quarter  ``DATE(ts, 'start of month', '-' || ((CAST(STRFTIME('%m', ts) AS
           INTEGER) + 2) % 3) || ' months')``
  year     ``DATE(ts, 'start of year')``
  ======== =====================================================================

- ``CAST('...' AS TIMESTAMP)`` becomes ``DATETIME('...')``, which turns a date into
  ``'2024-01-15 00:00:00'``: a DATE column holding ``'2024-01-15'`` would then compare
  below it and drop that day from ``--from 2024-01-15``. Period bounds are plain text:
  ``'YYYY-MM-DD'`` at midnight (a prefix of every timestamp of that day, so both date
  and timestamp columns compare right) and ``'YYYY-MM-DD HH:MM:SS[.f]'`` otherwise,
  with the fraction's trailing zeros dropped so an equal stored value never sorts below
  the bound. Comparing the bare column keeps an index on it usable.

- ``MEDIAN(x)`` becomes ``PERCENTILE_CONT(x, 0.5)`` ("no such function"). SQLite has no
  median unless built with its percentile extension, and no SQL rewrite exists that
  stays one aggregate inside the scan's GROUP BY. The final pass renders ``MEDIAN(x)``
  and the SQLite adapter registers ``median`` (NULLs ignored, mean of the two middle
  values) on every connection -- the name and meaning of the percentile extension's
  ``median()``, so the compiled SQL also runs on SQLite builds that have it. The
  standard deviations and variances SQLite also lacks are rendered and registered the
  same way (``STDDEV``, ``STDDEV_SAMP``, ``STDDEV_POP``, ``VARIANCE``, ``VARIANCE_POP``).
  The price: SQL compiled for SQLite that uses them runs only where they are registered
  (this adapter, or ``conn.create_aggregate`` with :mod:`kpi_engine.builtin.sqlite_adapter`'s
  classes).

- ``COUNT(DISTINCT a, b)`` is passed through unchanged and SQLite refuses it ("wrong
  number of arguments to function COUNT()"). It becomes ``COUNT(DISTINCT CASE WHEN a IS
  NOT NULL AND b IS NOT NULL THEN QUOTE(a) || ',' || QUOTE(b) END)``: a row with any
  NULL is not counted (SQL semantics), and ``QUOTE()`` (SQL literal text: strings quoted
  with inner quotes doubled, reals printed so they round-trip, blobs as ``X'..'``)
  makes the key injective, where a bare separator would merge ``('a,b', 'c')`` with
  ``('a', 'b,c')`` and the integer 1 with the text ``'1'``.

- Date parts (:mod:`~kpi_engine.dialects.timeparts`): SQLite has no ``EXTRACT``, no
  ``HOUR()`` and the like (sqlglot passes them through: "no such function"). Parts are
  ``CAST(STRFTIME('%H', ts) AS INTEGER)`` and so on (``%Y %m %d %H %M %S``; quarter
  ``(month + 2) / 3``). Weekday, day of year and ISO week read ``DATE(ts)``, not
  ``ts``: SQLite keeps times in whole milliseconds, so ``23:59:59.9999`` is rounded to
  the next midnight for ``%w``, ``%j`` and date modifiers, while ``DATE(ts)`` and
  ``%H %M %S`` read the text as written. dow is ``%w``, isodow ``(%w + 6) % 7 + 1``, doy
  ``%j``; the ISO week and its year are those of the week's Thursday,
  ``DATE(DATE(ts), '-3 days', 'weekday 4')`` (``%V``/``%G``/``%u`` need SQLite 3.46).
  epoch is ``(ROUND(JULIANDAY(ts) * 86400000.0) - 210866760000000) / 1000.0``: whole
  milliseconds, exact, where ``(JULIANDAY(ts) - 2440587.5) * 86400`` is off by tens of
  microseconds. Date differences (``JULIANDAY`` differences times 86400, sqlglot's
  rendering, truncate the elapsed time instead of counting boundaries) are day
  boundaries, ``CAST(JULIANDAY(DATE(b)) - JULIANDAY(DATE(a)) AS INTEGER)``, plus the time
  of day.

Rendered correctly by sqlglot and proven by execution only: ``CAST(x AS DOUBLE)`` as
``CAST(x AS REAL)`` (real division), ``NULLS LAST`` (SQLite >= 3.30), conditional
aggregates as ``AGG(CASE WHEN ... END)``, ``NOT flag`` on 0/1 booleans.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from .base import Rules, as_datetime
from .timeparts import calendar_diff, cast, isodow_from_dow, minus, number, paren, plus

#: Aggregates SQLite lacks, by sqlglot node, and the one-argument function the SQLite
#: adapter registers for each on its connections (the final pass renders these names).
REGISTERED_AGGREGATES: dict[type, str] = {
    node: name
    for node, name in (
        (getattr(exp, "Median", None), "median"),
        (getattr(exp, "Stddev", None), "stddev"),
        (getattr(exp, "StddevSamp", None), "stddev_samp"),
        (getattr(exp, "StddevPop", None), "stddev_pop"),
        (getattr(exp, "Variance", None), "variance"),
        (getattr(exp, "VariancePop", None), "variance_pop"),
    )
    if node is not None
}

_SEPARATOR = ","

#: Date parts read straight from the text by ``STRFTIME`` (no rounding; see the module docstring).
_STRFTIME = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S"}
_JULIAN_MS_AT_1970 = 210_866_760_000_000  # JULIANDAY('1970-01-01') * 86400000
#: A time as SQLite writes it, to the millisecond: what converted times and local times are.
_TIME_FORMAT = "%Y-%m-%d %H:%M:%f"


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _text(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def _strftime_int(format_: str, time: exp.Expression) -> exp.Expression:
    return cast(_call("strftime", _text(format_), time), "int")


class SQLiteRules(Rules):
    names = ("sqlite",)
    # (sqlglot prints a cast to a time type as date(), time() or datetime())
    functions = frozenset({"date", "time", "datetime", "julianday", "quote", "round", "strftime", "percentile_cont",
                           *REGISTERED_AGGREGATES.values()})
    wide_assembly = False  # SQLite 3.35+ materializes a CTE used more than once (EXPLAIN QUERY PLAN: one MATERIALIZE)
    typed_columns = False  # each value has its own type: the time check reads the smallest and the largest
    lenient_text = True  # strftime() of text that is no time is NULL

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # SQLite's own text form (what local_time writes too); 'unixepoch' reads seconds,
        # kept to the millisecond.
        seconds = value.copy() if scale == 0 else exp.Div(this=value.copy(), expression=exp.Literal.number("1000.0"))
        return _call("strftime", _text(_TIME_FORMAT), seconds, _text("unixepoch"))

    def iso_shape(self, text: exp.Expression) -> exp.Expression:
        # No REGEXP in SQLite: a date first (strftime() refuses the rest of what is no ISO
        # time, but would read a bare number as a Julian day).
        return exp.Glob(this=text.copy(), expression=_text("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"))

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # strftime() reads ISO 8601 with a T or a space, Z or +HH:MM (converted to UTC);
        # anything else is NULL.
        return _call("strftime", _text(_TIME_FORMAT), text.copy())

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        ts = time.copy()
        if grain == "day":
            return _call("date", ts)
        if grain == "week":
            # 'weekday 0' moves forward to the next Sunday (or stays on a Sunday); six days
            # back is that week's Monday. The day is taken first: with the time kept, SQLite
            # rounds a Sunday within half a millisecond of midnight into Monday.
            return _call("date", _call("date", ts), _text("weekday 0"), _text("-6 days"))
        if grain == "month":
            return _call("date", ts, _text("start of month"))
        if grain == "quarter":
            month = exp.Cast(this=_call("strftime", _text("%m"), time.copy()), to=exp.DataType.build("int"))
            # months back to the quarter's first month: (month - 1) % 3, written (month + 2) % 3
            plus_two = exp.Paren(this=exp.Add(this=month, expression=exp.Literal.number(2)))
            back = exp.Mod(this=plus_two, expression=exp.Literal.number(3))
            modifier = exp.DPipe(
                this=exp.DPipe(this=_text("-"), expression=exp.Paren(this=back)),
                expression=_text(" months"),
            )
            return _call("date", ts, _text("start of month"), modifier)
        if grain == "year":
            return _call("date", ts, _text("start of year"))
        raise ValueError(f"unknown grain '{grain}'")

    def timestamp_literal(self, value: date | datetime) -> exp.Expression:
        moment = as_datetime(value)
        if moment.time() == datetime.min.time():
            return _text(moment.date().isoformat())
        text = moment.isoformat(sep=" ")
        if moment.microsecond:
            text = text.rstrip("0")
        return _text(text)

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part in _STRFTIME:
            return _strftime_int(_STRFTIME[part], time.copy())
        day = _call("date", time.copy())
        if part == "quarter":
            month = _strftime_int("%m", time.copy())
            return paren(exp.Div(this=paren(plus(month, number(2))), expression=number(3), typed=True))
        if part == "dow":
            return _strftime_int("%w", day)
        if part == "isodow":
            return isodow_from_dow(_strftime_int("%w", day))
        if part == "doy":
            return _strftime_int("%j", day)
        thursday = _call("date", day, _text("-3 days"), _text("weekday 4"))
        if part == "week":
            # The Thursday's day of the year, in weeks: (doy - 1) / 7 + 1.
            doy = _strftime_int("%j", thursday)
            return paren(plus(exp.Div(this=paren(minus(doy, number(1))), expression=number(7), typed=True), number(1)))
        if part == "isoyear":
            return _strftime_int("%Y", thursday)
        if part == "epoch":
            millis = _call("round", exp.Mul(this=_call("julianday", time.copy()), expression=exp.Literal.number("86400000.0")))
            since_1970 = paren(minus(millis, number(_JULIAN_MS_AT_1970)))
            return exp.Div(this=since_1970, expression=exp.Literal.number("1000.0"))
        raise ValueError(f"unknown date part '{part}'")

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            between = minus(_call("julianday", _call("date", b)), _call("julianday", _call("date", a)))
            return cast(between, "int")

        return calendar_diff(self, unit, start, end, days)

    def local_time(self, time: exp.Expression, zone: str, start=None, end=None) -> exp.Expression:
        # SQLite has no time zones: shift by the zone's offset, chosen from its transitions,
        # keeping the milliseconds (%f).
        modifier = self.offset_case(time, zone, start, end, lambda seconds: _text(f"{seconds:+d} seconds"))
        return _call("strftime", _text(_TIME_FORMAT), time.copy(), modifier)

    def rewrite(self, statement: exp.Expression) -> exp.Expression:
        statement = super().rewrite(statement)

        def rewrite(node: exp.Expression) -> exp.Expression:
            name = REGISTERED_AGGREGATES.get(type(node))
            if name is not None:
                return _call(name, node.this)
            if isinstance(node, exp.Count) and isinstance(node.this, exp.Distinct):
                values = node.this.expressions
                if len(values) > 1:
                    return exp.Count(this=exp.Distinct(expressions=[_distinct_key(values)]))
            return node

        return statement.transform(rewrite, copy=False)


def _distinct_key(values: list[exp.Expression]) -> exp.Expression:
    """One text value per distinct tuple of ``values``; NULL when any of them is NULL."""
    key: exp.Expression = _call("quote", values[0].copy())
    for value in values[1:]:
        key = exp.DPipe(this=exp.DPipe(this=key, expression=_text(_SEPARATOR)), expression=_call("quote", value.copy()))
    present = exp.and_(*(exp.Not(this=exp.Is(this=v.copy(), expression=exp.Null())) for v in values), copy=False)
    return exp.Case(ifs=[exp.If(this=present, true=key)])
