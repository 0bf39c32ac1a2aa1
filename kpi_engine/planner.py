"""The planner: which sources to scan, which aggregates each scan computes, how KPIs read them.

All KPIs of one request share its grain, slicing dimensions and period, so each source
is scanned once, whatever the number of KPIs reading it. Within a scan, every distinct
aggregate (same expression, same ``where``) is computed once as a conditional aggregate
(``SUM(CASE WHEN where THEN x END)``); a KPI side becomes a small expression over those
aggregate columns. Numerator and denominator are aligned afterwards, on the aggregated
rows, never by joining fact tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import evolve, field, frozen
from sqlglot import exp

from .comparisons import bucket_steps, move, offset
from .errors import SelectionError
from .model import GRAINS, Catalog, Kpi, Measure, Source
from .periods import as_datetime
from .request import Request
from .suggest import did_you_mean

RESERVED_COLUMNS = (
    "kpi", "period_start", "item", "rank", "numerator", "denominator", "value", "target", "attainment", "status",
    "sample", "low", "high",
)
# Aggregates whose value over zero rows is 0 rather than NULL (SQL semantics).
_COUNT_LIKE = tuple(c for c in (getattr(exp, n, None) for n in ("Count", "CountIf", "ApproxDistinct")) if c)


@frozen
class Aggregate:
    """One aggregate column of a scan, e.g. ``a0 = COUNT(CASE WHEN ... THEN 1 END)``."""

    alias: str
    tree: exp.Expression = field(eq=False)
    count_like: bool


@frozen
class Scan:
    """One pass over a source: grouped by the request's keys, computing ``aggregates``."""

    alias: str
    source: Source
    aggregates: tuple[Aggregate, ...] = field(converter=tuple)


@frozen
class BoundMeasure:
    """A KPI side, rewritten over its scan: ``tree`` references aggregate columns of ``scan``."""

    scan: str
    tree: exp.Expression = field(eq=False)


@frozen
class KpiPlan:
    """How one KPI is computed: from bound measures, by its metric type, or (formula) from other KPIs' rows."""

    kpi: Kpi
    numerator: BoundMeasure | None = None
    denominator: BoundMeasure | None = None
    selected: bool = True
    metric_source: Source | None = None
    #: The KPI's ``sample:`` count, another aggregate of the scan of its source (selected KPIs only).
    sample: BoundMeasure | None = None


@frozen
class Plan:
    """Scans and KPI plans, the latter in dependency order (parts before formulas)."""

    request: Request
    scans: tuple[Scan, ...] = field(converter=tuple)
    kpis: tuple[KpiPlan, ...] = field(converter=tuple)
    #: With ``--compare``: the same KPIs over the comparison range, and how far its
    #: buckets move forward to meet the current ones (``steps`` grains).
    comparison: Plan | None = None
    steps: int = 0


def _aggregate_unit(agg: exp.AggFunc) -> exp.Expression:
    """``agg``, or the ``WITHIN GROUP`` it heads: ``percentile_cont(p) WITHIN GROUP (ORDER BY x)`` is one aggregate."""
    parent = agg.parent
    return parent if isinstance(parent, exp.WithinGroup) and parent.this is agg else agg


def _conditional(agg: exp.Expression, where: exp.Expression | None) -> exp.Expression:
    """``agg`` restricted to rows where ``where`` holds, in the same scan (CASE inside the aggregate)."""
    agg = agg.copy()
    if where is None:
        return agg
    if isinstance(agg, exp.WithinGroup):  # ordered-set aggregates skip NULLs: filter the ordered value
        for ordered in agg.expression.expressions:
            ordered.set("this", exp.Case(ifs=[exp.If(this=where.copy(), true=ordered.this)]))
        return agg
    value = agg.this
    if isinstance(value, exp.Star):
        agg.set("this", exp.Case(ifs=[exp.If(this=where.copy(), true=exp.Literal.number(1))]))
    elif isinstance(value, exp.Distinct):
        value.set(
            "expressions",
            [exp.Case(ifs=[exp.If(this=where.copy(), true=e)]) for e in value.expressions],
        )
    elif value is not None:
        agg.set("this", exp.Case(ifs=[exp.If(this=where.copy(), true=value)]))
    else:
        raise SelectionError(f"cannot filter aggregate '{agg.sql()}' with where")
    return agg


class _ScanBuilder:
    def __init__(self, alias: str, source: Source):
        self.alias = alias
        self.source = source
        self.aggregates: dict[str, Aggregate] = {}

    def bind(self, measure: Measure) -> BoundMeasure:
        where = measure.where.tree if measure.where is not None else None
        tree = measure.expr.tree.copy()
        for agg in list(tree.find_all(exp.AggFunc)):
            if agg.find_ancestor(exp.AggFunc) is not None:
                continue
            unit = _aggregate_unit(agg)
            conditional = _conditional(unit, where)
            # Keyed by its SQL, not by tree structure: 9 parsed from text and 9 built by a
            # plugin are different literals that mean the same. No copy: the generic
            # generator does not rewrite a lone aggregate.
            key = conditional.sql(comments=False, copy=False)
            found = self.aggregates.get(key)
            if found is None:
                found = Aggregate(f"a{len(self.aggregates)}", conditional, isinstance(agg, _COUNT_LIKE))
                self.aggregates[key] = found
            ref: exp.Expression = exp.column(found.alias, table=self.alias, quoted=True)
            if found.count_like:
                # The scan may have no row for a key the other side has: a count over no rows is 0.
                ref = exp.Coalesce(this=ref, expressions=[exp.Literal.number(0)])
            if unit is tree:
                tree = ref
            else:
                unit.replace(ref)
        return BoundMeasure(self.alias, tree)

    def build(self) -> Scan:
        return Scan(self.alias, self.source, tuple(self.aggregates.values()))


def plan(catalog: Catalog, request: Request) -> Plan:
    """Plan ``request`` over ``catalog``; raise :class:`SelectionError` when it cannot be computed.

    Every problem of the request is collected and reported at once, one per line.
    """
    if request.grain is not None and request.grain not in GRAINS:
        raise SelectionError(f"unknown grain '{request.grain}': use one of {', '.join(GRAINS)}")
    for dim in request.by:
        if dim in RESERVED_COLUMNS:
            raise SelectionError(f"--by {dim}: '{dim}' is a result column name; rename the dimension")
    if len(set(request.by)) != len(request.by):
        raise SelectionError("--by names a dimension twice")
    if request.trend is not None and (request.grain is None or request.trend < 2):
        raise SelectionError("--trend N needs --grain and N of at least 2: it fits a line over the last N buckets")
    if request.start is not None and request.end is not None and as_datetime(request.start) >= as_datetime(request.end):
        raise SelectionError("the period is empty or reversed: --from must be before --to")

    ordered = _with_dependencies(catalog, request.kpis)
    selected = {k.name for k in request.kpis}
    users = _formula_users(ordered, selected)
    problems: list[str] = []
    builders: dict[str, _ScanBuilder] = {}
    kpi_plans: list[KpiPlan] = []

    def scan_of(source: Source) -> _ScanBuilder:
        builder = builders.get(source.name)
        if builder is None:
            builder = builders[source.name] = _ScanBuilder(f"{request.prefix}s_{source.name}", source)
        return builder

    for kpi in ordered:
        if kpi.kind == "formula":
            kpi_plans.append(KpiPlan(kpi, selected=kpi.name in selected))
            continue
        # A selected KPI's sample count is one more aggregate of the scan of its source, on
        # the rows its value reads (its where); a part only a formula reads needs none.
        sampled = kpi.sample is not None and kpi.name in selected
        if kpi.kind == "metric":
            source = catalog.sources[kpi.metric.source]
            problem = _source_problem(kpi, source, request, users.get(kpi.name, ()))
            if problem:
                problems.append(problem)
                continue
            sample = None
            if sampled:
                sample = scan_of(source).bind(Measure(source.name, kpi.sample, kpi.metric.where))
            kpi_plans.append(KpiPlan(kpi, selected=kpi.name in selected, metric_source=source, sample=sample))
            continue
        bound = []
        for measure in kpi.measures:
            source = catalog.sources[measure.source]
            problem = _source_problem(kpi, source, request, users.get(kpi.name, ()))
            if problem:
                problems.append(problem)
                continue
            bound.append(scan_of(source).bind(measure))
        if len(bound) == len(kpi.measures):
            sample = None
            if sampled:  # a value KPI: its sample counts the rows of its value's source and where
                value = kpi.numerator
                sample = scan_of(catalog.sources[value.source]).bind(Measure(value.source, kpi.sample, value.where))
            kpi_plans.append(
                KpiPlan(kpi, bound[0], bound[1] if len(bound) > 1 else None, selected=kpi.name in selected, sample=sample)
            )
    if problems:
        raise SelectionError("\n".join(dict.fromkeys(problems)))
    current = Plan(request, tuple(b.build() for b in builders.values()), tuple(kpi_plans))
    if request.compare is None:
        return current
    unit, count = offset(request.compare, request.grain, request.start, request.end)
    back = evolve(request, start=move(request.start, unit, -count), end=move(request.end, unit, -count),
                  compare=None, prefix="c_")
    steps = bucket_steps(request.grain, unit, count) if request.grain else 0
    return evolve(current, comparison=plan(catalog, back), steps=steps)


def _source_problem(kpi: Kpi, source: Source, request: Request, users: tuple[Kpi, ...] = ()) -> str | None:
    where = f"{kpi.location}: kpi {kpi.name}"
    if users:  # a part asked for only by formulas: say which, at the formula's line
        formula = users[0]
        where = f"{formula.location}: kpi {formula.name}: its part {kpi.name} ({kpi.location})"
    if request.grain and source.time is None:
        return f"{where}: source '{source.name}' has no time column, so it cannot be bucketed by {request.grain}"
    if (request.start or request.end) and source.time is None:
        return f"{where}: source '{source.name}' has no time column, so --from/--to cannot filter it"
    for dim in request.by:
        if source.dimension(dim) is None:
            known = [d.name for d in source.dimensions]
            listed = f" (it has: {', '.join(known)})" if known else " (it declares no dimensions)"
            return f"{where}: source '{source.name}' has no dimension '{dim}'{did_you_mean(dim, known)}{listed}"
    return None


def _formula_users(ordered: list[Kpi], selected: set[str]) -> dict[str, tuple[Kpi, ...]]:
    """For each KPI computed only as a formula's part: the selected formulas that need it."""
    users: dict[str, dict[str, Kpi]] = {}
    for kpi in reversed(ordered):  # formulas come after their parts: walk users first
        if kpi.name in selected:
            needing = {kpi.name: kpi}
        else:
            needing = users.get(kpi.name, {})
        for ref in kpi.depends_on:
            users.setdefault(ref, {}).update(needing)
    return {name: tuple(found.values()) for name, found in users.items() if name not in selected and found}


def _with_dependencies(catalog: Catalog, kpis: Iterable[Kpi]) -> list[Kpi]:
    """The KPIs and every KPI their formulas use, parts first (the loader refused cycles)."""
    ordered: dict[str, Kpi] = {}

    def visit(kpi: Kpi) -> None:
        if kpi.name in ordered:
            return
        for ref in kpi.depends_on:
            visit(catalog.kpis[ref])
        ordered[kpi.name] = kpi

    for kpi in kpis:
        visit(kpi)
    return list(ordered.values())
