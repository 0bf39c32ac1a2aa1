"""Plugin discovery: a fresh pluggy manager per call, builtins registered like any plugin.

Entry points are loaded one at a time so that a plugin which fails to import, or whose
hook raises or returns something else than valid declarations, is recorded by name with
the reason while the others keep working (pluggy's own ``load_setuptools_entrypoints``
stops at the first failure). Every import and hook call goes through
:func:`~kpi_engine.plugincalls.call_plugin`: ``sys.exit()``, ``KeyboardInterrupt`` (but
a real Ctrl-C) or any other ``BaseException`` is a failure like the others, and what a
plugin prints goes to stderr. The declarations are checked field by field, so nothing a
plugin returns can fail later where it is used.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterable, Mapping
from importlib import metadata
from itertools import islice
from typing import Any

import pluggy
from attrs import field, frozen

from . import hookspecs
from .errors import one_line
from .plugincalls import call_plugin
from .scrub import scrub
from .specs import PARAM_KINDS, AdapterSpec, DefinitionPack, FunctionSpec, MetricParam, MetricTypeSpec

ENTRY_POINT_GROUP = "kpi_engine"
DISABLE_AUTOLOAD_ENV = "KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD"
DEFAULT_PLUGINS = (
    "kpi_engine.builtin.duckdb_adapter",
    "kpi_engine.builtin.sqlite_adapter",
    "kpi_engine.builtin.functions",
    "kpi_engine.builtin.metric_types",
)
#: Declarations one hook call may return: more is a plugin bug (an endless generator, say).
MAX_DECLARATIONS = 10_000
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")


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
    try:
        return distribution_label(dist) if dist is not None else None
    except Exception:  # an unreadable METADATA: the plugin is still named by its entry point
        return "? ?"


def _entry_points(reports: dict[str, dict[str, Any]]) -> list[metadata.EntryPoint]:
    """The ``kpi_engine`` entry points; a distribution whose metadata cannot be read is reported, not fatal."""
    try:
        return list(metadata.entry_points(group=ENTRY_POINT_GROUP))
    except Exception:
        pass  # one broken distribution on sys.path breaks the whole listing: read them one by one
    found, seen = [], set()
    for dist in metadata.distributions():
        # importlib.metadata's own de-duplication: the first distribution of a name on sys.path wins
        key = getattr(dist, "_normalized_name", None) or id(dist)
        if key in seen:
            continue
        seen.add(key)
        try:
            found.extend(dist.entry_points.select(group=ENTRY_POINT_GROUP))
        except Exception as error:
            shown = str(getattr(getattr(dist, "_path", None), "name", key))
            reports.setdefault(shown, {"distribution": shown, "provides": [], "error": None})
            _fail(reports, shown, f"its entry points cannot be read: {one_line(error)}")
    return found


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
        for ep in _entry_points(reports):
            if ep.name in blocked or pm.get_plugin(ep.name) is not None:
                continue
            reports.setdefault(ep.name, {"distribution": _dist_label(ep), "provides": [], "error": None})
            if not metadata.EntryPoint.pattern.fullmatch(ep.value):
                _fail(reports, ep.name, f"failed to load: the entry point '{ep.value}' is not 'module' or 'module:attribute'")
                continue
            try:
                call_plugin(lambda ep=ep: pm.register(ep.load(), name=ep.name))
            except Exception as error:  # a broken plugin must not take the others down
                _fail(reports, ep.name, f"failed to load: {one_line(error)}")
    for i, obj in enumerate(extra):
        if pm.is_registered(obj):  # e.g. a test passing a module that is also installed
            continue
        name = getattr(obj, "__name__", None) or f"{type(obj).__name__}-{i}"
        reports.setdefault(name, {"distribution": None, "provides": [], "error": None})
        try:
            call_plugin(pm.register, obj, name=name)
        except Exception as error:
            _fail(reports, name, f"failed to load: {one_line(error)}")
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
        for spec in _declarations(impl, "kpi_register_adapters", AdapterSpec, reports):
            taken = [s for s in spec.schemes if s.lower() in adapters]
            if taken:
                _fail(reports, impl.plugin_name, f"scheme '{taken[0]}' is already served by {owners[taken[0].lower()]}")
                continue
            if load_adapters and isinstance(spec.factory, str):
                try:
                    call_plugin(spec.load_factory)
                except Exception as error:
                    _fail(reports, impl.plugin_name, f"adapter {spec.name} cannot be loaded: {one_line(error)}")
                    continue
            for scheme in spec.schemes:
                adapters[scheme.lower()] = spec
                owners[scheme.lower()] = impl.plugin_name
            reports[impl.plugin_name]["provides"].append(f"adapter {spec.name} ({', '.join(s + '://' for s in spec.schemes)})")
    functions: dict[str, FunctionSpec] = _named(
        pm.hook.kpi_register_functions, "kpi_register_functions", FunctionSpec, reports, "function",
        lambda name: f"function {name}()",
    )
    metric_types: dict[str, MetricTypeSpec] = _named(
        pm.hook.kpi_register_metric_types, "kpi_register_metric_types", MetricTypeSpec, reports, "metric type",
        lambda name: f"metric type {name}",
    )

    packs: dict[str, DefinitionPack] = {}
    pack_owner: dict[str, str] = {}
    for impl in pm.hook.kpi_register_definitions.get_hookimpls():
        for spec in _declarations(impl, "kpi_register_definitions", DefinitionPack, reports):
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


def _named(hook: Any, hook_name: str, kind: type, reports: dict[str, dict[str, Any]], what: str, shown) -> dict[str, Any]:
    """Declarations of ``hook`` by case-insensitive name; a name taken earlier is refused, naming its owner."""
    found: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for impl in hook.get_hookimpls():
        for spec in _declarations(impl, hook_name, kind, reports):
            key = spec.name.lower()
            if key in found:
                _fail(reports, impl.plugin_name, f"{what} '{spec.name}' is already provided by {owner[key]}")
                continue
            found[key] = spec
            owner[key] = impl.plugin_name
            reports[impl.plugin_name]["provides"].append(shown(spec.name))
    return found


def _fail(reports: dict[str, dict[str, Any]], plugin: str, message: str) -> None:
    """Record why ``plugin`` failed, after what it already failed at; secrets scrubbed (:mod:`kpi_engine.scrub`)."""
    report = reports.setdefault(plugin, {"distribution": None, "provides": [], "error": None})
    message = scrub(message)
    report["error"] = message if not report["error"] else f"{report['error']}; {message}"


def _declarations(impl: Any, hook: str, kind: type, reports: dict[str, dict[str, Any]]) -> list[Any]:
    """The valid declarations ``impl`` returns; its failure, or its invalid items, reported on its plugin."""
    try:
        good, bad = call_plugin(_collect, impl.function, kind)
    except _Contract as broken:
        _fail(reports, impl.plugin_name, f"{hook} {broken}")
        return []
    except Exception as error:
        _fail(reports, impl.plugin_name, f"{hook} raised {one_line(error)}")
        return []
    if bad:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        _fail(reports, impl.plugin_name, f"{hook} {bad[0]}{more}")
    return good


class _Contract(Exception):
    """A hook's result is not what its spec asks for (the message follows the hook's name)."""


def _collect(function: Any, kind: type) -> tuple[list[Any], list[str]]:
    """Call a hook implementation; its valid declarations and a reason for each invalid one."""
    result = function()
    if result is None:
        return [], []
    if isinstance(result, (str, bytes, Mapping)) or not isinstance(result, Iterable):
        raise _Contract(f"must return an iterable of {kind.__name__} objects, not {type(result).__name__}")
    items = list(islice(result, MAX_DECLARATIONS + 1))
    if len(items) > MAX_DECLARATIONS:
        raise _Contract(f"returned more than {MAX_DECLARATIONS} declarations")
    good, bad = [], []
    for item in items:
        if not isinstance(item, kind):
            bad.append(f"must return {kind.__name__} objects, not {type(item).__name__}")
            continue
        problem = _CHECKS[kind](item)
        if problem:
            name = item.name if isinstance(item.name, str) else repr(item.name)
            bad.append(f"returned an invalid {kind.__name__} '{name}': {problem}")
        else:
            good.append(item)
    return good, bad


def _callable_or_path(value: Any) -> bool:
    return callable(value) or (isinstance(value, str) and ":" in value)


def _adapter_problem(spec: AdapterSpec) -> str | None:
    if not isinstance(spec.name, str) or not spec.name:
        return "name must be a non-empty string"
    if not isinstance(spec.schemes, tuple) or not spec.schemes:
        return "schemes must name at least one URL scheme"
    if not all(isinstance(s, str) and _SCHEME.fullmatch(s) for s in spec.schemes):
        return "each scheme must be a URL scheme such as 'postgresql' (letters, digits, '+', '-', '.')"
    if not isinstance(spec.dialect, str) or not spec.dialect:
        return "dialect must name a sqlglot dialect"
    if not _callable_or_path(spec.factory):
        return "factory must be a callable or a 'module:attribute' string"
    return _common_problem(spec, ("reads_files",))


def _function_problem(spec: FunctionSpec) -> str | None:
    if not isinstance(spec.name, str) or not _NAME.fullmatch(spec.name):
        return "name must be an identifier (letters, digits, '_')"
    if not _callable_or_path(spec.build):
        return "build must be a callable or a 'module:attribute' string"
    if type(spec.min_args) is not int or spec.min_args < 0:
        return "min_args must be a whole number, 0 or more"
    if spec.max_args is not None and (type(spec.max_args) is not int or spec.max_args < spec.min_args):
        return "max_args must be None or a whole number, min_args or more"
    return _common_problem(spec, ())


def _metric_type_problem(spec: MetricTypeSpec) -> str | None:
    if not isinstance(spec.name, str) or not _NAME.fullmatch(spec.name):
        return "name must be an identifier (letters, digits, '_')"
    if not _callable_or_path(spec.build):
        return "build must be a callable or a 'module:attribute' string"
    if not isinstance(spec.params, tuple) or not all(type(p) is MetricParam for p in spec.params):
        return "params must be MetricParam objects"
    for param in spec.params:
        if not isinstance(param.name, str) or not _NAME.fullmatch(param.name) or param.kind not in PARAM_KINDS:
            return f"parameter {param.name!r} needs an identifier as name and a kind among {', '.join(PARAM_KINDS)}"
        if type(param.required) is not bool or not isinstance(param.description, str):
            return f"parameter {param.name}: required must be True or False, and description a string"
    return _common_problem(spec, ("lists", "ratio"))


def _pack_problem(spec: DefinitionPack) -> str | None:
    if not isinstance(spec.name, str) or not spec.name:
        return "name must be a non-empty string"
    if spec.path is not None and not isinstance(spec.path, (str, os.PathLike)):
        return "path must be a path (or None)"
    if not isinstance(spec.documents, tuple) or not all(isinstance(d, Mapping) for d in spec.documents):
        return "documents must be mappings"
    return _common_problem(spec, ())


def _common_problem(spec: Any, flags: tuple[str, ...]) -> str | None:
    if not isinstance(spec.description, str):
        return "description must be a string"
    for flag in flags:
        if type(getattr(spec, flag)) is not bool:
            return f"{flag} must be True or False"
    return None


_CHECKS = {
    AdapterSpec: _adapter_problem,
    FunctionSpec: _function_problem,
    MetricTypeSpec: _metric_type_problem,
    DefinitionPack: _pack_problem,
}
