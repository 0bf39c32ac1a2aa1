"""Spark and Databricks: day buckets via DATE_TRUNC, and exact percentiles.

Proven by executing on Spark 4.3 through the engine, against DuckDB and plain Python
over the same rows (plugins/kpi-spark/tests/test_kpi_spark_dialect.py):

- Buckets: ``CAST(DATE_TRUNC('<GRAIN>', t) AS DATE)`` for every grain. sqlglot renders
  :class:`~sqlglot.exp.DateTrunc` as ``TRUNC(t, 'DAY')``, which is NULL on Spark, so the
  bucket is a :class:`~sqlglot.exp.TimestampTrunc`; Spark's ``DATE_TRUNC('WEEK', ...)``
  starts weeks on Monday. Timestamps are truncated in the session time zone (kpi-spark
  sets UTC); a TIMESTAMP_NTZ column (what Parquet naive timestamps read as) is
  truncated on its wall-clock value.
- Period bounds: the base ``CAST('YYYY-MM-DD HH:MM:SS' AS TIMESTAMP)`` compares with
  TIMESTAMP, TIMESTAMP_NTZ and DATE columns alike (half-open bounds verified at the
  instant of a bucket boundary).
- Percentiles: sqlglot writes ``PERCENTILE_CONT``/``PERCENTILE_DISC ... WITHIN GROUP``
  as ``PERCENTILE_APPROX``, which is silently approximate (10.0 instead of 7.6 for the
  0.9 percentile of 1, 2, 3, 4, 10). :meth:`SparkRules.rewrite` puts back the exact
  ordered-set aggregate Spark has natively (3.3+). ``MEDIAN`` (exact on Spark 3.4+) and
  ``PERCENTILE(x, p)`` are left alone; an explicit ``approx_quantile`` stays approximate.
- Date parts (:mod:`~kpi_engine.dialects.timeparts`): Spark's ``EXTRACT(DOW ...)`` and
  ``DAYOFWEEK()`` count from Sunday = 1 (DuckDB: Sunday = 0), ``EXTRACT(ISODOW ...)`` is
  an error, there is no ``WEEK()`` function, ``EXTRACT(SECOND ...)`` is a
  DECIMAL(8, 6) with the fraction, and ``EPOCH`` is not a field. Parts are
  ``EXTRACT(<PART> FROM t)`` (INT) with Spark's field names: ``DAYOFWEEK_ISO`` for isodow,
  ``DAYOFWEEK_ISO % 7`` for dow, ``DOY``, ``WEEK`` (ISO), ``YEAROFWEEK`` for isoyear;
  ``SECOND(t)`` (the fraction dropped); epoch ``CAST(UNIX_MICROS(CAST(t AS TIMESTAMP))
  AS DOUBLE) / 1000000`` (a TIMESTAMP_NTZ read in the session time zone, UTC under
  kpi-spark). ``DATEDIFF(SECOND, a, b)`` (what sqlglot writes) counts whole intervals:
  0 from 00:00:00.9 to 00:00:01.1, where DuckDB counts 1 boundary; differences are
  ``DATEDIFF(CAST(b AS DATE), CAST(a AS DATE))`` days plus the time of day.
- Time formats (``time: {column, format}``): ``TIMESTAMP_SECONDS(s)``,
  ``TIMESTAMP_MILLIS(CAST(ms AS BIGINT))`` (whole numbers only) and ``CAST(text AS
  TIMESTAMP)``, which reads a ``T`` and ``Z`` or an offset as that instant (text without
  one in the session time zone, UTC under kpi-spark). sqlglot's ``UnixToTime`` without a
  scale prints ``CAST(FROM_UNIXTIME(s) AS TIMESTAMP)``, a round trip through text.
- CTEs: Spark inlines a CTE at every reference and prunes each copy to the columns it
  reads, so copies of one scan differ and are planned (and mostly run) once per
  reference. :attr:`SparkRules.wide_assembly` has the compiler read every scan once
  (:mod:`kpi_engine.wide`): one scan per source in the optimized plan
  (plugins/kpi-spark/tests/test_kpi_spark.py).
- Needing no rule: ``NULLS LAST`` (the compiler writes it; Spark sorts NULLs first by
  default), ``COUNT(DISTINCT a, b)`` (skips rows where any argument is NULL, like
  PostgreSQL and DuckDB), ``CASE`` conditional aggregates, real division (``/`` is
  always fractional on Spark; the compiler casts to DOUBLE anyway), integer ``DIV``
  (truncates toward zero, as DuckDB's ``//`` does on integers), boolean columns in
  ``where``, and string literals with quotes and backslashes (sqlglot escapes them for
  Spark's default ``escapedStringLiterals=false``).
"""

from __future__ import annotations

from sqlglot import exp

from .base import DATE, Rules
from .timeparts import calendar_diff, cast, extract, number

#: Spark's EXTRACT field for a part, where the name differs.
_FIELDS = {"isodow": "DAYOFWEEK_ISO", "doy": "DOY", "isoyear": "YEAROFWEEK"}

_ORDERED_SET = {exp.PercentileCont: "PERCENTILE_CONT", exp.PercentileDisc: "PERCENTILE_DISC"}


def _exact_percentile(node: exp.Expression) -> exp.Expression:
    """``PERCENTILE_CONT/DISC(p) WITHIN GROUP (ORDER BY x)`` as Spark's exact aggregate.

    Two trees reach here: the SQL-standard ``WithinGroup(PercentileCont(p), Order(x))``
    and DuckDB's ``quantile_cont(x, p)`` (``PercentileCont(this=x, expression=p)``).
    Both become a ``WITHIN GROUP`` over an anonymous function, which sqlglot renders
    as written instead of turning it into ``PERCENTILE_APPROX``.
    """
    if isinstance(node, exp.WithinGroup) and type(node.this) in _ORDERED_SET:
        name = _ORDERED_SET[type(node.this)]
        fraction = node.this.this
        order = node.expression
    elif type(node) in _ORDERED_SET and node.args.get("expression") is not None:
        if isinstance(node.parent, exp.WithinGroup):
            return node
        name = _ORDERED_SET[type(node)]
        fraction = node.expression
        order = exp.Order(expressions=[exp.Ordered(this=node.this.copy(), nulls_first=False)])
    else:
        return node
    function = exp.Anonymous(this=name, expressions=[fraction.copy()])
    return exp.WithinGroup(this=function, expression=order.copy())


class SparkRules(Rules):
    names = ("spark", "spark2", "databricks", "hive")
    functions = frozenset({*_ORDERED_SET.values(), "UNIX_MICROS", "FROM_UTC_TIMESTAMP", "TIMESTAMP_SECONDS",
                           "TIMESTAMP_MILLIS"})
    wide_assembly = True

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # TIMESTAMPs (instants), bucketed in the session time zone, UTC under kpi-spark;
        # TIMESTAMP_MILLIS takes whole numbers only.
        if scale == 0:
            return exp.Anonymous(this="TIMESTAMP_SECONDS", expressions=[value.copy()])
        return exp.Anonymous(this="TIMESTAMP_MILLIS", expressions=[cast(value.copy(), "bigint")])

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # Spark's cast reads a T or a space, and Z or any offset as that instant; text
        # without one is read in the session time zone (UTC under kpi-spark). Text that
        # is no time fails the statement (ANSI mode, Spark 4's default).
        return cast(text.copy(), "timestamp")

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        # TRUNC(date, 'DAY') returns NULL on Spark; DATE_TRUNC(unit, ts) knows every grain,
        # with Monday weeks.
        return exp.Cast(this=exp.TimestampTrunc(this=time.copy(), unit=exp.var(grain.upper())), to=DATE.copy())

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part == "second":
            return exp.Second(this=time.copy())
        if part == "dow":
            return exp.Paren(this=exp.Mod(this=extract("DAYOFWEEK_ISO", time), expression=number(7)))
        if part == "epoch":
            micros = exp.Anonymous(this="UNIX_MICROS", expressions=[cast(time.copy(), "timestamp")])
            return exp.Div(this=cast(micros, "double"), expression=number(1_000_000))
        return extract(_FIELDS.get(part, part), time)

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            # Days between the dates: DATEDIFF(end, start) on Spark; Databricks writes
            # DATEDIFF(DAY, start, end), whole 24-hour intervals, exact between dates.
            return exp.DateDiff(this=cast(b, "date"), expression=cast(a, "date"))

        return calendar_diff(self, unit, start, end, days)

    def local_time(self, time: exp.Expression, zone: str, start=None, end=None) -> exp.Expression:
        return exp.Anonymous(this="FROM_UTC_TIMESTAMP", expressions=[time.copy(), exp.Literal.string(zone)])

    def rewrite(self, statement: exp.Expression) -> exp.Expression:
        """Exact percentiles (undo sqlglot's PERCENTILE_CONT/DISC → PERCENTILE_APPROX)."""
        return super().rewrite(statement).transform(_exact_percentile, copy=False)
