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
class TimeProbe:
    """One source's time column in a :class:`TimeCheck`: what the check's result says about it
    is read from the result columns at ``columns`` (positions; ``None`` where not asked).

    ``low``: the smallest value (over no rows where the engine types columns: then only
    its type counts); ``high``: the largest (engines typing each value); ``bad`` and
    ``example``: how many values ``format: iso`` reads as NULL, and one of them.
    """

    source: str
    #: Where the source is defined (``file:line:col``), and its ``time`` as written.
    location: str
    column: str
    format: str | None
    #: The selected KPIs that read the source, directly or through a formula's parts.
    kpis: tuple[str, ...] = field(converter=tuple)
    low: int = 0
    high: int | None = None
    bad: int | None = None
    example: int | None = None


@frozen
class TimeCheck:
    """The statement run before a request's to learn whether each time column it reads holds
    what its definition says (:mod:`kpi_engine.timeformats`); one row."""

    sql: str
    probes: tuple[TimeProbe, ...] = field(converter=tuple)
    #: True: the result's column types tell (the engine types columns); False: the values do (SQLite).
    typed: bool = True


@frozen
class Statement:
    """A request compiled for one dialect: the SQL, and the order its rows come in.

    ``kpis`` are the selected KPIs' names in the order the statement returns them (parts
    before the formulas using them), which is the order a KPI without rows is put in.
    ``time_check`` is run first when the request reads time columns (buckets, a period).
    """

    sql: str
    kpis: tuple[str, ...] = field(converter=tuple)
    time_check: TimeCheck | None = None
