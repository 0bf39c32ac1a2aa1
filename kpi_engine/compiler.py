"""The compiler: a :class:`~kpi_engine.planner.Plan` to one SQL statement, as a sqlglot tree.

Shape of the statement (DESIGN.md "Data flow")::

    WITH s_orders AS (SELECT keys, <conditional aggregates> FROM orders WHERE period GROUP BY keys),
         s_sessions AS (...),
         k_conversion_rate AS (SELECT keys, numerator, denominator, value
                               FROM (SELECT keys, a0 AS _c0, NULL AS _c1 FROM s_orders
                                     UNION ALL SELECT keys, NULL, a0 FROM s_sessions) AS u
                               GROUP BY keys),
         k_roas AS (SELECT ... FROM (k_revenue UNION ALL k_spend) AS u GROUP BY keys)   -- formulas
    SELECT 0 AS _ord, 'conversion_rate' AS kpi, keys, numerator, denominator, value FROM k_conversion_rate
    UNION ALL ...
    ORDER BY _ord, keys

That is the per-KPI assembly, for engines known to compute a CTE read several times once
(PostgreSQL, SQLite, Snowflake). Engines that evaluate a CTE at each reference (Spark,
BigQuery, Trino, MariaDB), and any engine not known not to, would scan a source once per
KPI reading it; for them, and for DuckDB, where it holds less memory, the same scans are
aligned once into one wide row per key and unpivoted (:mod:`kpi_engine.wide`). The
dialect's rules choose (:attr:`~kpi_engine.dialects.base.Rules.wide_assembly`). Both give
the same rows.

Only aggregated rows are joined. Text reaches the tree only as literals or quoted
identifiers built from validated names.
"""

from __future__ import annotations

from datetime import datetime

from sqlglot import exp

from ._sqlglot_compat import WITH_ARG
from .allowlist import Refused, statement_check
from .errors import ScanRefused, SelectionError, UnsafeStatement, one_line
from .gcpause import paused
from .model import Kpi, Source
from .planner import KpiPlan, Plan, Scan
from .plugincalls import call_plugin
from .specs import MetricQuery
from .dialects import Rules, rules_for
from .request import ORDER_COLUMN, TimeCheck, TimeProbe
from .sqlbuild import (
    as_double, col, file_relation, named, period_condition, quoted, real_division, safe_div, union_all,
)
from .verify import fingerprint, verify
from .wide import SIDES, Part, assemble, value_of


def _own(tree: exp.Expression, dialect: str) -> exp.Expression:
    """A definition tree made the statement's own: copied once, with real division and the
    dialect's date parts (the statement as a whole is not walked again for them)."""
    return rules_for(dialect).portable(real_division(tree))


#: Meta key marking a source's FROM item (its table, or its query): the names inside are
#: the warehouse's, never the statement's CTEs (see _unshadowed).
SOURCE_MARK = "kpi_source"


def _relation(source: Source, dialect: str, reads_files: bool, portable: bool = True) -> exp.Expression:
    """The source as a FROM item: its table, a file scan, or its query as a subquery (with
    portable date parts unless ``portable`` is false: the caller then makes them so)."""
    relation = _source_relation(source, dialect, reads_files, portable)
    relation.meta[SOURCE_MARK] = True  # kept by copies, e.g. a metric type's
    return relation


def _source_relation(source: Source, dialect: str, reads_files: bool, portable: bool) -> exp.Expression:
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
        query = source.sql.copy()
        if portable:
            query = rules_for(dialect).portable(query)
        relation = exp.Subquery(this=query, alias=exp.TableAlias(this=quoted("src")))
    return relation


def _time(source: Source, plan: Plan, dialect: str, portable: bool = True) -> exp.Expression:
    """The source's time column (a new tree): converted from its ``format:`` (epoch numbers,
    ISO text), then as local time when the source has a time zone."""
    rules = rules_for(dialect)
    time = _stored_time(source, rules, portable)
    if source.timezone is None:
        return time
    request = plan.request
    return rules.local_time(time, source.timezone, request.start, request.end)


def _stored_time(source: Source, rules: Rules, portable: bool = True) -> exp.Expression:
    """The source's time column (a new tree) as a time as stored: converted from its ``format:``
    (epoch numbers, ISO text, read as UTC), in no time zone yet."""
    time = source.time.tree.copy()
    if portable:
        time = rules.portable(time)
    if source.time_format is not None:
        time = rules.time_from(time, source.time_format)
    return time


def _scan_query(scan: Scan, plan: Plan, dialect: str, reads_files: bool) -> exp.Select:
    source = scan.source
    request = plan.request
    keys: list[tuple[str, exp.Expression]] = []
    if request.grain:
        keys.append(("period_start", rules_for(dialect).time_bucket(_time(source, plan, dialect), request.grain)))
    for name in request.by:
        keys.append((name, _own(source.dimension(name).expr.tree, dialect)))
    # Every tree here is new (built, or copied once from the plan): build without copies.
    select = exp.select(*(named(e.copy(), n) for n, e in keys), copy=False)
    select.select(*(named(_own(a.tree, dialect), a.alias) for a in scan.aggregates), copy=False)
    select.from_(_relation(source, dialect, reads_files), copy=False)
    if source.time is not None:
        condition = period_condition(_time(source, plan, dialect), request.start, request.end, rules_for(dialect))
        if condition is not None:
            select.where(condition, copy=False)
    if keys:
        select.group_by(*(e for _, e in keys), copy=False)
    return select


ALIGNED = "u"


def _aligned(items: list[tuple[str, exp.Expression]], tables: list[str], keys: tuple[str, ...]) -> exp.Select:
    """``SELECT keys, items`` over the aggregated CTEs ``tables``, aligned on ``keys``.

    Each table has at most one row per key, so rows are aligned by stacking the tables
    (UNION ALL, one column slot per value read) and grouping by the keys: GROUP BY puts
    NULL keys together in every engine, where a FULL OUTER JOIN on IS NOT DISTINCT FROM
    is refused by PostgreSQL ("FULL JOIN is only supported with merge-joinable or
    hash-joinable join conditions"), BigQuery wants plain field equalities in a FULL
    JOIN, and MySQL has no FULL JOIN at all. A key one table lacks reads NULL from it
    (MAX over no value); no fact table is ever joined.
    """
    if len(tables) == 1:
        table = tables[0]
        select = exp.select(*(named(col(k, table), k) for k in keys), copy=False)
        select.select(*(named(e, n) for n, e in items), copy=False)
        return select.from_(exp.Table(this=quoted(table)), copy=False)
    slots: dict[tuple[str, str], str] = {}
    for _, tree in items:
        for column in tree.find_all(exp.Column):
            if column.table in tables:
                slots.setdefault((column.table, column.name), f"_c{len(slots)}")
    branches = []
    for table in tables:
        branch = exp.select(*(named(col(k, table), k) for k in keys), copy=False)
        branch.select(
            *(
                named(col(name, table) if source == table else exp.Null(), slot)
                for (source, name), slot in slots.items()
            ),
            copy=False,
        )
        branches.append(branch.from_(exp.Table(this=quoted(table)), copy=False))
    stacked = union_all(branches)

    def pick(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and (node.table, node.name) in slots:
            return exp.Max(this=col(slots[(node.table, node.name)], ALIGNED))
        return node

    select = exp.select(*(named(col(k, ALIGNED), k) for k in keys), copy=False)
    # ``items`` are new trees, the caller's to give away: rewritten in place.
    select.select(*(named(e.transform(pick, copy=False), n) for n, e in items), copy=False)
    select.from_(exp.Subquery(this=stacked, alias=exp.TableAlias(this=quoted(ALIGNED))), copy=False)
    if keys:
        select.group_by(*(col(k, ALIGNED) for k in keys), copy=False)
    return select


def _measure_part(kp: KpiPlan, dialect: str, prefix: str) -> Part:
    """A measure KPI's sides, value and sample, over the aggregate columns of its scans."""
    numerator = _own(kp.numerator.tree, dialect)
    denominator = _own(kp.denominator.tree, dialect) if kp.denominator is not None else exp.Null()
    sample = _own(kp.sample.tree, dialect) if kp.sample is not None else None
    # The value (their ratio, or the numerator) is built where a statement needs it: value_of.
    return Part(kp.kpi.name, f"{prefix}k_{kp.kpi.name}", numerator, denominator, kp.denominator is not None, sample)


def _formula_part(kp: KpiPlan, dialect: str, prefix: str) -> Part:
    """A formula KPI over its parts' ``value`` (columns of ``k_<part>``); ``a / b`` is a ratio."""

    def part_value(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column):
            return col("value", f"{prefix}k_{node.name}")
        return node

    tree = rules_for(dialect).portable(kp.kpi.formula.tree.transform(part_value, copy=True))
    inner = tree.unnest() if isinstance(tree, exp.Paren) else tree
    if isinstance(inner, exp.Div):
        numerator = real_division(inner.this)
        denominator = real_division(inner.expression)
    else:
        numerator, denominator = as_double(real_division(tree)), exp.Null()
    return Part(kp.kpi.name, f"{prefix}k_{kp.kpi.name}", numerator, denominator, isinstance(inner, exp.Div))


def _part_tables(kp: KpiPlan, prefix: str) -> list[str]:
    """The CTEs a measure or formula KPI reads: its scans, or its parts' KPI CTEs."""
    if kp.kpi.kind == "formula":
        return [f"{prefix}k_{r}" for r in kp.kpi.depends_on]
    return list(dict.fromkeys(m.scan for m in (kp.numerator, kp.denominator, kp.sample) if m is not None))


def _per_kpi_body(part: Part, tables: list[str], keys: tuple[str, ...]) -> exp.Select:
    items = [("numerator", part.numerator), ("denominator", part.denominator), ("value", value_of(part))]
    if part.sample is not None:  # the other KPIs' result branches say NULL (_branch)
        items.append(("sample", part.sample))
    return _aligned(items, tables, keys)


def _has_sample(kp: KpiPlan) -> bool:
    """Whether the KPI's CTE has a ``sample`` column: its ``sample:`` count, bound to a scan
    (selected KPIs only), or the column its metric type returns, asked for by ``min_sample``."""
    if kp.sample is not None:
        return True
    kpi = kp.kpi
    return kp.selected and kpi.kind == "metric" and kpi.metric.type.sample == "sample" and kpi.reports_sample


METRIC = "m"
TEXT = exp.DataType.build("text")
BIGINT = exp.DataType.build("bigint")


def _metric_kpi(kp: KpiPlan, plan: Plan, dialect: str, reads_files: bool) -> exp.Select:
    """The KPI's metric type builds its query; the engine adds ``value`` and normalises the columns."""
    metric, source, request = kp.kpi.metric, kp.metric_source, plan.request
    params = {
        name: real_division(value.tree) if hasattr(value, "tree") else value
        for name, value in metric.params.items()
    }
    query = MetricQuery(
        kpi=kp.kpi.name,
        source=source.name,
        relation=_relation(source, dialect, reads_files, portable=False),
        time=_time(source, plan, dialect, portable=False) if source.time is not None else None,
        where=real_division(metric.where.tree) if metric.where is not None else None,
        params=params,
        grain=request.grain,
        dimensions=tuple((n, real_division(source.dimension(n).expr.tree)) for n in request.by),
        start=request.start,
        end=request.end,
        dialect=dialect,
        rules=rules_for(dialect),
    )
    try:
        built = call_plugin(lambda: metric.type.load_build()(query))
    except SelectionError:
        raise
    except Exception as error:  # a plugin's bug (sys.exit() too): name the KPI and the type, keep it to one line
        raise SelectionError(
            f"{kp.kpi.location}: kpi {kp.kpi.name}: metric type {metric.type_name} failed to build its query: "
            f"{one_line(error)}"
        ) from None
    if not isinstance(built, exp.Query):
        raise SelectionError(
            f"{kp.kpi.location}: kpi {kp.kpi.name}: metric type {metric.type_name} must return a sqlglot query, "
            f"not {type(built).__name__}"
        )
    numerator = col("numerator", METRIC)
    if metric.type.ratio:
        denominator: exp.Expression = col("denominator", METRIC)
        value = safe_div(numerator.copy(), denominator.copy())
    else:
        denominator, value = exp.Null(), as_double(numerator.copy())
    select = exp.select(*(named(col(k, METRIC), k) for k in request.keys), copy=False)
    if metric.lists:
        select.select(
            named(exp.Cast(this=col("item", METRIC), to=TEXT.copy()), "item"),
            named(exp.Cast(this=col("rank", METRIC), to=BIGINT.copy()), "rank"),
            copy=False,
        )
    select.select(
        named(numerator, "numerator"),
        named(denominator, "denominator"),
        named(value, "value"),
        copy=False,
    )
    # The plugin's query, built from the pieces above, is ours now: its date parts (the
    # definitions' and its own) are made portable once, here.
    built = rules_for(dialect).portable(built)
    select.from_(exp.Subquery(this=built, alias=exp.TableAlias(this=quoted(METRIC))), copy=False)
    if _has_sample(kp):
        select.select(named(_metric_sample(kp, select, request, dialect), "sample"), copy=False)
    return select


def _metric_sample(kp: KpiPlan, select: exp.Select, request, dialect: str) -> exp.Expression:
    """A metric KPI's sample: its ``sample:`` count, read from the scan of its source joined
    on the keys (``select`` gets the join), or the column its type returns.

    The scan has one row per key, so the join keeps the metric's rows (a list's entries
    all get their key's count); a key the scan lacks reads its count over no rows.
    """
    if kp.sample is not None:
        scan = kp.sample.scan
        on = [exp.NullSafeEQ(this=col(k, METRIC), expression=col(k, scan)) for k in request.keys]
        select.join(
            exp.Table(this=quoted(scan)), on=exp.and_(*on, copy=False) if on else exp.true(), join_type="left", copy=False
        )
        return _own(kp.sample.tree, dialect)
    return col("sample", METRIC)


def _no_list_columns() -> list[exp.Expression]:
    """``item`` and ``rank`` as typed NULLs, for a KPI that is not a list (union branches agree)."""
    return [
        named(exp.Cast(this=exp.Null(), to=TEXT.copy()), "item"),
        named(exp.Cast(this=exp.Null(), to=BIGINT.copy()), "rank"),
    ]


def _list_columns(kp: KpiPlan, table: str, aliased: bool = False) -> list[exp.Expression]:
    """``item`` and ``rank`` of a list KPI, typed NULLs for the others (so every union branch agrees)."""
    if kp.kpi.lists:
        if aliased:
            return [named(col(n, table), n) for n in ("item", "rank")]
        return [col("item", table), col("rank", table)]
    return _no_list_columns()


def _branch(position: int, kp: KpiPlan, table: str, plan: Plan, named_keys: bool) -> exp.Select:
    """The result rows of one KPI CTE: ``_ord``, ``kpi``, keys, [item, rank], sides and value as DOUBLE."""
    keys = plan.request.keys
    return exp.select(
        named(exp.Literal.number(position), ORDER_COLUMN),
        named(exp.Literal.string(kp.kpi.name), "kpi"),
        *(named(col(k, table), k) if named_keys else col(k, table) for k in keys),
        *(_list_columns(kp, table, aliased=named_keys) if plan.request.lists else ()),
        named(as_double(col("numerator", table)), "numerator"),
        named(as_double(col("denominator", table)), "denominator"),
        named(as_double(col("value", table)), "value"),
        *((named(as_double(col("sample", table) if _has_sample(kp) else exp.Null()), "sample"),)
          if plan.request.samples else ()),
        copy=False,
    ).from_(exp.Table(this=quoted(table)), copy=False)


def _ctes(plan: Plan, dialect: str, reads_files: bool) -> list[tuple[str, exp.Expression]]:
    """The per-KPI assembly's CTEs: the scans, then one per KPI, named with the request's prefix."""
    keys, prefix = plan.request.keys, plan.request.prefix
    ctes: list[tuple[str, exp.Expression]] = []
    for scan in plan.scans:
        ctes.append((scan.alias, _scan_query(scan, plan, dialect, reads_files)))
    for kp in plan.kpis:
        if kp.kpi.kind == "formula":
            body = _per_kpi_body(_formula_part(kp, dialect, prefix), _part_tables(kp, prefix), keys)
        elif kp.kpi.kind == "metric":
            body = _metric_kpi(kp, plan, dialect, reads_files)
        else:
            body = _per_kpi_body(_measure_part(kp, dialect, prefix), _part_tables(kp, prefix), keys)
        ctes.append((f"{prefix}k_{kp.kpi.name}", body))
    return ctes


def _wide(plan: Plan, dialect: str, reads_files: bool) -> tuple[list[tuple[str, exp.Expression]], exp.Query]:
    """The one-reference assembly's CTEs and result query (:mod:`kpi_engine.wide`).

    A ranked list has several rows per key, so it keeps a CTE and a result branch of its own.
    """
    keys, prefix = plan.request.keys, plan.request.prefix
    ctes: list[tuple[str, exp.Expression]] = [
        (scan.alias, _scan_query(scan, plan, dialect, reads_files)) for scan in plan.scans
    ]
    parts: list[Part] = []
    selected: list[tuple[int, str]] = []
    branches: list[exp.Select] = []
    positions = {kp.kpi.name: i for i, kp in enumerate(k for k in plan.kpis if k.selected)}
    for kp in plan.kpis:
        table = f"{prefix}k_{kp.kpi.name}"
        if kp.kpi.kind == "metric":
            body = _metric_kpi(kp, plan, dialect, reads_files)
            if kp.kpi.lists:  # always selected: formulas cannot read a list
                ctes.append((table, body))
                branches.append(_branch(positions[kp.kpi.name], kp, table, plan, named_keys=False))
                continue
            member = f"{prefix}m_{kp.kpi.name}"
            ctes.append((member, body))
            # Its value column is their ratio or the numerator too (_metric_kpi).
            sample = col("sample", member) if _has_sample(kp) else None
            parts.append(Part(kp.kpi.name, table, *(col(side, member) for side in SIDES), kp.kpi.metric.type.ratio, sample))
        elif kp.kpi.kind == "formula":
            parts.append(_formula_part(kp, dialect, prefix))
        else:
            parts.append(_measure_part(kp, dialect, prefix))
        if kp.selected:
            selected.append((positions[kp.kpi.name], table))
    if selected:
        row = f"{prefix}{WIDE_ROW}"
        extra = tuple(_no_list_columns()) if plan.request.lists else ()
        body, query = assemble(
            parts, selected, keys, row, extra, by_name=rules_for(dialect).union_by_name, samples=plan.request.samples
        )
        ctes.append((row, body))
        branches.insert(0, query)
    return ctes, union_all(branches)


COMPARED = "cmp"
#: CTE names of the wide assembly: its row per key, and its result rows (current and
#: comparison range) before they are joined. A leading underscore keeps them off the
#: names of real tables, which a later CTE of the same name would hide.
WIDE_ROW = "_kpi_w"
RESULT = "_kpi_r"


def _compared(branch: exp.Select, table: str, other: str, plan: Plan, dialect: str, lists: bool) -> exp.Select:
    """``branch`` (rows of ``table``) with the value over the comparison range beside it
    (``compare_value``, from ``other``).

    A comparison bucket moves forward by ``plan.steps`` grains onto the current one; slices
    (and a list's items) must match, NULL matching NULL. ``change`` and ``change_ratio``
    are computed here too; the verdict, which needs the KPI's direction, in Python. When
    ``table`` holds every KPI (the wide assembly's result), rows also match on ``_ord``.
    """
    on: list[exp.Expression] = []
    if table == RESULT:
        on.append(exp.EQ(this=col(ORDER_COLUMN, table), expression=col(ORDER_COLUMN, COMPARED)))
    for key in plan.request.keys:
        mine = col(key, table)
        theirs: exp.Expression = col(key, COMPARED)
        if key == "period_start":
            theirs = rules_for(dialect).shift_bucket(theirs, plan.request.grain, plan.steps)
            on.append(exp.EQ(this=mine, expression=theirs))
        else:
            on.append(exp.NullSafeEQ(this=mine, expression=theirs))
    if lists:  # NULL for a KPI that is not a list (the wide result holds both)
        on.append(exp.NullSafeEQ(this=col("item", table), expression=col("item", COMPARED)))
    value, before = col("value", table), col("value", COMPARED)
    change = exp.Sub(this=as_double(value.copy()), expression=as_double(before.copy()))
    ratio = safe_div(change.copy(), exp.Abs(this=before.copy()))
    branch = branch.select(
        named(as_double(before), "compare_value"),
        named(change, "change"),
        named(ratio, "change_ratio"),
        copy=False,
    )
    return branch.join(
        exp.Table(this=quoted(other), alias=exp.TableAlias(this=quoted(COMPARED))),
        on=exp.and_(*on, copy=False) if on else exp.true(),
        join_type="left",
        copy=False,
    )


def _per_kpi_statement(plan: Plan, dialect: str, reads_files: bool) -> tuple[list, exp.Query]:
    """The per-KPI assembly: a CTE per KPI, a result branch per KPI (joined to its
    comparison CTE with ``--compare``)."""
    ctes = _ctes(plan, dialect, reads_files)
    if plan.comparison is not None:
        ctes += _ctes(plan.comparison, dialect, reads_files)
    branches: list[exp.Select] = []
    for position, kp in enumerate(k for k in plan.kpis if k.selected):
        table = f"k_{kp.kpi.name}"
        # With a comparison joined, name the keys: SQLite resolves ORDER BY period_start
        # against both joined tables otherwise ("ambiguous column name").
        branch = _branch(position, kp, table, plan, named_keys=plan.comparison is not None)
        if plan.comparison is not None:
            other = f"{plan.comparison.request.prefix}k_{kp.kpi.name}"
            branch = _compared(branch, table, other, plan, dialect, kp.kpi.lists)
        branches.append(branch)
    return ctes, union_all(branches)


def _wide_statement(plan: Plan, dialect: str, reads_files: bool) -> tuple[list, exp.Query]:
    """The one-reference assembly; with ``--compare``, the current and the comparison
    range's results as CTEs, joined once."""
    ctes, query = _wide(plan, dialect, reads_files)
    if plan.comparison is None:
        return ctes, query
    other = f"{plan.comparison.request.prefix}{RESULT}"
    comparison_ctes, comparison = _wide(plan.comparison, dialect, reads_files)
    ctes += [(RESULT, query), *comparison_ctes, (other, comparison)]
    columns = (ORDER_COLUMN, "kpi", *plan.request.keys, *(("item", "rank") if plan.request.lists else ()),
               "numerator", "denominator", "value", *(("sample",) if plan.request.samples else ()))
    branch = exp.select(*(named(col(c, RESULT), c) for c in columns), copy=False)
    branch.from_(exp.Table(this=quoted(RESULT)), copy=False)
    return ctes, _compared(branch, RESULT, other, plan, dialect, plan.request.lists)


def compile_plan(
    plan: Plan, dialect: str = "duckdb", *, reads_files: bool = True, wide: bool | None = None
) -> exp.Query:
    """The single statement computing every KPI of ``plan``, as a sqlglot tree.

    Columns: ``_ord`` (KPI position, for ordering), ``kpi``, ``period_start`` (with a
    grain), one per ``--by`` dimension, ``item`` and ``rank`` (when a list KPI is asked
    for), ``numerator``, ``denominator``, ``value``, ``sample`` (when a KPI asked for
    reports one, :attr:`~kpi_engine.request.Request.samples`).

    ``wide`` picks the assembly: one wide row per key read once (:mod:`kpi_engine.wide`),
    or a CTE per KPI; by default, as the dialect's rules say
    (:attr:`~kpi_engine.dialects.base.Rules.wide_assembly`). Both give the same rows.
    """
    if wide is None:
        wide = rules_for(dialect).wide_assembly
    build = _wide_statement if wide else _per_kpi_statement
    ctes, query = build(plan, dialect, reads_files)
    keys, lists = plan.request.keys, plan.request.lists
    # NULL slices last everywhere: BigQuery and Spark sort NULLs first by default.
    ordering = (ORDER_COLUMN, *keys, *(("rank",) if lists else ()))
    # Output column names: the comparison's join has the same names on both sides, but
    # ORDER BY reads the select list first (MySQL's rules also move it outside).
    order = exp.Order(expressions=[exp.Ordered(this=col(n), nulls_first=False) for n in ordering])
    query.set("order", order)
    ctes, renamed = _unshadowed(ctes, query, plan)
    with_ = exp.With(expressions=[exp.CTE(this=body, alias=exp.TableAlias(this=quoted(name))) for name, body in ctes])
    query.set(WITH_ARG, with_)
    try:
        return rules_for(dialect).rewrite(query)  # the statement is ours: no copy
    except ScanRefused as error:
        original = {new: name for name, new in renamed.items()}.get(error.scan, error.scan)
        raise SelectionError(_refused(plan, ScanRefused(original, error.reason))) from None


def _unshadowed(
    ctes: list[tuple[str, exp.Expression]], query: exp.Query, plan: Plan
) -> tuple[list[tuple[str, exp.Expression]], dict[str, str]]:
    """``ctes``, renamed where a source's table has the same name, with every reference
    to them in ``query`` and the CTE bodies; and the new name of each renamed CTE.

    A CTE hides a table of its name from the CTEs after it: a scan of a table named like
    an earlier CTE (a table ``s_sessions`` when the sessions scan comes first, ``k_revenue``
    before the comparison range's scans) would read the CTE. Names compare case-blind,
    as most engines compare unquoted ones; in the usual statement nothing clashes and
    nothing is walked.
    """
    tables = _source_tables(plan)
    clashes = [name for name, _ in ctes if name.lower() in tables]
    if not clashes:
        return ctes, {}
    taken = tables | {name.lower() for name, _ in ctes}
    renamed: dict[str, str] = {}
    for name in clashes:
        new = f"_kpi_{name}"
        while new.lower() in taken:
            new = f"_{new}"
        taken.add(new.lower())
        renamed[name] = new
    def source(node: exp.Expression) -> bool:
        return bool(node.meta_get(SOURCE_MARK))

    for tree in (query, *(body for _, body in ctes)):
        for node in tree.walk(prune=source):  # a source's FROM item is yielded, not entered
            if isinstance(node, exp.Table) and not source(node) and not node.args.get("db") and node.name in renamed:
                node.set("this", quoted(renamed[node.name]))
            elif isinstance(node, exp.Column) and node.table in renamed:
                node.set("table", quoted(renamed[node.table]))
    return [(renamed.get(name, name), body) for name, body in ctes], renamed


def _source_tables(plan: Plan) -> set[str]:
    """The lower-cased names of the tables the plan's sources read (both ranges)."""
    names: set[str] = set()
    for part in (plan, plan.comparison):
        if part is None:
            continue
        sources = [scan.source for scan in part.scans]
        sources += [kp.metric_source for kp in part.kpis if kp.metric_source is not None]
        for source in sources:
            if source.table is not None:
                names.add(source.table.name.lower())
            elif source.sql is not None:
                names.update(table.name.lower() for table in source.sql.find_all(exp.Table))
    return names


def _refused(plan: Plan, error: ScanRefused) -> str:
    """``error`` as one line naming the KPIs that read the refused scan, at the first one's definition."""
    readers: dict[str, Kpi] = {}
    for part in (plan, plan.comparison):
        for kp in part.kpis if part is not None else ():
            if any(side is not None and side.scan == error.scan for side in (kp.numerator, kp.denominator, kp.sample)):
                readers.setdefault(kp.kpi.name, kp.kpi)
    if not readers:
        return error.reason
    first = next(iter(readers.values()))
    return f"{first.location}: kpi {', '.join(readers)}: {error.reason}"


def render(tree: exp.Expression, dialect: str, *, pretty: bool = True, copy: bool = True) -> str:
    """SQL text for ``dialect``: the only place trees become text.

    sqlglot's generator rewrites the tree it renders; ``copy=False`` lets it rewrite
    ``tree`` itself, for a tree the caller discards afterwards.
    """
    return tree.sql(dialect=dialect, pretty=pretty, comments=False, copy=copy)


def compile_sql(
    plan: Plan, dialect: str = "duckdb", *, reads_files: bool = True, pretty: bool = True, wide: bool | None = None
) -> str:
    """The SQL text of :func:`compile_plan`'s statement, checked twice before anything may run it.

    The tree passes :func:`~kpi_engine.allowlist.check_statement` before it is printed
    (without a copy) and the text :func:`~kpi_engine.verify.verify` after: raises
    :class:`~kpi_engine.errors.UnsafeStatement` otherwise.
    """
    with paused():
        return checked_sql(compile_plan(plan, dialect, reads_files=reads_files, wide=wide), dialect,
                           reads_files=reads_files, pretty=pretty)


def checked_sql(tree: exp.Expression, dialect: str, *, reads_files: bool, pretty: bool = True) -> str:
    """``tree`` (a statement this module built, consumed) as SQL text, after the allowlist and the read-back."""
    rules = rules_for(dialect)
    check = statement_check(functions=rules.functions, keywords=rules.keywords, reads_files=reads_files)
    try:
        planned = fingerprint(tree, visit=check)  # one walk: the allowlist and what to compare after
    except Refused as refused:
        raise UnsafeStatement(dialect, refused.message) from None
    sql = render(tree, dialect, pretty=pretty, copy=False)
    verify(sql, planned, dialect, functions=rules.functions)
    return sql


#: Columns of :func:`compile_newest`'s statement.
NEWEST_COLUMNS = ("source", "newest")


def compile_newest(sources: list[tuple[Source, datetime | None, datetime | None]], dialect: str = "duckdb", *,
                   reads_files: bool = True) -> str:
    """One checked statement giving, per ``(source, after, before)``, the source's newest time
    value in ``[after, before)`` (either bound may be ``None``; ``NULL`` without such rows).
    Columns: ``source``, ``newest``.

    The bounds are compared with the time as stored: for a source with a time zone they are
    UTC (:mod:`kpi_engine.freshness` converts both ways).
    """
    rules = rules_for(dialect)
    queries = []
    for source, after, before in sources:
        time = _stored_time(source, rules)
        select = exp.select(named(exp.Literal.string(source.name), NEWEST_COLUMNS[0]),
                            named(exp.Max(this=time.copy()), NEWEST_COLUMNS[1]), copy=False)
        select.from_(_relation(source, dialect, reads_files), copy=False)
        condition = period_condition(time, after, before, rules)
        if condition is not None:
            select.where(condition, copy=False)
        queries.append(select)
    tree = rules.rewrite(union_all(queries))
    with paused():
        return checked_sql(tree, dialect, reads_files=reads_files, pretty=False)

def compile_time_check(plan: Plan, dialect: str = "duckdb", *, reads_files: bool = True, pretty: bool = True) -> TimeCheck | None:
    """The statement that tells whether each time column ``plan`` reads holds what its
    source says (:mod:`kpi_engine.timeformats`), or None when the request reads none
    (no grain, no period).

    One row: derived tables of one row each, cross joined. Where the engine types
    columns, ``MIN(time)`` over no rows (``WHERE 1 = 0``: planned, never scanned) gives
    the type. On SQLite, where each value has a type, ``MIN`` and ``MAX`` give the
    smallest and the largest value (numbers sort before text, text before blobs, so a
    single number or blob among texts is found), each in a query of its own, which an
    index on the column answers without a scan. A source reading ``format: iso`` is
    scanned to count the values of another form (and, where the engine reads text that
    is no time as NULL, those it reads so). Checked like every statement (:func:`checked_sql`).
    """
    request = plan.request
    if not request.grain and request.start is None and request.end is None:
        return None
    rules = rules_for(dialect)
    sources: dict[str, Source] = {}
    for scan in plan.scans:
        sources.setdefault(scan.source.name, scan.source)
    for kp in plan.kpis:
        if kp.metric_source is not None:
            sources.setdefault(kp.metric_source.name, kp.metric_source)
    readers = _readers(plan)
    probes: list[TimeProbe] = []
    outer = exp.select(copy=False)
    position = 0
    for index, source in enumerate(sources.values()):
        at: dict[str, int] = {}
        for part, (columns, over_no_rows) in enumerate(_time_facts(source, rules)):
            names = {role: f"_kpi_{role}{index}" for role, _ in columns}
            derived = exp.select(*(named(tree, names[role]) for role, tree in columns), copy=False)
            derived.from_(_relation(source, dialect, reads_files), copy=False)
            if over_no_rows:
                derived.where(exp.EQ(this=exp.Literal.number(1), expression=exp.Literal.number(0)), copy=False)
            alias = f"_kpi_t{index}_{part}"
            item = exp.Subquery(this=derived, alias=exp.TableAlias(this=quoted(alias)))
            if position == 0:
                outer.from_(item, copy=False)
            else:
                outer.join(item, join_type="cross", copy=False)
            outer.select(*(named(col(names[role], alias), names[role]) for role, _ in columns), copy=False)
            for role, _ in columns:
                at[role] = position
                position += 1
        probes.append(TimeProbe(
            source.name, str(source.location), source.time.text, source.time_format, readers.get(source.name, ()), **at,
        ))
    if not probes:
        return None
    sql = checked_sql(rules.rewrite(outer), dialect, reads_files=reads_files, pretty=pretty)
    return TimeCheck(sql, probes, typed=rules.typed_columns)


def _time_facts(source: Source, rules: Rules) -> list[tuple[list[tuple[str, exp.Expression]], bool]]:
    """The one-row queries telling what ``source``'s time column holds: for each, its
    (role, aggregate) columns and whether it runs over no rows (see :func:`compile_time_check`)."""
    raw = rules.portable(source.time.tree.copy())
    low: list[tuple[str, exp.Expression]] = [("low", exp.Min(this=raw.copy()))]
    facts = [(low, rules.typed_columns)]
    if not rules.typed_columns:
        facts.append(([("high", exp.Max(this=raw.copy()))], False))
    if source.time_format == "iso":
        # The values (not NULL) of another form than ISO 8601, or read as NULL where the
        # engine reads text that is no time so: how many, and the smallest of them. (The
        # conversion is evaluated only where it reads them as NULL: elsewhere it fails.)
        text = exp.Cast(this=raw.copy(), to=TEXT.copy())  # numbers or times: their text is counted, not refused
        unread: exp.Expression = exp.Not(this=exp.Paren(this=rules.iso_shape(text)))
        if rules.lenient_text:
            unread = exp.or_(unread, exp.Is(this=rules.time_from(raw, "iso"), expression=exp.Null()), copy=False)
        odd = exp.Case(ifs=[exp.If(this=unread, true=raw.copy())])
        low += [("bad", exp.Count(this=odd.copy())), ("example", exp.Min(this=odd))]
        facts[0] = (low, False)
    return facts


def _readers(plan: Plan) -> dict[str, tuple[str, ...]]:
    """For each source: the selected KPIs reading it, directly or through a formula's parts."""
    from .freshness import sources_read

    by_name = {kp.kpi.name: kp.kpi for kp in plan.kpis}  # a formula's parts are planned with it
    readers: dict[str, list[str]] = {}
    for kp in plan.kpis:
        if kp.selected:
            for source in sources_read(by_name, kp.kpi):
                readers.setdefault(source, []).append(kp.kpi.name)
    return {source: tuple(names) for source, names in readers.items()}
