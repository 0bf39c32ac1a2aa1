"""--compare: the comparison range, compare_value, change, change_ratio and verdict.

Hand-worked on a dozen orders and checked on every engine of tests/engines; the range
arithmetic and the verdict rules have their own table-driven tests.
"""

from __future__ import annotations

import contextlib
import math
from datetime import date, datetime

import pyarrow as pa
import pytest

import kpi_engine
from engines import engines
from kpi_engine.comparisons import change_ratio, move, offset, verdict
from kpi_engine.model import Band, Kpi, Location, Thresholds

D = date

# (ordered_at, channel, revenue)
ORDERS = [
    (datetime(2023, 3, 10, 9), "web", 10.0),
    (datetime(2024, 1, 15, 10), "web", 100.0),
    (datetime(2024, 1, 20, 11), "app", 50.0),
    (datetime(2024, 2, 10, 12), "web", 120.0),
    (datetime(2024, 2, 29, 13), "app", 40.0),
    (datetime(2024, 3, 5, 14), "web", 90.0),
    (datetime(2024, 3, 31, 15), "web", 60.0),
]
# Revenue per month: 2023-03 10 | 2024-01 150 (web 100, app 50) | 2024-02 160 (web 120,
# app 40) | 2024-03 150 (web 150; no app order).

DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
  average_order:
    numerator: {source: orders, expr: sum(revenue)}
    denominator: {source: orders, expr: count(*)}
  top_channel:
    metric: {type: top, source: orders, item: channel, expr: sum(revenue), limit: 1}
"""

def orders_table() -> pa.Table:
    return pa.table({
        "ordered_at": pa.array([r[0] for r in ORDERS], pa.timestamp("us")),
        "channel": pa.array([r[1] for r in ORDERS], pa.string()),
        "revenue": pa.array([r[2] for r in ORDERS], pa.float64()),
    })


RUNS = {
    "month": dict(grain="month", compare="previous_period"),
    "month_from_mid_february": dict(grain="month", compare="previous_period", start=D(2024, 2, 15), end=D(2024, 4, 1)),
    "march_whole": dict(compare="previous_period", start=D(2024, 3, 1), end=D(2024, 4, 1)),
    "month_last_year": dict(grain="month", compare="same_period_last_year"),
    "month_by_channel": dict(grain="month", by=["channel"], compare="previous_period"),
}


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def results(request, tmp_path_factory):
    orders = orders_table()
    folder = tmp_path_factory.mktemp("defs")
    (folder / "shop.yaml").write_text(DEFINITIONS)
    catalog = kpi_engine.load(folder)
    with request.param.provision({"orders": orders}, tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(catalog, url) as engine:
            yield {name: engine.run(kpis=["revenue", "average_order", "top_channel"], **args).to_pylist()
                   for name, args in RUNS.items()}


def rows(result, kpi, *keys):
    return {tuple(str(r[k]) if k == "period_start" else r[k] for k in keys): r for r in result if r["kpi"] == kpi}


def same(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))


def check(row, value, compare_value, change, ratio, verdict_):
    got = (row["value"], row["compare_value"], row["change"], row["change_ratio"])
    assert all(same(g, w) for g, w in zip(got, (value, compare_value, change, ratio))), (row, got)
    assert row["verdict"] == verdict_, row


def test_each_month_against_the_month_before(results):
    revenue = rows(results["month"], "revenue", "period_start")
    assert set(revenue) == {("2023-03-01",), ("2024-01-01",), ("2024-02-01",), ("2024-03-01",)}
    check(revenue[("2023-03-01",)], 10, None, None, None, None)  # no February 2023
    check(revenue[("2024-01-01",)], 150, None, None, None, None)  # no December 2023
    check(revenue[("2024-02-01",)], 160, 150, 10, 10 / 150, "improving")
    check(revenue[("2024-03-01",)], 150, 160, -10, -10 / 160, "worsening")
    # a ratio: average order 160 / 2 = 80 in February, 150 / 2 = 75 in January
    check(rows(results["month"], "average_order", "period_start")[("2024-02-01",)], 80, 75, 5, 5 / 75, "improving")


def test_a_partial_first_month_meets_the_same_days_of_the_month_before(results):
    revenue = rows(results["month_from_mid_february"], "revenue", "period_start")
    # February from the 15th: 40 (02-29); compared with January from the 15th: 100 + 50.
    check(revenue[("2024-02-01",)], 40, 150, -110, -110 / 150, "worsening")
    # March whole: 150; compared with February whole (the comparison range is 01-15 .. 03-01).
    check(revenue[("2024-03-01",)], 150, 160, -10, -10 / 160, "worsening")
    assert set(revenue) == {("2024-02-01",), ("2024-03-01",)}


def test_without_a_grain_the_range_meets_the_range_of_the_same_length_before(results):
    # March 2024 is 31 days: compared with 01-30 .. 03-01, that is 120 + 40 (nothing 01-30/31).
    (row,) = [r for r in results["march_whole"] if r["kpi"] == "revenue"]
    check(row, 150, 160, -10, -0.0625, "worsening")


def test_same_period_last_year(results):
    revenue = rows(results["month_last_year"], "revenue", "period_start")
    check(revenue[("2024-03-01",)], 150, 10, 140, 14.0, "improving")
    check(revenue[("2024-02-01",)], 160, None, None, None, None)


def test_slices_meet_their_own_slice(results):
    revenue = rows(results["month_by_channel"], "revenue", "period_start", "channel")
    check(revenue[("2024-02-01", "web")], 120, 100, 20, 0.2, "improving")
    check(revenue[("2024-02-01", "app")], 40, 50, -10, -0.2, "worsening")
    check(revenue[("2024-03-01", "web")], 150, 120, 30, 0.25, "improving")
    assert ("2024-03-01", "app") not in revenue  # no app order in March: no current row


def test_list_entries_meet_the_same_item(results):
    top = rows(results["month"], "top_channel", "period_start", "item")
    check(top[("2024-02-01", "web")], 120, 100, 20, 0.2, "improving")
    check(top[("2024-03-01", "web")], 150, 120, 30, 0.25, "improving")


# -- the rules, by hand ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "count", "expected"),
    [
        (D(2024, 3, 31), "month", -1, D(2024, 2, 29)),  # clamped to a leap February's end
        (D(2023, 3, 31), "month", -1, D(2023, 2, 28)),
        (D(2024, 2, 29), "month", -12, D(2023, 2, 28)),
        (datetime(2024, 1, 31, 8, 30), "month", -2, datetime(2023, 11, 30, 8, 30)),
        (D(2024, 3, 1), "day", -364, D(2023, 3, 3)),  # 52 weeks: Friday to Friday
        (None, "day", -1, None),
    ],
)
def test_move(value, unit, count, expected):
    assert move(value, unit, count) == expected


@pytest.mark.parametrize(
    ("compare", "grain", "start", "end", "expected"),
    [
        ("previous_period", "week", None, None, ("day", 7)),
        ("previous_period", "quarter", None, None, ("month", 3)),
        ("same_period_last_year", "day", None, None, ("day", 364)),
        ("same_period_last_year", "week", None, None, ("day", 364)),
        ("same_period_last_year", "quarter", None, None, ("month", 12)),
        ("previous_period", None, D(2024, 3, 1), D(2024, 4, 1), ("month", 1)),  # March with February, not 31 days back
        ("previous_period", None, D(2024, 1, 1), D(2024, 4, 1), ("month", 3)),
        ("previous_period", None, D(2024, 3, 1), D(2024, 3, 31), ("day", 30)),
        ("previous_period", None, D(2024, 3, 4), D(2024, 3, 11), ("day", 7)),  # a week with the week before
        ("previous_period", None, datetime(2024, 3, 1), datetime(2024, 4, 1), ("month", 1)),
        ("same_period_last_year", None, D(2024, 3, 1), D(2024, 4, 1), ("month", 12)),
    ],
)
def test_offset(compare, grain, start, end, expected):
    assert offset(compare, grain, start, end) == expected


@pytest.mark.parametrize(
    ("compare", "start", "end", "message"),
    [
        ("previous_period", None, D(2024, 4, 1), "give --from and --to"),
        ("previous_period", datetime(2024, 3, 1, 6), D(2024, 4, 1), "a range of whole days"),
        ("next_period", D(2024, 3, 1), D(2024, 4, 1), "unknown comparison 'next_period'"),
    ],
)
def test_offset_refuses_what_it_cannot_compare(compare, start, end, message):
    with pytest.raises(kpi_engine.SelectionError, match=message):
        offset(compare, None, start, end)


def kpi(direction, target=None, warn=None):
    return Kpi(name="k", location=Location("k.yaml", 1), direction=direction, target=target,
               thresholds=Thresholds(warn=warn))


@pytest.mark.parametrize(
    ("k", "value", "before", "expected"),
    [
        (kpi("higher"), 102, 100, "improving"),
        (kpi("higher"), 98, 100, "worsening"),
        (kpi("higher"), 100.5, 100, "flat"),  # 0.5% is within the default 1%
        (kpi("lower"), 0.04, 0.05, "improving"),
        (kpi("lower"), 0.06, 0.05, "worsening"),
        (kpi("higher"), 1, 0, "improving"),  # no ratio over 0, the sign decides
        (kpi("higher"), 0, 0, "flat"),
        (kpi("higher"), None, 100, None),
        (kpi("higher"), 100, None, None),
        (kpi("range", Band(4, 10)), 3.5, 2, "improving"),  # 0.5 from the band instead of 2
        (kpi("range", Band(4, 10)), 12, 9, "worsening"),  # left the band
        (kpi("range", Band(4, 10)), 9, 5, "flat"),  # inside both times
        (kpi("range", None, Band(None, 10)), 11, 14, "improving"),  # the warn band without a target
    ],
)
def test_verdict(k, value, before, expected):
    assert verdict(k, value, before) == expected


def test_flat_within_is_the_callers_tolerance():
    assert verdict(kpi("higher"), 104, 100, flat_within=0.05) == "flat"
    assert verdict(kpi("higher"), 106, 100, flat_within=0.05) == "improving"
    assert change_ratio(-5, -10) == 0.5  # over |compare_value|: -10 to -5 is up 50%


@pytest.mark.parametrize("engine", [m for m in engines() if m.NAME in ("duckdb", "sqlite")], ids=lambda m: m.NAME)
def test_a_list_kpi_alone_compares_too(engine, tmp_path):
    # Alone, the list KPI's statement has no union: its ORDER BY must still be unambiguous.
    orders = orders_table()
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "shop.yaml").write_text(DEFINITIONS)
    (tmp_path / "db").mkdir()
    with engine.provision({"orders": orders}, tmp_path / "db") as url:
        with kpi_engine.Engine(kpi_engine.load(tmp_path / "defs"), url) as eng:
            top = rows(eng.run(kpis=["top_channel"], grain="month", compare="previous_period").to_pylist(),
                       "top_channel", "period_start", "item", "rank")
    check(top[("2024-03-01", "web", 1)], 150, 120, 30, 0.25, "improving")


@pytest.mark.parametrize("wide", [False, True], ids=["per_kpi", "wide"])
@pytest.mark.parametrize("table", ["r", "w", "u", "i", "m", "cmp", "s_orders", "k_revenue", "c_s_orders", "_kpi_w"])
def test_a_table_named_like_a_name_inside_the_statement_is_still_the_table(table, wide, tmp_path):
    # The comparison range's scans come after the current range's CTEs in the statement:
    # a CTE named like the source's table would be read instead of it. The last four are
    # the statement's own CTE names (per-KPI: s_orders, k_revenue, c_s_orders; wide: _kpi_w).
    from engines import duckdb as reference
    from engines.duckdb_per_kpi import per_kpi_assembly

    orders = orders_table()
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "shop.yaml").write_text(DEFINITIONS.replace("{table: orders,", f"{{table: {table},"))
    (tmp_path / "db").mkdir()
    with reference.provision({table: orders}, tmp_path / "db") as url, kpi_engine.Engine(
        kpi_engine.load(tmp_path / "defs"), url
    ) as engine, (contextlib.nullcontext() if wide else per_kpi_assembly()):
        result = engine.run(kpis=["revenue", "average_order"], grain="month", compare="previous_period").to_pylist()
    check(rows(result, "revenue", "period_start")[("2024-02-01",)], 160, 150, 10, 10 / 150, "improving")
    check(rows(result, "average_order", "period_start")[("2024-02-01",)], 80, 75, 5, 5 / 75, "improving")


TWO_SOURCES = """\
sources:
  sessions: {table: visits, time: started_at}
  orders: {table: s_sessions, time: ordered_at}
kpis:
  visits:
    value: {source: sessions, expr: count(*)}
  conversion_rate:
    numerator: {source: orders, expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
"""


@pytest.mark.parametrize("wide", [False, True], ids=["per_kpi", "wide"])
@pytest.mark.parametrize("compare", [None, "previous_period"])
def test_a_source_table_named_like_another_sources_scan_is_read_as_the_table(wide, compare, tmp_path):
    # The sessions scan comes first, as the CTE s_sessions; the orders source's table is
    # named s_sessions, and a CTE hides a table of its name from the CTEs after it. The
    # statement itself must run (Engine.run would retry each KPI alone after a failure).
    import duckdb

    from engines.duckdb_per_kpi import per_kpi_assembly

    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "k.yaml").write_text(TWO_SOURCES)
    db = tmp_path / "shop.duckdb"
    con = duckdb.connect(str(db))
    # January: 10 visits and 2 orders; February: 20 visits and 5 orders.
    con.execute("CREATE TABLE visits AS SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS started_at FROM range(10) t(i) "
                "UNION ALL SELECT TIMESTAMP '2024-02-01' + INTERVAL (i) HOUR FROM range(20) t(i)")
    con.execute("CREATE TABLE s_sessions AS SELECT TIMESTAMP '2024-01-03' + INTERVAL (i) HOUR AS ordered_at FROM range(2) t(i) "
                "UNION ALL SELECT TIMESTAMP '2024-02-03' + INTERVAL (i) HOUR FROM range(5) t(i)")
    con.close()
    with kpi_engine.Engine(kpi_engine.load(tmp_path / "defs"), f"duckdb:///{db}") as engine, (
        contextlib.nullcontext() if wide else per_kpi_assembly()
    ):
        sql = engine.compile("duckdb", kpis=["visits", "conversion_rate"], grain="month", compare=compare)
    con = duckdb.connect(str(db), read_only=True)
    result = con.sql(sql).to_arrow_table().to_pylist()
    con.close()
    values = {(r["kpi"], str(r["period_start"])): r for r in result}
    assert values[("visits", "2024-02-01")]["value"] == 20
    assert values[("conversion_rate", "2024-01-01")]["value"] == pytest.approx(2 / 10)
    assert values[("conversion_rate", "2024-02-01")]["value"] == pytest.approx(5 / 20)
    if compare:
        assert values[("conversion_rate", "2024-02-01")]["compare_value"] == pytest.approx(2 / 10)
