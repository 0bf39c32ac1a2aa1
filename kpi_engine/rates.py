"""Which KPIs are rates: a numerator counting some of the rows its denominator counts.

``confidence:`` puts a Wilson interval (:mod:`kpi_engine.intervals`) around a KPI's value,
which is only meaningful for successes out of trials: the numerator must count a subset
of what the denominator counts. The loader tells that from the definition, soundly but
not completely, and refuses ``confidence`` on anything it cannot tell:

- the KPI has a numerator and a denominator, and its unit is ``percent`` or ``ratio``;
- both sides count rows of the same source: each is one ``count(*)``, ``count(x)``, or
  ``count(distinct x)`` on both sides with the same ``x``;
- every condition the denominator puts on a row (each AND-ed term of its ``where``, and
  ``x is not null`` for ``count(x)``) is also one of the numerator's; or is ``x is not
  null`` where the numerator compares ``x`` (``x > y``, ``x = 'a'``, ``x in (...)``...,
  which is never true on NULL) or tests the boolean ``x`` itself; or is ``x in (a, b)``
  where the numerator says ``x = a`` (or ``x in`` some of them).

So ``count(*) where delivered_at > promised_at`` out of ``count(*) where delivered_at is
not null`` is a rate, and so are ``count(*) where score >= 9`` out of ``count(score)`` and
``count(*) where status = 'won'`` out of ``count(*) where status in ('won', 'lost')``;
``count(*) where device = 'mobile'`` out of ``count(*) where device = 'desktop'`` is not.
"""

from __future__ import annotations

from sqlglot import exp

from .model import Kpi, Measure

RATE_UNITS = ("percent", "ratio")
#: Comparisons that are never true when an operand is NULL.
_NULL_REJECTING = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Like, exp.ILike, exp.Between, exp.In)


def _unwrap(tree: exp.Expression) -> exp.Expression:
    while isinstance(tree, exp.Paren):
        tree = tree.this
    return tree


def _key(tree: exp.Expression) -> str:
    return _unwrap(tree).sql(comments=False)


def _counted(tree: exp.Expression) -> tuple[bool, exp.Expression | None] | None:
    """``(distinct, argument)`` of a side that is one ``count(...)`` (argument ``None`` for
    ``count(*)``); ``None`` for anything else."""
    tree = _unwrap(tree)
    if not isinstance(tree, exp.Count):
        return None
    argument = tree.this
    if isinstance(argument, exp.Distinct):
        values = argument.expressions
        return (True, values[0]) if len(values) == 1 else None
    if argument is None or isinstance(argument, exp.Star):
        return False, None
    return False, argument


def _conditions(measure: Measure, argument: exp.Expression | None) -> list[exp.Expression]:
    """What a row must satisfy to be counted: the AND-ed terms of ``where``, and ``argument is not null``."""
    terms: list[exp.Expression] = []
    if measure.where is not None:
        pending = [measure.where.tree]
        while pending:
            node = _unwrap(pending.pop())
            if isinstance(node, exp.And):
                pending += [node.expression, node.this]
            else:
                terms.append(node)
    if argument is not None:
        terms.append(exp.Not(this=exp.Is(this=argument.copy(), expression=exp.Null())))
    return terms


def _not_null_of(term: exp.Expression) -> exp.Expression | None:
    """``x`` when ``term`` is ``x is not null``."""
    if isinstance(term, exp.Not) and isinstance(_unwrap(term.this), exp.Is):
        test = _unwrap(term.this)
        if isinstance(test.expression, exp.Null):
            return test.this
    return None


def _within(term: exp.Expression, given: list[exp.Expression]) -> bool:
    """Whether ``term`` is ``x in (a, b, ...)`` and ``given`` holds ``x = a`` or ``x in`` some of them."""
    if not isinstance(term, exp.In) or not term.expressions or term.args.get("query") is not None:
        return False
    subject, allowed = _key(term.this), {_key(e) for e in term.expressions}
    for g in map(_unwrap, given):
        if isinstance(g, exp.EQ) and _key(g.this) == subject and _key(g.expression) in allowed:
            return True
        if (isinstance(g, exp.In) and g.expressions and g.args.get("query") is None and _key(g.this) == subject
                and {_key(e) for e in g.expressions} <= allowed):
            return True
    return False


def _implied(term: exp.Expression, given: list[exp.Expression]) -> bool:
    """Whether every row satisfying all of ``given`` satisfies ``term``."""
    wanted = _key(term)
    if any(_key(g) == wanted for g in given) or _within(term, given):
        return True
    value = _not_null_of(term)
    if value is None:
        return False
    value_key = _key(value)
    for g in map(_unwrap, given):
        if _key(g) == value_key:  # a boolean column that holds is not null
            return True
        if isinstance(g, _NULL_REJECTING):
            operands = [g.this] + ([g.expression] if g.args.get("expression") is not None else [])
            if any(_key(o) == value_key for o in operands):
                return True
    return False


def rate_problem(kpi: Kpi) -> str | None:
    """Why ``kpi`` is not a rate ``confidence`` can apply to (one line), or ``None`` when it is one."""
    if kpi.kind != "ratio":
        return f"confidence applies to rates (numerator/denominator with unit percent or ratio), not to a {kpi.kind} KPI"
    if kpi.unit not in RATE_UNITS:
        return f"confidence applies to rates: unit must be percent or ratio, not {kpi.unit}"
    numerator, denominator = kpi.numerator, kpi.denominator
    if numerator.source != denominator.source:
        return (f"confidence needs the numerator to count rows of the denominator's source, but they count "
                f"{numerator.source} and {denominator.source}")
    counted = _counted(numerator.expr.tree), _counted(denominator.expr.tree)
    for side, found in zip((numerator, denominator), counted):
        if found is None:
            return f"confidence needs counts on both sides (successes out of trials), not '{side.expr.text}'"
    (n_distinct, n_argument), (d_distinct, d_argument) = counted
    if n_distinct or d_distinct:
        if not (n_distinct and d_distinct and _key(n_argument) == _key(d_argument)):
            return "confidence: count(distinct x) must count the same x on both sides"
    given = _conditions(numerator, n_argument)
    for term in _conditions(denominator, d_argument):
        if not _implied(term, given):
            return (f"confidence needs the numerator to count only rows the denominator counts, but nothing in "
                    f"its where implies '{_key(term)}' (add it to the numerator's where)")
    return None
