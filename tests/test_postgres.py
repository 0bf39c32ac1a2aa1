"""PostgreSQL dialect correctness, proven on a live server through the engine.

Every KPI below runs through :class:`kpi_engine.Engine` on PostgreSQL (via the
kpi-postgres adapter, tables loaded by ``engines.postgres.provision``) and on DuckDB (the
reference, ``engines.duckdb``) over the same Arrow tables. Each test asserts that both
engines return the same rows in the same order, and that those rows match an independent
computation in plain Python over ``ORDERS``/``SESSIONS`` (never the engine's output).

Without a server the live tests skip (or fail under ``KPI_ENGINE_REQUIRE_SERVERS=1``);
the unit tests of :class:`kpi_engine.dialects.postgres.PostgresRules` at the end always run.

The rows carry the edge cases: Sunday 2024-01-14 23:59:59 and Monday 2024-01-15 00:00
(weeks start on Monday), Sunday 2023-12-31 23:59:59 (year, quarter, month and week
boundary), 2024-04-01 00:00 (quarter boundary, a half-open ``--to``), a NULL channel on
both sources (must line up), a ``phone`` order with no session (zero denominator), a
``web`` February with a session but no order (count 0, not no_data), NULLs in
``customer_id``, ``sku``, ``revenue`` and ``is_member``, and an even number of revenues
whose two middle values differ (an approximate or discrete median would show).
"""

from __future__ import annotations

import contextlib
import statistics
from collections import defaultdict
from datetime import date, datetime

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from engines import duckdb as duckdb_engine
from engines import postgres as postgres_engine
from fixtures import bucket, write_definitions
from kpi_engine.dialects import rules_for
from kpi_engine.dialects.postgres import PostgresRules

# (order_id, ordered_at, channel, customer_id, sku, items, revenue, is_member, status)
ORDERS = [
    (1, datetime(2024, 1, 3, 10, 0), "web", 10, "a", 2, 100.0, True, "paid"),
    (2, datetime(2024, 1, 14, 23, 59, 59), "web", 10, "a", 1, 50.0, False, "paid"),
    (3, datetime(2024, 1, 15, 0, 0, 0), "web", 11, None, 1, 30.0, None, "cancelled"),
    (4, datetime(2024, 1, 20, 12, 0), "web", 10, "b", 3, 20.0, True, "paid"),
    (5, datetime(2024, 2, 5, 9, 0), None, None, "b", 3, 80.0, True, "paid"),
    (6, datetime(2024, 2, 29, 18, 0), None, 12, "b", 4, None, True, "paid"),
    (7, datetime(2024, 2, 11, 12, 0), "phone", 14, "a", 1, None, False, "paid"),
    (8, datetime(2023, 12, 31, 23, 59, 59), "app", 12, "c", 5, 10.0, False, "paid"),
    (9, datetime(2024, 3, 31, 23, 0), "app", 13, "c", 2, 45.5, True, "refunded"),
    (10, datetime(2024, 4, 1, 0, 0, 0), "app", 13, "d", 1, 60.0, False, "paid"),
]
ORDER_COLUMNS = ("order_id", "ordered_at", "channel", "customer_id", "sku", "items", "revenue", "is_member", "status")

# (session_id, started_at, channel)
SESSIONS = [
    (1, datetime(2024, 1, 2, 8, 0), "web"),
    (2, datetime(2024, 1, 16, 9, 0), "web"),
    (3, datetime(2024, 2, 1, 10, 0), None),
    (4, datetime(2024, 2, 2, 10, 0), None),
    (5, datetime(2024, 2, 10, 10, 0), "web"),
    (6, datetime(2023, 12, 31, 12, 0), "app"),
    (7, datetime(2024, 3, 30, 12, 0), "app"),
]
SESSION_COLUMNS = ("session_id", "started_at", "channel")

DEFINITIONS = """
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel, is_member]
  orders_by_date:
    table: orders
    time: order_date
    dimensions: [channel]
  sessions:
    table: sessions
    time: started_at
    dimensions: [channel]

kpis:
  orders_count: {value: {source: orders, expr: count(*)}}
  date_orders: {value: {source: orders_by_date, expr: count(*)}}
  conversion:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
  items_per_order:
    numerator:   {source: orders, expr: sum(items)}
    denominator: {source: orders, expr: count(*)}
  items_per_order_expr: {value: {source: orders, expr: sum(items) / count(*)}}
  avg_items: {value: {source: orders, expr: avg(items)}}
  distinct_customers: {value: {source: orders, expr: count(distinct customer_id)}}
  distinct_pairs: {value: {source: orders, expr: "count(distinct customer_id, sku)"}}
  paid_distinct_pairs: {value: {source: orders, expr: "count(distinct customer_id, sku)", where: "status = 'paid'"}}
  member_orders: {value: {source: orders, expr: count(*), where: is_member}}
  member_orders_eq: {value: {source: orders, expr: count(*), where: is_member = true}}
  non_member_revenue: {value: {source: orders, expr: sum(revenue), where: not is_member}}
  member_share:
    numerator:   {source: orders, expr: count(*), where: is_member}
    denominator: {source: orders, expr: count(*)}
  median_revenue: {value: {source: orders, expr: median(revenue)}}
  member_median_items: {value: {source: orders, expr: median(items), where: is_member}}
  three_part: {formula: (orders_count + member_orders) / distinct_customers}
"""


def arrow_tables() -> dict[str, pa.Table]:
    orders = {name: [row[i] for row in ORDERS] for i, name in enumerate(ORDER_COLUMNS)}
    sessions = {name: [row[i] for row in SESSIONS] for i, name in enumerate(SESSION_COLUMNS)}
    return {
        "orders": pa.table(
            {
                **orders,
                "ordered_at": pa.array(orders["ordered_at"], pa.timestamp("us")),
                "order_date": pa.array([t.date() for t in orders["ordered_at"]], pa.date32()),
            }
        ),
        "sessions": pa.table({**sessions, "started_at": pa.array(sessions["started_at"], pa.timestamp("us"))}),
    }


# -- the independent oracle -----------------------------------------------------------------


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _sum(values):
    values = [v for v in values if v is not None]
    return sum(values) if values else None


# kpi -> (source, numerator(rows), denominator(rows) or None, denominator source)
MEASURES = {
    "orders_count": ("orders", len, None),
    "date_orders": ("orders_by_date", len, None),
    "conversion": ("orders", len, ("sessions", len)),
    "items_per_order": ("orders", lambda r: sum(x["items"] for x in r), ("orders", len)),
    "items_per_order_expr": ("orders", lambda r: sum(x["items"] for x in r) / len(r), None),
    "avg_items": ("orders", lambda r: sum(x["items"] for x in r) / len(r), None),
    "distinct_customers": ("orders", lambda r: len({x["customer_id"] for x in r} - {None}), None),
    "distinct_pairs": (
        "orders",
        lambda r: len({(x["customer_id"], x["sku"]) for x in r if x["customer_id"] is not None and x["sku"] is not None}),
        None,
    ),
    "paid_distinct_pairs": (
        "orders",
        lambda r: len(
            {
                (x["customer_id"], x["sku"])
                for x in r
                if x["status"] == "paid" and x["customer_id"] is not None and x["sku"] is not None
            }
        ),
        None,
    ),
    # SQL: NULL is neither true nor false, so order 3 (is_member NULL) is in neither.
    "member_orders": ("orders", lambda r: sum(x["is_member"] is True for x in r), None),
    "member_orders_eq": ("orders", lambda r: sum(x["is_member"] is True for x in r), None),
    "non_member_revenue": ("orders", lambda r: _sum(x["revenue"] for x in r if x["is_member"] is False), None),
    "member_share": ("orders", lambda r: sum(x["is_member"] is True for x in r), ("orders", len)),
    "median_revenue": ("orders", lambda r: _median(x["revenue"] for x in r), None),
    "member_median_items": ("orders", lambda r: _median(x["items"] for x in r if x["is_member"] is True), None),
}
TIME = {"orders": "ordered_at", "orders_by_date": "order_date", "sessions": "started_at"}


def _rows(source: str) -> list[dict]:
    if source == "sessions":
        return [dict(zip(SESSION_COLUMNS, r)) for r in SESSIONS]
    rows = [dict(zip(ORDER_COLUMNS, r)) for r in ORDERS]
    if source == "orders_by_date":
        for row in rows:
            # A DATE column: the day at midnight is what the period bounds compare with.
            row["order_date"] = datetime.combine(row["ordered_at"].date(), datetime.min.time())
    return rows


def _grouped(source, grain, by, start, end) -> dict[tuple, list[dict]]:
    start = datetime.combine(start, datetime.min.time()) if type(start) is date else start
    end = datetime.combine(end, datetime.min.time()) if type(end) is date else end
    out: dict[tuple, list[dict]] = defaultdict(list)
    for row in _rows(source):
        at = row[TIME[source]]
        if (start is None or at >= start) and (end is None or at < end):
            key = ((bucket(at, grain),) if grain else ()) + tuple(row[b] for b in by)
            out[key].append(row)
    return out


def _measure(kpi, grain, by, start, end) -> dict[tuple, tuple]:
    source, numerator, denominator = MEASURES[kpi]
    top = _grouped(source, grain, by, start, end)
    if denominator is None:
        return {key: (numerator(rows), None, numerator(rows)) for key, rows in top.items()}
    bottom = _grouped(denominator[0], grain, by, start, end)
    out = {}
    for key in top.keys() | bottom.keys():
        n = numerator(top.get(key, []))  # a side without rows counts 0 (SQL aggregates over zero rows)
        d = denominator[1](bottom.get(key, []))
        out[key] = (n, d, None if n is None or not d else n / d)
    return out


def expected(kpi, grain=None, by=(), start=None, end=None) -> dict[tuple, tuple]:
    """{(period_start?, *dims): (numerator, denominator, value)}, in plain Python."""
    if kpi == "three_part":
        parts = [expected(k, grain, by, start, end) for k in ("orders_count", "member_orders", "distinct_customers")]
        out = {}
        for key in parts[0].keys() | parts[1].keys() | parts[2].keys():
            a, b, c = (p.get(key, (None, None, None))[2] for p in parts)
            n = None if a is None or b is None else a + b
            out[key] = (n, c, None if n is None or not c else n / c)
        return out
    return _measure(kpi, grain, by, start, end)


# -- running on both engines ----------------------------------------------------------------


@pytest.fixture(scope="module")
def engines(tmp_path_factory):
    """{"duckdb": Engine, "postgres": Engine} over the same tables; schema dropped after."""
    folder = tmp_path_factory.mktemp("pg_dialect")
    catalog = kpi_engine.load(write_definitions(folder / "defs", DEFINITIONS))
    tables = arrow_tables()
    with contextlib.ExitStack() as stack:
        out = {}
        for module in (duckdb_engine, postgres_engine):
            url = stack.enter_context(module.provision(tables, folder))
            out[module.NAME] = stack.enter_context(kpi_engine.Engine(catalog, url, timeout=30))
        yield out


def _key(row: dict, grain, by) -> tuple:
    return ((row["period_start"],) if grain else ()) + tuple(row[b] for b in by)


def run_both(engines, kpis, grain=None, by=(), start=None, end=None) -> list[dict]:
    """PostgreSQL's rows, after checking they equal DuckDB's, row for row, in order."""
    selection = dict(kpis=kpis, grain=grain, by=list(by), start=start, end=end)
    results = {name: engine.run(**selection) for name, engine in engines.items()}
    pg, duck = results["postgres"], results["duckdb"]
    assert pg.column_names == duck.column_names
    if grain:
        assert pg.schema.field("period_start").type == pa.date32()
    pg_rows, duck_rows = pg.to_pylist(), duck.to_pylist()
    assert [(r["kpi"], _key(r, grain, by)) for r in pg_rows] == [(r["kpi"], _key(r, grain, by)) for r in duck_rows]
    for p, d in zip(pg_rows, duck_rows):
        for column in ("numerator", "denominator", "value", "attainment"):
            assert p[column] == pytest.approx(d[column]), (p, d)
        assert p["status"] == d["status"], (p, d)
    return pg_rows


def assert_oracle(rows: list[dict], kpis, grain=None, by=(), start=None, end=None) -> None:
    for kpi in kpis:
        got = {_key(r, grain, by): (r["numerator"], r["denominator"], r["value"]) for r in rows if r["kpi"] == kpi}
        want = expected(kpi, grain, by, start, end)
        assert got.keys() == want.keys(), kpi
        for key, values in want.items():
            assert got[key] == pytest.approx(values), (kpi, key)


def check(engines, kpis, **selection) -> list[dict]:
    rows = run_both(engines, kpis, **selection)
    assert_oracle(rows, kpis, **selection)
    return rows


# -- date buckets ---------------------------------------------------------------------------


@pytest.mark.parametrize("grain", ["day", "week", "month", "quarter", "year"])
def test_time_buckets_match_at_every_grain_for_timestamp_and_date_columns(engines, grain):
    rows = check(engines, ["orders_count", "date_orders"], grain=grain)
    starts = {r["period_start"] for r in rows if r["kpi"] == "orders_count"}
    assert starts == {r["period_start"] for r in rows if r["kpi"] == "date_orders"}
    if grain == "week":
        # Sunday 23:59:59 and the Monday right after fall in different weeks, both Mondays.
        assert {date(2024, 1, 8), date(2024, 1, 15), date(2023, 12, 25)} <= starts
        assert all(d.weekday() == 0 for d in starts)
    if grain == "quarter":
        assert starts == {date(2023, 10, 1), date(2024, 1, 1), date(2024, 4, 1)}


# -- division ---------------------------------------------------------------------------------


def test_integer_division_is_real_division(engines):
    rows = check(engines, ["items_per_order", "items_per_order_expr", "avg_items"], grain="month", by=["channel"])
    january_web = {r["kpi"]: r["value"] for r in rows if r["period_start"] == date(2024, 1, 1) and r["channel"] == "web"}
    # 7 items over 4 orders: integer division would give 1.
    assert january_web == {"items_per_order": 1.75, "items_per_order_expr": 1.75, "avg_items": 1.75}


# -- distinct counts and conditional aggregates -------------------------------------------


def test_count_distinct_one_and_two_columns(engines):
    check(engines, ["distinct_customers", "distinct_pairs", "paid_distinct_pairs"], grain="month", by=["channel"])
    rows = check(engines, ["distinct_customers", "distinct_pairs", "paid_distinct_pairs"])
    # Pairs with a NULL in either column are not counted (order 3 has no sku, order 5 no customer).
    assert {r["kpi"]: r["value"] for r in rows} == {
        "distinct_customers": 5.0,
        "distinct_pairs": 7.0,
        "paid_distinct_pairs": 6.0,
    }
    sql = engines["postgres"].compile(kpis=["distinct_pairs"], pretty=False)
    assert "ELSE (customer_id, sku) END" in sql  # sqlglot's row rewrite, not COUNT(DISTINCT a, b)


def test_conditional_aggregates_share_one_scan(engines):
    kpis = ["member_orders", "non_member_revenue", "member_share", "paid_distinct_pairs", "orders_count"]
    check(engines, kpis, grain="month", by=["channel"])
    sql = engines["postgres"].compile(kpis=kpis, grain="month", pretty=False)
    assert sql.count("FROM orders") == 1 and "FILTER" not in sql


# -- NULLs ------------------------------------------------------------------------------------


def test_null_dimension_values_line_up_across_sources_and_sort_last(engines):
    rows = check(engines, ["conversion"], grain="month", by=["channel"])
    by_key = {(r["period_start"], r["channel"]): r for r in rows}
    february_null = by_key[(date(2024, 2, 1), None)]
    assert (february_null["numerator"], february_null["denominator"], february_null["value"]) == (2.0, 2.0, 1.0)
    assert by_key[(date(2024, 2, 1), "web")]["value"] == 0.0  # a session, no order: 0, not no_data
    assert by_key[(date(2024, 2, 1), "phone")]["status"] == "no_data"  # an order, no session
    february = [r["channel"] for r in rows if r["period_start"] == date(2024, 2, 1)]
    assert february == ["phone", "web", None]


def test_nulls_last_ordering_of_every_key(engines):
    rows = check(engines, ["orders_count", "member_orders"], grain="quarter", by=["channel", "is_member"])
    keys = [(r["kpi"], r["period_start"], r["channel"], r["is_member"]) for r in rows]

    def nulls_last(value):
        return (value is None, value if value is not None else 0)

    kpi_order = {"orders_count": 0, "member_orders": 1}
    assert keys == sorted(keys, key=lambda k: (kpi_order[k[0]], k[1], nulls_last(k[2]), nulls_last(k[3])))
    assert (date(2024, 1, 1), None, True) in {k[1:] for k in keys}
    assert (date(2024, 1, 1), "web", None) in {k[1:] for k in keys}


# -- median -----------------------------------------------------------------------------------


def test_median_is_exact(engines):
    rows = check(engines, ["median_revenue", "member_median_items"])
    values = {r["kpi"]: r["value"] for r in rows}
    # Eight revenues: the mean of 45.5 and 50, not either of them (discrete) nor an estimate.
    assert values == {"median_revenue": 47.75, "member_median_items": 3.0}
    check(engines, ["median_revenue", "member_median_items"], grain="month", by=["channel"])
    sql = engines["postgres"].compile(kpis=["median_revenue", "member_median_items"], pretty=False)
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY revenue)" in sql
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CASE WHEN is_member THEN items END)" in sql


# -- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 1, 15), date(2024, 4, 1)),  # dates: half-open, the 2024-04-01 00:00 order is out
        (datetime(2024, 1, 14, 23, 59, 59), datetime(2024, 2, 29, 18, 0)),  # timestamps, to the second
        (date(2024, 1, 15), datetime(2024, 2, 29, 18, 0)),  # mixed
    ],
)
def test_period_bounds_on_timestamp_and_date_columns(engines, start, end):
    check(engines, ["orders_count", "date_orders"], grain="week", start=start, end=end)
    rows = check(engines, ["orders_count", "date_orders"], start=start, end=end)
    totals = {r["kpi"]: r["value"] for r in rows}
    assert totals["orders_count"] == sum(_as_dt(start) <= o[1] < _as_dt(end) for o in ORDERS)
    if type(start) is date and isinstance(end, datetime) and end.hour:
        # A DATE column compares as midnight: the whole of 2024-02-29 is before 18:00 that day.
        assert totals["date_orders"] == totals["orders_count"] + 1


def _as_dt(value):
    return datetime.combine(value, datetime.min.time()) if type(value) is date else value


# -- booleans ---------------------------------------------------------------------------------


def test_boolean_columns_in_where_and_as_dimension(engines):
    kpis = ["member_orders", "member_orders_eq", "non_member_revenue", "member_share", "member_median_items"]
    check(engines, kpis, grain="month", by=["channel"])
    rows = check(engines, ["orders_count"], by=["is_member"])
    assert [(r["is_member"], r["value"]) for r in rows] == [(False, 4.0), (True, 5.0), (None, 1.0)]


# -- formulas over three KPIs (the one PostgreSQL rule) ------------------------------------------


def test_formula_over_three_kpis_runs(engines):
    check(engines, ["three_part"], grain="month", by=["channel"])
    (row,) = check(engines, ["three_part"])
    assert row["value"] == pytest.approx((10 + 5) / 5)


# -- PostgresRules, without a server ---------------------------------------------------------------


def _stack(*branches: str) -> exp.Expression:
    return sqlglot.parse_one(" UNION ALL ".join(branches), read="postgres")


def test_postgres_rules_are_registered():
    assert isinstance(rules_for("postgres"), PostgresRules)


def test_finalize_types_nulls_only_in_unions_of_three_or_more_and_never_mutates():
    with_ctes = (
        "WITH k_a AS (SELECT CAST(x AS DOUBLE PRECISION) AS value FROM t), "
        "k_b AS (SELECT CAST(x AS DOUBLE PRECISION) / NULLIF(CAST(y AS DOUBLE PRECISION), 0) AS value FROM t), "
        "k_c AS (SELECT CAST(x AS BIGINT) AS value FROM t) "
    )
    tree = sqlglot.parse_one(
        with_ctes + "SELECT MAX(_c2) FROM (SELECT NULL AS _c0, NULL AS _c1, k_c.value AS _c2 FROM k_c "
        "UNION ALL SELECT k_a.value AS _c0, NULL AS _c1, NULL AS _c2 FROM k_a "
        "UNION ALL SELECT NULL AS _c0, k_b.value AS _c1, NULL AS _c2 FROM k_b) AS u",
        read="postgres",
    )
    before = tree.sql("postgres")
    out = PostgresRules().finalize(tree)
    assert tree.sql("postgres") == before
    sql = out.sql("postgres")
    assert sql.count("CAST(NULL AS DOUBLE PRECISION) AS _c0") == 2
    assert sql.count("CAST(NULL AS DOUBLE PRECISION) AS _c1") == 2
    assert sql.count("CAST(NULL AS BIGINT) AS _c2") == 2

    two = _stack("SELECT 1 AS a, NULL AS b", "SELECT NULL AS a, 2 AS b")
    assert PostgresRules().finalize(two).sql("postgres") == two.sql("postgres")
    # Untyped everywhere: nothing is guessed.
    untyped = _stack("SELECT NULL AS a FROM t", "SELECT NULL AS a FROM t", "SELECT x AS a FROM t")
    assert PostgresRules().finalize(untyped).sql("postgres") == untyped.sql("postgres")
