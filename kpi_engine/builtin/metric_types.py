"""Builtin metric types, registered through the same hook a plugin implements.

- ``top``: the top-N entries of a source by a measure, per period and slice
  (top searched keywords, top exit pages, revenue of the top customers).
"""

from __future__ import annotations

from sqlglot import exp

from ..hookspecs import hookimpl
from ..specs import MetricParam, MetricQuery, MetricTypeSpec
from ..sqlbuild import col, quoted


def top(query: MetricQuery) -> exp.Select:
    """Rank the values of ``item`` by ``expr`` (largest first) within each key; keep the first ``limit``.

    Ties are broken by the item itself, so the ranking is the same on every engine;
    rows whose item is NULL are not ranked. The ``where`` filter selects the rows
    before they are grouped.
    """
    keys = _keys(query)
    item = query.params["item"]
    inner = exp.select(
        *(exp.alias_(e, quoted(n)) for n, e in keys),
        exp.alias_(item.copy(), quoted("item")),
        exp.alias_(query.params["expr"], quoted("numerator")),
    ).from_(query.relation)
    conditions = [exp.Not(this=exp.Is(this=item.copy(), expression=exp.Null()))]
    if query.time is not None:
        period = query.period(query.time, query.start, query.end)
        if period is not None:
            conditions.append(period)
    if query.where is not None:
        conditions.append(query.where)
    inner = inner.where(exp.and_(*conditions, copy=False), copy=False)
    inner = inner.group_by(*(e.copy() for _, e in keys), item.copy(), copy=False)

    grouped = "g"
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[col(n, grouped) for n, _ in keys] or None,
        order=exp.Order(
            expressions=[
                exp.Ordered(this=col("numerator", grouped), desc=True, nulls_first=False),
                exp.Ordered(this=col("item", grouped), nulls_first=False),
            ]
        ),
    )
    ranked = exp.select(
        *(col(n, grouped) for n, _ in keys),
        col("item", grouped),
        col("numerator", grouped),
        exp.alias_(rank, quoted("rank")),
    ).from_(exp.Subquery(this=inner, alias=exp.TableAlias(this=quoted(grouped))))

    entries = "r"
    return (
        exp.select(
            *(col(n, entries) for n, _ in keys),
            col("item", entries),
            col("rank", entries),
            col("numerator", entries),
            exp.alias_(exp.Null(), quoted("denominator")),
        )
        .from_(exp.Subquery(this=ranked, alias=exp.TableAlias(this=quoted(entries))))
        .where(exp.LTE(this=col("rank", entries), expression=exp.Literal.number(query.params["limit"])))
    )


def _keys(query: MetricQuery) -> list[tuple[str, exp.Expression]]:
    keys = [("period_start", query.bucket(query.time))] if query.grain else []
    return keys + list(query.dimensions)


@hookimpl
def kpi_register_metric_types():
    return (
        MetricTypeSpec(
            name="top",
            build=top,
            params=(
                MetricParam("item", "dimension", description="what is ranked, e.g. query or customer_id"),
                MetricParam("expr", "measure", description="the measure ranking it, e.g. count(*) or sum(revenue)"),
                MetricParam("limit", "integer", required=False, default=10, description="how many entries to keep"),
            ),
            description="the top entries by a measure, per period and slice (ranked rows with item and rank)",
            lists=True,
            ratio=False,
        ),
    )
