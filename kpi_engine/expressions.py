"""The expression gate: parse definition text into sqlglot trees, allow only what a KPI needs.

Every ``expr``, ``where``, dimension, time column, ``formula`` and metric parameter
goes through :func:`parse_expression` once, at load time. The gate is
:mod:`kpi_engine.allowlist`: node types, their arguments and literal values, never a
denylist, so anything not listed, such as subqueries, window functions, table
functions, engine calls like ``pg_sleep`` or a cast to a type sqlglot does not know, is
refused. Registered metric functions are the only unknown calls allowed; they are
expanded here, and what they build passes the same allowlist, so later stages see
plain, checked sqlglot trees.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .allowlist import EXPRESSION_ARGS, Refused, check_expression
from .snippet import snippet as _snippet
from .errors import one_line
from .plugincalls import call_plugin
from .specs import FunctionSpec
from .suggest import did_you_mean

MAX_LENGTH = 4000
MAX_SQL_LENGTH = 20_000  # a sql: source, one SELECT mapping a warehouse's tables
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


#: Functions a definition may call (sqlglot's node classes for them); the arguments each
#: may carry are :data:`~kpi_engine.allowlist.EXPRESSION_ARGS`'.
ALLOWED_FUNCTIONS = frozenset(c for c in EXPRESSION_ARGS if issubclass(c, exp.Func))


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


def nesting(text: str) -> int:
    """The deepest parenthesis nesting of ``text``, outside quotes."""
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


def _find_function(node: exp.Func, functions: Mapping[str, FunctionSpec]) -> FunctionSpec | None:
    for name in function_names(node):
        if name in functions:
            return functions[name]
    return None


def _gate(tree: exp.Expression, functions: Mapping[str, FunctionSpec]) -> None:
    """Name an unknown or refused call first (the friendliest message), then the allowlist."""
    for node in tree.walk():
        if not isinstance(node, exp.Func) or _find_function(node, functions) is not None or type(node) in ALLOWED_FUNCTIONS:
            continue
        name = function_names(node)[0]
        if isinstance(node, exp.Anonymous):
            known = list(functions) + [function_names_of(c)[0] for c in ALLOWED_FUNCTIONS]
            raise ExpressionProblem(f"unknown function '{name}'{did_you_mean(name, known)}")
        raise ExpressionProblem(f"function '{name}' is not allowed in a KPI expression")
    _allowlisted(tree, calls=lambda node: isinstance(node, exp.Func) and _find_function(node, functions) is not None)


def _allowlisted(tree: exp.Expression, **options) -> None:
    try:
        check_expression(tree, **options)
    except Refused as refused:
        raise ExpressionProblem(refused.message) from None


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


def _calls(tree: exp.Expression, functions: Mapping[str, FunctionSpec]) -> bool:
    return any(isinstance(n, exp.Func) and _find_function(n, functions) is not None for n in tree.walk())


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
    if nesting(text) > MAX_DEPTH:
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
    if _calls(tree, functions):  # plugins build part of it: the same allowlist, and no call left
        tree = _expand(tree, functions)
        _allowlisted(tree, built=True)
    _check_role(tree, role)
    return _clean(tree)


def _clean(tree: exp.Expression) -> exp.Expression:
    """``tree`` without comments and token positions.

    Comments could carry text into generated SQL; they have no meaning in a KPI. The
    parser's token positions are not read after this point, and every copy of the tree
    (several per KPI per compile) would deep-copy them.
    """
    for node in tree.walk():
        node.comments = None
        if node._meta is not None:
            for key in _POSITION_KEYS:
                node._meta.pop(key, None)
            if not node._meta:
                node._meta = None
    return tree


def declared_sample(text: str, functions: Mapping[str, FunctionSpec]) -> exp.Expression | None:
    """The sample a function declares for ``text``, a measure already parsed and gated
    by :func:`parse_expression`: when ``text`` is one call of a function with a
    ``sample`` builder (``nps(score)``), the aggregate it builds from the call's
    arguments (``COUNT(score)``); ``None`` otherwise.

    The result passes the same allowlist as what ``build`` returns and must aggregate;
    raises :class:`ExpressionProblem` when it does not or the builder fails.
    """
    try:
        tree = sqlglot.parse_one(text, read=READ_DIALECT, into=exp.Condition)
    except (ParseError, TokenError, RecursionError):
        return None
    while isinstance(tree, exp.Paren):
        tree = tree.this
    spec = _find_function(tree, functions) if isinstance(tree, exp.Func) else None
    if spec is None or spec.sample is None:
        return None
    name = function_names(tree)[0]
    # Arguments calling registered functions are expanded, as build() receives them.
    args = [_expand(argument.copy(), functions) for argument in _call_arguments(tree)]
    try:
        sample = call_plugin(lambda: spec.load_sample()(*args))
    except Exception as error:  # a plugin bug: reported at the expression, never a traceback
        raise ExpressionProblem(f"function '{name}' failed to build its sample ({one_line(error)}); "
                                "this is a bug in the plugin providing it") from None
    if not isinstance(sample, exp.Expression):
        raise ExpressionProblem(f"function '{name}' did not return a sqlglot expression as its sample (plugin bug)")
    try:
        _allowlisted(sample, built=True)
    except ExpressionProblem as problem:
        raise ExpressionProblem(f"function '{name}' declares a sample that is refused: {problem.message}") from None
    try:
        _check_role(sample, "measure")
    except ExpressionProblem as problem:
        raise ExpressionProblem(f"function '{name}' declares a sample that is no measure: {problem.message}") from None
    return _clean(sample)


_POSITION_KEYS = ("line", "col", "start", "end")
