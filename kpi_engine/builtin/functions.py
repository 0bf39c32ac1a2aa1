"""Builtin metric functions: small conveniences that expand to portable SQL."""

from __future__ import annotations

from sqlglot import exp

from ..hookspecs import hookimpl
from ..specs import FunctionSpec


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


@hookimpl
def kpi_register_functions():
    return (
        FunctionSpec("safe_divide", safe_divide, 2, 2, "a / b as a float; null when b is 0 or null"),
        FunctionSpec("count_if", count_if, 1, 1, "count of rows where the condition holds"),
        FunctionSpec("sum_if", sum_if, 2, 2, "sum of the value over rows where the condition holds"),
        FunctionSpec("share", share, 1, 1, "fraction of rows where the condition holds"),
        FunctionSpec("percentile", percentile, 2, 2, "exact percentile p (0..1) of the value, interpolated like percentile_cont"),
    )
