"""Plugin discovery: a fresh pluggy manager per call, builtins registered like any plugin.

Entry points are loaded one at a time so that a plugin which fails to import, or whose
hook raises or returns something else than declarations, is recorded by name with the
reason while the others keep working (pluggy's own ``load_setuptools_entrypoints``
stops at the first failure).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from importlib import metadata
from typing import Any

import pluggy
from attrs import field, frozen

from . import hookspecs
from .errors import one_line
from .specs import AdapterSpec, DefinitionPack, FunctionSpec, MetricTypeSpec

ENTRY_POINT_GROUP = "kpi_engine"
DISABLE_AUTOLOAD_ENV = "KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD"
DEFAULT_PLUGINS = (
    "kpi_engine.builtin.duckdb_adapter",
    "kpi_engine.builtin.sqlite_adapter",
    "kpi_engine.builtin.functions",
    "kpi_engine.builtin.metric_types",
)


@frozen
class PluginInfo:
    """One plugin as ``kpi plugins`` shows it; ``error`` is set when it could not be used."""

    name: str
    distribution: str | None = None  # "name version", None for builtins
    provides: tuple[str, ...] = field(default=(), converter=tuple)
    error: str | None = None


@frozen
class Plugins:
    """What was discovered: adapters by URL scheme, functions and metric types by name, packs, and every plugin's report."""

    manager: pluggy.PluginManager = field(repr=False, eq=False)
    adapters: dict[str, AdapterSpec]
    functions: dict[str, FunctionSpec]
    infos: tuple[PluginInfo, ...]
    packs: tuple[DefinitionPack, ...] = ()
    metric_types: dict[str, MetricTypeSpec] = field(factory=dict)

    @property
    def failures(self) -> tuple[PluginInfo, ...]:
        return tuple(i for i in self.infos if i.error)

    def select_packs(self, names) -> tuple[DefinitionPack, ...]:
        """The installed definition packs named, in that order; an unknown name is a :class:`SelectionError`."""
        from .errors import SelectionError
        from .suggest import did_you_mean

        by_name = {p.name: p for p in self.packs}
        chosen = []
        for name in dict.fromkeys(names):
            if name not in by_name:
                known = ", ".join(by_name) or "none installed"
                raise SelectionError(f"unknown definition pack '{name}'{did_you_mean(name, by_name)} (installed: {known})")
            chosen.append(by_name[name])
        return tuple(chosen)

    def adapter_for(self, scheme: str) -> AdapterSpec | None:
        return self.adapters.get(scheme.lower())


def _dist_label(ep: metadata.EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return distribution_label(dist) if dist is not None else None


def distribution_label(dist: metadata.Distribution) -> str:
    """``"name version"`` from the head of the METADATA file (``dist.metadata`` parses all of it, README included)."""
    head: dict[str, str] = {}
    for line in (dist.read_text("METADATA") or "").splitlines():
        if not line:  # the headers end at the first blank line
            break
        key, _, value = line.partition(": ")
        head.setdefault(key, value)
    return f"{head.get('Name', '?')} {head.get('Version', '?')}"


def get_plugins(
    *, load_entrypoints: bool = True, blocked: Iterable[str] = (), extra: Iterable[Any] = (),
    load_adapters: bool = False,
) -> Plugins:
    """Discover plugins and collect their declarations.

    ``load_entrypoints=False`` (or ``KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD=1``) keeps to
    the builtins; ``blocked`` names plugins (entry-point names or builtin module names)
    not to register; ``extra`` objects are registered as plugins too (tests, notebooks).
    Adapter factories declared as ``"module:attribute"`` are imported when a connection
    opens; ``load_adapters=True`` imports them now (``kpi plugins``), so a missing
    driver is reported as its plugin's failure and the adapter is left out.
    """
    pm = pluggy.PluginManager("kpi_engine")
    pm.add_hookspecs(hookspecs)
    blocked = set(blocked)
    for name in blocked:
        pm.set_blocked(name)
    reports: dict[str, dict[str, Any]] = {}

    # Builtins first: registration order decides who keeps a contested name, and the
    # builtins' names must not be taken over by an installed plugin.
    for module_name in DEFAULT_PLUGINS:
        if module_name in blocked:
            continue
        pm.register(importlib.import_module(module_name), name=module_name)
        reports.setdefault(module_name, {"distribution": None, "provides": [], "error": None})
    if load_entrypoints and not os.environ.get(DISABLE_AUTOLOAD_ENV):
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if ep.name in blocked or pm.get_plugin(ep.name) is not None:
                continue
            report = reports.setdefault(ep.name, {"distribution": _dist_label(ep), "provides": [], "error": None})
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as error:  # a broken plugin must not take the others down
                report["error"] = f"failed to load: {one_line(error)}"
    for i, obj in enumerate(extra):
        if pm.is_registered(obj):  # e.g. a test passing a module that is also installed
            continue
        name = getattr(obj, "__name__", None) or f"{type(obj).__name__}-{i}"
        pm.register(obj, name=name)
        reports.setdefault(name, {"distribution": None, "provides": [], "error": None})
    # pm.check_pending() would raise for the whole manager; report the plugin instead.
    known = sorted(n for n in vars(hookspecs) if n.startswith("kpi_"))
    for hook_name, caller in vars(pm.hook).items():
        if not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                _fail(reports, impl.plugin_name, f"implements unknown hook {hook_name} (known: {', '.join(known)})")

    adapters: dict[str, AdapterSpec] = {}
    owners: dict[str, str] = {}
    # get_hookimpls() lists implementations in registration order (pluggy *calls* them
    # last-registered-first): builtins, then entry points, then extras keep a contested name.
    for impl in pm.hook.kpi_register_adapters.get_hookimpls():
        for spec in _declarations(impl, AdapterSpec, reports):
            taken = [s for s in spec.schemes if s.lower() in adapters]
            if taken:
                _fail(reports, impl.plugin_name, f"scheme '{taken[0]}' is already served by {owners[taken[0].lower()]}")
                continue
            if load_adapters and isinstance(spec.factory, str):
                try:
                    spec.load_factory()
                except Exception as error:
                    _fail(reports, impl.plugin_name, f"adapter {spec.name} cannot be loaded: {one_line(error)}")
                    continue
            for scheme in spec.schemes:
                adapters[scheme.lower()] = spec
                owners[scheme.lower()] = impl.plugin_name
            reports[impl.plugin_name]["provides"].append(f"adapter {spec.name} ({', '.join(s + '://' for s in spec.schemes)})")
    functions: dict[str, FunctionSpec] = _named(
        pm.hook.kpi_register_functions, FunctionSpec, reports, "function", lambda name: f"function {name}()"
    )
    metric_types: dict[str, MetricTypeSpec] = _named(
        pm.hook.kpi_register_metric_types, MetricTypeSpec, reports, "metric type", lambda name: f"metric type {name}"
    )

    packs: dict[str, DefinitionPack] = {}
    pack_owner: dict[str, str] = {}
    for impl in pm.hook.kpi_register_definitions.get_hookimpls():
        for spec in _declarations(impl, DefinitionPack, reports):
            if spec.name in packs:
                _fail(reports, impl.plugin_name, f"definition pack '{spec.name}' is already provided by {pack_owner[spec.name]}")
                continue
            if (spec.path is None) == (not spec.documents):
                _fail(reports, impl.plugin_name, f"definition pack '{spec.name}' needs a path or documents (one of them)")
                continue
            packs[spec.name] = spec
            pack_owner[spec.name] = impl.plugin_name
            reports[impl.plugin_name]["provides"].append(f"definitions {spec.name}")

    infos = tuple(
        PluginInfo(name=name, distribution=r["distribution"], provides=tuple(r["provides"]), error=r["error"])
        for name, r in reports.items()
    )
    return Plugins(
        manager=pm, adapters=adapters, functions=functions, infos=infos, packs=tuple(packs.values()),
        metric_types=metric_types,
    )


def _named(hook: Any, kind: type, reports: dict[str, dict[str, Any]], what: str, shown) -> dict[str, Any]:
    """Declarations of ``hook`` by case-insensitive name; a name taken earlier is refused, naming its owner."""
    found: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for impl in hook.get_hookimpls():
        for spec in _declarations(impl, kind, reports):
            key = spec.name.lower()
            if key in found:
                _fail(reports, impl.plugin_name, f"{what} '{spec.name}' is already provided by {owner[key]}")
                continue
            found[key] = spec
            owner[key] = impl.plugin_name
            reports[impl.plugin_name]["provides"].append(shown(spec.name))
    return found


def _fail(reports: dict[str, dict[str, Any]], plugin: str, message: str) -> None:
    report = reports.setdefault(plugin, {"distribution": None, "provides": [], "error": None})
    report["error"] = message if not report["error"] else f"{report['error']}; {message}"


def _declarations(impl: Any, kind: type, reports: dict[str, dict[str, Any]]) -> list[Any]:
    try:
        result = impl.function()
        items = list(result or ())
    except Exception as error:
        _fail(reports, impl.plugin_name, f"{impl.function.__name__} raised {one_line(error)}")
        return []
    good = [item for item in items if isinstance(item, kind)]
    if len(good) != len(items):
        _fail(reports, impl.plugin_name, f"{impl.function.__name__} must return {kind.__name__} objects")
    return good
