"""kpi-engine: KPIs declared in YAML, compiled to SQL with sqlglot, run in your warehouse,
judged against targets.

>>> import kpi_engine                                              # doctest: +SKIP
>>> project = kpi_engine.open_project()          # kpi.yml found upward: packs, connections, time zone, cache
>>> table = project.run(kpis=["conversion_rate"], grain="month", by=["channel"])
>>> project.check(dashboard="daily", period="previous_month").exit_code

One level down, a catalog and an engine on one connection:

>>> catalog = kpi_engine.load("definitions")
>>> with kpi_engine.Engine(catalog, connection="duckdb://") as engine:
...     table = engine.run(kpis=["conversion_rate"], grain="month", by=["channel"])
"""

from __future__ import annotations

__version__ = "0.1.0"

# Public names are imported on first use (PEP 562): `kpi --version`, plugin discovery and
# `kpi validate` then never load pyarrow or the engine. name -> (module, attribute)
_LAZY = {
    **{n: (".api", n) for n in ("CheckResult", "Project", "open_project")},
    "demo_database": (".demo.database", "demo_database"),
    **{n: (".engine", n) for n in ("Engine", "Evaluation", "Failure")},
    **{n: (".errors", n) for n in ("DefinitionError", "ExecutionError", "KpiEngineError", "PluginError", "Problem",
                                   "QueryTimeout", "SelectionError")},
    **{n: (".hookspecs", n) for n in ("hookimpl", "hookspec")},
    "load": (".loader", "load"),
    "period_start": (".periods", "period_start"),
    "shift_period": (".periods", "shift"),
    **{n: (".model", n) for n in ("Band", "Catalog", "Dashboard", "Dimension", "Expression", "Kpi", "Location",
                                  "Measure", "Metric", "Source", "Thresholds")},
    **{n: (".plugins", n) for n in ("PluginInfo", "Plugins", "get_plugins")},
    **{n: (".specs", n) for n in ("Adapter", "AdapterSpec", "ConnectOptions", "DefinitionPack", "FunctionSpec",
                                  "MetricParam", "MetricQuery", "MetricTypeSpec")},
    "mask_url": (".urls", "mask_url"),
    "cancel_on_interrupt": (".interrupts", "cancel_on_interrupt"),
    **{n: (".privileges", n) for n in ("PrivilegeWarning", "warn_privileged")},
}


def __getattr__(name: str):
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'kpi_engine' has no attribute '{name}'") from None
    import importlib

    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["__version__", *sorted(_LAZY)]  # the public names are the lazy ones
