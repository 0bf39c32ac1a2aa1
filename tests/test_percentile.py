"""percentile(x, p): the exact, interpolated percentile (PERCENTILE_CONT) on every engine.

Expected values by hand: at h = p * (n - 1) over the sorted values (0-based), the value
at floor(h) plus (h - floor(h)) times the step to the next one.
  a: 1, 2, 3, 4 (and a NULL)   b: 10, 20, 30   c: 5   d: only NULLs
"""

from __future__ import annotations

import math
from datetime import datetime

import pyarrow as pa
import pytest

import kpi_engine
from engines import engines

ROWS = [("a", 4.0), ("a", 1.0), ("a", None), ("a", 3.0), ("a", 2.0), ("b", 30.0), ("b", 10.0), ("b", 20.0),
        ("c", 5.0), ("d", None)]

DEFINITIONS = """\
sources:
  m: {table: m, time: t, dimensions: [grp]}
kpis:
  p0:   {value: {source: m, expr: "percentile(x, 0)"}}
  p25:  {value: {source: m, expr: "percentile(x, 0.25)"}}
  p50:  {value: {source: m, expr: "quantile_cont(x, 0.5)"}}
  p90:  {value: {source: m, expr: "percentile(x, 0.9)"}}
  p100: {value: {source: m, expr: "percentile(x, 1)"}}
  p50_over_1: {value: {source: m, expr: "percentile(x, 0.5)", where: x > 1}}
  spread:
    numerator: {source: m, expr: "percentile(x, 0.9) - percentile(x, 0.25)"}
    denominator: {source: m, expr: "median(x)"}
"""

EXPECTED = {
    # kpi: {grp: value}
    "p0": {"a": 1, "b": 10, "c": 5, "d": None},
    "p25": {"a": 1.75, "b": 15, "c": 5, "d": None},  # a: h 0.75; b: h 0.5
    "p50": {"a": 2.5, "b": 20, "c": 5, "d": None},  # a: even count, between 2 and 3
    "p90": {"a": 3.7, "b": 28, "c": 5, "d": None},  # a: h 2.7; b: h 1.8
    "p100": {"a": 4, "b": 30, "c": 5, "d": None},
    "p50_over_1": {"a": 3, "b": 20, "c": 5, "d": None},  # a: 2, 3, 4
    "spread": {"a": (3.7 - 1.75) / 2.5, "b": (28 - 15) / 20, "c": 0, "d": None},
}


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def table(request, tmp_path_factory):
    data = pa.table({
        "grp": pa.array([r[0] for r in ROWS], pa.string()),
        "x": pa.array([r[1] for r in ROWS], pa.float64()),
        "t": pa.array([datetime(2024, 5, 1 + i) for i in range(len(ROWS))], pa.timestamp("us")),
    })
    folder = tmp_path_factory.mktemp("defs")
    (folder / "k.yaml").write_text(DEFINITIONS)
    with request.param.provision({"m": data}, tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(kpi_engine.load(folder), url) as engine:
            yield engine.run(kpis=list(EXPECTED), by=["grp"], grain="month").to_pylist()


@pytest.mark.parametrize("kpi", list(EXPECTED))
def test_percentiles_by_hand(table, kpi):
    got = {r["grp"]: r["value"] for r in table if r["kpi"] == kpi}
    assert set(got) == set(EXPECTED[kpi])
    for grp, want in EXPECTED[kpi].items():
        assert (got[grp] is None) if want is None else math.isclose(got[grp], want, rel_tol=1e-9, abs_tol=1e-12), (kpi, grp, got[grp])


@pytest.mark.parametrize("expr", ["percentile(x, 1.5)", "percentile(x, -0.1)", "percentile(x, p)", "quantile_cont(x, '0.5')"])
def test_the_fraction_must_be_a_literal_from_0_to_1(tmp_path, expr):
    (tmp_path / "k.yaml").write_text(f"sources:\n  m: {{table: m}}\nkpis:\n  k: {{value: {{source: m, expr: \"{expr}\"}}}}\n")
    with pytest.raises(kpi_engine.DefinitionError, match="percentile takes a value and a fraction from 0 to 1"):
        kpi_engine.load(tmp_path)


@pytest.mark.parametrize(("fraction", "ok"), [("0.9", True), ("1.5", False)])
def test_the_standard_within_group_form_a_plugin_builds_is_checked_too(tmp_path, fraction, ok):
    from sqlglot import exp

    def p_cont(value):  # percentile_cont(p) WITHIN GROUP (ORDER BY value)
        ordered = exp.Order(expressions=[exp.Ordered(this=value.copy())])
        return exp.WithinGroup(this=exp.PercentileCont(this=exp.Literal.number(fraction)), expression=ordered)

    class Plugin:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            return [kpi_engine.FunctionSpec("p_cont", p_cont, 1, 1)]

    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Plugin()])
    (tmp_path / "k.yaml").write_text("sources:\n  m: {table: m}\nkpis:\n  k: {value: {source: m, expr: p_cont(x)}}\n")
    if ok:
        assert "k" in kpi_engine.load(tmp_path, plugins.functions).kpis
    else:
        with pytest.raises(kpi_engine.DefinitionError, match="a fraction from 0 to 1"):
            kpi_engine.load(tmp_path, plugins.functions)
