"""Plugin discovery through the real entry-point machinery, failure reporting, opt-outs.

Each test writes throwaway plugin distributions into ``tmp_path``: a module plus a
``<name>-<version>.dist-info`` directory with ``METADATA`` and ``entry_points.txt``,
exactly what pip leaves in site-packages. With ``tmp_path`` on ``sys.path``,
``importlib.metadata`` finds them the way it finds installed plugins, so no pip and
no mocking is involved. ``kpi_engine.get_plugins()`` reads entry points afresh on
every call, so nothing global needs resetting.

Numbers are checked against values computed here in plain Python from the rows the
throwaway adapter serves, never against the engine's own output.
"""

from __future__ import annotations

import importlib
import json
import re
import statistics
import subprocess
import sys
import textwrap
from collections import defaultdict
from datetime import datetime
from importlib import metadata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pluggy import PluginValidationError
from sqlglot import exp

import kpi_engine
from kpi_engine.cli import cli
from kpi_engine.expressions import ExpressionProblem
from fixtures import unavailable

# -- the throwaway plugin ----------------------------------------------------------------------

SALES = {
    "sold_at": [
        datetime(2025, 1, 2, 10, 0),
        datetime(2025, 1, 15, 9, 30),
        datetime(2025, 1, 31, 23, 59),
        datetime(2025, 1, 20, 14, 0),
        datetime(2025, 2, 1, 0, 0),
        datetime(2025, 2, 14, 12, 0),
        datetime(2025, 2, 20, 16, 45),
        datetime(2025, 3, 3, 8, 15),
    ],
    "region": ["north", "south", "north", "north", "north", "south", "south", "south"],
    "amount": [120.0, 80.0, 45.0, 10.0, 200.0, 15.0, 160.0, 60.0],
}

# A complete third-party plugin: an adapter for throwaway:// (DuckDB in memory holding
# SALES as table `sales`), a metric function doubled_sum(x), and its own median(x),
# which overrides sqlglot's MEDIAN and deliberately returns the maximum, so a test can
# tell whose function ran.
THROWAWAY = '''
"""A throwaway kpi-engine plugin written by tests/test_plugins.py."""
import datetime

import pyarrow as pa
from sqlglot import exp

from kpi_engine import AdapterSpec, FunctionSpec, hookimpl

SALES = SALES_DATA


class ThrowawayAdapter:
    dialect = "duckdb"

    def __init__(self, url, options):
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.from_arrow(pa.table(SALES)).create("sales")

    def execute(self, sql):
        return self.con.sql(sql).to_arrow_table()

    def close(self):
        self.con.close()


def doubled_sum(value):
    return exp.Mul(this=exp.Sum(this=value.copy()), expression=exp.Literal.number(2))


def not_a_median(value):
    return exp.Max(this=value.copy())


@hookimpl
def kpi_register_adapters():
    return [AdapterSpec(name="throwaway", schemes=("throwaway",), dialect="duckdb", factory=ThrowawayAdapter)]


@hookimpl
def kpi_register_functions():
    return [
        FunctionSpec("doubled_sum", doubled_sum, 1, 1, "2 * sum(x)"),
        FunctionSpec("median", not_a_median, 1, 1, "the maximum, to prove the override"),
    ]
'''.replace("SALES_DATA", repr(SALES))

DEFINITIONS = """\
sources:
  sales:
    table: sales
    time: sold_at
    dimensions: [region]
kpis:
  doubled_revenue:
    value: {source: sales, expr: doubled_sum(amount)}
  big_sale_share:
    numerator:   {source: sales, expr: count(*), where: amount >= 100}
    denominator: {source: sales, expr: count(*)}
    unit: percent
    target: 0.5
  big_sale_share_builtin:
    value: {source: sales, expr: share(amount >= 100)}
  top_sale:
    value: {source: sales, expr: median(amount)}
"""


def expected_rows() -> dict[tuple[str, str, str], float]:
    """Every KPI of DEFINITIONS by (kpi, month, region), in plain Python."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    for at, region, amount in zip(SALES["sold_at"], SALES["region"], SALES["amount"]):
        groups[(at.strftime("%Y-%m-01"), region)].append(amount)
    out = {}
    for (month, region), amounts in groups.items():
        big = sum(1 for a in amounts if a >= 100) / len(amounts)
        out[("doubled_revenue", month, region)] = 2 * sum(amounts)
        out[("big_sale_share", month, region)] = big
        out[("big_sale_share_builtin", month, region)] = big
        out[("top_sale", month, region)] = max(amounts)
    return out


def assert_matches_expected(rows: list[dict]) -> None:
    got = {(r["kpi"], str(r["period_start"]), r["region"]): r["value"] for r in rows}
    expected = expected_rows()
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key


# -- fixtures ----------------------------------------------------------------------------------


class Site:
    """A directory on ``sys.path`` holding plugin distributions, as site-packages would."""

    def __init__(self, root: Path, modules: list[str]):
        self.root = root
        self._modules = modules

    def add(self, module: str, source: str, *, dist: str | None = None, version: str = "0.1",
            entry: str | None = None) -> None:
        """Write ``module.py`` and a dist-info declaring it under the ``kpi_engine`` group."""
        dist = dist or module.replace("_", "-")
        (self.root / f"{module}.py").write_text(textwrap.dedent(source))
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[kpi_engine]\n{entry or module} = {module}\n")
        self._modules.append(module)
        importlib.invalidate_caches()


@pytest.fixture
def new_site(tmp_path, monkeypatch):
    """A factory of sites; each new one goes in front of ``sys.path`` (so earlier in discovery)."""
    modules: list[str] = []
    count = 0

    def make() -> Site:
        nonlocal count
        count += 1
        root = tmp_path / f"site{count}"
        root.mkdir()
        monkeypatch.syspath_prepend(str(root))
        return Site(root, modules)

    yield make
    for name in modules:  # the next test may write a different module under the same name
        sys.modules.pop(name, None)


@pytest.fixture
def site(new_site) -> Site:
    return new_site()


@pytest.fixture
def throwaway(site) -> Site:
    site.add("throwaway_plugin", THROWAWAY, dist="throwaway-plugin", version="0.1", entry="throwaway")
    return site


@pytest.fixture
def defs(tmp_path) -> Path:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "sales.yaml").write_text(DEFINITIONS)
    return folder


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


def kpi(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def plugin_rows(*args: str, env: dict[str, str] | None = None) -> dict[str, dict]:
    result = kpi("plugins", "--format", "json", *args, env=env)
    assert result.exit_code == 0, result.stderr
    return {row["name"]: row for row in json.loads(result.stdout)}


def info(plugins: kpi_engine.Plugins, name: str) -> kpi_engine.PluginInfo:
    return next(i for i in plugins.infos if i.name == name)


BUILTINS = (
    "kpi_engine.builtin.duckdb_adapter", "kpi_engine.builtin.sqlite_adapter", "kpi_engine.builtin.functions",
    "kpi_engine.builtin.metric_types",
)

# -- (a) a distribution registered through the real entry-point machinery ---------------------


def test_importlib_metadata_sees_the_throwaway_distribution(throwaway):
    (ep,) = [ep for ep in metadata.entry_points(group="kpi_engine") if ep.name == "throwaway"]
    assert ep.value == "throwaway_plugin"
    assert (ep.dist.metadata["Name"], ep.dist.version) == ("throwaway-plugin", "0.1")
    plugins = kpi_engine.get_plugins()
    found = info(plugins, "throwaway")
    assert found.distribution == "throwaway-plugin 0.1"
    assert found.error is None
    assert plugins.adapter_for("throwaway").name == "throwaway"
    assert {"doubled_sum", "median"} <= plugins.functions.keys()


def test_library_api_runs_on_the_plugins_adapter_with_its_functions(throwaway, defs):
    catalog = kpi_engine.load(defs)  # functions from every installed plugin, the throwaway included
    with kpi_engine.Engine(catalog, connection="throwaway://") as engine:
        table = engine.run(grain="month", by=["region"])
    assert_matches_expected(table.to_pylist())


def test_cli_run_on_the_plugins_adapter(throwaway, defs):
    result = kpi("run", str(defs), "--connection", "throwaway://", "--grain", "month", "--by", "region",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "throwaway" not in result.stderr  # no warning about it
    assert_matches_expected(json.loads(result.stdout))


def test_whole_table_numbers_without_grain(throwaway, defs):
    result = kpi("run", str(defs), "--connection", "throwaway://", "--kpi", "doubled_revenue", "--kpi", "top_sale",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    got = {r["kpi"]: r["value"] for r in json.loads(result.stdout)}
    assert got == {"doubled_revenue": pytest.approx(2 * sum(SALES["amount"])), "top_sale": max(SALES["amount"])}


# -- (b) a plugin that fails to import ---------------------------------------------------------

BROKEN_IMPORT = '''
raise RuntimeError("needs libfoo 3, found 2\\nsecond line that must not show")
'''


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_work(throwaway, defs):
    throwaway.add("broken_plugin", BROKEN_IMPORT, dist="broken-plugin", version="2.3", entry="broken")

    rows = plugin_rows()
    assert rows["broken"]["distribution"] == "broken-plugin 2.3"
    assert rows["broken"]["error"] == "failed to load: RuntimeError: needs libfoo 3, found 2"
    assert rows["broken"]["provides"] == []
    assert rows["throwaway"]["error"] is None
    assert all(rows[b]["error"] is None for b in BUILTINS)

    listing = kpi("plugins")
    assert listing.exit_code == 0
    line = next(x for x in listing.stdout.splitlines() if x.startswith("broken "))
    assert "broken-plugin 2.3" in line and "failed: failed to load: RuntimeError: needs libfoo 3" in line

    result = kpi("run", str(defs), "--connection", "throwaway://", "--grain", "month", "--by", "region",
                 "--format", "json")
    assert result.exit_code == 0
    assert (
        "warning: plugin broken (broken-plugin 2.3): failed to load: RuntimeError: needs libfoo 3, found 2"
        in result.stderr.splitlines()
    )
    assert "second line" not in result.stderr and "Traceback" not in result.stderr
    assert_matches_expected(json.loads(result.stdout))  # builtins (share) and the throwaway still work


# -- (c) a plugin whose hook raises or returns something else than declarations -----------------

BAD_HOOKS = '''
from sqlglot import exp
from kpi_engine import AdapterSpec, FunctionSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    raise ValueError("cannot reach the license server")


@hookimpl
def kpi_register_functions():
    return ["triple_sum", FunctionSpec("triple_sum", lambda v: exp.Mul(this=exp.Sum(this=v.copy()), expression=exp.Literal.number(3)), 1, 1)]
'''

NOT_ITERABLE = '''
from kpi_engine import hookimpl


@hookimpl
def kpi_register_functions():
    return 42
'''


def test_a_plugin_whose_hooks_break_the_contract_is_reported_and_the_rest_work(throwaway, defs):
    throwaway.add("badhooks_plugin", BAD_HOOKS, dist="badhooks", version="1.0", entry="badhooks")
    throwaway.add("notiterable_plugin", NOT_ITERABLE, dist="notiterable", version="1.0", entry="notiterable")

    plugins = kpi_engine.get_plugins()
    bad = info(plugins, "badhooks")
    assert bad.distribution == "badhooks 1.0"
    assert "kpi_register_adapters raised ValueError: cannot reach the license server" in bad.error
    assert "kpi_register_functions must return FunctionSpec objects" in bad.error
    assert bad.provides == ("function triple_sum()",)  # its valid declaration is kept
    assert info(plugins, "notiterable").error == "kpi_register_functions must return an iterable of FunctionSpec objects, not int"
    assert {"throwaway", *BUILTINS}.isdisjoint(f.name for f in plugins.failures)

    rows = plugin_rows()
    assert "cannot reach the license server" in rows["badhooks"]["error"]
    assert rows["notiterable"]["distribution"] == "notiterable 1.0"

    result = kpi("run", str(defs), "--connection", "throwaway://", "--grain", "month", "--by", "region",
                 "--format", "json")
    assert result.exit_code == 0
    warnings = [x for x in result.stderr.splitlines() if x.startswith("warning: plugin ")]
    assert any(x.startswith("warning: plugin badhooks (badhooks 1.0): kpi_register_adapters raised") for x in warnings)
    assert any(x.startswith("warning: plugin notiterable (notiterable 1.0): kpi_register_functions must return an iterable") for x in warnings)
    assert_matches_expected(json.loads(result.stdout))


def test_hook_failures_are_reported_for_plugins_passed_directly():
    class Raising:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            raise KeyError("missing config")

    class WrongKind:
        @kpi_engine.hookimpl
        def kpi_register_adapters(self):
            return [kpi_engine.FunctionSpec("oops", lambda: exp.Literal.number(1))]

    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Raising(), WrongKind()])
    errors = {f.name: f.error for f in plugins.failures}
    assert errors == {
        "Raising-0": "kpi_register_functions raised KeyError: 'missing config'",
        "WrongKind-1": "kpi_register_adapters must return AdapterSpec objects, not FunctionSpec",
    }
    assert "oops" not in plugins.functions and set(plugins.adapters) == {"duckdb", "sqlite"}
    assert {"safe_divide", "count_if", "sum_if", "share"} <= plugins.functions.keys()


# -- (d) duplicate names across plugins ---------------------------------------------------------

DUPLICATE = '''
from sqlglot import exp
from kpi_engine import AdapterSpec, FunctionSpec, hookimpl


class Never:
    dialect = "duckdb"


@hookimpl
def kpi_register_adapters():
    return [AdapterSpec(name="NAME", schemes=("dupe",), dialect="duckdb", factory=Never)]


@hookimpl
def kpi_register_functions():
    return [FunctionSpec("dupe_fn", lambda: exp.Literal.number(1), 0, 0)]
'''


@pytest.fixture
def two_duplicates(new_site):
    # new_site() prepends to sys.path, so the site made last is searched first: "first".
    new_site().add("second_plugin", DUPLICATE.replace("NAME", "second"), dist="second-dist", entry="second")
    new_site().add("first_plugin", DUPLICATE.replace("NAME", "first"), dist="first-dist", entry="first")
    names = [ep.name for ep in metadata.entry_points(group="kpi_engine") if ep.name in ("first", "second")]
    assert names == ["first", "second"]


def test_a_duplicate_scheme_or_function_is_refused_naming_both_plugins(two_duplicates):
    plugins = kpi_engine.get_plugins()
    (loser,) = [f for f in plugins.failures if f.name in ("first", "second")]
    winner = "first" if loser.name == "second" else "second"
    assert f"scheme 'dupe' is already served by {winner}" in loser.error
    assert f"function 'dupe_fn' is already provided by {winner}" in loser.error
    assert loser.provides == ()
    assert plugins.adapter_for("dupe").name == winner
    assert info(plugins, winner).error is None

    result = kpi("plugins")
    assert result.exit_code == 0
    (warning,) = [x for x in result.stderr.splitlines() if "dupe" in x]
    assert f"warning: plugin {loser.name} ({loser.name}-dist 0.1): scheme 'dupe' is already served by {winner}" in warning


def test_the_first_registered_plugin_keeps_a_contested_name(two_duplicates):
    plugins = kpi_engine.get_plugins()
    assert plugins.adapter_for("dupe").name == "first"
    assert info(plugins, "first").error is None
    assert "already served by first" in info(plugins, "second").error


THIEF = '''
from sqlglot import exp
from kpi_engine import AdapterSpec, FunctionSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    return [AdapterSpec(name="fake-duckdb", schemes=("DuckDB",), dialect="duckdb", factory=object)]


@hookimpl
def kpi_register_functions():
    return [FunctionSpec("SHARE", lambda c: exp.Literal.number(1), 1, 1)]
'''


def test_an_installed_plugin_cannot_take_a_builtin_scheme_or_function(site):
    site.add("thief_plugin", THIEF, dist="thief", version="6.6", entry="thief")
    plugins = kpi_engine.get_plugins()
    thief = info(plugins, "thief")
    assert "scheme 'DuckDB' is already served by kpi_engine.builtin.duckdb_adapter" in thief.error
    assert "function 'SHARE' is already provided by kpi_engine.builtin.functions" in thief.error
    assert plugins.adapter_for("duckdb").name == "duckdb"
    assert plugins.functions["share"].description == "fraction of rows where the condition holds"
    assert all(info(plugins, b).error is None for b in BUILTINS)


def test_a_plugin_passed_directly_cannot_take_a_builtin_function():
    class Share:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            return [kpi_engine.FunctionSpec("share", lambda c: exp.Literal.number(1), 1, 1)]

    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Share()])
    assert plugins.functions["share"].description == "fraction of rows where the condition holds"
    assert "already provided by kpi_engine.builtin.functions" in info(plugins, "Share-0").error


# -- (e) keeping a plugin out ------------------------------------------------------------------


def test_disable_plugin_keeps_it_out(throwaway, defs):
    throwaway.add("broken_plugin", BROKEN_IMPORT, dist="broken-plugin", version="2.3", entry="broken")
    rows = plugin_rows("--disable-plugin", "throwaway", "--disable-plugin", "broken")
    assert "throwaway" not in rows and "broken" not in rows
    assert set(BUILTINS) <= rows.keys()
    assert "broken_plugin" not in sys.modules and "throwaway_plugin" not in sys.modules  # never imported

    result = kpi("run", str(defs), "--connection", "throwaway://", "--disable-plugin", "throwaway",
                 "--disable-plugin", "broken")
    assert result.exit_code == 3  # doubled_sum() is no longer known
    assert "unknown function 'doubled_sum'" in result.stderr
    assert "broken" not in result.stderr  # a disabled plugin is not even imported, so no warning

    plugins = kpi_engine.get_plugins(blocked=["throwaway", "kpi_engine.builtin.functions"])
    assert "throwaway" not in plugins.adapters
    assert not {"doubled_sum", "share"} & plugins.functions.keys()
    assert "duckdb" in plugins.adapters


def test_disable_plugin_autoload_keeps_every_installed_plugin_out(throwaway, defs, monkeypatch):
    rows = plugin_rows(env={"KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD": "1"})
    assert set(rows) == set(BUILTINS)  # the builtins are not entry points: they stay

    monkeypatch.setenv("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "1")
    plugins = kpi_engine.get_plugins()
    assert set(plugins.adapters) == {"duckdb", "sqlite"}
    assert set(plugins.functions) == {"safe_divide", "count_if", "sum_if", "share", "percentile"}
    result = kpi("run", str(defs), "--connection", "throwaway://")
    assert result.exit_code == 3 and "unknown function 'doubled_sum'" in result.stderr

    monkeypatch.delenv("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD")
    assert "throwaway" in kpi_engine.get_plugins().adapters
    assert "throwaway" not in kpi_engine.get_plugins(load_entrypoints=False).adapters


# -- (f) kpi plugins --format json ---------------------------------------------------------------


def test_plugins_json_lists_each_plugin_what_it_provides_and_its_distribution(throwaway):
    rows = plugin_rows()
    assert all(set(row) == {"name", "distribution", "provides", "error"} for row in rows.values())
    assert rows["throwaway"] == {
        "name": "throwaway",
        "distribution": "throwaway-plugin 0.1",
        "provides": ["adapter throwaway (throwaway://)", "function doubled_sum()", "function median()"],
        "error": None,
    }
    assert rows["kpi_engine.builtin.duckdb_adapter"] == {
        "name": "kpi_engine.builtin.duckdb_adapter",
        "distribution": "builtin",
        "provides": ["adapter duckdb (duckdb://)"],
        "error": None,
    }
    assert rows["kpi_engine.builtin.functions"]["provides"] == [
        "function safe_divide()", "function count_if()", "function sum_if()", "function share()", "function percentile()",
    ]


# -- (g) overriding a sqlglot function; arity errors --------------------------------------------


def test_a_plugin_function_overrides_the_sqlglot_function_of_the_same_name(throwaway, defs):
    result = kpi("run", str(defs), "--connection", "throwaway://", "--kpi", "top_sale", "--by", "region",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    got = {r["region"]: r["value"] for r in json.loads(result.stdout)}
    amounts = defaultdict(list)
    for region, amount in zip(SALES["region"], SALES["amount"]):
        amounts[region].append(amount)
    assert got == {region: max(values) for region, values in amounts.items()}
    assert any(statistics.median(v) != max(v) for v in amounts.values())  # so a real MEDIAN would differ

    sql = kpi("compile", str(defs), "--connection", "throwaway://", "--kpi", "top_sale")
    assert sql.exit_code == 0 and "MAX(" in sql.stdout and "MEDIAN" not in sql.stdout.upper()


ARITY = """\
sources:
  sales: {table: sales}
kpis:
  ok_kpi:
    value: {source: sales, expr: doubled_sum(amount)}
  too_many:
    value: {source: sales, expr: "doubled_sum(amount, amount)"}
  builtin_too_many:
    value: {source: sales, expr: "share(amount > 1, amount > 2)"}
  override_too_few:
    value: {source: sales, expr: median()}
"""


def test_arity_errors_are_one_clean_line_each_with_file_and_line(throwaway, tmp_path):
    file = tmp_path / "arity.yaml"
    file.write_text(ARITY)
    result = kpi("run", str(file), "--connection", "throwaway://")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "3 problems in the definitions"
    text = ARITY.splitlines()
    expectations = {  # kpi: (where its expr value starts, the message)
        "too_many": ('"doubled_sum', "expr: function 'doubled_sum' takes 1 argument(s), got 2"),
        "builtin_too_many": ('"share', "expr: function 'share' takes 1 argument(s), got 2"),
        # Today sqlglot's own check of MEDIAN's arguments refuses this before the plugin's
        # arity is consulted (see the xfail below), so only the shape of the line is fixed.
        "override_too_few": ("median()", "expr: "),
    }
    for name, (start, message) in expectations.items():
        line_no = next(i for i, t in enumerate(text, 1) if t.strip() == f"{name}:") + 1
        col = text[line_no - 1].index(start) + 1
        prefix = f"{file}:{line_no}:"
        (line,) = [x for x in lines if x.startswith(prefix)]
        match = re.fullmatch(rf"{re.escape(prefix)}(\d+): kpi {name}: {re.escape(message)}.*", line)
        assert match and int(match.group(1)) >= col, line
        if name != "override_too_few":
            assert line == f"{prefix}{col}: kpi {name}: {message}"


@pytest.mark.xfail(
    strict=True,
    reason="expressions.parse_expression lets sqlglot validate a typed function's arguments before "
    "plugin functions are looked up, so a plugin cannot override LEFT(x, n) with a one-argument left(x)",
    raises=ExpressionProblem,
)
def test_a_plugin_function_may_override_a_sqlglot_function_with_another_arity():
    class Left:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            return [kpi_engine.FunctionSpec("left", lambda v: exp.Upper(this=v.copy()), 1, 1)]

    from kpi_engine.expressions import parse_expression  # internal: the gate, tested directly

    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Left()])
    assert parse_expression("left(channel)", plugins.functions, role="dimension").sql() == "UPPER(channel)"


# -- contract breaches that should be reported, not fatal ----------------------------------------

UNKNOWN_HOOK = '''
from kpi_engine import hookimpl


@hookimpl
def kpi_register_exporters():
    return []
'''


def test_a_plugin_implementing_an_unknown_hook_is_reported_and_the_rest_work(throwaway):
    throwaway.add("future_plugin", UNKNOWN_HOOK, dist="future", version="9.0", entry="future")
    plugins = kpi_engine.get_plugins()
    assert "kpi_register_exporters" in info(plugins, "future").error
    assert "throwaway" in plugins.adapters


def test_a_function_whose_build_raises_is_a_definition_problem(tmp_path):
    class Buggy:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            return [kpi_engine.FunctionSpec("buggy", lambda v: v.no_such_attribute, 1, 1)]

    file = tmp_path / "buggy.yaml"
    file.write_text("sources:\n  s: {table: t}\nkpis:\n  k:\n    value: {source: s, expr: buggy(x)}\n")
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Buggy()])
    with pytest.raises(kpi_engine.DefinitionError) as caught:
        kpi_engine.load(file, plugins.functions)
    assert "buggy" in str(caught.value)


# -- (h) the example plugin under plugins/ -------------------------------------------------------


def test_the_example_plugin_registers_through_its_entry_point():
    try:
        import kpi_engine_plugin_example  # noqa: F401
    except ImportError:
        unavailable("the example plugin is not installed: python -m pip install -e ./plugins/kpi-engine-plugin-example")
    import kpi_engine_plugin_example.functions as example_functions

    plugins = kpi_engine.get_plugins()
    example = info(plugins, "example")
    assert example.error is None
    assert example.distribution == "kpi-engine-plugin-example 0.1.0"
    assert example.provides == ("adapter exampledb (exampledb://)", "function ratio_of()")
    assert plugins.functions["ratio_of"].load_build() is example_functions.ratio_of
    assert plugins.adapter_for("exampledb").dialect == "duckdb"
    assert plugin_rows()["example"]["distribution"] == "kpi-engine-plugin-example 0.1.0"
    assert "example" not in plugin_rows("--disable-plugin", "example")


def test_the_mysql_plugin_registers_through_its_entry_point():
    try:
        import kpi_mysql  # noqa: F401
    except ImportError:
        unavailable("kpi-mysql is not installed: python -m pip install -e ./plugins/kpi-mysql")
    plugins = kpi_engine.get_plugins()
    mysql = info(plugins, "mysql")
    assert mysql.error is None and mysql.distribution == "kpi-mysql 0.1.0"
    assert mysql.provides == ("adapter mysql (mysql://, mariadb://, mysql+pymysql://)",)
    assert plugins.adapter_for("mariadb").dialect == "mysql"


def test_the_postgres_plugin_registers_through_its_entry_point():
    try:
        import kpi_postgres  # noqa: F401
    except ImportError:
        unavailable("kpi-postgres is not installed: python -m pip install -e ./plugins/kpi-postgres")
    plugins = kpi_engine.get_plugins()
    postgres = info(plugins, "postgres")
    assert postgres.error is None and postgres.distribution == "kpi-postgres 0.1.0"
    assert plugins.adapter_for("postgresql").dialect == "postgres"


def test_the_spark_plugin_registers_through_its_entry_point():
    try:
        import kpi_spark  # noqa: F401
    except ImportError:
        unavailable("kpi-spark is not installed: python -m pip install -e './plugins/kpi-spark[connect]'")
    plugins = kpi_engine.get_plugins()
    spark = info(plugins, "spark")
    assert spark.error is None and spark.distribution == "kpi-spark 0.1.0"
    assert spark.provides == ("adapter spark (spark://, sc://)",)
    assert plugins.adapter_for("sc").dialect == "spark"


# -- (g) adapters named by import path are imported when a connection opens --------------------

LAZY = '''
from kpi_engine import AdapterSpec, hookimpl


@hookimpl
def kpi_register_adapters():
    return [
        AdapterSpec(name="lazy", schemes=("lazy",), dialect="duckdb", factory="lazy_driver:ThrowawayAdapter"),
        AdapterSpec(name="gone", schemes=("gone",), dialect="duckdb", factory="no_such_driver_module:Adapter"),
    ]
'''


@pytest.fixture
def lazy(throwaway) -> Site:
    throwaway.add("lazy_plugin", LAZY, dist="lazy-plugin", entry="lazy")
    # the driver is an ordinary module on the path (the throwaway adapter again), not a plugin
    (throwaway.root / "lazy_driver.py").write_text(THROWAWAY.replace("@hookimpl", ""))
    throwaway._modules.append("lazy_driver")
    importlib.invalidate_caches()
    return throwaway


def test_an_adapter_named_by_import_path_is_imported_only_when_a_connection_opens(lazy, defs):

    plugins = kpi_engine.get_plugins()
    assert plugins.adapter_for("lazy").factory == "lazy_driver:ThrowawayAdapter"
    assert info(plugins, "lazy").error is None  # discovery alone does not look for the driver
    assert "lazy_driver" not in sys.modules

    result = kpi("run", str(defs), "--connection", "lazy://", "--grain", "month", "--by", "region",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "lazy_driver" in sys.modules
    assert_matches_expected(json.loads(result.stdout))


def test_an_adapter_whose_driver_is_missing_fails_on_connect_and_in_kpi_plugins(lazy, defs):

    result = kpi("run", str(defs), "--connection", "gone://", "--kpi", "big_sale_share")
    assert result.exit_code == 4, result.stderr
    (line,) = [x for x in result.stderr.splitlines() if "gone" in x and "cannot be loaded" in x]
    assert "the gone adapter cannot be loaded: ModuleNotFoundError: No module named 'no_such_driver_module'" in line
    assert "Traceback" not in result.stderr

    rows = plugin_rows()
    assert rows["lazy"]["error"] == (
        "adapter gone cannot be loaded: ModuleNotFoundError: No module named 'no_such_driver_module'"
    )
    assert rows["lazy"]["provides"] == ["adapter lazy (lazy://)"]  # the loadable one is kept
    checked = kpi_engine.get_plugins(load_adapters=True)
    assert checked.adapter_for("gone") is None and checked.adapter_for("lazy") is not None


@pytest.mark.parametrize("factory", ["not a path", "module_only", ":Attr", 42])
def test_a_factory_that_is_neither_callable_nor_an_import_path_is_refused(factory):
    with pytest.raises(TypeError, match="must be a callable or a 'module:attribute' string"):
        kpi_engine.AdapterSpec(name="x", schemes=("x",), dialect="duckdb", factory=factory)


def test_the_shipped_adapter_plugins_import_no_driver_until_they_connect(tmp_path):
    # A fresh process: what `kpi validate` and a DuckDB run pay for plugin discovery.
    probe = (
        "import sys, kpi_engine\n"
        "kpi_engine.get_plugins()\n"
        "print(sorted(m for m in ('kpi_postgres.adapter', 'kpi_mysql.adapter', 'kpi_spark.adapter', 'pymysql', 'sqlite3',\n"
        "    'adbc_driver_postgresql', 'pyspark', 'kpi_engine_plugin_example.adapter') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert done.stdout.strip() == "[]", done.stdout


# -- (i) function and metric-type builders named by import path ----------------------------------

BUILDERS = '''
from sqlglot import exp


def doubled(value):
    return exp.Mul(this=exp.Paren(this=value.copy()), expression=exp.Literal.number(2))
'''


class LazyBuilders:
    @kpi_engine.hookimpl
    def kpi_register_functions(self):
        return [
            kpi_engine.FunctionSpec("doubled", "lazy_builders:doubled", 1, 1),
            kpi_engine.FunctionSpec("vanished", "no_such_builder_module:f", 1, 1),
        ]


def test_a_function_named_by_import_path_is_imported_when_an_expression_calls_it(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "lazy_builders.py").write_text(BUILDERS)
    monkeypatch.delitem(sys.modules, "lazy_builders", raising=False)
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[LazyBuilders()])
    assert "lazy_builders" not in sys.modules
    defs = tmp_path / "shop.yaml"
    defs.write_text("sources:\n  s: {table: t}\nkpis:\n  k:\n    value: {source: s, expr: sum(doubled(x))}\n")
    catalog = kpi_engine.load(defs, plugins.functions)
    assert "lazy_builders" in sys.modules
    with kpi_engine.Engine(catalog, "duckdb://", plugins=plugins) as engine:
        engine.connect().con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1.5), (2.0), (NULL)) v(x)")
        (value,) = engine.run(kpis=["k"]).column("value").to_pylist()
    assert value == pytest.approx(2 * (1.5 + 2.0))


def test_a_function_whose_builder_cannot_be_imported_is_one_definition_problem(tmp_path):
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[LazyBuilders()])
    defs = tmp_path / "shop.yaml"
    defs.write_text("sources:\n  s: {table: t}\nkpis:\n  k:\n    value: {source: s, expr: sum(vanished(x))}\n")
    with pytest.raises(kpi_engine.DefinitionError) as caught:
        kpi_engine.load(defs, plugins.functions)
    (line,) = str(caught.value).splitlines()
    assert line.endswith(
        "shop.yaml:5:30: kpi k: expr: function 'vanished' failed (ModuleNotFoundError: No module named "
        "'no_such_builder_module'); this is a bug in the plugin providing it"
    )


@pytest.mark.parametrize("build", ["not a path", "module_only", 42])
def test_a_builder_that_is_neither_callable_nor_an_import_path_is_refused(build):
    with pytest.raises(TypeError, match="FunctionSpec.build must be a callable or a 'module:attribute' string"):
        kpi_engine.FunctionSpec("f", build)
    with pytest.raises(TypeError, match="MetricTypeSpec.build must be a callable or a 'module:attribute' string"):
        kpi_engine.MetricTypeSpec("t", build)


def test_plugin_discovery_imports_no_builder_and_no_sqlglot(tmp_path):
    # A fresh process: the builtins, kpi-commerce and the example plugin declare builders by import path.
    probe = (
        "import sys, kpi_engine\n"
        "plugins = kpi_engine.get_plugins()\n"
        "assert {'nps', 'safe_divide', 'ratio_of'} <= set(plugins.functions), plugins.functions\n"
        "assert {'top', 'retention'} <= set(plugins.metric_types), plugins.metric_types\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlglot' or m in ('kpi_engine.builtin.function_trees',\n"
        "    'kpi_engine.builtin.metric_queries', 'kpi_commerce.functions', 'kpi_commerce.metric_types',\n"
        "    'kpi_engine_plugin_example.functions')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
