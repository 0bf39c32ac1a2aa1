"""PostgreSQL: untyped NULL columns in unions of three or more branches.

Proven on PostgreSQL 15 by tests/test_postgres.py, which runs every construct below
through the engine and compares it with DuckDB and with plain Python:

- date buckets: ``CAST(DATE_TRUNC('WEEK', t) AS DATE)`` is Monday-based at every grain,
  for TIMESTAMP and DATE columns (a DATE goes through ``timestamptz`` in the session time
  zone and comes back as the same date);
- ``a / b`` is rewritten to float division by the compiler (PostgreSQL divides integers
  as integers); ``COUNT(DISTINCT a, b)`` becomes sqlglot's ``CASE ... ELSE (a, b) END``
  row rewrite, which skips rows with a NULL in either column, as DuckDB does;
- ``MEDIAN(x)`` becomes ``PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x)``: exact, the
  mean of the two middle values for an even count, like DuckDB's ``median``;
- NULL slices sort last (PostgreSQL's ascending default, so sqlglot drops NULLS LAST);
  boolean columns work bare in ``where``; TIMESTAMP period bounds compare with DATE columns.

What does need a rule: PostgreSQL types the columns of a set operation pairwise, left to
right, and two untyped ``NULL`` literals meeting first resolve to ``text``; the third
branch's DOUBLE PRECISION then fails with "UNION types text and double precision cannot
be matched". The compiler stacks one branch per part when it aligns a formula over three
or more KPIs, with ``NULL`` in the other parts' slots, so those NULLs get an explicit type.

Time formats (``time: {column, format}``, tests/test_time_formats.py): ``TO_TIMESTAMP(s)
AT TIME ZONE 'UTC'`` (``TO_TIMESTAMP`` is a timestamptz, bucketed in the session's time
zone otherwise), milliseconds divided as DOUBLE PRECISION (rounded to the microsecond, so
whole milliseconds stay exact). ISO text as the base rules read it: ``CAST(... AS
TIMESTAMP)`` ignores an offset silently, so text with one is cast to timestamptz and
read at UTC. PostgreSQL reads other date forms too (``05/01/2024`` by DateStyle); the
time check refuses them.

Date parts (:mod:`~kpi_engine.dialects.timeparts`): PostgreSQL's ``EXTRACT`` returns
NUMERIC (``10`` comes back as ``Decimal('10')``, ``EXTRACT(SECOND ...)`` as ``59.500000``),
so parts are ``CAST(EXTRACT(<PART> FROM t) AS BIGINT)``, seconds floored first and
``epoch`` cast to DOUBLE PRECISION. Since PostgreSQL 14, ``EXTRACT(HOUR FROM <date>)``
is an error ("unit "hour" not supported for type date") where DuckDB answers 0, so the
time-of-day parts read ``CAST(t AS TIMESTAMP)``. ``date_diff`` counts day boundaries as
``CAST(b AS DATE) - CAST(a AS DATE)`` and builds the finer units on them.
"""

from __future__ import annotations

from sqlglot import exp

from .base import Rules
from .timeparts import calendar_diff, cast, extract, minus, number

DOUBLE_TYPES = {exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT}


def _branches(union: exp.Union) -> list[exp.Expression]:
    """The SELECTs of a chain of UNIONs, left to right."""
    out: list[exp.Expression] = []
    for side in (union.this, union.expression):
        out.extend(_branches(side) if isinstance(side, exp.Union) else [side])
    return out


def _is_null(projection: exp.Expression) -> bool:
    return isinstance(projection.unalias(), exp.Null)


def _type_of(node: exp.Expression, ctes: dict[str, exp.Expression], depth: int = 0) -> exp.DataType | None:
    """The SQL type of ``node`` when the tree states it (a CAST, a float division, a CTE
    column defined by one), else ``None``: no type is ever guessed."""
    node = node.unalias()
    while isinstance(node, exp.Paren):
        node = node.this
    if depth > 32:
        return None
    if isinstance(node, exp.Cast):
        return node.to
    if isinstance(node, exp.Div):
        left = _type_of(node.this, ctes, depth + 1)
        return left if left is not None and left.this in DOUBLE_TYPES else None
    if isinstance(node, exp.Column) and node.table in ctes:
        body = ctes[node.table]
        if isinstance(body, exp.Select):
            for projection in body.selects:
                if projection.alias_or_name == node.name:
                    return _type_of(projection, ctes, depth + 1)
    return None


#: Parts PostgreSQL refuses on a DATE (DuckDB reads a date as its midnight).
TIME_OF_DAY = ("hour", "minute", "second")


class PostgresRules(Rules):
    names = ("postgres",)
    wide_assembly = False  # PostgreSQL 12+ materializes a CTE read more than once (EXPLAIN: one CTE node)

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part in TIME_OF_DAY:
            time = cast(time.copy(), "timestamp")
        value = extract(part, time)
        if part == "epoch":
            return cast(value, "double")
        if part == "second":
            value = exp.Floor(this=value)
        return cast(value, "bigint")

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # TO_TIMESTAMP(double precision) is a timestamptz, rounded to the microsecond (so a
        # whole number of milliseconds stays exact); at UTC it is a plain timestamp.
        seconds = value.copy() if scale == 0 else exp.Div(this=cast(value.copy(), "double"), expression=number(1000))
        return exp.AtTimeZone(this=exp.UnixToTime(this=seconds), zone=exp.Literal.string("UTC"))

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            return exp.Paren(this=minus(cast(b, "date"), cast(a, "date")))

        diff = calendar_diff(self, unit, start, end, days)
        # DIV(a, 7), PostgreSQL's integer division, returns NUMERIC.
        return cast(diff, "bigint") if isinstance(diff, exp.IntDiv) else diff

    def rewrite(self, statement: exp.Expression) -> exp.Expression:
        """Type the bare NULLs of every union of three or more branches from the column's
        other branches (see the module docstring); other statements are unchanged."""
        statement = super().rewrite(statement)
        ctes = {cte.alias_or_name: cte.this for cte in statement.find_all(exp.CTE)}
        for union in list(statement.find_all(exp.Union)):
            if isinstance(union.parent, exp.Union):
                continue  # a chain is handled once, from its top
            branches = _branches(union)
            if len(branches) < 3 or not all(isinstance(b, exp.Select) for b in branches):
                continue
            width = min(len(b.selects) for b in branches)
            for position in range(width):
                column = [b.selects[position] for b in branches]
                if not any(_is_null(p) for p in column):
                    continue
                known = (_type_of(p, ctes) for p in column if not _is_null(p))
                type_ = next((t for t in known if t is not None), None)
                if type_ is None:
                    continue
                for projection in column:
                    if _is_null(projection):
                        typed = exp.Cast(this=exp.Null(), to=type_.copy())
                        alias = projection.args.get("alias") if isinstance(projection, exp.Alias) else None
                        projection.replace(exp.Alias(this=typed, alias=alias.copy()) if alias else typed)
        return statement
