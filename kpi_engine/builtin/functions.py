"""Builtin metric functions: small conveniences that expand to portable SQL.

Declared here, built in :mod:`~kpi_engine.builtin.function_trees`: the builders (and
sqlglot) are imported when an expression first calls one, never by plugin discovery.
"""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..specs import FunctionSpec

_TREES = "kpi_engine.builtin.function_trees"


@hookimpl
def kpi_register_functions():
    return (
        FunctionSpec("safe_divide", f"{_TREES}:safe_divide", 2, 2, "a / b as a float; null when b is 0 or null"),
        FunctionSpec("count_if", f"{_TREES}:count_if", 1, 1, "count of rows where the condition holds"),
        FunctionSpec("sum_if", f"{_TREES}:sum_if", 2, 2, "sum of the value over rows where the condition holds"),
        FunctionSpec("share", f"{_TREES}:share", 1, 1, "fraction of rows where the condition holds"),
        FunctionSpec("percentile", f"{_TREES}:percentile", 2, 2, "exact percentile p (0..1) of the value, interpolated like percentile_cont"),
    )
