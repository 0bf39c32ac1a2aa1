"""Property test: random KPI definitions over random data give the reference numbers on every engine.

hypothesis draws two small sources (with NULLs, empty slices, boundary timestamps), a
few KPIs (aggregates, filters, same- and two-source ratios), a grain and a slicing;
each engine provisioned with that data must return exactly what ``oracle`` computes.
Engines that take a second or more to provision get fewer examples.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kpi_engine
from engines import engines
from oracle import assert_matches, count, count_distinct, evaluate, maximum, mean, minimum, total

EXAMPLES = {"duckdb": 40, "sqlite": 40, "postgres": 12, "mysql": 12, "spark": 4}
TIME = {"events": "at", "visits": "at"}
DIMS = ("north", "south", None)
START = datetime(2024, 12, 28)  # across a year, quarter and ISO-week boundary

# expression text -> reference aggregate, per source column kind
AGGREGATES = {
    "count(*)": lambda: count,
    "count(distinct k)": lambda: count_distinct("k"),
    "sum(k)": lambda: total("k"),
    "avg(v)": lambda: mean("v"),
    "min(v)": lambda: minimum("v"),
    "max(k)": lambda: maximum("k"),
}
FILTERS = {
    None: lambda r: True,
    "flag": lambda r: bool(r["flag"]),
    "not flag": lambda r: not r["flag"],
    "k > 2": lambda r: r["k"] is not None and r["k"] > 2,
    "v is not null": lambda r: r["v"] is not None,
    "region = 'north'": lambda r: r["region"] == "north",
}


def rows_strategy():
    row = st.fixed_dictionaries({
        "at": st.integers(0, 24 * 60 - 1).map(lambda h: START + timedelta(hours=h // 12, minutes=h % 60)),
        "region": st.sampled_from(DIMS),
        "k": st.one_of(st.none(), st.integers(-5, 9)),
        "v": st.one_of(st.none(), st.floats(-1e3, 1e3, allow_nan=False).map(lambda f: round(f, 3))),
        "flag": st.booleans(),
    })
    return st.lists(row, min_size=0, max_size=25)


def side_strategy():
    return st.tuples(st.sampled_from(("events", "visits")), st.sampled_from(list(AGGREGATES)), st.sampled_from(list(FILTERS)))


kpi_strategy = st.tuples(side_strategy(), st.one_of(st.none(), side_strategy()))


def table(rows: list[dict]) -> pa.Table:
    schema = pa.schema([("at", pa.timestamp("us")), ("region", pa.string()), ("k", pa.int64()),
                        ("v", pa.float64()), ("flag", pa.bool_())])
    return pa.Table.from_pylist(rows, schema=schema)


def side_yaml(side) -> str:
    source, expr, where = side
    where_part = f", where: \"{where}\"" if where else ""
    return f"{{source: {source}, expr: \"{expr}\"{where_part}}}"


def definitions(kpis) -> str:
    text = ("sources:\n"
            "  events: {table: events, time: at, dimensions: [region]}\n"
            "  visits: {table: visits, time: at, dimensions: [region]}\n"
            "kpis:\n")
    for i, (numerator, denominator) in enumerate(kpis):
        if denominator is None:
            text += f"  k{i}:\n    value: {side_yaml(numerator)}\n"
        else:
            text += f"  k{i}:\n    numerator: {side_yaml(numerator)}\n    denominator: {side_yaml(denominator)}\n"
    return text


def reference_side(side):
    source, expr, where = side
    return (source, FILTERS[where], AGGREGATES[expr]())


@pytest.mark.parametrize("module", engines(), ids=lambda m: m.NAME)
def test_random_kpis_match_the_reference(module, tmp_path_factory):
    @settings(max_examples=EXAMPLES.get(module.NAME, 5), deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(
        events=rows_strategy(),
        visits=rows_strategy(),
        kpis=st.lists(kpi_strategy, min_size=1, max_size=4),
        grain=st.sampled_from((None, "day", "week", "month", "quarter", "year")),
        by=st.sampled_from(((), ("region",))),
    )
    def check(events, visits, kpis, grain, by):
        folder = tmp_path_factory.mktemp("property")
        (folder / "kpis.yaml").write_text(definitions(kpis))
        catalog = kpi_engine.load(folder / "kpis.yaml")
        data = {"events": events, "visits": visits}
        with module.provision({name: table(rows) for name, rows in data.items()}, folder) as url:
            with kpi_engine.Engine(catalog, url) as engine:
                result = engine.run(grain=grain, by=list(by))
        expected = {
            f"k{i}": evaluate(data, [reference_side(s) for s in kpi if s], TIME, grain, by)
            for i, kpi in enumerate(kpis)
        }
        # A KPI with no row at all is reported once as no_data (README); the reference has no key then.
        for name, want in expected.items():
            if not want:
                rows = [r for r in result.to_pylist() if r["kpi"] == name]
                assert len(rows) == 1 and rows[0]["status"] == "no_data"
                result = result.filter(pa.compute.not_equal(result.column("kpi"), name))
        assert_matches(result, {n: w for n, w in expected.items() if w}, (["period_start"] if grain else []) + list(by))

    check()
