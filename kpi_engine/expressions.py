"""The expression gate: parse definition text into sqlglot trees, allow only what a KPI needs.

Every ``expr``, ``where``, dimension, time column and ``formula`` goes through
:func:`parse_expression` once, at load time. The gate is an allowlist (node types and
functions), never a denylist: anything not listed, such as subqueries, window
functions, table functions or engine-specific calls like ``pg_sleep``, is refused.
Registered metric functions are the only unknown calls allowed; they are expanded
here, so later stages see plain sqlglot trees.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .dialects.timeparts import PART_NAMES, PARTS
from .errors import one_line
from .plugincalls import call_plugin
from .specs import FunctionSpec
from .suggest import did_you_mean

MAX_LENGTH = 4000
MAX_DEPTH = 40  # parentheses/CASE nesting; sqlglot's recursive parser fails near 48
READ_DIALECT = "duckdb"  # the documented dialect definitions are written in
ROLES = ("measure", "condition", "dimension", "time", "formula")


class ExpressionProblem(Exception):
    """Why an expression was refused; ``line``/``col`` are 1-based within the expression text."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _classes(*names: str) -> frozenset[type]:
    # getattr with a default: sqlglot renames or drops node classes between releases.
    return frozenset(c for c in (getattr(exp, n, None) for n in names) if c is not None)


ALLOWED_NODES = _classes(
    "Column", "Identifier", "Literal", "Null", "Boolean", "Star", "Paren", "Neg",
    "Add", "Sub", "Mul", "Div", "Mod", "IntDiv", "EQ", "NEQ", "GT", "GTE", "LT", "LTE",
    "Is", "In", "Between", "Like", "ILike", "Case", "If", "Cast", "TryCast", "DataType",
    "DataTypeParam", "Distinct", "Interval", "Var", "DPipe", "NullSafeEQ", "NullSafeNEQ",
    "Tuple",
)

ALLOWED_FUNCTIONS = _classes(
    # logic (sqlglot models these as functions)
    "And", "Or", "Not", "Xor",
    # aggregates
    "Count", "Sum", "Avg", "Min", "Max", "Median", "PercentileCont", "CountIf", "ApproxDistinct",
    "Stddev", "StddevPop", "StddevSamp", "Variance", "VariancePop",
    # arithmetic and null handling
    "Coalesce", "Nullif", "Round", "Abs", "Floor", "Ceil", "Greatest", "Least", "Sqrt",
    "Ln", "Log", "Exp", "Pow", "Sign",
    # strings
    "Lower", "Upper", "Length", "Trim", "Substring", "Concat", "Left", "Right", "StrPosition",
    # dates
    "DateTrunc", "TimestampTrunc", "Extract", "DateDiff", "DatetimeDiff", "TimestampDiff",
    "DateAdd", "DateSub", "TimestampAdd", "TimestampSub", "CurrentDate", "CurrentTimestamp",
    "Date", "Year", "Quarter", "Month", "Week", "WeekOfYear", "Day", "DayOfWeek", "DayOfWeekIso",
    "DayOfMonth", "DayOfYear", "Hour", "Minute", "Second", "ToDate", "TimeToUnix", "TimeToStr", "UnixToTime",
)

_ALLOWED = ALLOWED_NODES | ALLOWED_FUNCTIONS


def function_names(node: exp.Func) -> tuple[str, ...]:
    """Lower-case names a call is known by (``count_if`` and ``countif`` for CountIf)."""
    if isinstance(node, exp.Anonymous):
        return (node.name.lower(),)
    return function_names_of(type(node))


def _call_arguments(node: exp.Func) -> list[exp.Expression]:
    if isinstance(node, exp.Anonymous):
        return list(node.expressions)
    args: list[exp.Expression] = []
    for key in node.arg_types:
        value = node.args.get(key)
        if isinstance(value, list):
            args.extend(value)
        elif isinstance(value, exp.Expression):
            args.append(value)
    return args


def _nesting(text: str) -> int:
    depth = deepest = 0
    quote = None
    for ch in text:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    return deepest


def _tree_depth(tree: exp.Expression) -> int:
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.iter_expressions())
    return deepest


def _snippet(node: exp.Expression) -> str:
    # In the dialect definitions are written in: the default dialect cannot print every
    # node (an E'...' string prints as '' and sqlglot logs a warning).
    text = node.sql(dialect=READ_DIALECT, comments=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _find_function(node: exp.Func, functions: Mapping[str, FunctionSpec]) -> FunctionSpec | None:
    for name in function_names(node):
        if name in functions:
            return functions[name]
    return None


def _gate(tree: exp.Expression, functions: Mapping[str, FunctionSpec]) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Extract) and _part_name(node.this) not in PART_NAMES:
            raise ExpressionProblem(
                f"'{_snippet(node)}': extract takes a date part every engine computes alike: {', '.join(PARTS)}"
            )
        if isinstance(node, exp.Func):
            if _find_function(node, functions) is not None or type(node) in _ALLOWED:
                continue
            name = function_names(node)[0]
            if isinstance(node, exp.Anonymous):
                known = list(functions) + [function_names_of(c)[0] for c in ALLOWED_FUNCTIONS]
                raise ExpressionProblem(f"unknown function '{name}'{did_you_mean(name, known)}")
            raise ExpressionProblem(f"function '{name}' is not allowed in a KPI expression")
        if type(node) not in _ALLOWED:
            raise ExpressionProblem(f"'{_snippet(node)}' is not allowed in a KPI expression")
        if isinstance(node, exp.Column) and (node.args.get("table") or node.args.get("db")):
            raise ExpressionProblem(
                f"qualified column '{_snippet(node)}' is not allowed: name the column of the source alone"
            )


def _check_fraction(node: exp.PercentileCont) -> None:
    """``quantile_cont(x, p)``: one value and a literal fraction 0..1 (the form every engine gets);
    in the SQL-standard ``percentile_cont(p) WITHIN GROUP (ORDER BY x)`` a plugin may build,
    the fraction is the call's only argument."""
    standard = isinstance(node.parent, exp.WithinGroup) and node.args.get("expression") is None
    fraction = node.this if standard else node.args.get("expression")
    number = None
    if isinstance(fraction, exp.Literal) and not fraction.is_string:
        number = float(fraction.this)
    elif isinstance(fraction, exp.Neg) and isinstance(fraction.this, exp.Literal):
        number = -float(fraction.this.this)
    if node.this is None or number is None or not 0 <= number <= 1:  # standard: node.this is the fraction
        raise ExpressionProblem(f"'{_snippet(node)}': percentile takes a value and a fraction from 0 to 1, e.g. percentile(x, 0.9)")


def _part_name(node: exp.Expression | None) -> str | None:
    if isinstance(node, (exp.Var, exp.Literal, exp.Column, exp.Identifier)):
        return node.name.lower()
    return None


def function_names_of(cls: type) -> tuple[str, ...]:
    return tuple(n.lower() for n in cls.sql_names()) if hasattr(cls, "sql_names") else (cls.__name__.lower(),)


def _expand(tree: exp.Expression, functions: Mapping[str, FunctionSpec]) -> exp.Expression:
    # Reversed pre-order visits children before their parents, so a plugin's build()
    # always receives arguments that are already expanded.
    for node in reversed(list(tree.walk())):
        if not isinstance(node, exp.Func):
            continue
        spec = _find_function(node, functions)
        if spec is None:
            continue
        args = _call_arguments(node)
        name = function_names(node)[0]
        if len(args) < spec.min_args or (spec.max_args is not None and len(args) > spec.max_args):
            wanted = (
                str(spec.min_args)
                if spec.max_args == spec.min_args
                else f"{spec.min_args} to {spec.max_args}" if spec.max_args is not None else f"at least {spec.min_args}"
            )
            raise ExpressionProblem(f"function '{name}' takes {wanted} argument(s), got {len(args)}")
        try:
            replacement = call_plugin(lambda spec=spec, args=args: spec.load_build()(*args))
        except Exception as error:  # a plugin bug (sys.exit() too): report it at the expression, never a traceback
            raise ExpressionProblem(f"function '{name}' failed ({one_line(error)}); this is a bug in the plugin providing it") from None
        if not isinstance(replacement, exp.Expression):
            raise ExpressionProblem(f"function '{name}' did not return a sqlglot expression (plugin bug)")
        if node is tree:
            tree = replacement
        else:
            node.replace(replacement)
    return tree


def _in_ordered_set_aggregate(node: exp.Expression) -> bool:
    """``x`` in ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``: aggregated, though not under the AggFunc node."""
    group = node.find_ancestor(exp.WithinGroup)
    return group is not None and isinstance(group.this, exp.AggFunc)


def _check_role(tree: exp.Expression, role: str) -> None:
    aggregates = list(tree.find_all(exp.AggFunc))
    if role == "measure":
        if not aggregates:
            raise ExpressionProblem("expression must aggregate, e.g. count(*) or sum(revenue)")
        for agg in aggregates:
            if agg.find_ancestor(exp.AggFunc) is not None:
                raise ExpressionProblem(f"nested aggregate '{_snippet(agg)}' is not allowed")
        for col in tree.find_all(exp.Column):
            if col.find_ancestor(exp.AggFunc) is None and not _in_ordered_set_aggregate(col):
                raise ExpressionProblem(
                    f"column '{col.sql()}' must be inside an aggregate such as sum({col.sql()})"
                )
        for star in tree.find_all(exp.Star):
            if not isinstance(star.parent, exp.Count):
                raise ExpressionProblem("'*' is only allowed in count(*)")
    elif aggregates:
        what = {"condition": "a where condition", "dimension": "a dimension", "time": "a time column",
                "formula": "a formula (it combines KPIs, which are aggregated already)"}[role]
        raise ExpressionProblem(f"aggregate '{_snippet(aggregates[0])}' is not allowed in {what}")
    elif any(isinstance(n, exp.Star) for n in tree.walk()):
        raise ExpressionProblem("'*' is only allowed in count(*)")


def parse_expression(text: object, functions: Mapping[str, FunctionSpec], *, role: str) -> exp.Expression:
    """Parse ``text`` as one SQL expression and gate it for ``role``.

    ``role`` is one of ``measure`` (must aggregate; columns only inside aggregates),
    ``condition``/``dimension``/``time`` (row-level: no aggregate) or ``formula`` (over
    KPI names, no aggregate). Registered ``functions`` are expanded. Raises
    :class:`ExpressionProblem` for anything else, never another exception.
    """
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ExpressionProblem("expected an SQL expression (text)")
    text = str(text)
    if not text.strip():
        raise ExpressionProblem("expression is empty")
    if len(text) > MAX_LENGTH:
        raise ExpressionProblem(f"expression is longer than {MAX_LENGTH} characters")
    if _nesting(text) > MAX_DEPTH:
        raise ExpressionProblem(f"expression is nested more than {MAX_DEPTH} levels deep")
    try:
        tree = sqlglot.parse_one(text, read=READ_DIALECT, into=exp.Condition)
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        message = str(detail.get("description") or error).splitlines()[0]
        raise ExpressionProblem(f"not an SQL expression: {message}", detail.get("line"), detail.get("col")) from None
    except TokenError as error:
        raise ExpressionProblem(f"not an SQL expression: {str(error).splitlines()[0]}") from None
    except RecursionError:
        raise ExpressionProblem("expression is nested too deeply") from None
    if tree is None:
        raise ExpressionProblem("expression is empty")
    if _tree_depth(tree) > 3 * MAX_DEPTH:
        raise ExpressionProblem("expression is nested too deeply")
    _gate(tree, functions)
    tree = _expand(tree, functions)
    for node in tree.find_all(exp.PercentileCont):  # also those a function built (percentile(x, p))
        _check_fraction(node)
    _check_role(tree, role)
    # Comments could carry text into generated SQL; they have no meaning in a KPI. The
    # parser's token positions are not read after this point, and every copy of the tree
    # (several per KPI per compile) would deep-copy them.
    for node in tree.walk():
        node.comments = None
        if node._meta is not None:
            for key in _POSITION_KEYS:
                node._meta.pop(key, None)
            if not node._meta:
                node._meta = None
    return tree


_POSITION_KEYS = ("line", "col", "start", "end")
