"""The queries of the builtin metric types (declared in :mod:`kpi_engine.builtin.metric_types`).

- ``top``: the top-N entries of a source by a measure, per period and slice
  (top searched keywords, top exit pages, revenue of the top customers);
- ``breakdown``: each entry's share of the total, ranked (lead distribution by source,
  order share by payment method, revenue by category).
"""

from __future__ import annotations

from sqlglot import exp

from ..specs import MetricQuery
from ..sqlbuild import col, quoted


def _keys(query: MetricQuery) -> list[tuple[str, exp.Expression]]:
    keys = [("period_start", query.bucket(query.time))] if query.grain else []
    return keys + list(query.dimensions)


def _rows(query: MetricQuery, extra: list[exp.Expression] | None = None) -> exp.Expression | None:
    """The period, the KPI's ``where`` and ``extra`` conditions, ANDed (``None`` when there are none)."""
    conditions = list(extra or [])
    if query.time is not None:
        period = query.period(query.time, query.start, query.end)
        if period is not None:
            conditions.append(period)
    if query.where is not None:
        conditions.append(query.where.copy())
    return exp.and_(*conditions, copy=False) if conditions else None


def _grouped(query: MetricQuery, measure: str, *, by_item: bool) -> exp.Select:
    """``SELECT keys[, item], expr AS measure FROM source WHERE ... GROUP BY keys[, item]``.

    Per item, rows whose item is NULL are left out; the total keeps them.
    """
    keys = _keys(query)
    item = query.params["item"]
    columns = [exp.alias_(e.copy(), quoted(n), copy=False) for n, e in keys]
    groups = [e.copy() for _, e in keys]
    extra = []
    if by_item:
        columns.append(exp.alias_(item.copy(), quoted("item"), copy=False))
        groups.append(item.copy())
        extra.append(exp.Not(this=exp.Is(this=item.copy(), expression=exp.Null())))
    columns.append(exp.alias_(query.params["expr"].copy(), quoted(measure), copy=False))
    # Builders below take copy=False: every tree here is new or copied once, so the
    # default copy of the growing query at each step would only cost time.
    select = exp.select(*columns, copy=False).from_(query.relation.copy(), copy=False)
    rows = _rows(query, extra)
    if rows is not None:
        select = select.where(rows, copy=False)
    return select.group_by(*groups, copy=False) if groups else select


def _ranked(query: MetricQuery, entries: exp.Select, alias: str, carried: list[str]) -> exp.Select:
    """``entries`` with a ``rank`` per key (largest numerator first, ties by item), cut at ``limit``."""
    names = [n for n, _ in _keys(query)]
    rank = exp.Window(
        this=exp.RowNumber(),
        partition_by=[col(n, alias) for n in names] or None,
        order=exp.Order(
            expressions=[
                exp.Ordered(this=col("numerator", alias), desc=True, nulls_first=False),
                exp.Ordered(this=col("item", alias), nulls_first=False),
            ]
        ),
    )
    ranked = exp.select(
        *(col(n, alias) for n in [*names, "item", *carried]),
        exp.alias_(rank, quoted("rank"), copy=False),
        copy=False,
    ).from_(exp.Subquery(this=entries, alias=exp.TableAlias(this=quoted(alias))), copy=False)
    outer = "r"
    select = exp.select(
        *(col(n, outer) for n in [*names, "item", "rank", *carried]),
        copy=False,
    ).from_(exp.Subquery(this=ranked, alias=exp.TableAlias(this=quoted(outer))), copy=False)
    limit = query.params.get("limit")
    if limit is not None:
        select = select.where(exp.LTE(this=col("rank", outer), expression=exp.Literal.number(limit)), copy=False)
    return select


def top(query: MetricQuery) -> exp.Select:
    """Rank the values of ``item`` by ``expr`` (largest first) within each key; keep the first ``limit``.

    Ties are broken by the item itself, so the ranking is the same on every engine;
    rows whose item is NULL are not ranked. The ``where`` filter selects the rows
    before they are grouped.
    """
    entries = _grouped(query, "numerator", by_item=True)
    entries = entries.select(exp.alias_(exp.Null(), quoted("denominator"), copy=False), copy=False)
    return _ranked(query, entries, "g", ["numerator", "denominator"])


def breakdown(query: MetricQuery) -> exp.Select:
    """Each value of ``item``: ``expr`` over its rows (numerator) and over all rows of the key (denominator).

    The denominator is computed over every row of the key, not summed from the entries,
    so it is right for any aggregate (a distinct count too); rows whose item is NULL
    count in the total but are not listed, so listed shares add up to at most 1.
    """
    names = [n for n, _ in _keys(query)]
    parts, totals = "i", "t"
    on = [exp.NullSafeEQ(this=col(n, parts), expression=col(n, totals)) for n in names]
    entries = exp.select(
        *(col(n, parts) for n in [*names, "item", "numerator"]),
        col("denominator", totals),
        copy=False,
    ).from_(
        exp.Subquery(this=_grouped(query, "numerator", by_item=True), alias=exp.TableAlias(this=quoted(parts))),
        copy=False,
    )
    total = exp.Subquery(this=_grouped(query, "denominator", by_item=False), alias=exp.TableAlias(this=quoted(totals)))
    if on:
        entries = entries.join(total, on=exp.and_(*on, copy=False), copy=False)
    else:
        entries = entries.join(total, join_type="cross", copy=False)
    return _ranked(query, entries, "g", ["numerator", "denominator"])
