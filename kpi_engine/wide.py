"""The one-reference assembly: every KPI from one wide row per key, each scan read once.

Spark, BigQuery, Trino and MariaDB evaluate a CTE at each reference, where DuckDB,
PostgreSQL, SQLite and Snowflake compute a CTE read several times once; an engine not
known to do the latter is compiled like the former, and so is DuckDB, whose memory peak
is lower with it (:mod:`kpi_engine.dialects.duckdb`). Under the per-KPI
assembly (:mod:`kpi_engine.compiler`: one CTE per KPI, reading the scans it needs) they
would scan a source once per KPI reading it. Here every member (a scan, or a metric
type's query) is read exactly once::

    WITH s_orders AS (...), s_sessions AS (...), m_churn AS (...),
         _kpi_w AS (SELECT keys, MAX(u._c0) AS _c0, ..., MAX(u._p0) AS _p0, ...
               FROM (SELECT keys, a0 AS _c0, NULL AS _c1, 1 AS _p0, NULL AS _p1 FROM s_orders
                     UNION ALL SELECT keys, NULL, a0, NULL, 1 FROM s_sessions) AS u
               GROUP BY keys)
    SELECT x._ord, x.kpi, keys, x.numerator, x.denominator,
           CASE WHEN x._ord IN (<ratio KPIs>) THEN x.numerator / NULLIF(x.denominator, 0) ELSE x.numerator END AS value
    FROM (SELECT i._ord, i.kpi, keys, CASE i._ord WHEN 0 THEN <numerator of KPI 0> ... END AS numerator, ...
          FROM _kpi_w CROSS JOIN (SELECT 0 AS _ord, 'conversion_rate' AS kpi UNION ALL ...) AS i
          WHERE CASE i._ord WHEN 0 THEN <a member KPI 0 reads has a row> ... END) AS x

The stacking and grouping is the per-KPI assembly's alignment, done once for all KPIs:
each member has at most one row per key, so ``MAX`` reads it, and a key a member lacks
reads NULL (a count-like aggregate is coalesced to 0 by the KPI's own expression). A
member's presence column ``_pN`` is 1 where it has a row for the key; a KPI keeps the keys
where a member it reads (a formula: its parts') has a row, the rows the per-KPI assembly
gives, and a formula reads NULL for a part with no row there. The cross join with the
list of KPIs unpivots the wide row (SQL has no portable UNPIVOT); the rows it multiplies
are aggregated ones. Where the engine has ``UNION ALL BY NAME`` (DuckDB), each stacked
member names only its own columns instead of NULLs for every other member's.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlglot import exp

from .request import ORDER_COLUMN
from .sqlbuild import as_double, col, is_safe_division, named, quoted, safe_div, union_all

#: Aliases inside the statement: the stacked members, the list of KPIs, and the
#: unpivoted rows before their value is computed.
STACKED = "u"
INDEX = "i"
UNPIVOTED = "x"


class Part(NamedTuple):
    """One KPI's numerator and denominator as trees over table columns: a member's (scan
    or metric CTE) columns, or another part's value, by its ``table`` name.

    Its value is the safe division of the two when ``ratio``, the numerator as DOUBLE
    otherwise (a metric type's value column too), built by :func:`value_of` only where a
    statement reads it. A tuple, not an attrs class: built and read only while one
    statement compiles. ``sample`` is its sample count (``None``: it reports none)."""

    name: str
    table: str
    numerator: exp.Expression
    denominator: exp.Expression
    ratio: bool
    sample: exp.Expression | None = None


def value_of(part: Part) -> exp.Expression:
    """``part``'s value, as a new tree built from copies of its sides."""
    if part.ratio:
        return safe_div(part.numerator.copy(), part.denominator.copy())
    return _double(part.numerator.copy())


SIDES = ("numerator", "denominator")


class _WideRow:
    """The members read and the column slot of every member column, in order of first use."""

    def __init__(self, alias: str):
        self.alias = alias
        self.slots: dict[tuple[str, str], str] = {}
        self.presence: dict[str, str] = {}

    def read(self, table: str, name: str) -> exp.Column:
        self.presence.setdefault(table, f"_p{len(self.presence)}")
        return col(self.slots.setdefault((table, name), f"_c{len(self.slots)}"), self.alias)

    def query(self, keys: tuple[str, ...], by_name: bool) -> exp.Select:
        """The CTE body: one row per key with every slot, aligned as the module docstring says.

        ``by_name``: stack the members with ``UNION ALL BY NAME``, each branch naming only
        its own columns (the engine fills the others with NULL), not padded with NULLs.
        """
        members = list(self.presence)
        if len(members) == 1:  # one member has one row per key already
            (table,) = members
            select = exp.select(*(named(col(k, table), k) for k in keys), copy=False)
            select.select(*(named(col(n, table), slot) for (_, n), slot in self.slots.items()), copy=False)
            select.select(named(exp.Literal.number(1), self.presence[table]), copy=False)
            return select.from_(exp.Table(this=quoted(table)), copy=False)
        branches = []
        for table in members:
            branch = exp.select(*(named(col(k, table), k) for k in keys), copy=False)
            branch.select(
                *(named(col(n, table) if t == table else exp.Null(), slot)
                  for (t, n), slot in self.slots.items() if t == table or not by_name),
                *(named(exp.Literal.number(1) if t == table else exp.Null(), p)
                  for t, p in self.presence.items() if t == table or not by_name),
                copy=False,
            )
            branches.append(branch.from_(exp.Table(this=quoted(table)), copy=False))
        stacked = union_all(branches, by_name=by_name)
        select = exp.select(*(named(col(k, STACKED), k) for k in keys), copy=False)
        select.select(
            *(named(exp.Max(this=col(s, STACKED)), s) for s in (*self.slots.values(), *self.presence.values())),
            copy=False,
        )
        select.from_(exp.Subquery(this=stacked, alias=exp.TableAlias(this=quoted(STACKED))), copy=False)
        if keys:
            select.group_by(*(col(k, STACKED) for k in keys), copy=False)
        return select


def _any_row(row: _WideRow, members: dict[str, None]) -> exp.Expression:
    """True where one of ``members`` has a row for the key."""
    tests = [exp.Not(this=exp.Is(this=col(row.presence[m], row.alias), expression=exp.Null())) for m in members]
    return exp.or_(*tests, copy=False) if len(tests) > 1 else tests[0]


def assemble(
    parts: list[Part], selected: list[tuple[int, str]], keys: tuple[str, ...], alias: str,
    extra: tuple[exp.Expression, ...] = (), *, by_name: bool = False, samples: bool = False,
) -> tuple[exp.Select, exp.Select]:
    """The wide row's CTE body (to be named ``alias``) and the query unpivoting it.

    ``parts`` come in dependency order (parts before formulas) and are the caller's to
    rewrite; ``selected`` gives the result's KPIs as (position, part table), each once. The query's
    columns: ``_ord``, ``kpi``, the keys, ``extra`` (e.g. a list KPI's typed NULLs), then
    ``numerator``, ``denominator`` and ``value`` as DOUBLE, and with ``samples`` ``sample``
    (NULL for a KPI that reports none). ``by_name``: the engine has ``UNION ALL BY NAME``
    (see :meth:`_WideRow.query`).
    """
    row = _WideRow(alias)
    done = _resolved(parts, row)
    everything = set(row.presence)

    def kept(reads: dict[str, None]) -> exp.Expression | None:
        """Where the KPI has a row; ``None`` when it reads every member (every row has one)."""
        return None if everything <= reads.keys() else _any_row(row, reads)

    query = exp.select(copy=False)
    if len(selected) == 1:  # one KPI: nothing to unpivot
        ((position, table),) = selected
        part, reads = done[table]
        query.select(
            named(exp.Literal.number(position), ORDER_COLUMN), named(exp.Literal.string(part.name), "kpi"), copy=False
        )
        sides = {"numerator": _double(part.numerator), "denominator": _double(part.denominator), "value": value_of(part)}
        if samples:
            sides["sample"] = _sample(part)
        condition = kept(reads)
    else:
        ordinal = col(ORDER_COLUMN, INDEX)

        def by_kpi(pick) -> exp.Case:
            """``CASE _ord WHEN <position> THEN pick(table) ... END`` over the selected KPIs."""
            ifs = [exp.If(this=exp.Literal.number(p), true=pick(t)) for p, t in selected]
            return exp.Case(this=ordinal.copy(), ifs=ifs)

        query.select(named(ordinal.copy(), ORDER_COLUMN), named(col("kpi", INDEX), "kpi"), copy=False)
        # Each selected part's trees go into the statement once, so they are moved, not
        # copied (formulas copied what they read from them in _resolved). The value is
        # computed afterwards from the unpivoted sides (see _valued).
        sides = {side: by_kpi(lambda t, side=side: _double(getattr(done[t][0], side))) for side in SIDES}
        if samples:  # only the KPIs reporting one: the CASE gives the others NULL
            counted = [exp.If(this=exp.Literal.number(p), true=_sample(done[t][0]))
                       for p, t in selected if done[t][0].sample is not None]
            sides["sample"] = exp.Case(this=ordinal.copy(), ifs=counted) if counted else _sample(done[selected[0][1]][0])
        ratios = [p for p, t in selected if done[t][0].ratio]
        conditions = {t: kept(done[t][1]) for _, t in selected}
        condition = None
        if any(c is not None for c in conditions.values()):
            condition = by_kpi(lambda t: exp.true() if conditions[t] is None else conditions[t])
    query.select(*(named(col(k, alias), k) for k in keys), *extra, copy=False)
    query.select(*(named(tree, side) for side, tree in sides.items()), copy=False)
    query.from_(exp.Table(this=quoted(alias)), copy=False)
    if condition is not None:
        query.where(condition, copy=False)
    if len(selected) > 1:
        index = _kpi_list([(p, done[t][0].name) for p, t in selected])
        query.join(exp.Subquery(this=index, alias=exp.TableAlias(this=quoted(INDEX))), join_type="cross", copy=False)
        query = _valued(query, ratios, len(selected), keys, extra, samples)
    return row.query(keys, by_name), query


def _sample(part: Part) -> exp.Expression:
    """``part``'s sample as DOUBLE (a typed NULL when it reports none)."""
    return _double(part.sample if part.sample is not None else exp.Null())


def _valued(
    unpivoted: exp.Select, ratios: list[int], count: int, keys: tuple[str, ...], extra: tuple[exp.Expression, ...],
    samples: bool = False,
) -> exp.Select:
    """The ``count`` KPIs' unpivoted rows with their ``value``: the safe ratio of
    ``numerator`` and ``denominator`` (already DOUBLE) for the KPIs at the positions
    ``ratios``, the numerator for the others. One division for all KPIs instead of a copy
    of both sides per KPI."""
    ordinal = col(ORDER_COLUMN, UNPIVOTED)
    numerator, denominator = col("numerator", UNPIVOTED), col("denominator", UNPIVOTED)
    value: exp.Expression = numerator.copy()
    if ratios:
        value = safe_div(numerator.copy(), denominator.copy())
        if len(ratios) < count:
            positions = [exp.Literal.number(p) for p in ratios]
            when = exp.If(this=exp.In(this=ordinal.copy(), expressions=positions), true=value)
            value = exp.Case(ifs=[when], default=numerator.copy())
    outer = exp.select(
        named(ordinal, ORDER_COLUMN), named(col("kpi", UNPIVOTED), "kpi"),
        *(named(col(c, UNPIVOTED), c) for c in (*keys, *(e.alias_or_name for e in extra))),
        named(numerator, "numerator"), named(denominator, "denominator"), named(value, "value"),
        *((named(col("sample", UNPIVOTED), "sample"),) if samples else ()),
        copy=False,
    )
    return outer.from_(exp.Subquery(this=unpivoted, alias=exp.TableAlias(this=quoted(UNPIVOTED))), copy=False)


def _resolved(parts: list[Part], row: _WideRow) -> dict[str, tuple[Part, dict[str, None]]]:
    """Each part (by table name) over the wide row's columns, with the members it reads.

    A member column becomes its slot; another part's ``value`` becomes that value where
    the other part has a row, NULL elsewhere (a count-like side would read 0 there).
    """
    done: dict[str, tuple[Part, dict[str, None]]] = {}
    for part in parts:
        members: dict[str, None] = {}

        def resolve(node: exp.Expression) -> exp.Expression:
            if not isinstance(node, exp.Column) or not node.table:
                return node
            if node.table in done:
                other, reads = done[node.table]
                members.update(reads)
                read = value_of(other) if node.name == "value" else getattr(other, node.name).copy()
                return exp.Case(ifs=[exp.If(this=_any_row(row, reads), true=read)])
            members[node.table] = None
            return row.read(node.table, node.name)

        trees = tuple(getattr(part, side).transform(resolve, copy=False) for side in SIDES)
        # The sample reads the members its sides read (its scan, or its metric CTE).
        sample = part.sample.transform(resolve, copy=False) if part.sample is not None else None
        done[part.table] = (Part(part.name, part.table, *trees, part.ratio, sample), members)
    return done


def _kpi_list(entries: list[tuple[int, str]]) -> exp.Query:
    """``SELECT 0 AS _ord, 'name' AS kpi UNION ALL ...``: the rows the wide row is crossed with."""
    return union_all(
        exp.select(named(exp.Literal.number(p), ORDER_COLUMN), named(exp.Literal.string(n), "kpi"), copy=False)
        for p, n in entries
    )


def _double(tree: exp.Expression) -> exp.Expression:
    """``tree`` as DOUBLE: cast, unless it is a cast to DOUBLE or a safe division already."""
    if isinstance(tree, exp.Cast) and tree.to.is_type("double"):
        return tree
    if isinstance(tree, exp.Div) and is_safe_division(tree):
        return tree
    return as_double(tree)
