"""kpi-engine: KPIs declared in YAML, compiled to SQL with sqlglot, run in your warehouse,
judged against targets.

>>> import kpi_engine                                              # doctest: +SKIP
>>> catalog = kpi_engine.load("definitions")
>>> with kpi_engine.Engine(catalog, connection="duckdb://") as engine:
...     table = engine.run(kpis=["conversion_rate"], grain="month", by=["channel"])
"""

from __future__ import annotations

__version__ = "0.1.0"

from .engine import Engine, Evaluation, Failure
from .errors import DefinitionError, ExecutionError, KpiEngineError, PluginError, Problem, QueryTimeout, SelectionError
from .hookspecs import hookimpl, hookspec
from .loader import load
from .periods import period_start, shift as shift_period
from .model import Band, Catalog, Dashboard, Dimension, Expression, Kpi, Location, Measure, Metric, Source, Thresholds
from .plugins import PluginInfo, Plugins, get_plugins
from .specs import Adapter, AdapterSpec, ConnectOptions, DefinitionPack, FunctionSpec, MetricParam, MetricQuery, MetricTypeSpec
from .urls import mask_url

__all__ = [
    "Adapter",
    "AdapterSpec",
    "Band",
    "Catalog",
    "ConnectOptions",
    "Dashboard",
    "DefinitionError",
    "DefinitionPack",
    "Dimension",
    "Engine",
    "Evaluation",
    "ExecutionError",
    "Failure",
    "Expression",
    "FunctionSpec",
    "Kpi",
    "KpiEngineError",
    "Location",
    "Measure",
    "Metric",
    "MetricParam",
    "MetricQuery",
    "MetricTypeSpec",
    "PluginError",
    "PluginInfo",
    "QueryTimeout",
    "Plugins",
    "Problem",
    "SelectionError",
    "Source",
    "Thresholds",
    "__version__",
    "get_plugins",
    "hookimpl",
    "hookspec",
    "load",
    "mask_url",
    "period_start",
    "shift_period",
]
