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
  0.9 percentile of 1, 2, 3, 4, 10). :meth:`SparkRules.finalize` puts back the exact
  ordered-set aggregate Spark has natively (3.3+). ``MEDIAN`` (exact on Spark 3.4+) and
  ``PERCENTILE(x, p)`` are left alone; an explicit ``approx_quantile`` stays approximate.
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

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        # TRUNC(date, 'DAY') returns NULL on Spark; DATE_TRUNC(unit, ts) knows every grain,
        # with Monday weeks.
        return exp.Cast(this=exp.TimestampTrunc(this=time.copy(), unit=exp.var(grain.upper())), to=DATE.copy())

    def finalize(self, statement: exp.Expression) -> exp.Expression:
        """Exact percentiles: undo sqlglot's PERCENTILE_CONT/DISC → PERCENTILE_APPROX."""
        return statement.transform(_exact_percentile, copy=True)
