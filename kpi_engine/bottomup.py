"""Rewriting a sqlglot tree in place, children before parents."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp


def rewrite_bottom_up(
    tree: exp.Expression,
    rewrite: Callable[[exp.Expression], exp.Expression],
    types: tuple[type, ...] = (exp.Expression,),
) -> exp.Expression:
    """``tree`` (rewritten in place, the caller owns it) with ``rewrite`` applied to every
    node that is an instance of one of ``types`` (by default every node).

    Children come before parents, so ``rewrite`` always sees a node whose arguments are
    already rewritten, and a node it replaces never hides the nodes under it (sqlglot's
    top-down ``transform`` skips what lies under a node it has just replaced). ``rewrite``
    returns the node itself or its replacement.
    """
    # A plain pre-order walk over the arguments, reversed: every node after its
    # descendants. Cheaper than Expression.walk()'s generator, and the compiler walks
    # every statement's trees several times (issue 6's compile-time target).
    pending = [tree]
    order = []
    while pending:
        node = pending.pop()
        order.append(node)
        for value in node.args.values():
            if isinstance(value, exp.Expression):
                pending.append(value)
            elif type(value) is list:
                pending.extend(v for v in value if isinstance(v, exp.Expression))
    for node in reversed(order):
        if not isinstance(node, types):
            continue
        new = rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree
