"""Small dialect-neutral sqlglot builders for the compiler: names, safe division, periods.

What differs between engines lives in :mod:`kpi_engine.dialects`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlglot import exp

from .bottomup import rewrite_bottom_up
from .dialects import Rules

DOUBLE = exp.DataType.build("double")


# The compiler builds thousands of these: constructed directly, they skip the builders'
# argument parsing and copies (compile time is a measured target, see benchmarks/).


def quoted(name: str) -> exp.Identifier:
    return exp.Identifier(this=name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    if table is None:
        return exp.Column(this=quoted(name))
    return exp.Column(this=quoted(name), table=quoted(table))


def named(tree: exp.Expression, name: str) -> exp.Alias:
    """``tree AS "name"``; ``tree`` is taken, not copied."""
    return exp.Alias(this=tree, alias=quoted(name))


def union_all(queries: Iterable[exp.Query], *, by_name: bool = False) -> exp.Query:
    """``q1 UNION ALL q2 UNION ALL ...`` over at least one query; the queries are taken, not copied.

    ``by_name``: ``UNION ALL BY NAME`` (DuckDB, Snowflake): columns match by name, and a
    column a query lacks is NULL there.
    """
    queries = iter(queries)
    result = next(queries)
    for query in queries:
        result = exp.Union(this=result, expression=query, distinct=False, **({"by_name": True} if by_name else {}))
    return result


def as_double(tree: exp.Expression) -> exp.Expression:
    return exp.Cast(this=tree, to=DOUBLE.copy())


def safe_div(numerator: exp.Expression, denominator: exp.Expression) -> exp.Expression:
    """Real division that yields NULL, never an error, on a zero denominator."""
    return exp.Div(
        this=as_double(numerator),
        expression=exp.Nullif(this=as_double(denominator), expression=exp.Literal.number(0)),
    )


def is_safe_division(div: exp.Div) -> bool:
    """Whether ``div`` is :func:`safe_div`'s form already (DOUBLE over ``NULLIF(..., 0)``)."""
    this, other = div.this, div.expression
    return isinstance(this, exp.Cast) and this.to.is_type("double") and isinstance(other, exp.Nullif)


def real_division(tree: exp.Expression) -> exp.Expression:
    """Every ``a / b`` in ``tree`` (a copy: ``tree`` is unchanged) as real (float) division,
    NULL when ``b`` is 0, nested divisions included.

    Definitions mean real division whatever the engine (PostgreSQL and SQLite divide
    integers as integers), and a zero denominator must give no_data, not an error.
    """
    return rewrite_bottom_up(tree.copy(), _safe_division, (exp.Div,))


def _safe_division(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Div) and not is_safe_division(node):
        return safe_div(node.this, node.expression)
    return node


def period_condition(
    time: exp.Expression, start: date | datetime | None, end: date | datetime | None, rules: Rules
) -> exp.Expression | None:
    """``start <= time < end`` (half-open), either side optional."""
    parts: list[exp.Expression] = []
    if start is not None:
        parts.append(exp.GTE(this=time.copy(), expression=rules.timestamp_literal(start)))
    if end is not None:
        parts.append(exp.LT(this=time.copy(), expression=rules.timestamp_literal(end)))
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
