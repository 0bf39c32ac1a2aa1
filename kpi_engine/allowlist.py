"""The allowlist every sqlglot tree passes before it can become SQL.

Three gates share these fixed lists:

- :func:`check_expression`: a definition's ``expr``, ``where``, dimension, ``time``,
  ``formula`` or metric parameter, before and after registered functions expand;
- :func:`check_source_query`: a ``sql:`` source, one read-only SELECT;
- :func:`check_statement`: the compiled statement, as the compiler, the dialect rules and
  the metric types built it, just before the generator prints it.

Each node type lists the arguments it may carry (:data:`EXPRESSION_ARGS`,
:data:`QUERY_ARGS`, :data:`STATEMENT_ARGS`); any other argument must be empty, so
``IN (SELECT ...)``, ``CAST(x AS t FORMAT ...)`` or ``SELECT ... INTO`` are refused by
what they carry, not by a list of bad things. Text the generator prints verbatim is
checked against fixed patterns and lists: unquoted identifiers, number literals, type
names (only parsed :class:`~sqlglot.exp.DataType` kinds, never the raw text sqlglot keeps
for a type it does not know), date parts and units, format strings. Quoted identifiers
and string literals are escaped by the generator; :mod:`kpi_engine.verify` parses the
printed statement back to prove it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from sqlglot import exp

from . import data_roots
from .dialects.timeparts import PART_NAMES, PARTS, UNIT_NAMES, UNITS
from .snippet import snippet as _snippet


class Refused(Exception):
    """A node the allowlist does not admit; ``message`` says which and why, in one line;
    ``node`` is the node refused (for its position in the text it was parsed from)."""

    def __init__(self, message: str, node: exp.Expression | None = None):
        super().__init__(message)
        self.message = message
        self.node = node


def _classes(*names: str) -> tuple[type, ...]:
    # getattr with a default: sqlglot renames or drops node classes between releases.
    return tuple(c for c in (getattr(exp, n, None) for n in names) if c is not None)


def _table(args: Mapping[tuple[str, ...], tuple[str, ...]]) -> dict[type, frozenset[str]]:
    return {cls: frozenset(keys) for names, keys in args.items() for cls in _classes(*names)}


# -- definition expressions ----------------------------------------------------------------

#: Node types a definition expression may hold, each with the arguments that may hold
#: child nodes. Leaves (literals, identifiers, vars, types) carry checked text instead.
EXPRESSION_ARGS: dict[type, frozenset[str]] = _table({
    ("Literal", "Identifier", "Null", "Boolean", "Star", "Var", "CurrentDate", "CurrentTimestamp"): (),
    ("Column",): ("this",),
    ("Paren", "Neg", "Not", "Abs", "Sqrt", "Ln", "Exp", "Sign", "Lower", "Upper", "Length",
     "Sum", "Avg", "Median", "Min", "Max", "Stddev", "StddevPop", "StddevSamp", "Variance", "VariancePop",
     "ApproxDistinct", "CountIf", "Date", "Year", "Quarter", "Month", "Week", "WeekOfYear", "Day",
     "DayOfMonth", "DayOfWeek", "DayOfWeekIso", "DayOfYear", "Hour", "Minute", "Second", "TimeToUnix"): ("this",),
    ("Add", "Sub", "Mul", "Div", "Mod", "IntDiv", "Pow", "EQ", "NEQ", "GT", "GTE", "LT", "LTE",
     "NullSafeEQ", "NullSafeNEQ", "And", "Or", "Xor", "DPipe", "Nullif", "Left", "Right", "Like", "ILike",
     "Log", "Is"): ("this", "expression"),
    ("Floor", "Ceil", "Round"): ("this", "decimals"),
    ("In",): ("this", "expressions"),
    ("Between",): ("this", "low", "high"),
    ("Case",): ("this", "ifs", "default"),
    ("If",): ("this", "true", "false"),
    ("Cast", "TryCast"): ("this", "to"),
    ("DataType",): ("expressions",),
    ("DataTypeParam",): ("this",),
    ("Distinct", "Tuple", "Concat"): ("expressions",),
    ("Count", "Coalesce", "Greatest", "Least"): ("this", "expressions"),
    ("Interval",): ("this", "unit"),
    ("PercentileCont",): ("this", "expression"),
    ("Trim",): ("this", "expression"),
    ("Substring",): ("this", "start", "length"),
    ("StrPosition",): ("this", "substr", "position"),
    ("DateTrunc", "TimestampTrunc"): ("this", "unit"),
    ("DateDiff", "DatetimeDiff", "TimestampDiff", "DateAdd", "DateSub", "TimestampAdd", "TimestampSub"):
        ("this", "expression", "unit"),
    ("Extract",): ("this", "expression"),
    # percentile_cont(p) WITHIN GROUP (ORDER BY x), the SQL-standard form a plugin may build
    ("WithinGroup",): ("this", "expression"),
    ("Order",): ("expressions",),
    ("Ordered",): ("this",),
    ("TimeToStr",): ("this", "format"),
    ("UnixToTime",): ("this", "scale"),
})

#: Nodes a registered function may build beyond what a definition may write: the
#: ordered-set aggregates engines compute exactly (a plugin's percentile_disc).
BUILT_ARGS: dict[type, frozenset[str]] = {**EXPRESSION_ARGS, **_table({("PercentileDisc",): ("this", "expression")})}

#: Boolean flags a node may set (they choose among the generator's own spellings).
FLAGS: dict[type, frozenset[str]] = _table({
    ("Literal",): ("is_string",),
    ("Identifier",): ("quoted",),
    ("Boolean",): ("this",),
    ("Like", "ILike", "Is"): ("negate",),
    ("Count",): ("big_int",),
    ("Div",): ("typed", "safe"),
    ("Mod", "DPipe"): ("safe",),
    ("Concat",): ("safe", "coalesce"),
    ("Coalesce",): ("is_nvl", "is_null"),
    ("Greatest", "Least"): ("ignore_nulls",),
    ("Left", "Right"): ("negative_length_returns_empty",),
    ("DateDiff",): ("big_int", "date_part_boundary"),
    ("DatetimeDiff",): ("date_part_boundary",),
    ("CountIf",): ("zero_on_all_null",),
    ("Substring",): ("zero_start",),
    ("StrPosition",): ("clamp_position",),
    ("Round",): ("casts_non_integer_decimals",),
    ("Xor",): ("round_input",),
    ("Length",): ("binary",),
    ("DateTrunc", "TimestampTrunc"): ("input_type_preserved",),
    ("Ordered",): ("desc", "nulls_first"),
    ("Union", "Except", "Intersect"): ("distinct", "by_name"),
    ("Interval",): ("fraction_in_string",),
    ("TryCast",): ("safe", "requires_string"),
    ("GenerateSeries",): ("is_end_exclusive",),
})

#: Type names a cast in a definition may name: parsed kinds every engine has. A type
#: sqlglot does not know is kept as raw text (``USERDEFINED``) and printed verbatim, so
#: it never passes.
CAST_TYPES = frozenset(
    t for t in (getattr(exp.DataType.Type, n, None) for n in (
        "BOOLEAN", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "TEXT", "VARCHAR", "CHAR",
        "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMPNTZ",  # timestamp '...' reads as TIMESTAMPNTZ
    )) if t is not None
)
_CAST_NAMES = "boolean, smallint, int, bigint, float, double, decimal(p, s), text, varchar(n), char(n), date, time, timestamp, timestamptz"
#: Types the compiler and dialect rules may cast to, beyond :data:`CAST_TYPES`.
STATEMENT_TYPES = CAST_TYPES | frozenset(
    t for t in (getattr(exp.DataType.Type, n, None) for n in (
        "TINYINT", "DATETIME", "DATETIME64", "TIMESTAMPLTZ", "INTERVAL",
    )) if t is not None
)
#: Types that take size parameters, and the largest size allowed.
_SIZED = {exp.DataType.Type.DECIMAL: 76, exp.DataType.Type.VARCHAR: 65535, exp.DataType.Type.CHAR: 65535,
          exp.DataType.Type.DATETIME64: 9, exp.DataType.Type.TIMESTAMP: 9, exp.DataType.Type.DATETIME: 9,
          exp.DataType.Type.TIME: 9}

#: Units of ``date_trunc``, ``date_add``/``date_sub`` and intervals: what every engine
#: has (DuckDB's spellings, as for ``date_diff``).
TRUNC_UNITS = UNIT_NAMES
INTERVAL_UNITS = UNIT_NAMES

#: strftime directives ``strftime(t, format)`` may use, and the characters between them.
FORMAT_DIRECTIVES = frozenset("YymdHMSjbBaAIpuwWUVGf%")
_FORMAT = re.compile(r"(?:%[" + re.escape("".join(sorted(FORMAT_DIRECTIVES))) + r"]|[-/:., T_])*")

_NAME = re.compile(r"[^\W\d]\w*")  # an unquoted identifier: letters, digits, underscores, not a digit first
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAX_NAME = 1024  # longest name: engines allow 63 (PostgreSQL) to 1024 characters; a file read as a table is longer





def _literal_name(node: exp.Expression | None) -> str | None:
    """The text of a unit or part written as a keyword or a string (``month``, ``'month'``)."""
    if isinstance(node, exp.Var) or (isinstance(node, exp.Literal) and node.is_string):
        return node.name.lower()
    if isinstance(node, (exp.Column, exp.Identifier)) and not _quoted(node):
        return node.name.lower()
    return None


def _quoted(node: exp.Expression) -> bool:
    ident = node.this if isinstance(node, exp.Column) else node
    return isinstance(ident, exp.Identifier) and bool(ident.args.get("quoted"))


def _integer(node: exp.Expression | None) -> int | None:
    if isinstance(node, exp.Neg):
        value = _integer(node.this)
        return -value if value is not None else None
    if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit() and len(node.this) <= 6:
        return int(node.this)
    return None


def _fraction(node: exp.Expression | None) -> float | None:
    if isinstance(node, exp.Neg):
        value = _fraction(node.this)
        return -value if value is not None else None
    if isinstance(node, exp.Literal) and not node.is_string and _NUMBER.fullmatch(node.this):
        return float(node.this)
    return None


# -- checks of the text a node carries --------------------------------------------------------


def _check_literal(node: exp.Literal) -> None:
    text = node.this
    if not isinstance(text, str):
        raise Refused(f"literal {text!r} is not allowed")
    if "\x00" in text:
        raise Refused("a NUL character is not allowed in a string")
    if not node.is_string and not _NUMBER.fullmatch(text):
        raise Refused(f"'{text[:40]}' is not a number")


def _check_identifier(node: exp.Identifier) -> None:
    text = node.this
    if not isinstance(text, str) or not text:
        raise Refused("an empty name is not allowed")
    if len(text) > MAX_NAME:
        raise Refused(f"a name longer than {MAX_NAME} characters is not allowed")
    if "\x00" in text:
        raise Refused("a NUL character is not allowed in a name")
    if not node.args.get("quoted") and not _NAME.fullmatch(text):
        raise Refused(f"'{text[:40]}' is not a name; quote it as \"{text[:40]}\"")


def _check_type(node: exp.DataType, types: frozenset = CAST_TYPES) -> None:
    kind = node.this
    if kind not in types or node.args.get("kind") or node.args.get("values") or node.args.get("nested"):
        raise Refused(f"cast to '{_snippet(node)}' is not allowed; cast to one of {_CAST_NAMES}")
    params = node.expressions
    if params:
        largest = _SIZED.get(kind)
        sizes = [_integer(p.this) if isinstance(p, exp.DataTypeParam) and p.args.get("expression") is None else None
                 for p in params]
        if largest is None or len(params) > 2 or any(s is None or not 0 <= s <= largest for s in sizes):
            raise Refused(f"type '{_snippet(node)}' is not allowed: only decimal(p, s), varchar(n), char(n) and the "
                      "fraction digits of a time, up to 9, take sizes")


def _check_part(node: exp.Expression, value: exp.Expression | None, names: Collection[str], what: str, listed) -> None:
    name = _literal_name(value)
    if name is None or name not in names:
        raise Refused(f"'{_snippet(node)}': {what} every engine computes alike: {', '.join(listed)}")


def _check_format(node: exp.Expression, value: exp.Expression | None) -> None:
    if not (isinstance(value, exp.Literal) and value.is_string and _FORMAT.fullmatch(value.this)):
        directives = " ".join(f"%{d}" for d in sorted(FORMAT_DIRECTIVES))
        raise Refused(f"'{_snippet(node)}': the format must be a string of {directives} and - / : . , space T _")


_ORDERED_SET = _classes("PercentileCont", "PercentileDisc")


def _check_fraction(node: exp.Expression) -> None:
    """``quantile_cont(x, p)``: one value and a literal fraction 0..1 (the form every engine gets);
    in the SQL-standard ``percentile_cont(p) WITHIN GROUP (ORDER BY x)`` a plugin may build,
    the fraction is the call's only argument."""
    standard = isinstance(node.parent, exp.WithinGroup) and node.args.get("expression") is None
    number = _fraction(node.this if standard else node.args.get("expression"))
    if node.this is None or number is None or not 0 <= number <= 1:
        raise Refused(f"'{_snippet(node)}': percentile takes a value and a fraction from 0 to 1, e.g. percentile(x, 0.9)")


_TRUNC = _classes("DateTrunc", "TimestampTrunc")
_ADD = _classes("DateAdd", "DateSub", "TimestampAdd", "TimestampSub")
_DIFF = _classes("DateDiff", "DatetimeDiff", "TimestampDiff")


def _check_arguments(node: exp.Expression) -> None:
    """The literal arguments of a definition's function calls, against fixed lists."""
    if isinstance(node, exp.Extract):
        _check_part(node, node.this, PART_NAMES, "extract takes a date part", PARTS)
    elif isinstance(node, _TRUNC):
        _check_part(node, node.args.get("unit"), TRUNC_UNITS, "date_trunc takes a unit", UNITS)
    elif isinstance(node, _DIFF):
        if node.args.get("unit") is not None:
            _check_part(node, node.args["unit"], INTERVAL_UNITS, "date_diff counts a unit", UNITS)
    elif isinstance(node, _ADD):
        if node.args.get("unit") is not None:
            _check_part(node, node.args["unit"], INTERVAL_UNITS, "date_add takes a unit", UNITS)
    elif isinstance(node, exp.Interval):
        _check_part(node, node.args.get("unit"), INTERVAL_UNITS, "an interval takes a unit", UNITS)
        if _fraction(node.this) is None and not (
            isinstance(node.this, exp.Literal) and node.this.is_string and _NUMBER.fullmatch(node.this.this.strip())
        ):
            raise Refused(f"'{_snippet(node)}': an interval is a number and a unit, e.g. interval 7 day")
    elif isinstance(node, exp.TimeToStr):
        _check_format(node, node.args.get("format"))
    elif isinstance(node, _ORDERED_SET):
        _check_fraction(node)
    elif isinstance(node, (exp.Round, exp.Floor, exp.Ceil)) and node.args.get("decimals") is not None:
        digits = _integer(node.args["decimals"])
        if digits is None or not -38 <= digits <= 38:
            raise Refused(f"'{_snippet(node)}': the number of decimals must be a whole number from -38 to 38")
    elif isinstance(node, exp.UnixToTime) and node.args.get("scale") is not None:
        if _integer(node.args["scale"]) not in (0, 3, 6, 9):
            raise Refused(f"'{_snippet(node)}': the scale must be 0, 3, 6 or 9")
    elif isinstance(node, exp.Is) and not isinstance(node.expression, (exp.Null, exp.Boolean)):
        raise Refused(f"'{_snippet(node)}': is compares with null, true or false")
    elif isinstance(node, exp.Trim) and node.args.get("position") not in (None, "LEADING", "TRAILING", "BOTH"):
        raise Refused(f"'{_snippet(node)}' is not allowed")


# Where a keyword (exp.Var) may stand in a definition, and the names it may take there.
_VAR_PLACES: dict[tuple[type, str], Collection[str]] = {
    (exp.Extract, "this"): PART_NAMES,
    **{(cls, "unit"): TRUNC_UNITS for cls in _TRUNC},
    **{(cls, "unit"): INTERVAL_UNITS for cls in (*_ADD, *_DIFF, exp.Interval)},
}


def _check_node(node: exp.Expression, args: Mapping[type, frozenset[str]], what: str, types: frozenset = CAST_TYPES) -> None:
    """``node``'s type and every argument it carries; its children are checked on their own."""
    cls = type(node)
    allowed = args.get(cls)
    if isinstance(node, exp.DataType) and allowed is not None:
        _check_type(node, types)  # before its arguments: the message names the types allowed
    if allowed is None:
        if node.arg_key == "to" and isinstance(node.parent, (exp.Cast, exp.TryCast)):
            # x::"int) ..." parses as a type sqlglot cannot name (a Block, say)
            raise Refused(f"cast to a type that is not a plain type name is not allowed; cast to one of {_CAST_NAMES}")
        if isinstance(node, exp.Anonymous):
            raise Refused(f"unknown function '{node.name.lower()}'")
        if isinstance(node, exp.Func) and not isinstance(node, exp.Connector):
            raise Refused(f"function '{node.sql_name().lower()}' is not allowed in {what}")
        raise Refused(f"'{_snippet(node)}' is not allowed in {what}")
    flags = FLAGS.get(cls, frozenset())
    for key, value in node.args.items():
        if value is None or value is False or (isinstance(value, list) and not value):
            continue
        if key in allowed and (isinstance(value, exp.Expression) or (
                isinstance(value, list) and all(isinstance(v, exp.Expression) for v in value))):
            continue
        if value is True and key in flags:
            continue
        if _raw_ok(node, key, value):
            continue
        raise Refused(f"'{_snippet(node)}' is not allowed in {what}")
    if isinstance(node, exp.Literal):
        _check_literal(node)
    elif isinstance(node, exp.Identifier):
        _check_identifier(node)
    elif isinstance(node, exp.DataTypeParam) and not isinstance(node.parent, exp.DataType):
        raise Refused(f"'{_snippet(node)}' is not allowed in {what}")


def _raw_ok(node: exp.Expression, key: str, value: object) -> bool:
    """The non-node arguments a leaf carries as text (checked by the leaf's own check)."""
    if isinstance(node, (exp.Literal, exp.Identifier, exp.Var, exp.Anonymous)) and key == "this":
        return isinstance(value, str)  # each checked against its own pattern or list
    if isinstance(node, exp.DataType) and key == "this":
        return isinstance(value, exp.DataType.Type)
    if isinstance(node, exp.Trim) and key == "position":
        return value in ("LEADING", "TRAILING", "BOTH")
    return _STATEMENT_RAW.get((type(node), key), lambda v: False)(value)


def check_expression(
    tree: exp.Expression, *, calls: Callable[[exp.Expression], bool] = lambda node: False, built: bool = False
) -> None:
    """Refuse ``tree`` unless every node is a definition expression's, as the lists say.

    ``calls(node)`` admits a call to a registered metric function (an unknown call to
    sqlglot) before expansion; its arguments are checked like any other node. ``built``
    checks a tree after expansion, where :data:`BUILT_ARGS` also admits what functions
    may build. Raises :class:`Refused`.
    """
    args = BUILT_ARGS if built else EXPRESSION_ARGS
    for node in tree.walk():
        if calls(node):
            continue
        if isinstance(node, exp.Column) and (node.args.get("table") or node.args.get("db")):
            raise Refused(f"qualified column '{_snippet(node)}' is not allowed: name the column of the source alone")
        _check_node(node, args, "a KPI expression")
        if isinstance(node, exp.Var):
            names = _VAR_PLACES.get((type(node.parent), node.arg_key))
            if names is None or node.name.lower() not in names:
                raise Refused(f"'{_snippet(node.parent or node)}' is not allowed in a KPI expression")
        elif isinstance(node, (exp.DataType, exp.DataTypeParam)):
            if not isinstance(node.parent, (exp.Cast, exp.TryCast, exp.DataType)):
                raise Refused(f"'{_snippet(node)}' is not allowed in a KPI expression")
        elif isinstance(node, exp.WithinGroup) and not (
                isinstance(node.this, _ORDERED_SET) and isinstance(node.expression, exp.Order)):
            raise Refused(f"'{_snippet(node)}' is not allowed in a KPI expression: WITHIN GROUP is for percentile_cont")
        elif isinstance(node, (exp.Order, exp.Ordered)) and not isinstance(node.parent, (exp.WithinGroup, exp.Order)):
            raise Refused(f"'{_snippet(node)}' is not allowed in a KPI expression")
        _check_arguments(node)


# -- sql: sources and compiled statements ---------------------------------------------------------

#: Query structure a ``sql:`` source (and the compiler) may use, with its arguments.
QUERY_ARGS: dict[type, frozenset[str]] = {
    **EXPRESSION_ARGS,
    **_table({
        ("Select",): ("with_", "expressions", "distinct", "from_", "joins", "where", "group", "having", "qualify",
                      "order", "limit", "offset"),
        ("Union", "Except", "Intersect"): ("with_", "this", "expression", "order", "limit", "offset"),
        ("Subquery",): ("this", "alias"),
        ("With",): ("expressions",),
        ("CTE",): ("this", "alias"),
        ("From", "Where", "Having", "Qualify"): ("this",),
        ("Group",): ("expressions",),
        ("Order",): ("expressions",),
        ("Ordered",): ("this",),
        ("Limit", "Offset"): ("expression",),
        ("Join",): ("this", "on", "using"),
        ("Table",): ("this", "db", "catalog", "alias"),
        ("TableAlias",): ("this", "columns"),
        ("Alias",): ("this", "alias"),
        ("Column",): ("this", "table"),
        ("Star",): (),
        ("Window",): ("this", "partition_by", "order", "spec"),
        ("WindowSpec",): ("start", "end"),
        ("RowNumber",): (),
        ("Rank", "DenseRank"): (),
        ("Lead", "Lag"): ("this", "offset", "default"),
        ("FirstValue", "LastValue"): ("this",),
        ("GenerateSeries",): ("start", "end", "step"),  # range(n), generate_series(a, b) as a table
        ("PercentileDisc",): ("this", "expression"),
    }),
}

#: Non-node arguments of query structure, each against a fixed list.
_JOIN_KINDS = {None, "", "INNER", "OUTER", "CROSS"}
_JOIN_SIDES = {None, "", "LEFT", "RIGHT", "FULL"}
_FRAME_BOUNDS = {"UNBOUNDED", "CURRENT ROW"}
_STATEMENT_RAW: dict[tuple[type, str], Callable[[object], bool]] = {
    (exp.Join, "kind"): lambda v: v in _JOIN_KINDS,
    (exp.Join, "side"): lambda v: v in _JOIN_SIDES,
    (exp.Window, "over"): lambda v: v == "OVER",
    (exp.WindowSpec, "kind"): lambda v: v in ("ROWS", "RANGE"),
    (exp.WindowSpec, "start_side"): lambda v: v in ("PRECEDING", "FOLLOWING"),
    (exp.WindowSpec, "end_side"): lambda v: v in ("PRECEDING", "FOLLOWING"),
    (exp.WindowSpec, "start"): lambda v: v in _FRAME_BOUNDS,
    (exp.WindowSpec, "end"): lambda v: v in _FRAME_BOUNDS,
}

#: Table functions a ``sql:`` source may read files with (DuckDB's): the data roots
#: (:mod:`kpi_engine.data_roots`) decide which files.
FILE_READERS = data_roots.FILE_READERS
#: Named options those readers may take (``read_csv('x.csv', header = true)``).
READER_OPTIONS = frozenset({
    "header", "delim", "sep", "quote", "escape", "auto_detect", "dateformat", "timestampformat",
    "hive_partitioning", "union_by_name", "filename", "compression", "skip", "nullstr", "all_varchar",
    "sample_size", "ignore_errors", "decimal_separator", "new_line", "format", "records",
})
_READER_NODES = _classes("ReadParquet", "ReadCSV")

#: Schemas and name prefixes of the engines' own catalogs: a ``sql:`` source reads the
#: team's tables, never the warehouse's users, settings or sessions.
SYSTEM_SCHEMAS = frozenset({"information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema", "sys",
                            "system", "sqlite_temp_master", "temp", "main_catalog"})
SYSTEM_PREFIXES = ("pg_", "sqlite_", "duckdb_", "mysql")


def _is_reader(node: exp.Expression) -> bool:
    if isinstance(node, _READER_NODES):
        return True
    return isinstance(node, exp.Anonymous) and node.name.lower() in FILE_READERS


def _reader_name(node: exp.Expression) -> str:
    return node.name.lower() if isinstance(node, exp.Anonymous) else node.sql_name().lower()


def _check_reader(node: exp.Expression) -> None:
    """A file reader's arguments: its files first, as a string or a list of strings, then
    named options of :data:`READER_OPTIONS` with literal values."""
    arguments = [node.this] * isinstance(node.this, exp.Expression) + list(node.expressions)
    first = arguments[0] if arguments else None
    files = first.expressions if isinstance(first, exp.Array) else [first]
    if not all(isinstance(f, exp.Literal) and f.is_string for f in files):
        raise Refused(f"{_reader_name(node)}() must name its files first, as a string or a list of strings", first or node)
    for option in arguments[1:]:
        if not (isinstance(option, (exp.EQ, exp.PropertyEQ)) and isinstance(option.this, exp.Column)
                and option.this.name.lower() in READER_OPTIONS
                and isinstance(option.expression, (exp.Literal, exp.Boolean))):
            raise Refused(f"{_reader_name(node)}(): '{_snippet(option)}' is not allowed; it takes its files and "
                          f"the options {', '.join(sorted(READER_OPTIONS))} = a literal", option)


def check_table(node: exp.Table) -> None:
    """A table a source names: plain names (see :func:`_check_identifier`), outside the
    engines' own catalogs (:data:`SYSTEM_SCHEMAS`, :data:`SYSTEM_PREFIXES`). Raises :class:`Refused`."""
    for part in node.parts:
        if isinstance(part, exp.Identifier):
            _check_identifier(part)
    parts = [p.name.lower() for p in (node.args.get("catalog"), node.args.get("db")) if p is not None]
    name = node.name.lower()
    if any(p in SYSTEM_SCHEMAS for p in parts) or (not parts and name in SYSTEM_SCHEMAS) or name.startswith(SYSTEM_PREFIXES):
        raise Refused(f"'{_snippet(node)}': a source reads your tables, not the engine's own catalog")


def check_source_query(query: exp.Expression, *, reads_files: bool = True) -> None:
    """Refuse a ``sql:`` source unless it is one read-only query of allowed nodes.

    Query structure (SELECT, joins, CTEs, unions, window functions) plus every node a
    definition expression may hold; tables outside the engines' own catalogs; with
    ``reads_files``, the file readers of :data:`FILE_READERS` with literal paths.
    Raises :class:`Refused`.
    """
    skip: set[int] = set()
    for node in query.walk():
        if id(node) in skip:
            continue
        try:
            _check_source_node(node, reads_files, skip)
        except Refused as refused:
            refused.node = refused.node or node
            raise


def _check_source_node(node: exp.Expression, reads_files: bool, skip: set[int]) -> None:
    if reads_files and _is_reader(node) and isinstance(node.parent, exp.Table):
        _check_reader(node)
        skip.update(id(n) for n in node.walk())  # its arguments were just checked
        return
    if isinstance(node, exp.With) and node.args.get("recursive"):
        raise Refused("a recursive WITH is not allowed in a sql: source")
    _check_node(node, QUERY_ARGS, "a sql: source (one read-only SELECT)")
    if isinstance(node, exp.Var):
        names = _VAR_PLACES.get((type(node.parent), node.arg_key))
        if names is None or node.name.lower() not in names:
            raise Refused(f"'{_snippet(node.parent or node)}' is not allowed in a sql: source")
    elif isinstance(node, exp.Table):
        check_table(node)
        if not isinstance(node.this, (exp.Identifier, *_READER_NODES, exp.Anonymous, exp.GenerateSeries)):
            raise Refused(f"'{_snippet(node)}' is not allowed in a sql: source")
        if isinstance(node.this, exp.Anonymous) and not _is_reader(node.this):
            raise Refused(f"table function {node.this.name}() is not allowed; read files with read_parquet, "
                          "read_csv, read_json", node.this)
    if not isinstance(node, exp.Table):
        _check_arguments(node)


#: Keywords (date parts and units) the compiler and dialect rules may write, in every
#: engine's spelling; a dialect's rules add their own (:attr:`Rules.keywords`).
STATEMENT_KEYWORDS = frozenset({
    *(name.upper() for name in PART_NAMES), *(part.upper() for part in PARTS),
    "MILLISECOND", "MICROSECOND", "DAYOFWEEK", "DAYOFWEEK_ISO", "DAYOFWEEKISO", "DAY_OF_WEEK", "DAYOFYEAR",
    "DAY_OF_YEAR", "WEEKOFYEAR", "WEEK_OF_YEAR", "YEAROFWEEK", "YEAR_OF_WEEK", "YEAROFWEEKISO", "ISOWEEK",
    "WEEKISO", "MONDAY", "EPOCH_SECOND", "EPOCH_MILLISECOND", "EPOCH_MICROSECOND", "EPOCH_NANOSECOND",
})

#: What a compiled statement may hold: query structure, definition expressions, the
#: nodes dialect rules build (time zones, week starts, the engine functions they name).
STATEMENT_ARGS: dict[type, frozenset[str]] = {
    **QUERY_ARGS,
    **_table({
        ("AtTimeZone",): ("this", "zone"),
        ("WeekStart",): ("this",),
        ("Anonymous",): ("expressions",),
        ("Week",): ("this", "mode"),  # MySQL's rules: WEEK(x, 3) is the ISO week
        # the time check: whether text has the form format: iso reads (kpi_engine.timeformats)
        ("RegexpLike", "RegexpInstr", "Glob"): ("this", "expression"),
    }),
}


def check_statement(
    tree: exp.Expression, *, functions: Collection[str] = (), keywords: Collection[str] = (), reads_files: bool = True
) -> None:
    """Refuse a compiled statement holding anything the lists do not admit.

    ``functions`` are the engine functions the dialect's rules call by name (unknown to
    sqlglot, so :class:`~sqlglot.exp.Anonymous`), ``keywords`` the date parts and units
    they spell beyond :data:`STATEMENT_KEYWORDS`. File readers (with ``reads_files``)
    take literal paths only.
    Raises :class:`Refused`: a bug in the compiler, a dialect's rules or a metric type,
    never the definitions' (they were checked when loaded).
    """
    visit = statement_check(functions=functions, keywords=keywords, reads_files=reads_files)
    for node in tree.walk():
        visit(node)


def statement_check(
    *, functions: Collection[str] = (), keywords: Collection[str] = (), reads_files: bool = True
) -> Callable[[exp.Expression], None]:
    """:func:`check_statement` one node at a time, in the order ``tree.walk()`` gives them,
    for a caller that walks the statement anyway (:func:`kpi_engine.verify.fingerprint`)."""
    names = {f.lower() for f in functions}
    words = STATEMENT_KEYWORDS | {k.upper() for k in keywords}
    checked: set[int] = set()  # a file reader's arguments, checked with the reader

    def visit(node: exp.Expression) -> None:
        if id(node) in checked:
            return
        if reads_files and _is_reader(node) and isinstance(node.parent, exp.Table):
            _check_reader(node)
            checked.update(id(n) for n in node.walk())
            return
        _check_node(node, STATEMENT_ARGS, "a statement", STATEMENT_TYPES)
        if isinstance(node, exp.Var):
            if node.name.upper() not in words:
                raise Refused(f"keyword '{node.name[:40]}' is not allowed in a statement")
        elif isinstance(node, exp.Anonymous):
            if not isinstance(node.this, str) or node.name.lower() not in names:
                raise Refused(f"function '{node.name}' is not allowed in a statement")
        elif isinstance(node, exp.With) and node.args.get("recursive"):
            raise Refused("a recursive WITH is not allowed in a statement")

    return visit
