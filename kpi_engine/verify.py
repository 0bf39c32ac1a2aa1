"""The printed statement, parsed back: exactly one query holding only what the plan built.

:func:`~kpi_engine.allowlist.check_statement` checks the tree before sqlglot's generator
prints it; this module checks the text the generator printed, in the target dialect,
because escaping is the generator's: a quote or backslash in a name or a string that
one dialect's printer or parser handles differently would show up here as a second
statement, a query, table or function the plan did not build, or a name or string
that did not survive. Each such statement is refused before it reaches an engine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import sqlglot
from attrs import frozen
from sqlglot import exp
from sqlglot.errors import SqlglotError

from .allowlist import STATEMENT_ARGS, _classes
from .errors import UnsafeStatement

#: Nodes whose number must be the same in the plan and in the statement read back.
BLOCKS = _classes("Select", "Union", "Except", "Intersect", "Subquery", "CTE", "Join", "Window")

#: Nodes the generators print for a node of the plan and the parsers read back as such
#: (``DATE_ADD(x, 1, MONTH)`` read as ``AddMonths``, ``MEDIAN(x)`` as ``PERCENTILE_CONT``
#: ``WITHIN GROUP``): they stand for the planned node, so they are no new capability.
READ_BACK = frozenset(STATEMENT_ARGS) | frozenset(_classes(
    "Interval", "TimestampAdd", "TimestampSub", "TsOrDsAdd", "TsOrDsToDate", "TsOrDsToTimestamp", "AddMonths",
    "Quantile", "WithinGroup", "PercentileCont", "TimeToStr", "StrToTime", "TryCast", "DataTypeParam", "Date",
    "DatetimeAdd", "DatetimeSub", "DatetimeTrunc", "DateFromParts", "TimeStrToTime", "UnixToTime", "TimeToUnix",
    "SafeDivide", "Div", "If", "Case", "CountIf", "Filter", "Unnest", "Lambda", "Bracket", "ApproxQuantile",
    "ArrayAgg", "ToChar", "Anonymous", "Var", "WeekStart", "Extract", "DayOfWeek", "DayOfWeekIso", "Paren",
    "Dot", "Struct", "Array", "Timestamp", "UnixMicros", "Trunc", "TsOrDsDiff", "ReadParquet", "ReadCSV",
    "GenerateSeries", "ExplodingGenerateSeries",
    # AT TIME ZONE and the time formats' conversions as Snowflake, MySQL (CONVERT_TIMEZONE,
    # CONVERT_TZ), BigQuery (DATETIME(t, zone)) and Trino (FROM_ISO8601_TIMESTAMP) print them
    "ConvertTimezone", "Datetime", "FromISO8601Timestamp",
))


@frozen
class Fingerprint:
    """What a statement is made of, as far as its text can change it."""

    blocks: Counter
    tables: Counter
    names: frozenset[str]
    functions: frozenset[str]
    strings: frozenset[str]
    keywords: frozenset[str]


_KINDS: dict[type, str] = {
    **dict.fromkeys(BLOCKS, "block"), exp.Table: "table", exp.Identifier: "name", exp.Anonymous: "function",
    exp.Literal: "literal", exp.Var: "keyword",
}


def fingerprint(tree: exp.Expression, visit: Callable[[exp.Expression], None] | None = None) -> Fingerprint:
    """The :class:`Fingerprint` of a planned (or read-back) statement; ``visit`` is called
    on every node first (the statement's allowlist check, in the same walk)."""
    blocks: Counter = Counter()
    tables: Counter = Counter()
    names: set[str] = set()
    functions: set[str] = set()
    strings: set[str] = set()
    keywords: set[str] = set()
    for node in tree.walk():
        if visit is not None:
            visit(node)
        kind = _KINDS.get(type(node))
        if kind is None:
            continue
        if kind == "block":
            blocks[type(node).__name__] += 1
        elif kind == "table":
            tables[_relation(node)] += 1
        elif kind == "name":
            names.add(node.name.lower())
        elif kind == "function":
            functions.add(node.name.lower())
        elif kind == "literal":
            if node.is_string:
                strings.add(node.this)
        else:
            keywords.add(node.name)
    return Fingerprint(blocks, tables, frozenset(names), frozenset(functions), frozenset(strings), frozenset(keywords))


def _read_back(node: exp.Expression, dialect: str) -> None:
    if type(node) not in READ_BACK:
        raise UnsafeStatement(dialect, f"it holds a {type(node).__name__} the plan did not build")


def verify(sql: str, planned: Fingerprint, dialect: str, *, functions: frozenset[str] = frozenset()) -> None:
    """Refuse ``sql`` unless, parsed in ``dialect``, it is one query matching ``planned``.

    Same query blocks, joins and windows; the same tables; no name or engine function
    (``functions``: the dialect rules' own) the plan did not hold; every string of the
    plan read back whole; only node types of :data:`READ_BACK`. Raises
    :class:`~kpi_engine.errors.UnsafeStatement`.
    """
    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except (SqlglotError, RecursionError) as error:
        raise UnsafeStatement(dialect, f"it does not parse back ({str(error).splitlines()[0][:200]})") from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise UnsafeStatement(dialect, f"it reads back as {len(statements)} statements, not one query")
    found = fingerprint(statements[0], visit=lambda node: _read_back(node, dialect))
    if found.blocks != planned.blocks:
        raise UnsafeStatement(dialect, f"its queries differ from the plan's ({_diff(planned.blocks, found.blocks)})")
    if found.tables != planned.tables:
        raise UnsafeStatement(dialect, f"its tables differ from the plan's ({_diff(planned.tables, found.tables)})")
    extra = found.names - planned.names
    if extra:
        raise UnsafeStatement(dialect, f"it names {_listed(extra)}, which the plan does not")
    calls = found.functions - planned.functions - {f.lower() for f in functions}
    if calls:
        raise UnsafeStatement(dialect, f"it calls {_listed(calls)}, which the plan does not")
    # A unit planned as a string ('month') may read back as a keyword (MONTH).
    lost = planned.strings - found.strings - found.keywords
    if lost:
        raise UnsafeStatement(dialect, f"the string {_listed(lost)} does not read back whole")


def _relation(table: exp.Table) -> str:
    """A table's name, or the files a table function reads (``read_parquet('a.parquet')``)."""
    if isinstance(table.this, exp.Identifier):
        return ".".join(p.name.lower() for p in table.parts if isinstance(p, exp.Identifier))
    function = table.this
    if isinstance(function, exp.GenerateSeries):  # printed range() or generate_series(), read back as either
        name = "generate_series"
    else:
        name = function.name if isinstance(function, exp.Anonymous) else getattr(function, "sql_name", lambda: "?")()
    reads = sorted(n.this for n in function.find_all(exp.Literal) if n.is_string)
    return f"{name.lower()}{reads}"


def _diff(planned: Counter, found: Counter) -> str:
    more, fewer = found - planned, planned - found
    parts = [f"+{n} {k}" for k, n in sorted(more.items())] + [f"-{n} {k}" for k, n in sorted(fewer.items())]
    return ", ".join(parts)


def _listed(values) -> str:
    shown = sorted(repr(v[:40]) for v in values)
    return ", ".join(shown[:3]) + (" ..." if len(shown) > 3 else "")
