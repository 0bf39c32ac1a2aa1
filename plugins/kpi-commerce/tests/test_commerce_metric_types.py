"""kpi-commerce's metric types without servers: declarations, definition checks, SQL for
every dialect, and hand-worked edge cases on the builtin engines (DuckDB and SQLite).

The main hand-worked examples -- retention, churn, repeat purchase, lifetime value and
NPS by month, quarter, channel and period, on DuckDB, SQLite, PostgreSQL, MariaDB and
Spark -- are in kpi-engine's tests/test_metric_types.py, next to the provisioning helpers
for those engines. Here: a week grain, a --from inside a month, and NULL slices.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import duckdb
import kpi_commerce
import kpi_engine
import pytest
import sqlglot
from kpi_commerce.metric_types import previous_bucket

TYPES = ("retention", "churn", "repeat_purchase", "lifetime_value")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def plugins() -> kpi_engine.Plugins:
    return kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_commerce])


def load(folder, text, plugins):
    (folder / "defs.yaml").write_text(text)
    return kpi_engine.load(folder / "defs.yaml", plugins.functions, metric_types=plugins.metric_types)


# -- declarations and definition checks --------------------------------------------------------


def test_the_types_and_their_parameters(plugins):
    for name in TYPES:
        spec = plugins.metric_types[name]
        assert spec.ratio and not spec.lists and spec.description, name
        assert [(p.name, p.kind, p.required) for p in spec.params][0] == ("entity", "dimension", True)
    assert [(p.name, p.kind) for p in plugins.metric_types["lifetime_value"].params] == [
        ("entity", "dimension"), ("value", "measure"),
    ]


@pytest.mark.parametrize(
    ("moment", "grain", "expected"),
    [
        (date(2024, 3, 15), "day", date(2024, 3, 14)),
        (datetime(2024, 1, 3, 23, 59), "week", date(2023, 12, 25)),  # Wednesday: the week of Mon 1 Jan, so Mon 25 Dec
        (date(2024, 1, 31), "month", date(2023, 12, 1)),
        (date(2024, 2, 29), "quarter", date(2023, 10, 1)),
        (date(2024, 5, 1), "quarter", date(2024, 1, 1)),
        (datetime(2024, 6, 30, 12), "year", date(2023, 1, 1)),
    ],
)
def test_previous_bucket(moment, grain, expected):
    assert previous_bucket(moment, grain) == expected


PROBLEMS = """\
sources:
  orders: {table: orders, time: ordered_at}
kpis:
  no_entity:
    metric: {type: retention, source: orders}
  misspelt:
    metric: {type: churn, source: orders, entiy: customer_id}
  aggregate_entity:
    metric: {type: repeat_purchase, source: orders, entity: max(customer_id)}
  row_level_value:
    metric: {type: lifetime_value, source: orders, entity: customer_id, value: revenue - cost}
  no_value:
    metric: {type: lifetime_value, source: orders, entity: customer_id}
  misspelt_type:
    metric: {type: retension, source: orders, entity: customer_id}
"""


def test_definition_problems_name_the_place(tmp_path, plugins):
    with pytest.raises(kpi_engine.DefinitionError) as caught:
        load(tmp_path, PROBLEMS, plugins)
    got = [(p.line, p.name, p.message) for p in caught.value.problems]
    assert got[:6] == [
        (5, "no_entity", "metric retention: missing field 'entity'"),
        (7, "misspelt", "unknown key 'entiy' (did you mean 'entity'?)"),
        (9, "aggregate_entity", "entity: aggregate 'MAX(customer_id)' is not allowed in a dimension"),
        (11, "row_level_value", "value: expression must aggregate, e.g. count(*) or sum(revenue)"),
        (13, "no_value", "metric lifetime_value: missing field 'value'"),
        (15, "misspelt_type", got[5][2]),
    ]
    assert got[5][2].startswith("metric: unknown metric type 'retension' (did you mean 'retention'?)")
    assert len(got) == 6


# -- SQL for every dialect ----------------------------------------------------------------------

SHOP = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  retention: {metric: {type: retention, source: orders, entity: customer_id}}
  churn: {metric: {type: churn, source: orders, entity: customer_id, where: channel = 'web'}}
  repeat_purchase: {metric: {type: repeat_purchase, source: orders, entity: customer_id}}
  lifetime_value: {metric: {type: lifetime_value, source: orders, entity: customer_id, value: sum(revenue)}}
"""


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite", "postgres", "mysql", "spark", "bigquery"])
@pytest.mark.parametrize("grain", [None, "week", "quarter"])
def test_every_type_compiles_for_every_dialect(tmp_path, plugins, dialect, grain):
    catalog = load(tmp_path, SHOP, plugins)
    with kpi_engine.Engine(catalog, "duckdb://", plugins=plugins) as engine:
        sql = engine.compile(dialect, grain=grain, by=["channel"], start=date(2024, 2, 10), end=date(2024, 4, 1))
    assert sqlglot.parse_one(sql, read=dialect) is not None


# -- edge cases on DuckDB and SQLite --------------------------------------------------------------

# (customer_id, ordered_at, channel); weeks start on Monday (2024-01-01 is one).
ORDERS = [
    (1, datetime(2024, 1, 5, 10), "web"),  # Fri, week of Jan 1
    (4, datetime(2024, 1, 8, 10), None),  # Mon, week of Jan 8; no channel
    (2, datetime(2024, 1, 20, 10), "web"),  # Sat, week of Jan 15
    (1, datetime(2024, 2, 3, 10), "web"),  # Sat, week of Jan 29
    (4, datetime(2024, 2, 12, 10), None),  # Mon, week of Feb 12
    (2, datetime(2024, 2, 15, 10), "web"),  # Thu, week of Feb 12
    (3, datetime(2024, 2, 20, 10), "app"),  # Tue, week of Feb 19
    (3, datetime(2024, 3, 2, 10), "app"),  # Sat, week of Feb 26
]
EDGES = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
  untimed: {table: orders}
kpis:
  retention: {metric: {type: retention, source: orders, entity: customer_id}}
  repeat_purchase: {metric: {type: repeat_purchase, source: orders, entity: customer_id}}
  untimed_retention: {metric: {type: retention, source: untimed, entity: customer_id}}
  untimed_repeat_purchase: {metric: {type: repeat_purchase, source: untimed, entity: customer_id, where: channel = 'web'}}
"""


def _duckdb(folder):
    path = folder / "edges.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table orders (customer_id integer, ordered_at timestamp, channel varchar)")
    con.executemany("insert into orders values (?, ?, ?)", ORDERS)
    con.close()
    return f"duckdb:///{path}"


def _sqlite(folder):
    path = folder / "edges.sqlite"
    con = sqlite3.connect(str(path))
    with con:
        con.execute("create table orders (customer_id integer, ordered_at text, channel text)")
        con.executemany("insert into orders values (?, ?, ?)", [(c, t.isoformat(sep=" "), ch) for c, t, ch in ORDERS])
    con.close()
    return f"sqlite:///{path}"


@pytest.fixture(params=[_duckdb, _sqlite], ids=["duckdb", "sqlite"])
def edges(request, tmp_path, plugins):
    catalog = load(tmp_path, EDGES, plugins)
    with kpi_engine.Engine(catalog, request.param(tmp_path), plugins=plugins) as engine:
        yield engine


def values(table, kpi, *keys):
    return {
        tuple(str(r[k]) if k == "period_start" else r[k] for k in keys): (r["numerator"], r["denominator"])
        for r in table.to_pylist() if r["kpi"] == kpi
    }


def test_weekly_retention(edges):
    # Active per week: Jan 1 {1}, Jan 8 {4}, Jan 15 {2}, Jan 22 {}, Jan 29 {1}, Feb 5 {},
    # Feb 12 {2,4}, Feb 19 {3}, Feb 26 {3}. Retained: only c3, from Feb 19 to Feb 26.
    # Jan 22 and Feb 5 have nobody but follow a week with someone: 0 of 1. Jan 29 and Feb 12
    # follow an empty week: no row. Mar 4 is after Feb 26, the last week with activity.
    table = edges.run(kpis=["retention"], grain="week")
    assert values(table, "retention", "period_start") == {
        ("2024-01-08",): (0, 1), ("2024-01-15",): (0, 1), ("2024-01-22",): (0, 1),
        ("2024-02-05",): (0, 1), ("2024-02-19",): (0, 2), ("2024-02-26",): (1, 1),
    }


def test_a_from_inside_a_month_reads_the_whole_month_before_and_the_rest_of_its_own(edges):
    # --from 2024-02-10: January is read whole for February's cohort, {1,2,4}; February
    # counts from the 10th on, {2,3,4} (c1's order of Feb 3 is before --from, as for any KPI).
    #   retention Feb = |{2,4}| / |{1,2,4}| = 2/3     Mar = |{3}| / |{2,3,4}| = 1/3
    # repeat purchase: Feb {2,3,4}: c2 (Jan 20) and c4 (Jan 8) had ordered before: 2/3;
    # Mar {3}: c3 ordered on Feb 20: 1/1.
    table = edges.run(kpis=["retention", "repeat_purchase"], grain="month", start=date(2024, 2, 10))
    assert values(table, "retention", "period_start") == {("2024-02-01",): (2, 3), ("2024-03-01",): (1, 3)}
    assert values(table, "repeat_purchase", "period_start") == {("2024-02-01",): (2, 3), ("2024-03-01",): (1, 1)}
    # Read from the 10th at noon, February still counts c2, c3 and c4.
    table = edges.run(kpis=["retention"], grain="month", start=datetime(2024, 2, 10, 12))
    assert values(table, "retention", "period_start") == {("2024-02-01",): (2, 3), ("2024-03-01",): (1, 3)}


def test_a_null_slice_is_a_slice(edges):
    # By channel: web Jan {1,2}, Feb {1,2}; app Feb {3}, Mar {3}; no channel: Jan {4}, Feb {4}.
    table = edges.run(kpis=["retention", "repeat_purchase"], grain="month", by=["channel"])
    assert values(table, "retention", "period_start", "channel") == {
        ("2024-02-01", "web"): (2, 2), ("2024-03-01", "web"): (0, 2),
        ("2024-02-01", None): (1, 1), ("2024-03-01", None): (0, 1),  # c4 kept without a channel
        ("2024-03-01", "app"): (1, 1),
    }
    assert values(table, "repeat_purchase", "period_start", "channel") == {
        ("2024-01-01", "web"): (0, 2), ("2024-02-01", "web"): (2, 2),
        ("2024-01-01", None): (0, 1), ("2024-02-01", None): (1, 1),
        ("2024-02-01", "app"): (0, 1), ("2024-03-01", "app"): (1, 1),
    }


def test_a_source_without_time(edges):
    # No grain: retention has nothing to compare (no_data); repeat purchase needs no time.
    # Web orders: c1 twice (Jan 5, Feb 3), c2 twice (Jan 20, Feb 15): 2/2.
    rows = {r["kpi"]: r for r in edges.run(kpis=["untimed_retention", "untimed_repeat_purchase"]).to_pylist()}
    assert rows["untimed_retention"]["value"] is None and rows["untimed_retention"]["status"] == "no_data"
    assert (rows["untimed_repeat_purchase"]["numerator"], rows["untimed_repeat_purchase"]["denominator"]) == (2, 2)
    with pytest.raises(kpi_engine.SelectionError, match="source 'untimed' has no time column"):
        edges.run(kpis=["untimed_retention"], grain="month")
