"""The trees the builtin metric functions expand to (declared in :mod:`kpi_engine.builtin.functions`)."""

from __future__ import annotations

from sqlglot import exp


def _when(condition: exp.Expression, then: exp.Expression) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=condition.copy(), true=then)])


def safe_divide(a: exp.Expression, b: exp.Expression) -> exp.Expression:
    """``a / b`` as a float, null when ``b`` is 0 or null."""
    return exp.Div(
        this=exp.Cast(this=a.copy(), to=exp.DataType.build("double")),
        expression=exp.Nullif(this=b.copy(), expression=exp.Literal.number(0)),
    )


def count_if(condition: exp.Expression) -> exp.Expression:
    """Rows where ``condition`` holds (0 over no rows, like count)."""
    return exp.Count(this=_when(condition, exp.Literal.number(1)))


def sum_if(value: exp.Expression, condition: exp.Expression) -> exp.Expression:
    """Sum of ``value`` over rows where ``condition`` holds."""
    return exp.Sum(this=_when(condition, value.copy()))


def share(condition: exp.Expression) -> exp.Expression:
    """Fraction of rows where ``condition`` holds (null over no rows)."""
    case = _when(condition, exp.Literal.number("1.0"))
    case.set("default", exp.Literal.number("0.0"))
    return exp.Avg(this=case)


def percentile(value: exp.Expression, fraction: exp.Expression) -> exp.Expression:
    """The exact continuous percentile (linear interpolation between the two nearest values)."""
    return exp.PercentileCont(this=value.copy(), expression=fraction.copy())
