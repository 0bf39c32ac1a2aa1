"""MySQL and MariaDB: weeks on Monday, exact period bounds, float averages, an exact median and percentiles.

The compiled statement needs common table expressions and window functions, so the
floor is MySQL 8.0.17 (the first with ``CAST(x AS DOUBLE)``) and MariaDB 10.2. What
sqlglot 30 renders wrongly for these engines, and what these rules do instead (each one
executed on MariaDB and compared with DuckDB and with plain Python in
tests/test_mysql_dialect.py):

- Time buckets. The base rule's ``CAST(DATE_TRUNC(unit, ts) AS DATE)`` renders as
  ``STR_TO_DATE(CONCAT(YEAR(ts), ' ', WEEK(ts, 1), ' 1'), '%Y %u %w')`` and the like:
  right on MariaDB for every day of 1990-2039, but a round trip through text per row
  (about 1.5x slower than the arithmetic below on 1.8M rows) resting on WEEK mode 1 and
  ``%u`` agreeing. The ``date_trunc('week', ts)`` a definition writes is parsed as a
  TIMESTAMP truncation, which renders as ``DATE_ADD('0000-01-01 00:00:00', INTERVAL
  TIMESTAMPDIFF(WEEK, '0000-01-01 00:00:00', ts) WEEK)``: anchored on year 0, outside
  MySQL's documented DATETIME range, so weeks start on whatever weekday the server
  thinks 0000-01-01 was (MariaDB 10.11 puts Wednesday 2024-03-20 in the week of Sunday
  2024-03-17). Buckets are whole-day arithmetic on ``DATE(ts)`` instead, and are DATEs:

  ======== ====================================================================
  day      ``DATE(ts)``
  week     ``DATE_SUB(DATE(ts), INTERVAL (WEEKDAY(ts)) DAY)`` (WEEKDAY: Monday 0)
  month    ``DATE_SUB(DATE(ts), INTERVAL (DAYOFMONTH(ts) - 1) DAY)``
  quarter  ``DATE_ADD(<year>, INTERVAL (QUARTER(ts) - 1) QUARTER)``
  year     ``DATE_SUB(DATE(ts), INTERVAL (DAYOFYEAR(ts) - 1) DAY)``
  ======== ====================================================================

  A ``date_trunc`` to one of these units written in a definition (a dimension, say)
  gets the same bucket in the final pass, cast to DATETIME like DuckDB's result; finer
  units (hour, minute) are left to sqlglot, whose year-0 arithmetic is right for them
  (checked on MariaDB over 1990-2039).

- Period bounds are ``CAST('2024-01-01 00:00:00' AS DATETIME)``, which sqlglot renders
  right; with a fraction of a second the cast is to ``DATETIME(6)``, because a plain
  DATETIME cast drops the fraction (MariaDB truncates, MySQL rounds). A DATE column
  compares as that day at midnight, like DuckDB.

- ``AVG`` over integers or DECIMALs returns a DECIMAL with only four more decimal places
  (``div_precision_increment``): ``AVG(1, 2, 2)`` is 1.6667. The final pass averages
  ``CAST(x AS DOUBLE)``, which is DuckDB's result type too. (``/`` is made real division
  over DOUBLE by the compiler already.)

- ``MEDIAN(x)`` becomes ``PERCENTILE_CONT(x, 0.5)``, a syntax error: MySQL has no
  median or percentile at all and MariaDB has them only as window functions. The final
  pass computes it exactly, as the mean of the one or two middle values, with window
  functions in a derived table under the scan::

      SELECT keys, ..., AVG(CASE WHEN _kpi_median_r0 IN ((_kpi_median_n0 + 1) DIV 2,
                                      _kpi_median_n0 DIV 2 + 1)
                            THEN CAST(_kpi_median_v0 AS DOUBLE) END) AS a1
      FROM (SELECT _kpi_src.*, x AS _kpi_median_v0,
                   ROW_NUMBER() OVER (PARTITION BY keys, x IS NULL ORDER BY x) AS _kpi_median_r0,
                   COUNT(x) OVER (PARTITION BY keys) AS _kpi_median_n0
            FROM source AS _kpi_src WHERE period) AS _kpi_m
      GROUP BY keys

  NULLs are ignored, zero values give NULL, like MEDIAN elsewhere. Refusing median on
  MySQL would have been simpler, but median order value and median delivery time are
  common KPIs, and this form is exact, runs on both engines (MariaDB's ``MEDIAN() OVER``
  does not exist on MySQL) and costs one sort of the period's rows per median.
  ``median(DISTINCT x)`` is refused, naming the KPI. ``percentile(x, p)`` uses the same
  ranked rows: at h = p * (n - 1), ``SUM`` of the row ranked FLOOR(h) + 1 weighted
  1 - (h - FLOOR(h)) and the next one weighted h - FLOOR(h), PERCENTILE_CONT's interpolation.

- Date parts (:mod:`~kpi_engine.dialects.timeparts`). ``isodow(ts)`` renders as
  ``DAYOFWEEK_ISO(ts)``, which does not exist, and ``EXTRACT`` knows no ISODOW, DOW, DOY
  or ISOYEAR; ``dayofweek(ts)`` passes through as MySQL's ``DAYOFWEEK`` (Sunday 1, one
  more than DuckDB's); ``week(ts)`` and ``EXTRACT(WEEK ...)`` follow
  ``default_week_format`` (0: weeks from Sunday, numbered 0-53), not ISO. Parts are
  MySQL's functions: ``YEAR``, ``QUARTER``, ``MONTH``, ``DAYOFMONTH``, ``HOUR``,
  ``MINUTE``, ``SECOND``, ``DAYOFYEAR``; isodow ``WEEKDAY(ts) + 1``, dow
  ``DAYOFWEEK(ts) - 1``, week ``WEEK(ts, 3)`` (mode 3 is ISO), isoyear ``YEARWEEK(ts,
  3) DIV 100``, epoch ``CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ts) AS
  DOUBLE) / 1000000`` (``UNIX_TIMESTAMP`` would read the DATETIME in the session time
  zone).
  ``date_diff(unit, a, b)`` renders as ``DATEDIFF(b, a)``, days whatever the unit, and
  ``TIMESTAMPDIFF`` counts whole intervals (0 seconds from 00:00:00.9 to 00:00:01.1,
  where DuckDB counts 1 boundary): differences are ``DATEDIFF(b, a)`` days plus the time
  of day.

- Time formats (``time: {column, format}``, executed on MariaDB in
  tests/test_time_formats.py). ``FROM_UNIXTIME`` reads the session's time zone, so epoch
  numbers are added to 1970-01-01: ``DATE_ADD(CAST('1970-01-01 00:00:00' AS DATETIME),
  INTERVAL s SECOND)``, milliseconds as ``INTERVAL ms * 1000 MICROSECOND`` (exact).
  ``CAST(text AS DATETIME)`` reads ``T`` but drops an offset with only a warning (MariaDB)
  or reads it into the session's zone (MySQL 8): ``Z`` is cut off, ``+HH:MM``/``-HH:MM``
  goes through ``CONVERT_TZ(..., '+02:00', '+00:00')`` (numeric offsets need no time-zone
  tables), other offsets are NULL, and text that is no time is NULL: the time check counts
  those values and refuses the source (``REGEXP_INSTR``, which MariaDB has and
  ``REGEXP_LIKE`` it lacks, tests the form).

- ``approx_count_distinct(x)`` renders as ``APPROX_DISTINCT(x)``, which does not exist:
  it becomes the exact ``COUNT(DISTINCT x)``.
  ``COUNT_IF`` and ``AGG(...) FILTER (WHERE c)`` are passed through by sqlglot and
  refused by both engines; the compiler never emits them (``count_if`` is expanded by
  the builtin function, the expression gate refuses FILTER), and the final pass turns
  any that reach it into ``AGG(CASE WHEN c THEN ... END)``.

- ``ORDER BY x NULLS LAST`` has no MySQL syntax; sqlglot sorts on ``CASE WHEN x IS
  NULL THEN 1 ELSE 0 END, x``, but in a single SELECT (one KPI) it inlines the key's
  projection: ``0 AS _ord`` becomes ``ORDER BY CASE WHEN 0 IS NULL ... END, 0``, a
  column position ("Unknown column '0' in 'ORDER BY'"). The final pass sorts from
  outside, ``SELECT * FROM (<statement>) AS _kpi_result ORDER BY CASE WHEN k IS NULL
  THEN 1 ELSE 0 END, k, ...``, where every key is a real column.

- CTEs: MariaDB (10.11) evaluates a CTE once per reference (a scan CTE read by three
  KPI CTEs appears as three derived tables, each scanning the source), where MySQL 8
  materializes it once. :attr:`MySQLRules.wide_assembly` has the compiler read every
  scan once on both (:mod:`kpi_engine.wide`); ``EXPLAIN`` shows one access per source
  (tests/test_mysql_dialect.py). A refused ``median(DISTINCT x)`` names its KPIs through
  :class:`~kpi_engine.errors.ScanRefused`, whatever the assembly.

Rendered correctly by sqlglot and proven by execution only: ``CAST(x AS DOUBLE)``;
``COUNT(DISTINCT a, b)``, native, skipping rows with a NULL in any argument like
DuckDB; conditional aggregates as ``AGG(CASE WHEN ... END)``; 0/1 TINYINT booleans in
``where`` (``paid``, ``not paid``, ``paid = true``).

Not a rule, a property of the warehouse: strings group and compare under the column's
collation, so with MySQL's default case-insensitive collations ``'Web'`` and ``'web'``
are one slice, where DuckDB has two.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from ..bottomup import rewrite_bottom_up
from .._sqlglot_compat import WITH_ARG
from ..errors import ScanRefused, SelectionError
from .base import ISO_PATTERN, Rules, as_datetime
from .timeparts import calendar_diff, call, cast, minus, number, paren, plus

# Built without dialect="mysql" (the same trees): that would import sqlglot's MySQL parser
# and generator into every process that imports the rules, DuckDB runs included.
DATETIME = exp.DataType.build("datetime")
DATETIME_6 = exp.DataType.build("datetime(6)")
DOUBLE = exp.DataType.build("double")

#: Grains ``time_bucket`` knows; the units of a user's ``date_trunc`` rewritten to them.
GRAINS = ("day", "week", "month", "quarter", "year")

_PREFIX = "_kpi_median"
_SOURCE_ALIAS = "_kpi_src"
_DERIVED_ALIAS = "_kpi_m"
FROM_ARG = "from_" if "from_" in exp.Select.arg_types else "from"  # renamed in sqlglot 30


_EPOCH = "1970-01-01 00:00:00"
#: Parts MySQL has a function for, with DuckDB's meaning.
_PART_FUNCTIONS: dict[str, type[exp.Func]] = {
    "year": exp.Year, "quarter": exp.Quarter, "month": exp.Month, "day": exp.DayOfMonth, "hour": exp.Hour,
    "minute": exp.Minute, "second": exp.Second, "doy": exp.DayOfYear,
}


def _number(value: int) -> exp.Literal:
    return exp.Literal.number(value)


def _minus_one(node: exp.Expression) -> exp.Expression:
    return exp.Paren(this=exp.Sub(this=node, expression=_number(1)))


def _weekday(time: exp.Expression) -> exp.Expression:
    """``WEEKDAY(ts)``: Monday 0 ... Sunday 6 (sqlglot has no node for it)."""
    return exp.Anonymous(this="WEEKDAY", expressions=[time])


def _as_double(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Cast) and node.to.is_type("double"):
        return node
    return exp.Cast(this=node, to=DOUBLE.copy())


def _when(condition: exp.Expression, value: exp.Expression) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=condition, true=value)])


def _col(name: str) -> exp.Column:
    return exp.column(name, quoted=True)


class MySQLRules(Rules):
    names = ("mysql",)
    functions = frozenset({"WEEKDAY", "DAYOFWEEK", "YEARWEEK", "CONVERT_TZ"})
    wide_assembly = True  # MariaDB evaluates a CTE once per reference: see the module docstring
    lenient_text = True  # CAST('no time' AS DATETIME) is NULL (a warning, not an error)

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        day = exp.Date(this=time.copy())
        if grain == "day":
            return day
        if grain == "week":
            return exp.DateSub(this=day, expression=exp.Paren(this=_weekday(time.copy())), unit=exp.var("DAY"))
        if grain == "month":
            return exp.DateSub(this=day, expression=_minus_one(exp.DayOfMonth(this=time.copy())), unit=exp.var("DAY"))
        year = exp.DateSub(this=day, expression=_minus_one(exp.DayOfYear(this=time.copy())), unit=exp.var("DAY"))
        if grain == "year":
            return year
        if grain == "quarter":
            return exp.DateAdd(this=year, expression=_minus_one(exp.Quarter(this=time.copy())), unit=exp.var("QUARTER"))
        raise ValueError(f"unknown grain '{grain}'")

    def timestamp_literal(self, value: date | datetime) -> exp.Expression:
        moment = as_datetime(value)
        # A plain DATETIME cast drops a fraction of a second; DATETIME(6) keeps it.
        to = DATETIME_6 if moment.microsecond else DATETIME
        return exp.Cast(this=exp.Literal.string(moment.isoformat(sep=" ")), to=to.copy())

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # FROM_UNIXTIME reads the session's time zone (and stops in 2038 on some servers):
        # add the seconds, or the milliseconds as whole microseconds, to 1970-01-01 instead.
        epoch = cast(exp.Literal.string(_EPOCH), "datetime", "mysql")
        if scale == 0:
            return exp.DateAdd(this=epoch, expression=value.copy(), unit=exp.var("SECOND"))
        micros = exp.Mul(this=value.copy(), expression=number(1000))
        return exp.DateAdd(this=epoch, expression=micros, unit=exp.var("MICROSECOND"))

    def iso_shape(self, text: exp.Expression) -> exp.Expression:
        # sqlglot prints REGEXP_LIKE, which MariaDB lacks; REGEXP_INSTR is in both.
        found = exp.RegexpInstr(this=text.copy(), expression=exp.Literal.string(ISO_PATTERN))
        return exp.EQ(this=found, expression=number(1))

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # CAST(... AS DATETIME) drops an offset silently (with a warning) and reads text that
        # is no time as NULL. Z is cut off; +HH:MM/-HH:MM goes through CONVERT_TZ, which
        # needs no time-zone tables for numeric offsets; any other offset is NULL, which
        # the time check counts and reports, like text that is no time.
        after_date = exp.Substring(this=text.copy(), start=number(11))
        length = exp.Length(this=text.copy())

        def head(cut: int) -> exp.Expression:
            return cast(exp.Left(this=text.copy(), expression=minus(length.copy(), number(cut))), "datetime(6)", "mysql")

        zulu = exp.In(this=exp.Right(this=text.copy(), expression=number(1)),
                      expressions=[exp.Literal.string("Z"), exp.Literal.string("z")])
        colon = exp.or_(exp.Like(this=after_date.copy(), expression=exp.Literal.string("%+__:__")),
                        exp.Like(this=after_date.copy(), expression=exp.Literal.string("%-__:__")), copy=False)
        other = exp.or_(exp.Like(this=after_date.copy(), expression=exp.Literal.string("%+%")),
                        exp.Like(this=after_date.copy(), expression=exp.Literal.string("%-%")), copy=False)
        shifted = call("CONVERT_TZ", head(6), exp.Right(this=text.copy(), expression=number(6)), exp.Literal.string("+00:00"))
        return exp.Case(
            ifs=[exp.If(this=zulu, true=head(1)), exp.If(this=colon, true=shifted), exp.If(this=other, true=exp.Null())],
            default=cast(text.copy(), "datetime(6)", "mysql"),
        )

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        t = time.copy()
        if part in _PART_FUNCTIONS:
            return _PART_FUNCTIONS[part](this=t)
        if part == "isodow":
            return paren(plus(_weekday(t), number(1)))
        if part == "dow":
            return paren(minus(call("DAYOFWEEK", t), number(1)))
        if part == "week":
            return exp.Week(this=t, mode=number(3))
        if part == "isoyear":
            return exp.IntDiv(this=call("YEARWEEK", t, number(3)), expression=number(100))
        if part == "epoch":
            micros = exp.TimestampDiff(this=t, expression=cast(exp.Literal.string(_EPOCH), "datetime", "mysql"),
                                       unit=exp.var("MICROSECOND"))
            return exp.Div(this=cast(micros, "double"), expression=number(1_000_000))
        raise ValueError(f"unknown date part '{part}'")

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            return exp.DateDiff(this=b, expression=a)  # DATEDIFF(b, a): days, the times ignored

        return calendar_diff(self, unit, start, end, days)

    def local_time(self, time: exp.Expression, zone: str, start=None, end=None) -> exp.Expression:
        # Named zones need the server's time-zone tables, which most servers lack: add the
        # zone's offset, chosen from its transitions, instead.
        offset = self.offset_case(time, zone, start, end, lambda seconds: exp.Literal.number(seconds))
        return exp.DateAdd(this=time.copy(), expression=offset, unit=exp.var("SECOND"))

    def rewrite(self, statement: exp.Expression) -> exp.Expression:
        # Children before parents, so a rewritten node is built from rewritten arguments.
        statement = rewrite_bottom_up(super().rewrite(statement), self._rewrite, _REWRITTEN)
        for select in _selects_with_median(statement):
            _exact_medians(select)
        return _sorted_outside(statement)

    def _rewrite(self, node: exp.Expression) -> exp.Expression:
        if isinstance(node, (exp.TimestampTrunc, exp.DateTrunc)):
            unit = node.args.get("unit")
            grain = unit.name.lower() if isinstance(unit, (exp.Var, exp.Literal)) else None
            if grain in GRAINS:
                bucket = self.time_bucket(node.this, grain)
                return exp.Cast(this=bucket, to=DATETIME.copy()) if isinstance(node, exp.TimestampTrunc) else bucket
            return node
        if isinstance(node, exp.Avg):
            value = node.this
            if isinstance(value, exp.Distinct):
                return exp.Avg(this=exp.Distinct(expressions=[_as_double(e) for e in value.expressions]))
            return exp.Avg(this=_as_double(value))
        if isinstance(node, exp.ApproxDistinct):
            return exp.Count(this=exp.Distinct(expressions=[node.this]))
        if isinstance(node, exp.CountIf):
            return exp.Count(this=_when(node.this, _number(1)))
        if isinstance(node, exp.Filter) and isinstance(node.this, exp.AggFunc):
            where = node.expression
            condition = where.this if isinstance(where, exp.Where) else where
            return _filtered(node.this, condition)
        return node


#: The node classes MySQLRules._rewrite may replace.
_REWRITTEN = (exp.TimestampTrunc, exp.DateTrunc, exp.Avg, exp.ApproxDistinct, exp.CountIf, exp.Filter)


def _filtered(agg: exp.AggFunc, condition: exp.Expression) -> exp.Expression:
    """``AGG(x) FILTER (WHERE c)`` as ``AGG(CASE WHEN c THEN x END)``."""
    value = agg.this
    if isinstance(value, exp.Star):
        agg.set("this", _when(condition.copy(), _number(1)))
    elif isinstance(value, exp.Distinct):
        value.set("expressions", [_when(condition.copy(), e) for e in value.expressions])
    elif value is not None:
        agg.set("this", _when(condition.copy(), value))
    return agg


# -- ORDER BY ... NULLS LAST ----------------------------------------------------------------

_RESULT_ALIAS = "_kpi_result"


def _null_last_keys(ordered: exp.Ordered) -> list[exp.Ordered]:
    """``x NULLS LAST`` as ``CASE WHEN x IS NULL THEN 1 ELSE 0 END, x`` (ascending or descending)."""
    value = ordered.this
    desc = bool(ordered.args.get("desc"))
    nulls_first = ordered.args.get("nulls_first")
    if nulls_first is None or bool(nulls_first) == (not desc):  # already MySQL's own order
        return [ordered.copy()]
    is_null = exp.Case(
        ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()), true=_number(1 if not nulls_first else 0))],
        default=_number(0 if not nulls_first else 1),
    )
    # nulls_first matching MySQL's own order for the direction: sqlglot then adds nothing.
    return [exp.Ordered(this=is_null, nulls_first=True), exp.Ordered(this=value.copy(), desc=desc or None, nulls_first=not desc)]


def _sorted_outside(statement: exp.Expression) -> exp.Expression:
    """``WITH ... SELECT * FROM (<statement>) AS _kpi_result ORDER BY <keys, NULLs last>``.

    sqlglot writes NULLS LAST for MySQL as a CASE over the sort key, and in a single
    SELECT it inlines the key's projection into it: ``0 AS _ord`` sorts on
    ``CASE WHEN 0 IS NULL ... END, 0``, and ``ORDER BY 0`` is a column position
    ("Unknown column '0' in 'ORDER BY'"). Sorting the whole result from outside leaves
    only real column names in the ORDER BY, for a single SELECT and a UNION ALL alike.
    """
    order = statement.args.get("order")
    if order is None:
        return statement
    body = statement.copy()
    with_ = body.args.get(WITH_ARG)
    body.set("order", None)
    body.set(WITH_ARG, None)
    outer = exp.select(exp.Star()).from_(
        exp.Subquery(this=body, alias=exp.TableAlias(this=exp.to_identifier(_RESULT_ALIAS, quoted=True))), copy=False
    )
    keys = [key for ordered in order.expressions for key in _null_last_keys(ordered)]
    outer.set("order", exp.Order(expressions=keys))
    if with_ is not None:
        outer.set(WITH_ARG, with_)
    return outer


# -- the exact median ---------------------------------------------------------------------


def _selects_with_median(statement: exp.Expression) -> list[exp.Select]:
    found: dict[int, exp.Select] = {}
    for median in statement.find_all(exp.Median, exp.PercentileCont):
        select = median.find_ancestor(exp.Select)
        if select is not None:
            found.setdefault(id(select), select)
    return list(found.values())


def _interpolated(value: exp.Expression, rank: exp.Expression, size: exp.Expression, fraction: exp.Expression) -> exp.Expression:
    """PERCENTILE_CONT over ranked rows: at h = fraction * (n - 1) (0-based), the row at FLOOR(h)
    weighted 1 - (h - FLOOR(h)) plus the next one weighted h - FLOOR(h), summed (NULL over no rows)."""
    position = exp.Mul(this=_as_double(fraction.copy()), expression=exp.Paren(this=exp.Sub(this=size.copy(), expression=_number(1))))
    floor = exp.Floor(this=position.copy())
    weight = exp.Paren(this=exp.Sub(this=position.copy(), expression=floor.copy()))
    at_floor = exp.EQ(this=rank.copy(), expression=exp.Add(this=floor.copy(), expression=_number(1)))
    at_next = exp.EQ(this=rank.copy(), expression=exp.Add(this=floor.copy(), expression=_number(2)))
    case = exp.Case(ifs=[
        exp.If(this=at_floor, true=exp.Mul(this=_as_double(value.copy()), expression=exp.Paren(this=exp.Sub(this=_number(1), expression=weight.copy())))),
        exp.If(this=at_next, true=exp.Mul(this=_as_double(value.copy()), expression=weight.copy())),
    ])
    return exp.Sum(this=case)


def _exact_medians(select: exp.Select) -> None:
    """Rewrite every MEDIAN of the scan ``select`` in place (see the module docstring)."""
    from_ = select.args.get(FROM_ARG)
    if from_ is None:
        raise SelectionError("median needs a FROM clause on mysql")
    relation = from_.this.copy()
    if isinstance(relation, exp.Table) and not relation.alias:
        relation.set("alias", exp.TableAlias(this=exp.to_identifier(_SOURCE_ALIAS, quoted=True)))
    source_alias = relation.alias
    group = select.args.get("group")
    keys = [k.copy() for k in group.expressions] if group is not None else []

    inner = exp.select(exp.Column(this=exp.Star(), table=exp.to_identifier(source_alias, quoted=True)))
    for index, median in enumerate(list(select.find_all(exp.Median, exp.PercentileCont))):
        value = median.this
        if isinstance(value, exp.Distinct) or value is None:
            cte = select.parent if isinstance(select.parent, exp.CTE) else None
            raise ScanRefused(
                cte.alias if cte is not None else "",
                "median(DISTINCT ...) cannot be computed on mysql; use median(x) or a sql: source that removes "
                "the duplicates",
            )
        v, r, n = (f"{_PREFIX}_{part}{index}" for part in ("v", "r", "n"))
        rank = exp.Window(
            this=exp.RowNumber(),
            partition_by=[*(k.copy() for k in keys), exp.Is(this=value.copy(), expression=exp.Null())],
            # NULLs are partitioned apart; nulls_first is MySQL's own order, so no CASE is added.
            order=exp.Order(expressions=[exp.Ordered(this=value.copy(), nulls_first=True)]),
        )
        size = exp.Window(this=exp.Count(this=value.copy()), partition_by=[k.copy() for k in keys] or None)
        inner = inner.select(
            exp.alias_(value.copy(), exp.to_identifier(v, quoted=True)),
            exp.alias_(rank, exp.to_identifier(r, quoted=True)),
            exp.alias_(size, exp.to_identifier(n, quoted=True)),
            copy=False,
        )
        if isinstance(median, exp.PercentileCont):
            median.replace(_interpolated(_col(v), _col(r), _col(n), median.args["expression"]))
            continue
        # The middle row (odd n) or the two middle rows (even n), 1-based.
        middle = exp.In(
            this=_col(r),
            expressions=[
                exp.IntDiv(this=exp.Paren(this=exp.Add(this=_col(n), expression=_number(1))), expression=_number(2)),
                exp.Add(this=exp.IntDiv(this=_col(n), expression=_number(2)), expression=_number(1)),
            ],
        )
        median.replace(exp.Avg(this=_when(middle, _as_double(_col(v)))))

    inner = inner.from_(relation, copy=False)
    where = select.args.get("where")
    if where is not None:
        inner.set("where", where.copy())
        select.set("where", None)
    derived = exp.Subquery(this=inner, alias=exp.TableAlias(this=exp.to_identifier(_DERIVED_ALIAS, quoted=True)))
    from_.set("this", derived)
