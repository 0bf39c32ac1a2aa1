"""Hook specifications: the whole contract between kpi-engine and its plugins.

A plugin is a module or object with functions named like the specs below, decorated
with :data:`kpi_engine.hookimpl`, registered through the ``kpi_engine`` entry-point
group. The builtins (:mod:`kpi_engine.builtin`) implement the same hooks.

Registration hooks return declarations (frozen attrs objects from
:mod:`kpi_engine.specs`); the core checks them, rejects duplicates naming both
plugins, and never lets one faulty plugin stop the others.
"""

from __future__ import annotations

from collections.abc import Iterable

import pluggy

from .specs import AdapterSpec, DefinitionPack, FunctionSpec, MetricTypeSpec

hookspec = pluggy.HookspecMarker("kpi_engine")
hookimpl = pluggy.HookimplMarker("kpi_engine")


@hookspec
def kpi_register_adapters() -> Iterable[AdapterSpec]:
    """Declare the database adapters this plugin provides.

    Called once per plugin manager, when the engine first needs an adapter or lists
    plugins. Return an iterable of :class:`~kpi_engine.specs.AdapterSpec`; each serves
    the URL schemes it names (``AdapterSpec(schemes=("duckdb",), ...)`` serves
    ``duckdb://...``). ``factory(url, options)`` is called for each connection: it opens
    the engine read-only where the engine allows it, applies ``options.timeout`` per
    statement, and returns an object with ``dialect``, ``execute(sql) -> pyarrow.Table``
    and ``close()`` (:class:`~kpi_engine.specs.Adapter`). Failures it raises should be
    :class:`~kpi_engine.errors.ExecutionError` with a message that never contains a
    password. A scheme already served by another plugin is refused with an error naming
    both plugins; the first registered keeps it.

    .. versionadded:: 0.1
    """


@hookspec
def kpi_register_functions() -> Iterable[FunctionSpec]:
    """Declare metric functions usable in KPI expressions (``expr``, ``where``, dimensions).

    Called once per plugin manager, before definitions are loaded. Return an iterable of
    :class:`~kpi_engine.specs.FunctionSpec`. When an expression calls ``name(...)``,
    ``build(*args)`` receives the parsed argument trees (already gated and expanded) and
    returns the sqlglot expression that replaces the call, built with sqlglot builders
    (``exp.Case``, ``exp.Sum``, ...), never SQL text. Names are case-insensitive; a
    plugin function overrides a sqlglot function of the same name (so ``count_if`` is
    the plugin's); a name another plugin already registered is refused with an error
    naming both.

    .. versionadded:: 0.1
    """


@hookspec
def kpi_register_definitions() -> Iterable[DefinitionPack]:
    """Declare definition packs: sources, KPIs and dashboards this plugin ships.

    Called once per plugin manager, before definitions are loaded. Return an iterable of
    :class:`~kpi_engine.specs.DefinitionPack` (YAML under ``path``, or ``documents``
    built in Python). A pack is used only when named (``packs:`` in the project file or
    ``--pack``); it is then read before the local definitions and validated exactly like
    them, every problem reported at its pack file and line. A name defined by two packs
    is an error naming both; a local definition replaces a pack's only when it
    carries ``override: true`` (otherwise the collision is an error, so nothing is
    shadowed by accident). A pack name another plugin already registered is refused.

    .. versionadded:: 0.1
    """


@hookspec
def kpi_register_metric_types() -> Iterable[MetricTypeSpec]:
    """Declare metric types: whole query shapes a KPI selects with ``metric: {type: NAME}``.

    Called once per plugin manager, before definitions are loaded. Return an iterable of
    :class:`~kpi_engine.specs.MetricTypeSpec`. A KPI written as
    ``metric: {type: NAME, source: S, where: COND, PARAM: ...}`` is computed by the
    type: the loader checks the keys against ``params`` (unknown or missing ones are
    reported at their line) and gates every expression parameter; at compile time
    ``build(query)`` gets a :class:`~kpi_engine.specs.MetricQuery` (the source relation,
    time column, filter, parameters, grain, ``--by`` dimensions, period and dialect
    helpers) and returns one SELECT with the key columns, ``numerator`` and
    ``denominator`` (plus ``item`` and ``rank`` for a ``lists=True`` type). The engine
    puts it in the same statement as every other KPI, computes ``value`` and judges it.
    The core knows no metric type by name; a name another plugin already registered is
    refused with an error naming both.

    .. versionadded:: 0.2
    """
