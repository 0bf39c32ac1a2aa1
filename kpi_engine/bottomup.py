"""Rewriting a sqlglot tree in place, children before parents."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp


def rewrite_bottom_up(tree: exp.Expression, rewrite: Callable[[exp.Expression], exp.Expression]) -> exp.Expression:
    """``tree`` (rewritten in place, the caller owns it) with ``rewrite`` applied to every node.

    Children come before parents (reversed breadth-first order), so ``rewrite`` always
    sees a node whose arguments are already rewritten, and a node it replaces never hides
    the nodes under it (sqlglot's top-down ``transform`` skips what lies under a node it
    has just replaced). ``rewrite`` returns the node itself or its replacement.
    """
    for node in reversed(list(tree.walk())):
        new = rewrite(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree
