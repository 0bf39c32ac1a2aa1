"""The metric functions this plugin adds to KPI expressions."""

from __future__ import annotations

from sqlglot import exp


def ratio_of(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    """``ratio_of(a, b)`` is ``CAST(SUM(a) AS DOUBLE) / NULLIF(SUM(b), 0)``.

    kpi-engine calls this with the parsed, gated argument trees, e.g. the trees of
    ``revenue - cost`` and ``revenue`` for ``ratio_of(revenue - cost, revenue)``. They
    belong to the caller's tree, so they are copied, never changed in place. The result
    is built from sqlglot nodes, never from SQL text, and it aggregates, so it can stand
    alone as a measure: ``value: {source: orders, expr: ratio_of(revenue - cost, revenue)}``.
    A ``where:`` on the measure filters both sums; over no rows the value is null
    (status no_data), and a zero denominator gives null rather than an error.
    """
    numerator = exp.Cast(this=exp.Sum(this=a.copy()), to=exp.DataType.build("double"))
    denominator = exp.Nullif(this=exp.Sum(this=b.copy()), expression=exp.Literal.number(0))
    return exp.Div(this=numerator, expression=denominator)
