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
reported when someone was active in the period before it, up to the last period with
activity in the request (the one after it has no data yet, not zero retention);
``lifetime_value`` needs activity in the period itself too. Rows before ``--from`` are
not read, except those of the whole period before the first one asked for: its
entities are that period's cohort.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from kpi_engine import MetricQuery, period_start, shift_period

ENTITY = "_entity"


def _q(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _col(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def previous_bucket(moment: date | datetime, grain: str) -> date:
    """The first day of the bucket before the one holding ``moment``."""
    return shift_period(period_start(moment, grain), grain, -1)


def _filters(query: MetricQuery, entity: exp.Expression, start, *, before: date | None = None) -> exp.Expression:
    """Rows of a known entity, from ``start`` to the request's end, passing the KPI's ``where``.

    ``before``: also the rows from that bucket start up to the bucket holding ``start``
    (the whole period before the first one asked for, when ``start`` is inside a bucket).
    """
    conditions: list[exp.Expression] = [exp.Not(this=exp.Is(this=entity.copy(), expression=exp.Null()))]
    period = query.period(query.time, start, query.end)
    if before is not None:
        earlier = query.period(query.time, before, period_start(start, query.grain))
        period = exp.or_(exp.Paren(this=earlier), exp.Paren(this=period), copy=False)
    if period is not None:
        conditions.append(period)
    if query.where is not None:
        conditions.append(query.where.copy())
    return exp.and_(*conditions, copy=False)


def _activity(query: MetricQuery) -> exp.Select:
    """One row per (period, slice, entity) active in the request, and in the period before its first.

    Rows before ``--from`` are not read, except those of the whole period before the first
    one asked for: its entities are the first period's cohort. When ``--from`` falls
    inside a period, that period counts only the rows from ``--from`` on, as every other
    KPI's does.
    """
    entity = query.params["entity"]
    keys = [("period_start", query.bucket(query.time))] + [(n, e.copy()) for n, e in query.dimensions]
    if query.start is None:
        rows = _filters(query, entity, None)
    elif _at_bucket_start(query.start, query.grain):
        rows = _filters(query, entity, previous_bucket(query.start, query.grain))
    else:
        rows = _filters(query, entity, query.start, before=previous_bucket(query.start, query.grain))
    select = exp.select(
        *(exp.alias_(e, _q(n)) for n, e in keys),
        exp.alias_(entity.copy(), _q(ENTITY)),
        copy=False,
    ).from_(query.relation.copy(), copy=False)
    return select.where(rows, copy=False).distinct(copy=False)


def _at_bucket_start(moment: date | datetime, grain: str) -> bool:
    start = period_start(moment, grain)
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=None) == datetime(start.year, start.month, start.day)
    return moment == start


def _dims(query: MetricQuery) -> list[str]:
    return [n for n, _ in query.dimensions]


def _cohort(query: MetricQuery) -> exp.Select:
    """Per period and slice: ``_kept`` (active before and now) and ``_before`` (active before).

    Each (period, slice, entity) of activity looks ahead to the same entity's next active
    period in the slice (``LEAD``): it was kept when that is the following period. One
    pass over the activity, with no self-join: the windows partition NULL slices
    together, as the grouping does.
    """
    active, entries = "a", "n"
    by_entity = [_col(d, active) for d in _dims(query)] + [_col(ENTITY, active)]
    ahead = exp.Window(
        this=exp.Lead(this=_col("period_start", active)),
        partition_by=by_entity,
        order=exp.Order(expressions=[exp.Ordered(this=_col("period_start", active), nulls_first=False)]),
    )
    last = exp.Window(this=exp.Max(this=_col("period_start", active)), over="OVER")
    looked = exp.select(
        _col("period_start", active),
        *(_col(d, active) for d in _dims(query)),
        exp.alias_(ahead, _q("_next")),
        exp.alias_(last, _q("_last")),
        copy=False,
    ).from_(exp.Subquery(this=_activity(query), alias=exp.TableAlias(this=_q(active))), copy=False)
    following = query.shift(_col("period_start", entries), 1)
    kept = exp.Count(
        this=exp.Case(ifs=[exp.If(this=exp.EQ(this=_col("_next", entries), expression=following.copy()), true=exp.Literal.number(1))])
    )
    return (
        exp.select(
            exp.alias_(following.copy(), _q("period_start")),
            *(_col(d, entries) for d in _dims(query)),
            exp.alias_(kept, _q("_kept")),
            exp.alias_(exp.Count(this=exp.Star()), _q("_before")),
            copy=False,
        )
        .from_(exp.Subquery(this=looked, alias=exp.TableAlias(this=_q(entries))), copy=False)
        # The period after the last one with activity has no data yet, not zero retention.
        .where(exp.LTE(this=following.copy(), expression=_col("_last", entries)), copy=False)
        .group_by(following.copy(), *(_col(d, entries) for d in _dims(query)), copy=False)
    )


def _nothing(query: MetricQuery) -> exp.Select:
    """No row: a comparison of consecutive periods needs a grain."""
    return exp.select(
        *(exp.alias_(exp.Null(), _q(n)) for n in query.keys),
        exp.alias_(exp.Null(), _q("numerator")),
        exp.alias_(exp.Null(), _q("denominator")),
        copy=False,
    ).where(exp.false(), copy=False)


def retention(query: MetricQuery) -> exp.Select:
    if query.grain is None:
        return _nothing(query)
    cohort = "c"
    return exp.select(
        *(_col(n, cohort) for n in query.keys),
        exp.alias_(_col("_kept", cohort), _q("numerator")),
        exp.alias_(_col("_before", cohort), _q("denominator")),
        copy=False,
    ).from_(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))), copy=False)


def churn(query: MetricQuery) -> exp.Select:
    if query.grain is None:
        return _nothing(query)
    cohort = "c"
    lost = exp.Sub(this=_col("_before", cohort), expression=_col("_kept", cohort))
    return exp.select(
        *(_col(n, cohort) for n in query.keys),
        exp.alias_(lost, _q("numerator")),
        exp.alias_(_col("_before", cohort), _q("denominator")),
        copy=False,
    ).from_(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))), copy=False)


def repeat_purchase(query: MetricQuery) -> exp.Select:
    """Entities of the period with more than one row so far, from the start of their history.

    Every row of a known entity up to the request's end is read, before ``--from`` too
    (a customer's first order may precede it), and counted per slice and entity up to the
    end of its period (``COUNT(*) OVER``, peers included, so two rows at the same instant
    -- two orders on one day of a DATE column -- are two). An entity active in the period
    repeats when that count is above one. History is per slice like activity: with
    ``--by channel``, a customer's first web order is not a repeat purchase in web because
    of an earlier app order (the slice equals the KPI with ``where: channel = 'web'``).
    """
    entity = query.params["entity"]
    keys = ([("period_start", query.bucket(query.time))] if query.grain else []) + [
        (n, e.copy()) for n, e in query.dimensions
    ]
    names = [n for n, _ in keys]
    columns = [*(exp.alias_(e, _q(n)) for n, e in keys), exp.alias_(entity.copy(), _q(ENTITY))]
    asked = query.period(query.time, query.start, None)
    if asked is not None:  # rows before --from are history, not activity
        columns.append(exp.alias_(exp.Case(ifs=[exp.If(this=asked, true=exp.Literal.number(1))]), _q("_asked")))
    rows = exp.select(*columns, copy=False).from_(query.relation.copy(), copy=False).where(_filters(query, entity, None), copy=False)

    read, counted, buyers = "r", "w", "p"
    so_far = exp.Window(
        this=exp.Count(this=exp.Star()),
        partition_by=[*(_col(d, read) for d in _dims(query)), _col(ENTITY, read)],
    )
    if query.grain:
        so_far.set("order", exp.Order(expressions=[exp.Ordered(this=_col("period_start", read), nulls_first=False)]))
        so_far.set("spec", exp.WindowSpec(kind="RANGE", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW"))
    windowed = exp.select(
        *(_col(n, read) for n in [*names, ENTITY]),
        *([_col("_asked", read)] if asked is not None else []),
        exp.alias_(so_far, _q("_so_far")),
        copy=False,
    ).from_(exp.Subquery(this=rows, alias=exp.TableAlias(this=_q(read))), copy=False)
    per_entity = exp.select(
        *(_col(n, counted) for n in names),
        exp.alias_(exp.Max(this=_col("_so_far", counted)), _q("_so_far")),
        copy=False,
    ).from_(exp.Subquery(this=windowed, alias=exp.TableAlias(this=_q(counted))), copy=False)
    if asked is not None:
        per_entity = per_entity.where(exp.EQ(this=_col("_asked", counted), expression=exp.Literal.number(1)), copy=False)
    per_entity = per_entity.group_by(*(_col(n, counted) for n in [*names, ENTITY]), copy=False)

    again = exp.GT(this=_col("_so_far", buyers), expression=exp.Literal.number(1))
    select = exp.select(
        *(_col(n, buyers) for n in names),
        exp.alias_(exp.Count(this=exp.Case(ifs=[exp.If(this=again, true=exp.Literal.number(1))])), _q("numerator")),
        exp.alias_(exp.Count(this=exp.Star()), _q("denominator")),
        copy=False,
    ).from_(exp.Subquery(this=per_entity, alias=exp.TableAlias(this=_q(buyers))), copy=False)
    return select.group_by(*(_col(n, buyers) for n in names), copy=False) if names else select


def lifetime_value(query: MetricQuery) -> exp.Select:
    """Value per active entity in the period (numerator) over the period's churn rate (denominator).

    Rows without an entity (a guest's order) count for neither the value nor the
    entities. A churn rate of 0 leaves the value NULL (status ``no_data``): nobody left,
    so there is no finite expected lifetime.
    """
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
        exp.select(*(exp.alias_(e, _q(n)) for n, e in keys), exp.alias_(per_entity, _q("_per_entity")), copy=False)
        .from_(query.relation.copy(), copy=False)
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
            copy=False,
        )
        .from_(exp.Subquery(this=spend, alias=exp.TableAlias(this=_q(value))), copy=False)
        .join(exp.Subquery(this=_cohort(query), alias=exp.TableAlias(this=_q(cohort))), on=exp.and_(*on, copy=False))
    )
