"""Small sqlglot builders shared by the compiler: time buckets, periods, safe division.

Dialect differences belong here, as functions of the target dialect that return
trees, so the compiler itself stays dialect-neutral.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

DOUBLE = exp.DataType.build("double")


def quoted(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def as_double(tree: exp.Expression) -> exp.Expression:
    return exp.Cast(this=tree, to=DOUBLE.copy())


def safe_div(numerator: exp.Expression, denominator: exp.Expression) -> exp.Expression:
    """Real division that yields NULL, never an error, on a zero denominator."""
    return exp.Div(
        this=as_double(numerator),
        expression=exp.Nullif(this=as_double(denominator), expression=exp.Literal.number(0)),
    )


def _is_safe(div: exp.Div) -> bool:
    this, other = div.this, div.expression
    return isinstance(this, exp.Cast) and this.to.is_type("double") and isinstance(other, exp.Nullif)


def real_division(tree: exp.Expression) -> exp.Expression:
    """Every ``a / b`` in ``tree`` as real (float) division, NULL when ``b`` is 0.

    Definitions mean real division whatever the engine (PostgreSQL and SQLite divide
    integers as integers), and a zero denominator must give no_data, not an error.
    """

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Div) and not _is_safe(node):
            return safe_div(node.this, node.expression)
        return node

    return tree.transform(rewrite, copy=True)


# Spark's TRUNC(date, unit) (what sqlglot makes of DateTrunc there) knows no DAY unit and
# returns NULL for it; DATE_TRUNC(unit, ts) knows every grain, with Monday weeks.
_SPARK_FAMILY = ("spark", "spark2", "databricks", "hive")


def time_bucket(time: exp.Expression, grain: str, dialect: str) -> exp.Expression:
    """The first day (a DATE) of the ``grain`` bucket holding ``time``; weeks start on Monday."""
    unit: exp.Expression = exp.var(grain.upper())
    if grain == "week" and dialect == "bigquery":
        # BigQuery's plain WEEK starts on Sunday.
        unit = exp.WeekStart(this=exp.var("MONDAY"))
    if dialect in _SPARK_FAMILY:
        trunc: exp.Expression = exp.TimestampTrunc(this=time.copy(), unit=unit)
    else:
        trunc = exp.DateTrunc(this=time.copy(), unit=unit)
    return exp.Cast(this=trunc, to=exp.DataType.build("date"))


def timestamp_literal(value: date | datetime) -> exp.Expression:
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return exp.Cast(this=exp.Literal.string(value.isoformat(sep=" ")), to=exp.DataType.build("timestamp"))


def period_condition(time: exp.Expression, start: date | datetime | None, end: date | datetime | None) -> exp.Expression | None:
    """``start <= time < end`` (half-open), either side optional."""
    parts: list[exp.Expression] = []
    if start is not None:
        parts.append(exp.GTE(this=time.copy(), expression=timestamp_literal(start)))
    if end is not None:
        parts.append(exp.LT(this=time.copy(), expression=timestamp_literal(end)))
    if not parts:
        return None
    return exp.and_(*parts, copy=False)


def file_relation(paths: tuple[str, ...]) -> exp.Expression:
    """``read_parquet([...])`` or ``read_csv([...])`` for a ``path:`` source (DuckDB syntax)."""
    csv = [p for p in paths if p.lower().endswith((".csv", ".csv.gz", ".tsv", ".txt"))]
    arg = (
        exp.Literal.string(paths[0])
        if len(paths) == 1
        else exp.Array(expressions=[exp.Literal.string(p) for p in paths])
    )
    if csv and len(csv) != len(paths):
        raise ValueError("a path source mixes CSV and Parquet files")
    function = exp.ReadCSV(this=arg) if csv else exp.ReadParquet(expressions=[arg])
    return exp.Table(this=function)
