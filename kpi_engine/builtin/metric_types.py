"""Builtin metric types, registered through the same hook a plugin implements.

- ``top``: the top-N entries of a source by a measure, per period and slice
  (top searched keywords, top exit pages, revenue of the top customers);
- ``breakdown``: each entry's share of the total, ranked (lead distribution by source,
  order share by payment method, revenue by category).

Declared here, built in :mod:`~kpi_engine.builtin.metric_queries`, imported (with
sqlglot) when a query is first built.
"""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..specs import MetricParam, MetricTypeSpec

_QUERIES = "kpi_engine.builtin.metric_queries"

ITEM = MetricParam("item", "dimension", description="what is ranked, e.g. query or customer_id")
EXPR = MetricParam("expr", "measure", description="the measure ranking it, e.g. count(*) or sum(revenue)")


@hookimpl
def kpi_register_metric_types():
    return (
        MetricTypeSpec(
            name="top",
            build=f"{_QUERIES}:top",
            params=(ITEM, EXPR, MetricParam("limit", "integer", required=False, default=10, description="how many entries to keep")),
            description="the top entries by a measure, per period and slice (ranked rows with item and rank)",
            lists=True,
            ratio=False,
        ),
        MetricTypeSpec(
            name="breakdown",
            build=f"{_QUERIES}:breakdown",
            params=(ITEM, EXPR, MetricParam("limit", "integer", required=False, description="keep the first N entries (default: all)")),
            description="each entry's share of the total by a measure, ranked, per period and slice",
            lists=True,
        ),
    )
