"""The example plugin's own tests: declarations, the function's tree, the adapter, end to end.

Numbers are checked against values computed here in plain Python from the columns in
``kpi_engine_plugin_example.data``, never against the engine's own output.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import kpi_engine
import kpi_engine_plugin_example
import pyarrow as pa
import pytest
from click.testing import CliRunner
from kpi_engine.cli import cli
from kpi_engine_plugin_example import data
from kpi_engine_plugin_example.adapter import ExampleAdapter
from kpi_engine_plugin_example.functions import ratio_of
from sqlglot import exp, parse_one

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "definitions"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plugins() -> kpi_engine.Plugins:
    # Entry points off: the module is registered directly, so these tests exercise this
    # checkout's code whether or not the distribution is installed (and never twice).
    return kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_engine_plugin_example])


def month(value) -> str:
    return value.strftime("%Y-%m-01")


def grouped_sum(columns: dict, time: str, value) -> dict[tuple[str, str], float]:
    """Sum of ``value(row)`` per (month, channel), computed in plain Python."""
    out: dict[tuple[str, str], float] = defaultdict(float)
    for i, at in enumerate(columns[time]):
        out[(month(at), columns["channel"][i])] += value(i)
    return dict(out)


# -- declarations -------------------------------------------------------------------------


def test_the_plugin_declares_its_function_and_adapter(plugins):
    info = next(i for i in plugins.infos if i.name == "kpi_engine_plugin_example")
    assert info.error is None
    assert info.provides == ("adapter exampledb (exampledb://)", "function ratio_of()")
    assert plugins.functions["ratio_of"].load_build() is ratio_of
    spec = plugins.adapter_for("exampledb")
    assert (spec.name, spec.dialect, spec.load_factory(), spec.reads_files) == ("exampledb", "duckdb", ExampleAdapter, False)
    assert plugins.failures == ()


def test_the_entry_point_module_holds_only_hook_implementations():
    public = {n for n in vars(kpi_engine_plugin_example) if not n.startswith("_")}
    hooks = {n for n in public if n.startswith("kpi_")}
    assert hooks == {"kpi_register_adapters", "kpi_register_functions"}
    # Besides the hooks: the three names imported from kpi_engine, and submodules once imported.
    assert public - hooks <= {"AdapterSpec", "FunctionSpec", "hookimpl", "adapter", "functions", "data"}


# -- the metric function ------------------------------------------------------------------


def test_ratio_of_builds_a_tree_and_leaves_its_arguments_alone():
    a, b = parse_one("revenue - cost"), parse_one("revenue")
    before = (a.sql(), b.sql())
    tree = ratio_of(a, b)
    assert isinstance(tree, exp.Div)
    assert [type(s) for s in tree.find_all(exp.Sum)] == [exp.Sum, exp.Sum]
    assert (a.sql(), b.sql()) == before and a.parent is None and b.parent is None
    assert tree.sql(dialect="duckdb") == "CAST(SUM(revenue - cost) AS DOUBLE) / NULLIF(SUM(revenue), 0)"


def test_ratio_of_in_a_definition_is_expanded_and_arity_checked(tmp_path, plugins):
    defs = tmp_path / "defs.yaml"
    defs.write_text(
        "sources:\n"
        "  orders: {table: orders}\n"
        "kpis:\n"
        "  margin:\n"
        '    value: {source: orders, expr: "ratio_of(revenue)"}\n'
    )
    with pytest.raises(kpi_engine.DefinitionError) as caught:
        kpi_engine.load(defs, plugins.functions)
    (problem,) = caught.value.problems
    assert (problem.line, problem.name) == (5, "margin")
    assert problem.message == "expr: function 'ratio_of' takes 2 argument(s), got 1"


# -- the adapter --------------------------------------------------------------------------


def test_the_adapter_serves_the_bundled_tables_as_arrow():
    adapter = ExampleAdapter("exampledb://", kpi_engine.ConnectOptions())
    try:
        assert isinstance(adapter, kpi_engine.Adapter) and adapter.dialect == "duckdb"
        table = adapter.execute("SELECT order_id, revenue FROM orders ORDER BY order_id")
        assert isinstance(table, pa.Table)
        assert table.column("order_id").to_pylist() == data.ORDERS["order_id"]
        assert table.column("revenue").to_pylist() == data.ORDERS["revenue"]
        visits = adapter.execute("SELECT count(*) AS n FROM visits")
        assert visits.column("n").to_pylist() == [len(data.VISITS["visit_id"])]
    finally:
        adapter.close()
    adapter.close()  # closing twice is allowed
    with pytest.raises(kpi_engine.ExecutionError, match="closed"):
        adapter.execute("SELECT 1")


def test_the_adapter_reports_failures_as_execution_errors():
    adapter = ExampleAdapter("exampledb://", kpi_engine.ConnectOptions())
    try:
        with pytest.raises(kpi_engine.ExecutionError, match="no_such_table"):
            adapter.execute("SELECT * FROM no_such_table")
        # No file access: the bundled tables are all a statement can read.
        with pytest.raises(kpi_engine.ExecutionError):
            adapter.execute("SELECT * FROM read_csv('/etc/hostname')")
        with pytest.raises(kpi_engine.ExecutionError):
            adapter.execute("SET enable_external_access = true")
    finally:
        adapter.close()
    with pytest.raises(kpi_engine.ExecutionError, match="takes no host"):
        ExampleAdapter("exampledb://somewhere/db", kpi_engine.ConnectOptions())


# -- end to end -----------------------------------------------------------------------------


def expected_by_month_and_channel() -> dict[tuple[str, str, str], float]:
    orders = grouped_sum(data.ORDERS, "ordered_at", lambda i: 1)
    visits = grouped_sum(data.VISITS, "started_at", lambda i: 1)
    revenue = grouped_sum(data.ORDERS, "ordered_at", lambda i: data.ORDERS["revenue"][i])
    cost = grouped_sum(data.ORDERS, "ordered_at", lambda i: data.ORDERS["cost"][i])
    out = {}
    for key in visits.keys() | orders.keys():
        out[("conversion_rate", *key)] = orders.get(key, 0) / visits[key]
    for key in revenue:
        out[("gross_margin", *key)] = (revenue[key] - cost[key]) / revenue[key]
        out[("revenue", *key)] = revenue[key]
    return out


def test_engine_runs_the_examples_on_exampledb(plugins):
    catalog = kpi_engine.load(EXAMPLES, plugins.functions)
    with kpi_engine.Engine(catalog, connection="exampledb://", plugins=plugins) as engine:
        table = engine.run(grain="month", by=["channel"])
    got = {
        (r["kpi"], r["period_start"].isoformat(), r["channel"]): r["value"]
        for r in table.to_pylist()
    }
    expected = expected_by_month_and_channel()
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key


def test_whole_period_gross_margin(plugins):
    catalog = kpi_engine.load(EXAMPLES, plugins.functions)
    with kpi_engine.Engine(catalog, connection="exampledb://", plugins=plugins) as engine:
        (row,) = engine.run(kpis=["gross_margin"]).to_pylist()
    revenue, cost = sum(data.ORDERS["revenue"]), sum(data.ORDERS["cost"])
    assert row["value"] == pytest.approx((revenue - cost) / revenue)
    assert row["status"] == "ok"  # about 0.387 against a target of 0.35


# -- installed through the entry point --------------------------------------------------------


def installed() -> metadata.EntryPoint | None:
    return next(iter(metadata.entry_points(group="kpi_engine", name="example")), None)


@pytest.mark.skipif(
    installed() is None,
    reason="kpi-engine-plugin-example is not installed: python -m pip install -e plugins/kpi-engine-plugin-example",
)
def test_installed_entry_point_registers_and_runs_from_the_cli():
    assert installed().load() is kpi_engine_plugin_example
    runner = CliRunner()
    listed = runner.invoke(cli, ["plugins", "--format", "json"], catch_exceptions=False)
    assert listed.exit_code == 0
    row = next(r for r in json.loads(listed.stdout) if r["name"] == "example")
    assert row["distribution"] == "kpi-engine-plugin-example 0.1.0"
    assert row["error"] is None
    assert "function ratio_of()" in row["provides"]

    result = runner.invoke(
        cli,
        ["run", str(EXAMPLES), "--connection", "exampledb://", "--grain", "month", "--by", "channel", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    got = {(r["kpi"], r["period_start"], r["channel"]): r["value"] for r in json.loads(result.stdout)}
    expected = expected_by_month_and_channel()
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key
