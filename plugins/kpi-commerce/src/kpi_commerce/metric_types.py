"""Cohort metric types: customers followed from one period to the next.

Each type reads one source of activity rows (orders, typically) with an ``entity``
column (the customer) and a time column. "Active in a period" means at least one row
of the entity in that period, after the KPI's ``where``. With ``--by``, activity is
per slice: a customer is retained in a channel when active in that channel in both
periods.

- ``retention``: of the entities active in the previous period, the share active in
  this one (numerator: retained, denominator: active before);
- ``churn``: of the entities active in the previous period, the share not active in
  this one;
- ``repeat_purchase``: of the entities active in this period, the share with more than
  one row so far (an earlier one, before or within the period);
- ``lifetime_value``: ``value`` per active entity in the period divided by the period's
  churn rate, that is the value of a customer over the expected 1 / churn periods they
  stay (numerator: value per entity, denominator: churn rate).

``retention``, ``churn`` and ``lifetime_value`` compare consecutive periods, so they
need ``--grain``: without one they return no row (status ``no_data``). A period is
reported when it has activity; the previous period of the first one asked for is read
too, so ``--from`` does not cut off its cohort.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlglot import exp

from kpi_engine import MetricParam, MetricQuery, MetricTypeSpec

ENTITY = "_entity"
ACTIVITY = "act"


def _q(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _floor(moment: date | datetime, grain: str) -> date:
    day = moment.date() if isinstance(moment, datetime) else moment
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def previous_bucket(moment: date | datetime, grain: str) -> date:
    """The first day of the bucket before the one holding ``moment``."""
    start = _floor(moment, grain)
    if grain == "day":
        return start - timedelta(days=1)
    if grain == "week":
        return start - timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[grain]
    index = start.year * 12 + start.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _filters(query: MetricQuery, entity: exp.Expression, start) -> exp.Expression:
    conditions: list[exp.Expression] = [exp.Not(this=exp.Is(this=entity.copy(), expression=exp.Null()))]
    period = query.period(query.time, start, query.end)
    if period is not None:
        conditions.append(period)
    if query.where is not None:
        conditions.append(query.where.copy())
    return exp.and_(*conditions, copy=False)


def _activity(query: MetricQuery, start) -> exp.Select:
    """One row per (period, slice, entity) active from ``start`` to the request's end."""
    entity = query.params["entity"]
    keys = [("period_start", query.bucket(query.time))] + [(n, e.copy()) for n, e in query.dimensions]
    select = exp.select(
        *(exp.alias_(e, _q(n)) for n, e in keys),
        exp.alias_(entity.copy(), _q(ENTITY)),
    ).from_(query.relation.copy())
    return select.where(_filters(query, entity, start), copy=False).distinct()


def _with(select: exp.Select, ctes: list[tuple[str, exp.Expression]]) -> exp.Select:
    for name, body in ctes:
        select = select.with_(_q(name), as_=body, copy=False)
    return select


def _dims(query: MetricQuery) -> list[str]:
    return [n for n, _ in query.dimensions]


def _cohort(query: MetricQuery) -> exp.Select:
    """Per period and slice: ``_kept`` (active before and now) and ``_before`` (active before)."""
    start = previous_bucket(query.start, query.grain) if query.start is not None else None
    prev, cur = "prev", "cur"
    following = query.shift(_col("period_start", prev), 1)
    on = [
        exp.EQ(this=_col(ENTITY, cur), expression=_col(ENTITY, prev)),
        exp.EQ(this=_col("period_start", cur), expression=following.copy()),
        *(exp.NullSafeEQ(this=_col(d, cur), expression=_col(d, prev)) for d in _dims(query)),
    ]
    last = exp.Subquery(this=exp.select(exp.Max(this=_col("period_start"))).from_(_q(ACTIVITY)))
    select = (
        exp.select(
            exp.alias_(following.copy(), _q("period_start")),
            *(exp.alias_(_col(d, prev), _q(d)) for d in _dims(query)),
            exp.alias_(exp.Count(this=_col(ENTITY, cur)), _q("_kept")),
            exp.alias_(exp.Count(this=exp.Star()), _q("_before")),
        )
        .from_(exp.Table(this=_q(ACTIVITY), alias=exp.TableAlias(this=_q(prev))))
        .join(
            exp.Table(this=_q(ACTIVITY), alias=exp.TableAlias(this=_q(cur))),
            on=exp.and_(*on, copy=False),
            join_type="left",
        )
        # The period after the last one with activity has no data yet, not zero retention.
        .where(exp.LTE(this=following.copy(), expression=last))
        .group_by(following.copy(), *(_col(d, prev) for d in _dims(query)))
    )
    return _with(select, [(ACTIVITY, _activity(query, start))])


def _nothing(query: MetricQuery) -> exp.Select:
    """No row: a comparison of consecutive periods needs a grain."""
    return exp.select(
        *(exp.alias_(exp.Null(), _q(n)) for n in query.keys),
        exp.alias_(exp.Null(), _q("numerator")),
        exp.alias_(exp.Null(), _q("denominator")),
    ).where(exp.false())


def retention(query: MetricQuery) -> exp.Select:
    if query.grain is None:
        return _nothing(query)
    cohort = "c"
    return exp.select(
        *(_col(n, cohort) for n in query.keys),
        exp.alias_(_col("_kept", cohort), _q("numerator")),
        exp.alias_(_col("_before", cohort), _q("denominator")),
    ).from_(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))))


def churn(query: MetricQuery) -> exp.Select:
    if query.grain is None:
        return _nothing(query)
    cohort = "c"
    lost = exp.Sub(this=_col("_before", cohort), expression=_col("_kept", cohort))
    return exp.select(
        *(_col(n, cohort) for n in query.keys),
        exp.alias_(lost, _q("numerator")),
        exp.alias_(_col("_before", cohort), _q("denominator")),
    ).from_(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))))


def repeat_purchase(query: MetricQuery) -> exp.Select:
    """Entities of the period whose first row ever (up to the period's end) is before their last row in it."""
    entity = query.params["entity"]
    keys = ([("period_start", query.bucket(query.time))] if query.grain else []) + [
        (n, e.copy()) for n, e in query.dimensions
    ]
    in_period = (
        exp.select(
            *(exp.alias_(e, _q(n)) for n, e in keys),
            exp.alias_(entity.copy(), _q(ENTITY)),
            exp.alias_(exp.Max(this=query.time.copy()), _q("_last")),
        )
        .from_(query.relation.copy())
        .where(_filters(query, entity, query.start), copy=False)
        .group_by(*(e.copy() for _, e in keys), entity.copy(), copy=False)
    )
    # History before the period counts: a customer's first order may precede --from.
    history = (
        exp.select(exp.alias_(entity.copy(), _q(ENTITY)), exp.alias_(exp.Min(this=query.time.copy()), _q("_first")))
        .from_(query.relation.copy())
        .where(_filters(query, entity, None), copy=False)
        .group_by(entity.copy(), copy=False)
    )
    buyers, first = "p", "f"
    repeat = exp.Count(
        this=exp.Case(
            ifs=[exp.If(this=exp.LT(this=_col("_first", first), expression=_col("_last", buyers)), true=exp.Literal.number(1))]
        )
    )
    select = (
        exp.select(
            *(_col(n, buyers) for n, _ in keys),
            exp.alias_(repeat, _q("numerator")),
            exp.alias_(exp.Count(this=exp.Star()), _q("denominator")),
        )
        .from_(exp.Table(this=_q("buyers"), alias=exp.TableAlias(this=_q(buyers))))
        .join(
            exp.Table(this=_q("history"), alias=exp.TableAlias(this=_q(first))),
            on=exp.EQ(this=_col(ENTITY, first), expression=_col(ENTITY, buyers)),
        )
    )
    if keys:
        select = select.group_by(*(_col(n, buyers) for n, _ in keys))
    return _with(select, [("buyers", in_period), ("history", history)])


def lifetime_value(query: MetricQuery) -> exp.Select:
    """Value per active entity in the period (numerator) over the period's churn rate (denominator)."""
    if query.grain is None:
        return _nothing(query)
    entity = query.params["entity"]
    keys = [("period_start", query.bucket(query.time))] + [(n, e.copy()) for n, e in query.dimensions]
    per_entity = exp.Div(
        this=exp.Cast(this=query.params["value"], to=exp.DataType.build("double")),
        expression=exp.Nullif(
            this=exp.Count(this=exp.Distinct(expressions=[entity.copy()])), expression=exp.Literal.number(0)
        ),
    )
    spend = (
        exp.select(*(exp.alias_(e, _q(n)) for n, e in keys), exp.alias_(per_entity, _q("_per_entity")))
        .from_(query.relation.copy())
        .where(_filters(query, entity, query.start), copy=False)
        .group_by(*(e.copy() for _, e in keys), copy=False)
    )
    cohort, value = "c", "v"
    churned = exp.Div(
        this=exp.Cast(
            this=exp.Sub(this=_col("_before", cohort), expression=_col("_kept", cohort)),
            to=exp.DataType.build("double"),
        ),
        expression=_col("_before", cohort),
    )
    on = [
        exp.EQ(this=_col("period_start", value), expression=_col("period_start", cohort)),
        *(exp.NullSafeEQ(this=_col(d, value), expression=_col(d, cohort)) for d in _dims(query)),
    ]
    return (
        exp.select(
            *(_col(n, value) for n in query.keys),
            exp.alias_(_col("_per_entity", value), _q("numerator")),
            exp.alias_(churned, _q("denominator")),
        )
        .from_(exp.Subquery(this=spend, alias=exp.TableAlias(this=_q(value))))
        .join(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))), on=exp.and_(*on, copy=False))
    )


ENTITY_PARAM = MetricParam("entity", "dimension", description="who is followed, e.g. customer_id")

METRIC_TYPES = (
    MetricTypeSpec(
        name="retention",
        build=retention,
        params=(ENTITY_PARAM,),
        description="share of the entities active in the previous period that are active in this one",
    ),
    MetricTypeSpec(
        name="churn",
        build=churn,
        params=(ENTITY_PARAM,),
        description="share of the entities active in the previous period that are not active in this one",
    ),
    MetricTypeSpec(
        name="repeat_purchase",
        build=repeat_purchase,
        params=(ENTITY_PARAM,),
        description="share of the period's active entities with more than one row so far",
    ),
    MetricTypeSpec(
        name="lifetime_value",
        build=lifetime_value,
        params=(ENTITY_PARAM, MetricParam("value", "measure", description="value of the period, e.g. sum(revenue - cost)")),
        description="value per active entity in the period divided by the period's churn rate",
    ),
)
