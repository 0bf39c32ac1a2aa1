"""The compiler: a :class:`~kpi_engine.planner.Plan` to one SQL statement, as a sqlglot tree.

Shape of the statement (DESIGN.md "Data flow")::

    WITH s_orders AS (SELECT keys, <conditional aggregates> FROM orders WHERE period GROUP BY keys),
         s_sessions AS (...),
         k_conversion_rate AS (SELECT keys, numerator, denominator, value
                               FROM s_orders FULL OUTER JOIN s_sessions ON keys),
         k_roas AS (SELECT ... FROM k_revenue FULL OUTER JOIN k_spend ON keys)   -- formulas
    SELECT 0 AS _ord, 'conversion_rate' AS kpi, keys, numerator, denominator, value FROM k_conversion_rate
    UNION ALL ...
    ORDER BY _ord, keys

Only aggregated rows are joined. Text reaches the tree only as literals or quoted
identifiers built from validated names.
"""

from __future__ import annotations

from sqlglot import exp

from ._sqlglot_compat import WITH_ARG
from .errors import SelectionError
from .planner import BoundMeasure, KpiPlan, Plan, Scan
from .sqlbuild import as_double, col, file_relation, period_condition, quoted, real_division, safe_div, time_bucket

ORDER_COLUMN = "_ord"


def _scan_query(scan: Scan, plan: Plan, dialect: str, reads_files: bool) -> exp.Select:
    source = scan.source
    request = plan.request
    keys: list[tuple[str, exp.Expression]] = []
    if request.grain:
        keys.append(("period_start", time_bucket(source.time.tree, request.grain, dialect)))
    for name in request.by:
        keys.append((name, real_division(source.dimension(name).expr.tree)))
    select = exp.select(*(exp.alias_(e.copy(), quoted(n)) for n, e in keys))
    select = select.select(*(exp.alias_(real_division(a.tree), quoted(a.alias)) for a in scan.aggregates))
    if source.table is not None:
        relation: exp.Expression = source.table.copy()
    elif source.paths:
        if not reads_files:
            raise SelectionError(
                f"{source.location}: source {source.name}: path sources read files, which this engine "
                f"({dialect}) cannot; use a table or sql source"
            )
        try:
            relation = file_relation(source.paths)
        except ValueError as error:
            raise SelectionError(f"{source.location}: source {source.name}: {error}") from None
    else:
        relation = exp.Subquery(this=source.sql.copy(), alias=exp.TableAlias(this=quoted("src")))
    select = select.from_(relation)
    if source.time is not None:
        condition = period_condition(source.time.tree, request.start, request.end)
        if condition is not None:
            select = select.where(condition)
    if keys:
        select = select.group_by(*(e.copy() for _, e in keys))
    return select


def _key_columns(keys: tuple[str, ...], tables: list[str]) -> list[exp.Expression]:
    """Each key from whichever side has the row (COALESCE over the joined tables)."""
    out = []
    for key in keys:
        refs = [col(key, t) for t in tables]
        expr = refs[0] if len(refs) == 1 else exp.Coalesce(this=refs[0], expressions=refs[1:])
        out.append(exp.alias_(expr, quoted(key)))
    return out


def _join_all(select: exp.Select, tables: list[str], keys: tuple[str, ...]) -> exp.Select:
    """FROM t0 FULL OUTER JOIN t1 ON keys match ... (CROSS JOIN when there are no keys)."""
    select = select.from_(exp.Table(this=quoted(tables[0])))
    for i, table in enumerate(tables[1:], start=1):
        right = exp.Table(this=quoted(table))
        if not keys:
            select = select.join(right, join_type="cross")
            continue
        conditions = []
        for key in keys:
            left_refs = [col(key, t) for t in tables[:i]]
            left = left_refs[0] if len(left_refs) == 1 else exp.Coalesce(this=left_refs[0], expressions=left_refs[1:])
            # Dimension values may be NULL; NULL slices must still line up.
            conditions.append(exp.NullSafeEQ(this=left, expression=col(key, table)))
        select = select.join(right, on=exp.and_(*conditions, copy=False), join_type="full outer")
    return select


def _measure_kpi(kp: KpiPlan, keys: tuple[str, ...]) -> exp.Select:
    sides: list[BoundMeasure] = [m for m in (kp.numerator, kp.denominator) if m is not None]
    tables = list(dict.fromkeys(m.scan for m in sides))
    numerator = real_division(kp.numerator.tree)
    if kp.denominator is not None:
        denominator = real_division(kp.denominator.tree)
        value = safe_div(numerator.copy(), denominator.copy())
    else:
        denominator = exp.Null()
        value = as_double(numerator.copy())
    select = exp.select(*_key_columns(keys, tables))
    select = select.select(
        exp.alias_(numerator, quoted("numerator")),
        exp.alias_(denominator, quoted("denominator")),
        exp.alias_(value, quoted("value")),
    )
    return _join_all(select, tables, keys)


def _formula_kpi(kp: KpiPlan, keys: tuple[str, ...]) -> exp.Select:
    refs = kp.kpi.depends_on
    tables = [f"k_{r}" for r in refs]

    def part_value(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            return col("value", f"k_{node.name}")
        return node

    tree = kp.kpi.formula.tree.transform(part_value, copy=True)
    inner = tree.unnest() if isinstance(tree, exp.Paren) else tree
    if isinstance(inner, exp.Div):
        numerator = real_division(inner.this)
        denominator = real_division(inner.expression)
        value = safe_div(numerator.copy(), denominator.copy())
    else:
        value = as_double(real_division(tree))
        numerator, denominator = value.copy(), exp.Null()
    select = exp.select(*_key_columns(keys, tables)).select(
        exp.alias_(numerator, quoted("numerator")),
        exp.alias_(denominator, quoted("denominator")),
        exp.alias_(value, quoted("value")),
    )
    return _join_all(select, tables, keys)


def compile_plan(plan: Plan, dialect: str = "duckdb", *, reads_files: bool = True) -> exp.Query:
    """The single statement computing every KPI of ``plan``, as a sqlglot tree.

    Columns: ``_ord`` (KPI position, for ordering), ``kpi``, ``period_start`` (with a
    grain), one per ``--by`` dimension, ``numerator``, ``denominator``, ``value``.
    """
    keys = plan.request.keys
    ctes: list[tuple[str, exp.Expression]] = []
    for scan in plan.scans:
        ctes.append((scan.alias, _scan_query(scan, plan, dialect, reads_files)))
    for kp in plan.kpis:
        body = _formula_kpi(kp, keys) if kp.kpi.kind == "formula" else _measure_kpi(kp, keys)
        ctes.append((f"k_{kp.kpi.name}", body))

    branches: list[exp.Select] = []
    for position, kp in enumerate(k for k in plan.kpis if k.selected):
        table = f"k_{kp.kpi.name}"
        branches.append(
            exp.select(
                exp.alias_(exp.Literal.number(position), quoted(ORDER_COLUMN)),
                exp.alias_(exp.Literal.string(kp.kpi.name), quoted("kpi")),
                *(col(k, table) for k in keys),
                exp.alias_(as_double(col("numerator", table)), quoted("numerator")),
                exp.alias_(as_double(col("denominator", table)), quoted("denominator")),
                exp.alias_(as_double(col("value", table)), quoted("value")),
            ).from_(exp.Table(this=quoted(table)))
        )
    query: exp.Query = branches[0]
    for branch in branches[1:]:
        query = exp.union(query, branch, distinct=False, copy=False)
    if isinstance(query, exp.Select):
        query = query.order_by(*(col(n) for n in (ORDER_COLUMN, *keys)))
    else:
        query.set("order", exp.Order(expressions=[exp.Ordered(this=col(n)) for n in (ORDER_COLUMN, *keys)]))
    with_ = exp.With(expressions=[exp.CTE(this=body, alias=exp.TableAlias(this=quoted(name))) for name, body in ctes])
    query.set(WITH_ARG, with_)
    return query


def render(tree: exp.Expression, dialect: str, *, pretty: bool = True) -> str:
    """SQL text for ``dialect``: the only place trees become text."""
    return tree.sql(dialect=dialect, pretty=pretty, comments=False)
