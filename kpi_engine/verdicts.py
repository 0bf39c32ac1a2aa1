"""What ``kpi check`` decides: which rows need attention, and whether the check fails.

A check's results are the KPI rows plus one row per source with ``freshness:``
(:mod:`kpi_engine.freshness`). A row *needs attention* when it is ``critical`` or ``warn``,
or has a status the check fails on (``--fail-on no_data``: an empty period, a dead
pipeline). By default only those rows are written; ``--all`` writes every row. The check
fails (exit 1) when a row has a status it fails on: ``critical`` always, ``warn`` with
``--fail-on warn``, ``no_data`` with ``--fail-on no_data``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import field, frozen

if TYPE_CHECKING:
    import pyarrow as pa

    from .engine import Evaluation
    from .model import Catalog

FAIL_ON = ("critical", "warn", "no_data")
#: Rows with these statuses are shown by default, whatever the check fails on.
ATTENTION = ("critical", "warn")


@frozen
class Check:
    """``fail_on``: the statuses that fail the check (``critical`` is always one); ``show_all``: write every row."""

    fail_on: frozenset[str] = field(converter=lambda v: frozenset(("critical", *v)))
    show_all: bool = False

    def results(self, evaluation: Evaluation, catalog: Catalog) -> pa.Table:
        """The evaluation's rows, then its sources' freshness rows (with a ``note`` column)."""
        import pyarrow as pa

        from .freshness import with_note

        fresh = evaluation.freshness(catalog)
        if not fresh.num_rows:
            return evaluation.table
        return pa.concat_tables([with_note(evaluation.table), fresh])

    def attention(self) -> frozenset[str]:
        return frozenset(ATTENTION) | self.fail_on

    def shown(self, table: pa.Table) -> pa.Table:
        """The rows to write: those needing attention, or every row with ``show_all``."""
        if self.show_all:
            return table
        from .arrowcols import booleans

        attention = self.attention()
        return table.filter(booleans([status in attention for status in table.column("status").to_pylist()]))

    def fails(self, table: pa.Table) -> bool:
        return any(status in self.fail_on for status in table.column("status").to_pylist())

    def summary(self, table: pa.Table, shown: pa.Table) -> str:
        """``check: 18 of 20 KPIs ok, 1 critical, 1 no_data; stale: orders (critical); 3 of 45 rows shown
        (--all for every row)``: each KPI counted once, by its worst row."""
        names = table.column("kpi").to_pylist()
        statuses = table.column("status").to_pylist()
        worst: dict[str, str] = {}
        for name, status in zip(names, statuses):
            if not name.startswith("freshness:"):
                before = worst.get(name, "ok")
                worst[name] = status if _RANK.get(status, 0) > _RANK.get(before, 0) else before
        counts = Counter(worst.values())
        kinds = [f"{counts[s]} {s}" for s in ("critical", "warn", "no_data", "unrated") if counts[s]]
        parts = [", ".join([f"check: {counts['ok']} of {len(worst)} KPIs ok", *kinds])]
        stale = _stale(names, statuses)
        if stale:
            parts.append(f"stale: {', '.join(stale)}")
        if not self.show_all and shown.num_rows < table.num_rows:
            parts.append(f"{shown.num_rows} of {table.num_rows} rows shown (--all for every row)")
        return "; ".join(parts)


#: A KPI's rows summed up by the worst of them.
_RANK = {"ok": 0, "unrated": 1, "no_data": 2, "warn": 3, "critical": 4}


def worst(statuses: Iterable[str]) -> str | None:
    """The worst of ``statuses`` as a check ranks them (critical, warn, no_data, unrated, ok); ``None`` for none."""
    return max(statuses, key=lambda s: _RANK.get(s, 0), default=None)


def _stale(names: Iterable[str], statuses: Iterable[str]) -> list[str]:
    return [f"{n.removeprefix('freshness:')} ({s})" for n, s in zip(names, statuses)
            if n.startswith("freshness:") and s != "ok"]
