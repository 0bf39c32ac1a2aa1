"""``kpi compile --explain``: the plan in words, which KPIs share which scan.

How the KPIs are assembled from the scans (:mod:`kpi_engine.compiler`), then one line
per scan (a single pass over a source, grouped by the request's keys) with the
KPIs reading it and each distinct aggregate it computes, then the KPIs computed by their
own query (metric types) and those built from other KPIs (formulas). A comparison range
(``--compare``) is a second plan of the same shape.
"""

from __future__ import annotations

from .dialects import rules_for
from .planner import Plan


def explain(plan: Plan, dialect: str = "duckdb") -> str:
    """The plan as indented text, ending with a newline."""
    lines: list[str] = []
    _describe(plan, dialect, lines, "")
    if plan.comparison is not None:
        request = plan.comparison.request
        lines.append(f"comparison ({plan.request.compare}): from {request.start or '-'} to {request.end or '-'}, "
                     f"buckets moved forward {plan.steps} {plan.request.grain or 'range'}(s)")
        _describe(plan.comparison, dialect, lines, "  ")
    return "\n".join(lines) + "\n"


def _describe(plan: Plan, dialect: str, lines: list[str], indent: str) -> None:
    request = plan.request
    keys = ", ".join(request.keys) or "none (one row)"
    period = f"{request.start or '-'} .. {request.end or '-'}" if request.start or request.end else "all rows"
    lines.append(f"{indent}keys: {keys}; period: {period}")
    if rules_for(dialect).wide_assembly:
        lines.append(f"{indent}assembly: each scan read once, aligned into one row per key, then one row per KPI")
    else:
        lines.append(f"{indent}assembly: one CTE per KPI over the scans ({dialect} computes a CTE read several times once)")
    readers: dict[str, list[str]] = {}
    for kp in plan.kpis:
        for side in (kp.numerator, kp.denominator, kp.sample):
            if side is not None:
                readers.setdefault(side.scan, [])
                if kp.kpi.name not in readers[side.scan]:
                    readers[side.scan].append(kp.kpi.name)
    lines.append(f"{indent}{len(plan.scans)} scan(s), one per source:")
    for scan in plan.scans:
        lines.append(f"{indent}  {scan.alias}: source {scan.source.name} ({scan.source.kind}), "
                     f"{len(scan.aggregates)} aggregate(s), read by {', '.join(readers.get(scan.alias, []))}")
        for aggregate in scan.aggregates:
            lines.append(f"{indent}    {aggregate.alias} = {aggregate.tree.sql(dialect=dialect)}")
    own = [kp for kp in plan.kpis if kp.kpi.kind == "metric"]
    if own:
        lines.append(f"{indent}{len(own)} KPI(s) with a query of their own (metric types):")
        for kp in own:
            lines.append(f"{indent}  {kp.kpi.name}: {kp.kpi.metric.type_name} over source {kp.kpi.metric.source}")
    formulas = [kp for kp in plan.kpis if kp.kpi.kind == "formula"]
    if formulas:
        lines.append(f"{indent}{len(formulas)} formula(s) over other KPIs' rows:")
        for kp in formulas:
            lines.append(f"{indent}  {kp.kpi.name} = {kp.kpi.formula.text} (parts: {', '.join(kp.kpi.depends_on)})")
