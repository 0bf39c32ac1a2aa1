"""Declarations plugins return from the registration hooks (see :mod:`kpi_engine.hookspecs`)."""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen, validators

if TYPE_CHECKING:  # pyarrow and sqlglot are imported where they are used: `kpi --version` needs neither
    import pyarrow as pa
    from sqlglot import exp


@runtime_checkable
class Adapter(Protocol):
    """A live connection to one engine.

    ``dialect`` is the sqlglot dialect the engine speaks. ``execute`` runs one SELECT
    and returns its whole result as a :class:`pyarrow.Table`; it raises
    :class:`~kpi_engine.errors.ExecutionError` with a message fit for a user (no
    password in it) when the engine refuses. ``close`` releases the connection and
    may be called more than once.
    """

    dialect: str

    def execute(self, sql: str) -> pa.Table: ...

    def close(self) -> None: ...


#: Statement timeouts allowed, in seconds: at least 1 ms, at most 7 days (below every engine's
#: own limit, e.g. PostgreSQL's statement_timeout of 2^31-1 ms, and threading.TIMEOUT_MAX).
MIN_TIMEOUT, MAX_TIMEOUT = 0.001, 7 * 24 * 3600


def timeout_problem(value: object) -> str | None:
    """Why ``value`` is not a statement timeout (a number of seconds within the limits above), or ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value!r} is not a number of seconds"
    try:
        seconds = float(value)
    except OverflowError:  # an integer of hundreds of digits (TOML integers are unbounded)
        seconds = math.inf
    if not (math.isfinite(seconds) and MIN_TIMEOUT <= seconds <= MAX_TIMEOUT):
        return f"{seconds:g} is not a timeout: give seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT} (7 days)"
    return None


def _timeout(instance, attribute, value) -> None:
    if value is not None and (problem := timeout_problem(value)) is not None:
        raise ValueError(f"{attribute.name}: {problem}")


@frozen
class ConnectOptions:
    """What the engine tells an adapter factory besides the URL.

    ``readable_dirs`` are the only directories definitions may read files from (the
    data roots, :mod:`kpi_engine.data_roots`, already checked at load time, symlinks
    resolved); an adapter that can read files must allow those and no others.
    ``timeout`` bounds each statement, in seconds (``None``: no bound); it is finite and
    within :data:`MIN_TIMEOUT` .. :data:`MAX_TIMEOUT`, so an adapter may hand it to a
    timer or to the engine as it is.
    """

    readable_dirs: tuple[Path, ...] = field(default=(), converter=tuple)
    timeout: float | None = field(default=None, validator=_timeout)


#: ``package.module:Attribute``, the form of a factory imported on first use
_IMPORT_PATH = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*")


def _callable_or_import_path(instance, attribute, value) -> None:
    if callable(value) or (isinstance(value, str) and _IMPORT_PATH.fullmatch(value)):
        return
    raise TypeError(
        f"{type(instance).__name__}.{attribute.name} must be a callable or a 'module:attribute' string, not {value!r}"
    )


def load_callable(value: Callable | str) -> Callable:
    """``value`` itself, or the attribute a ``"package.module:Attribute"`` string names, imported now.

    Raises whatever the import raises (``ImportError`` for a missing driver, say).
    """
    if not isinstance(value, str):
        return value
    module, _, attribute = value.partition(":")
    found = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


@frozen
class AdapterSpec:
    """An adapter a plugin provides.

    ``schemes`` are the URL schemes it serves (``"duckdb"`` serves ``duckdb://...``);
    ``factory(url, options)`` opens a connection and returns an :class:`Adapter`.
    ``factory`` may be given as ``"package.module:Attribute"``: it is then imported only
    when a connection is opened (:meth:`load_factory`), so declaring an adapter costs no
    driver import on commands that never connect. ``reads_files`` says whether ``path:``
    sources (Parquet/CSV) can be compiled for it.
    """

    name: str
    schemes: tuple[str, ...] = field(converter=tuple)
    dialect: str
    factory: Callable[[str, ConnectOptions], Adapter] | str = field(repr=False, validator=_callable_or_import_path)
    description: str = ""
    reads_files: bool = False

    def load_factory(self) -> Callable[[str, ConnectOptions], Adapter]:
        """The factory itself, importing it first when it was given as ``"module:attribute"``.

        Raises whatever the import raises (``ImportError`` for a missing driver, say).
        """
        return load_callable(self.factory)


@frozen
class FunctionSpec:
    """A metric function usable in definition expressions, e.g. ``safe_divide(a, b)``.

    ``build(*args)`` receives the parsed, already gated argument trees and returns the
    sqlglot expression that replaces the call. It must not mutate its arguments (copy
    them if it needs to) and must return a tree built with sqlglot builders, never SQL
    text. ``min_args``/``max_args`` (``None``: unbounded) are checked before ``build``.
    ``build`` may be given as ``"package.module:Attribute"``: it is then imported when an
    expression first calls the function (:meth:`load_build`), so a run served from the
    disk cache never imports it (nor sqlglot).

    ``sample`` (optional, a callable or an import path like ``build``) says what the
    function's value rests on: ``sample(*args)`` receives the same argument trees and
    returns an aggregate counting those observations, e.g. ``COUNT(score)`` for
    ``nps(score)``, the answers. A value KPI whose ``expr`` is one call of the function
    then takes it as its sample when it sets ``min_sample`` without a ``sample:`` of its
    own. The result is gated like ``build``'s and must aggregate.
    """

    name: str
    build: Callable[..., exp.Expression] | str = field(repr=False, validator=_callable_or_import_path)
    min_args: int = 0
    max_args: int | None = None
    description: str = ""
    sample: Callable[..., exp.Expression] | str | None = field(
        default=None, repr=False, validator=validators.optional(_callable_or_import_path)
    )

    def load_build(self) -> Callable[..., exp.Expression]:
        """The builder itself, imported first when ``build`` is a ``"module:attribute"`` string."""
        return load_callable(self.build)

    def load_sample(self) -> Callable[..., exp.Expression] | None:
        """The sample builder (imported first when given as a string), or ``None`` when the function declares none."""
        return None if self.sample is None else load_callable(self.sample)


@frozen
class DefinitionPack:
    """Sources, KPIs and dashboards a plugin contributes, loaded and validated like local files.

    Give ``path`` (a YAML file, or a directory read recursively like a definitions
    directory; ``path:`` sources resolve relative to each file and may read under it, a
    data root for the pack's own sources) or ``documents`` (mappings with the same
    top-level keys, built in Python; their ``path:`` sources must be absolute, under the
    project's data roots). Names must not collide with another pack's; a local definition of the
    same name is an error unless it says ``override: true``.
    """

    name: str
    path: Path | None = None
    documents: tuple[Mapping, ...] = field(default=(), converter=tuple, repr=False)
    description: str = ""


#: What a metric type may declare as its sample (:attr:`MetricTypeSpec.sample`).
SAMPLE_COLUMNS = (None, "denominator", "sample")

PARAM_KINDS = ("measure", "dimension", "condition", "integer", "number", "text")


@frozen
class MetricParam:
    """One parameter of a metric type, written as a key under the KPI's ``metric:``.

    ``kind`` says how the loader reads and checks it: ``measure`` (an aggregate
    expression such as ``sum(revenue)``), ``dimension`` (a row-level expression such as
    ``customer_id``), ``condition`` (a row-level boolean), ``integer``, ``number`` or
    ``text``. Expressions are parsed and gated like every other expression, plugin
    functions included. A parameter without ``required`` takes ``default``.
    """

    name: str
    kind: str = field()
    required: bool = True
    default: object = None
    description: str = ""

    @kind.validator
    def _known_kind(self, attribute, value):
        if value not in PARAM_KINDS:
            raise ValueError(f"metric parameter kind must be one of {', '.join(PARAM_KINDS)}, not {value!r}")


@frozen
class MetricTypeSpec:
    """A metric type: a whole query shape a KPI selects with ``metric: {type: NAME, ...}``.

    Where a metric function rewrites one expression, a metric type writes the query
    computing one KPI over one source: cohorts compared across periods, top-N lists,
    anything plain aggregates cannot express. Every KPI using it names a ``source``
    and may give a row filter ``where``; ``params`` declare the other keys.

    ``build(query)`` receives a :class:`MetricQuery` and returns a sqlglot SELECT with
    one row per key (``period_start`` with a grain, then each ``--by`` dimension, named
    as in :attr:`MetricQuery.keys`) and the columns ``numerator`` and ``denominator``.
    The engine computes ``value``: numerator / denominator (NULL on a zero or NULL
    denominator) when ``ratio`` is true, else the numerator alone (the denominator
    column is then ignored and reported as NULL); it aligns the rows with the other KPIs
    in the same statement. With ``lists=True`` the rows are ranked entries: each key may have
    several rows, with the extra columns ``item`` (the entry's label) and ``rank``
    (1 = first). ``build`` must build trees with sqlglot builders from the pieces it
    is given, never SQL text, and must not mutate them (they are fresh copies anyway).
    ``build`` may be a ``"package.module:Attribute"`` string, imported when a query is
    first built (:meth:`load_build`).

    ``sample`` says which column counts what a row rests on, for a KPI's ``min_sample``:
    ``"denominator"`` (a ratio type whose denominator is a count, such as the customers a
    retention rate is a share of), ``"sample"`` (the built query returns a ``sample``
    column too), or ``None`` (the default: a KPI of this type declares ``sample:`` itself
    to use ``min_sample``).
    """

    name: str
    build: Callable[["MetricQuery"], exp.Select] | str = field(repr=False, validator=_callable_or_import_path)
    params: tuple[MetricParam, ...] = field(default=(), converter=tuple)
    description: str = ""
    lists: bool = False
    ratio: bool = True
    sample: str | None = field(default=None)

    @sample.validator
    def _known_sample(self, attribute, value):
        if value not in SAMPLE_COLUMNS:
            raise ValueError(f"metric type sample must be one of {', '.join(map(repr, SAMPLE_COLUMNS))}, not {value!r}")
        if value == "denominator" and not self.ratio:
            raise ValueError("metric type sample 'denominator' needs ratio=True (without it the denominator is not read)")

    def load_build(self) -> Callable[["MetricQuery"], exp.Select]:
        """The builder itself, imported first when ``build`` is a ``"module:attribute"`` string."""
        return load_callable(self.build)


@frozen
class MetricQuery:
    """What a metric type builds its query from, for one KPI of one request.

    ``relation`` is the source as a FROM item (table, file scan or subquery), ``time``
    its time column (``None`` when the source has none), ``where`` the KPI's row filter,
    ``params`` the KPI's parameters (sqlglot trees for expression kinds, Python values
    otherwise). ``grain``, ``dimensions`` (``(name, row expression)`` per ``--by``
    dimension), ``start`` and ``end`` (half-open, either may be ``None``) are the
    request's. Use :meth:`bucket`, :meth:`shift` and :meth:`period` for anything
    dialect-specific: they return trees for the dialect the statement is compiled for.
    Every tree attribute is a fresh copy, free to use in the returned query once.
    """

    kpi: str
    source: str
    relation: exp.Expression = field(repr=False)
    time: exp.Expression | None = field(repr=False)
    where: exp.Expression | None = field(repr=False)
    params: Mapping[str, object] = field(repr=False)
    grain: str | None
    dimensions: tuple[tuple[str, exp.Expression], ...] = field(converter=tuple, repr=False)
    start: object = None
    end: object = None
    dialect: str = "duckdb"
    rules: object = field(default=None, repr=False)

    @property
    def keys(self) -> tuple[str, ...]:
        """Names of the key columns the built query must return, in order."""
        return (("period_start",) if self.grain else ()) + tuple(n for n, _ in self.dimensions)

    def bucket(self, moment: exp.Expression) -> exp.Expression:
        """The start of the ``grain`` bucket holding ``moment`` (a date), in this dialect."""
        if self.grain is None:
            raise ValueError("bucket() needs a grain")
        return self.rules.time_bucket(moment, self.grain)

    def shift(self, bucket: exp.Expression, periods: int) -> exp.Expression:
        """The bucket ``periods`` grains after ``bucket`` (before when negative), as a date."""
        if self.grain is None:
            raise ValueError("shift() needs a grain")
        return self.rules.shift_bucket(bucket, self.grain, periods)

    def period(self, moment: exp.Expression, start: object = None, end: object = None) -> exp.Expression | None:
        """The condition ``start <= moment < end`` in this dialect (``None`` if both are open)."""
        from .sqlbuild import period_condition

        return period_condition(moment, start, end, self.rules)
