"""The catalog model: frozen value objects built by the loader, read by planner and compliance.

Expression fields hold sqlglot trees that were parsed and gated once, at load time
(see :mod:`kpi_engine.expressions`). Trees are shared, never mutated: code that needs
to change one copies it first.

A catalog read back from the disk cache holds each tree as a :class:`Deferred` (sqlglot's
serialized form) until something reads it: a run whose SQL is cached too never walks a
tree, so it never imports sqlglot. Reading ``Expression.tree``, ``Source.table`` or
``Source.sql`` loads the tree once and keeps it; the objects stay equal and hash alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from attrs import evolve, field, frozen

if TYPE_CHECKING:  # sqlglot is imported where trees are parsed or walked: `kpi --version` does not need it
    from sqlglot import exp

Unit = Literal["percent", "ratio", "currency", "count", "seconds", "number"]
Direction = Literal["higher", "lower", "range"]
GRAINS = ("day", "week", "month", "quarter", "year")
UNITS = ("percent", "ratio", "currency", "count", "seconds", "number")
DIRECTIONS = ("higher", "lower", "range")
#: How a row finer than a KPI's ``target_period`` is judged (:mod:`kpi_engine.pacing`); the first is the default.
FINER_GRAINS = ("unjudged", "pace")
#: How a source's ``time`` column is read (``time: {column: ts, format: epoch_s}``): seconds or
#: milliseconds since 1970-01-01 00:00:00 UTC, or ISO 8601 text (:mod:`kpi_engine.timeformats`).
TIME_FORMATS = ("epoch_s", "epoch_ms", "iso")


def _frozen_mapping(value: Mapping) -> Mapping:
    return MappingProxyType(dict(value))


class Deferred:
    """A tree in sqlglot's serialized form (``sqlglot.serde.dump`` as JSON bytes), loaded when first read.

    Bytes, not the dumped lists: unpickling a catalog then copies one string per tree
    instead of rebuilding thousands of small dicts that a cached run never reads.
    """

    __slots__ = ("payload",)

    def __init__(self, payload: bytes):
        self.payload = payload

    def __reduce__(self):
        return Deferred, (self.payload,)

    def load(self) -> exp.Expression:
        import json

        from sqlglot.serde import load

        return load(json.loads(self.payload))


_LOADING = threading.Lock()


def _tree(owner: object, name: str):
    """``owner``'s tree attribute ``name``, loading a :class:`Deferred` once (frozen objects are updated in place)."""
    value = object.__getattribute__(owner, name)
    if type(value) is not Deferred:
        return value
    with _LOADING:  # two threads reading the same tree get the same object
        value = object.__getattribute__(owner, name)
        if type(value) is Deferred:
            value = value.load()
            object.__setattr__(owner, name, value)
    return value


@frozen
class Location:
    """Where a definition was written: 1-based line and column."""

    file: str
    line: int
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@frozen
class Expression:
    """A gated SQL expression: the text as written and its parsed tree."""

    text: str
    _tree: exp.Expression | Deferred = field(eq=False, repr=False)  # argument ``tree``

    @property
    def tree(self) -> exp.Expression:
        return _tree(self, "_tree")


@frozen
class Dimension:
    """A slicing column of a source; ``expr`` is row-level (no aggregate)."""

    name: str
    expr: Expression


@frozen
class Freshness:
    """How old a source's newest row may be at the as-of moment before it is ``warn`` or ``critical``."""

    warn_after: timedelta | None = None
    critical_after: timedelta | None = None


@frozen
class Source:
    """A relation KPIs aggregate over: exactly one of ``table``, ``paths`` or ``sql``."""

    name: str
    location: Location
    _table: exp.Table | Deferred | None = field(default=None, eq=False, repr=False)  # argument ``table``
    paths: tuple[str, ...] = field(default=(), converter=tuple)
    _sql: exp.Query | Deferred | None = field(default=None, eq=False, repr=False)  # argument ``sql``
    time: Expression | None = None
    dimensions: tuple[Dimension, ...] = field(default=(), converter=tuple)
    description: str = ""
    #: IANA zone the UTC ``time`` is read in for buckets and periods (None: as stored).
    timezone: str | None = None
    freshness: Freshness | None = None
    #: One of :data:`TIME_FORMATS`: what ``time`` holds when it is not a time (None: a time).
    time_format: str | None = None

    @property
    def table(self) -> exp.Table | None:
        return _tree(self, "_table")

    @property
    def sql(self) -> exp.Query | None:
        return _tree(self, "_sql")

    @property
    def kind(self) -> str:
        return "table" if self._table is not None else ("path" if self.paths else "sql")

    def dimension(self, name: str) -> Dimension | None:
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        return None


@frozen
class Measure:
    """One side of a KPI: an aggregate ``expr`` over ``source``, optionally filtered by ``where``."""

    source: str
    expr: Expression
    where: Expression | None = None
    location: Location | None = field(default=None, eq=False)


@frozen
class Band:
    """A closed interval; ``None`` is an open side (``direction: range``)."""

    low: float | None
    high: float | None

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def __str__(self) -> str:
        return f"[{'' if self.low is None else self.low}, {'' if self.high is None else self.high}]"


@frozen
class Metric:
    """A KPI computed by a plugin's metric type over one source (``metric:`` in YAML).

    ``params`` maps each of the type's parameters to a gated :class:`Expression` or a
    plain value; ``type`` is the registered :class:`~kpi_engine.specs.MetricTypeSpec`.
    """

    type: object = field(eq=False, repr=False)
    source: str
    where: Expression | None = None
    params: Mapping[str, object] = field(factory=dict, converter=_frozen_mapping)
    location: Location | None = field(default=None, eq=False)

    @property
    def type_name(self) -> str:
        return self.type.name

    @property
    def lists(self) -> bool:
        return bool(self.type.lists)


Line = float | Band | None


@frozen
class Thresholds:
    """Warn and critical lines; numbers for ``higher``/``lower``, :class:`Band` for ``range``."""

    warn: Line = None
    critical: Line = None


@frozen
class TargetRule:
    """A target and thresholds for some rows of a KPI (``targets:``): the first rule that matches applies.

    ``by`` maps dimension names to values, and matches a row sliced by all of them with
    those values; ``start``/``end`` bound the row's ``period_start`` (half-open). A row
    no rule matches is judged against the KPI's own target and thresholds.
    """

    location: Location
    by: Mapping[str, str] = field(factory=dict, converter=_frozen_mapping)
    start: object = None
    end: object = None
    target: object = None
    thresholds: Thresholds = Thresholds()

    def matches(self, row: Mapping) -> bool:
        for name, value in self.by.items():
            if name not in row or row[name] is None or str(row[name]) != value:
                return False
        if self.start is not None or self.end is not None:
            period = row.get("period_start")
            if period is None:
                return False
            if self.start is not None and period < self.start:
                return False
            if self.end is not None and period >= self.end:
                return False
        return True


@frozen
class Kpi:
    """A KPI: a ratio (numerator/denominator), a single ``value``, a ``formula`` over KPIs,
    or a plugin ``metric`` type."""

    name: str
    location: Location
    title: str = ""
    description: str = ""
    stage: str = ""
    unit: str = "number"
    direction: str = "higher"
    target: Line = None
    thresholds: Thresholds = Thresholds()
    tags: tuple[str, ...] = field(default=(), converter=tuple)
    numerator: Measure | None = None
    denominator: Measure | None = None
    formula: Expression | None = None
    metric: Metric | None = None
    min_denominator: float | None = None
    targets: tuple[TargetRule, ...] = field(default=(), converter=tuple)
    target_period: str | None = None
    #: Whether the target of several ``target_period`` periods is the sum of theirs (a quarter of a monthly revenue target).
    additive: bool = False
    #: ``unjudged`` or ``pace``: how a row finer than ``target_period`` (a day of a monthly target) is judged.
    finer_grains: str = FINER_GRAINS[0]
    #: A worsening by more than this share of the compared value is ``stormy`` whatever the status.
    alert_change: float | None = None
    #: A cohort's rows whose period ended less than this before the as-of moment are still maturing: ``no_data``.
    mature_after: timedelta | None = None
    #: The shortest grain the KPI means something at (churn over a week is customers between orders):
    #: rows of a finer grain are not judged, and their note says so.
    min_grain: str | None = None
    #: The KPIs a formula uses, in order of first use (the loader names them; see :attr:`depends_on`).
    uses: tuple[str, ...] = field(default=(), converter=tuple)
    #: Rows resting on fewer observations are not judged (:attr:`sample_kind` says which count).
    min_sample: float | None = None
    #: The aggregate counting a value or metric KPI's observations (``sample:``, or its
    #: function's declared sample), computed over the KPI's source with its ``where``.
    sample: Expression | None = None
    #: A rate's confidence level (0 < c < 1): rows get a Wilson interval and are judged on it.
    confidence: float | None = None

    @property
    def kind(self) -> str:
        if self.formula is not None:
            return "formula"
        if self.metric is not None:
            return "metric"
        return "ratio" if self.denominator is not None else "value"

    @property
    def sources(self) -> tuple[str, ...]:
        """Names of the sources this KPI reads directly (none for a formula)."""
        if self.metric is not None:
            return (self.metric.source,)
        return tuple(dict.fromkeys(m.source for m in self.measures))

    @property
    def lists(self) -> bool:
        """Whether the KPI's rows are ranked entries (``item``, ``rank``) rather than one per key."""
        return self.metric is not None and self.metric.lists

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for m in (self.numerator, self.denominator) if m is not None)

    @property
    def depends_on(self) -> tuple[str, ...]:
        """KPI names a formula refers to, in order of first use."""
        if self.formula is None:
            return ()
        if self.uses:
            return self.uses
        from sqlglot import exp

        seen: dict[str, None] = {}
        for col in self.formula.tree.find_all(exp.Column):
            seen.setdefault(col.name, None)
        return tuple(seen)

    @property
    def divides(self) -> bool:
        """Whether the value is a numerator over a denominator (a ratio, a/b formula or ratio metric)."""
        if self.kind == "ratio":
            return True
        if self.kind == "metric":
            return bool(self.metric.type.ratio)
        if self.kind == "formula":
            from sqlglot import exp

            tree = self.formula.tree.unnest() if isinstance(self.formula.tree, exp.Paren) else self.formula.tree
            return isinstance(tree, exp.Div)
        return False

    @property
    def sample_kind(self) -> str | None:
        """What a row's sample is: ``"sample"`` (its own ``sample`` column: a declared count,
        or the one its metric type returns), ``"denominator"`` (a ratio, a formula ``a / b``,
        a metric type counting in its denominator), or ``None`` (nothing to count)."""
        if self.sample is not None:
            return "sample"
        if self.kind == "metric":
            return getattr(self.metric.type, "sample", None)
        return "denominator" if self.divides else None

    @property
    def reports_sample(self) -> bool:
        """Whether its rows carry a ``sample`` column: a ``sample:`` of its own, or its metric
        type's sample column when ``min_sample`` asks for it."""
        return self.sample is not None or (self.min_sample is not None and self.sample_kind == "sample")

    @property
    def minimum(self) -> tuple[str, float] | None:
        """``(key, n)`` of the smallest sample a row needs to be judged: ``min_sample``, or its
        older spelling ``min_denominator`` (always the denominator); ``None`` without one."""
        if self.min_sample is not None:
            return "min_sample", self.min_sample
        if self.min_denominator is not None:
            return "min_denominator", self.min_denominator
        return None

    @property
    def rated(self) -> bool:
        return self.target is not None or self.thresholds.warn is not None or self.thresholds.critical is not None

    def for_row(self, row: Mapping) -> Kpi:
        """This KPI with the target and thresholds of the first ``targets`` rule matching ``row``."""
        for rule in self.targets:
            if rule.matches(row):
                return evolve(self, target=rule.target, thresholds=rule.thresholds, targets=())
        return self


@frozen
class Dashboard:
    """A named, ordered selection of KPIs."""

    name: str
    location: Location
    title: str = ""
    description: str = ""
    kpis: tuple[str, ...] = field(default=(), converter=tuple)


@frozen
class Catalog:
    """Every source, KPI and dashboard of a definitions tree, in file order."""

    root: str
    sources: Mapping[str, Source] = field(factory=dict, converter=_frozen_mapping)
    kpis: Mapping[str, Kpi] = field(factory=dict, converter=_frozen_mapping)
    dashboards: Mapping[str, Dashboard] = field(factory=dict, converter=_frozen_mapping)
    #: The folders its sources were allowed to read (:mod:`kpi_engine.data_roots`), the only
    #: ones an adapter may read; ``None`` for a catalog not made by the loader (its root's folder).
    data_roots: tuple[str, ...] | None = field(default=None, converter=lambda v: None if v is None else tuple(v))

    def kpi(self, name: str) -> Kpi:
        return self.kpis[name]

    def select(
        self,
        kpis: Iterable[str] = (),
        dashboard: str | None = None,
        tags: Iterable[str] = (),
    ) -> tuple[Kpi, ...]:
        """The KPIs named, those of a dashboard and those carrying a tag; all of them if none given.

        Raises :class:`~kpi_engine.errors.SelectionError` for an unknown KPI, dashboard or tag.
        """
        from .errors import SelectionError
        from .suggest import did_you_mean

        kpis, tags = list(kpis), list(tags)
        names: dict[str, None] = {}
        for name in kpis:
            if name not in self.kpis:
                raise SelectionError(f"unknown kpi '{name}'{did_you_mean(name, self.kpis)}")
            names.setdefault(name, None)
        if dashboard is not None:
            if dashboard not in self.dashboards:
                raise SelectionError(f"unknown dashboard '{dashboard}'{did_you_mean(dashboard, self.dashboards)}")
            for name in self.dashboards[dashboard].kpis:
                names.setdefault(name, None)
        for tag in tags:
            tagged = [k.name for k in self.kpis.values() if tag in k.tags]
            if not tagged:
                known = sorted({t for k in self.kpis.values() for t in k.tags})
                raise SelectionError(f"no kpi is tagged '{tag}'{did_you_mean(tag, known)}")
            for name in tagged:
                names.setdefault(name, None)
        if not kpis and dashboard is None and not tags:
            return tuple(self.kpis.values())
        return tuple(self.kpis[n] for n in names)
