"""A tree as a message shows it: one line, at most 60 characters."""

from __future__ import annotations

import re

from sqlglot import exp

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def snippet(node: exp.Expression) -> str:
    """``node`` as a definition would write it (DuckDB's dialect), control characters
    escaped so a message stays one line, cut to 60 characters."""
    try:
        # The default dialect cannot print every node (an E'...' string prints as '' and
        # sqlglot logs a warning).
        text = node.sql(dialect="duckdb", comments=False)
    except Exception:  # a node the generator cannot print is named by its type
        text = type(node).__name__
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    return text if len(text) <= 60 else text[:57] + "..."
