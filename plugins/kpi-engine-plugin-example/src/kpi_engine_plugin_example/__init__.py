"""kpi-engine-plugin-example: the template to copy when writing a kpi-engine plugin.

The ``kpi_engine`` entry point names this module, so kpi-engine imports it every time
it discovers plugins (every ``kpi`` command). It therefore holds only the hook
implementations; the code they declare lives in submodules named by import path
(``"module:attribute"``): the function builder is imported when an expression first
calls it, the adapter when a connection opens. Discovery stays cheap, a run served from
the disk cache imports neither (nor sqlglot), and a missing dependency is reported as
this plugin's failure instead of breaking ``kpi``.

Hooks and their contracts: docs/plugin_hooks.md in the kpi-engine repository.
"""

from kpi_engine import AdapterSpec, FunctionSpec, hookimpl


@hookimpl
def kpi_register_functions():
    """``ratio_of(a, b)``: ``sum(a) / sum(b)`` in one expression."""
    return [
        FunctionSpec(
            name="ratio_of",
            build="kpi_engine_plugin_example.functions:ratio_of",
            min_args=2,
            max_args=2,
            description="sum(a) / sum(b) as a float; null when sum(b) is 0 or null",
        ),
    ]


@hookimpl
def kpi_register_adapters():
    """``exampledb://``: DuckDB in memory, preloaded with the bundled demo tables."""
    return [
        AdapterSpec(
            name="exampledb",
            schemes=("exampledb",),
            dialect="duckdb",
            factory="kpi_engine_plugin_example.adapter:ExampleAdapter",
            description="in-memory DuckDB holding the example plugin's tables (visits, orders)",
            reads_files=False,
        ),
    ]
