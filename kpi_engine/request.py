"""What a run asks for, and what it compiles to; neither needs sqlglot.

A :class:`Request` is planned (:mod:`kpi_engine.planner`) and compiled
(:mod:`kpi_engine.compiler`) into a :class:`Statement`, which the cache keeps
(:mod:`kpi_engine.cache`): a run whose statement is cached never plans nor imports sqlglot.
"""

from __future__ import annotations

from datetime import date, datetime

from attrs import field, frozen

from .comparisons import FLAT_WITHIN
from .model import Kpi

#: The statement's last column, a KPI's position (rows come ordered by it); results drop it.
ORDER_COLUMN = "_ord"


@frozen
class Request:
    """What to compute: KPIs, an optional time grain, slicing dimensions and a half-open period."""

    kpis: tuple[Kpi, ...] = field(converter=tuple)
    grain: str | None = None
    by: tuple[str, ...] = field(default=(), converter=tuple)
    start: date | datetime | None = None
    end: date | datetime | None = None
    compare: str | None = None
    #: |change_ratio| up to which a comparison's verdict is ``flat``.
    flat_within: float = FLAT_WITHIN
    #: --trend N: the trend over the last N buckets, and the weather summary.
    trend: int | None = None
    #: Prefix of the statement's CTE names: "" for the request, "c_" for its comparison range.
    prefix: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        return (("period_start",) if self.grain else ()) + self.by

    @property
    def lists(self) -> bool:
        """Whether any KPI asked for returns ranked entries (result columns ``item`` and ``rank``)."""
        return any(k.lists for k in self.kpis)

    @property
    def samples(self) -> bool:
        """Whether any KPI asked for reports a sample apart from its denominator (result column ``sample``)."""
        return any(k.reports_sample for k in self.kpis)


@frozen
class Statement:
    """A request compiled for one dialect: the SQL, and the order its rows come in.

    ``kpis`` are the selected KPIs' names in the order the statement returns them (parts
    before the formulas using them), which is the order a KPI without rows is put in.
    """

    sql: str
    kpis: tuple[str, ...] = field(converter=tuple)
