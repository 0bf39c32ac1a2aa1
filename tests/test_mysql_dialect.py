"""The mysql dialect rules (kpi_engine/dialects/mysql.py), executed on MySQL/MariaDB.

Every KPI below runs through the engine on the server (``engines.mysql``: a fresh
database, dropped afterwards) and on DuckDB (``engines.duckdb``) over the same Arrow
rows; both are compared with each other and with plain Python over those rows, to
1e-9 relative. The rows extend ``fixtures.ORDERS``/``SESSIONS`` (week, month, quarter
and year boundaries, a NULL channel on both sides, a phone order without sessions, a
NULL revenue, a quote and a backslash in a status) with what MySQL gets wrong most
easily: a nullable 0/1 boolean, integers and DECIMALs to average, a nullable customer
for COUNT(DISTINCT), a DATE time column, and two rows 0.2 s and 0.7 s after a second
for sub-second period bounds.

Without a server (or without kpi-mysql installed) these tests skip, and fail under
``KPI_ENGINE_REQUIRE_SERVERS=1``.
"""

from __future__ import annotations

import math
import re
import statistics
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from engines import duckdb as duckdb_engine
from engines import mysql as mysql_engine
from fixtures import ODD_STATUS, ORDER_COLUMNS, ORDERS, SESSION_COLUMNS, SESSIONS, bucket
from kpi_engine.dialects import rules_for
from kpi_engine.dialects.mysql import MySQLRules

REL = 1e-9

# -- the rows ------------------------------------------------------------------------------

EXTRA_ORDERS = [
    (12, datetime(2024, 3, 20, 12, 0, 0, 700000), "app", "paid", 7.5, 2),
    (13, datetime(2024, 3, 20, 12, 0, 0, 200000), "app", "paid", 8.5, 3),
]


def order_rows() -> list[dict]:
    rows = []
    for raw in [*ORDERS, *EXTRA_ORDERS]:
        row = dict(zip(ORDER_COLUMNS, raw))
        i = row["order_id"]
        row["paid"] = None if i == 4 else row["status"] == "paid"  # one NULL boolean
        row["customer"] = None if i % 5 == 0 else f"c{i % 3}"
        row["ship_date"] = row["ordered_at"].date() + timedelta(days=i % 3)
        row["price"] = None if row["revenue"] is None else Decimal(f"{row['revenue']:.2f}") + Decimal("0.33")
        rows.append(row)
    return rows


ORDER_ROWS = order_rows()
SESSION_ROWS = [dict(zip(SESSION_COLUMNS, raw)) for raw in SESSIONS]

ORDER_SCHEMA = pa.schema(
    [
        ("order_id", pa.int64()),
        ("ordered_at", pa.timestamp("us")),
        ("channel", pa.string()),
        ("status", pa.string()),
        ("revenue", pa.float64()),
        ("items", pa.int64()),
        ("paid", pa.bool_()),
        ("customer", pa.string()),
        ("ship_date", pa.date32()),
        ("price", pa.decimal128(10, 2)),
    ]
)
SESSION_SCHEMA = pa.schema(
    [("session_id", pa.int64()), ("started_at", pa.timestamp("us")), ("channel", pa.string()), ("device", pa.string())]
)

DEFINITIONS = r"""
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions:
      channel: channel
      order_status: lower(status)
      order_week: "date_trunc('week', ordered_at)"
      weekday: isodow(ordered_at)
  sessions:
    table: sessions
    time: started_at
    dimensions: [channel, device]
  shipments:
    table: orders
    time: ship_date
    dimensions: [channel]
  net_orders:
    sql: select * from orders where status <> 'refunded'
    time: ordered_at
    dimensions: [channel]

kpis:
  conversion_rate:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
  paid_conversion:
    numerator:   {source: orders,   expr: count(*), where: paid}
    denominator: {source: sessions, expr: count(*)}
  revenue:
    value: {source: orders, expr: sum(revenue)}
  orders_count:
    value: {source: orders, expr: count(*)}
  avg_order_value:
    formula: revenue / orders_count
  avg_items:
    value: {source: orders, expr: avg(items)}
  avg_price:
    value: {source: orders, expr: avg(price)}
  items_per_order:
    value: {source: orders, expr: sum(items) / count(*)}
  items_ratio:
    numerator:   {source: orders, expr: sum(items)}
    denominator: {source: orders, expr: count(*)}
  median_revenue:
    value: {source: orders, expr: median(revenue)}
  median_paid_items:
    value: {source: orders, expr: median(items), where: paid}
  median_to_mean:
    value: {source: orders, expr: median(revenue) / avg(revenue)}
  customers:
    value: {source: orders, expr: count(distinct customer)}
  customer_channels:
    value: {source: orders, expr: "count(distinct customer, channel)"}
  paid_customers:
    value: {source: orders, expr: count(distinct customer), where: paid}
  approx_customers:
    value: {source: orders, expr: approx_count_distinct(customer)}
  paid_orders:
    value: {source: orders, expr: count(*), where: paid}
  unpaid_orders:
    value: {source: orders, expr: count(*), where: not paid}
  paid_true:
    value: {source: orders, expr: count(*), where: paid = true}
  paid_count_if:
    value: {source: orders, expr: count_if(paid)}
  paid_countif:
    value: {source: orders, expr: countif(paid)}
  paid_share:
    value: {source: orders, expr: share(paid)}
  odd_orders:
    value: {source: orders, expr: count(*), where: "status = 'it''s \\ odd'"}
  shipped:
    value: {source: shipments, expr: count(*)}
  net_median_revenue:
    value: {source: net_orders, expr: median(revenue)}
"""

# -- the independent oracle: plain Python over ORDER_ROWS / SESSION_ROWS -------------------


def _moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


SOURCES = {
    "orders": (ORDER_ROWS, "ordered_at"),
    "sessions": (SESSION_ROWS, "started_at"),
    "shipments": (ORDER_ROWS, "ship_date"),
    "net_orders": ([r for r in ORDER_ROWS if r["status"] != "refunded"], "ordered_at"),
}


def _dimension(row: dict, name: str, time: str):
    if name == "order_status":
        return row["status"].lower()
    if name == "order_week":
        return _moment(bucket(_moment(row[time]), "week"))
    if name == "weekday":
        return row[time].isoweekday()
    return row[name]


def groups(source: str, grain, by, start, end) -> dict[tuple, list[dict]]:
    rows, time = SOURCES[source]
    out: dict[tuple, list[dict]] = {}
    for row in rows:
        at = _moment(row[time])
        if (start is not None and at < _moment(start)) or (end is not None and at >= _moment(end)):
            continue
        key = ((bucket(at, grain),) if grain else ()) + tuple(_dimension(row, b, time) for b in by)
        out.setdefault(key, []).append(row)
    return out


def count(rows, where=None):
    return len([r for r in rows if where is None or where(r)])


def total(column, where=None):
    def aggregate(rows):
        values = [r[column] for r in rows if r[column] is not None and (where is None or where(r))]
        return sum(values) if values else None

    return aggregate


def mean(column):
    def aggregate(rows):
        values = [float(r[column]) for r in rows if r[column] is not None]
        return statistics.fmean(values) if values else None

    return aggregate


def median(column, where=None):
    def aggregate(rows):
        values = [r[column] for r in rows if r[column] is not None and (where is None or where(r))]
        return statistics.median(values) if values else None

    return aggregate


def distinct(*columns, where=None):
    def aggregate(rows):
        return len(
            {
                tuple(r[c] for c in columns)
                for r in rows
                if all(r[c] is not None for c in columns) and (where is None or where(r))
            }
        )

    return aggregate


def paid(row):
    return row["paid"] is True


def divide(numerator, denominator):
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


# (numerator source, numerator aggregate, denominator source or None, denominator aggregate)
MEASURES = {
    "conversion_rate": ("orders", count, "sessions", count),
    "paid_conversion": ("orders", lambda rows: count(rows, paid), "sessions", count),
    "revenue": ("orders", total("revenue"), None, None),
    "orders_count": ("orders", count, None, None),
    "avg_items": ("orders", mean("items"), None, None),
    "avg_price": ("orders", mean("price"), None, None),
    "items_per_order": ("orders", lambda rows: divide(total("items")(rows), count(rows)), None, None),
    "items_ratio": ("orders", total("items"), "orders", count),
    "median_revenue": ("orders", median("revenue"), None, None),
    "median_paid_items": ("orders", median("items", paid), None, None),
    "median_to_mean": ("orders", lambda rows: divide(median("revenue")(rows), mean("revenue")(rows)), None, None),
    "customers": ("orders", distinct("customer"), None, None),
    "customer_channels": ("orders", distinct("customer", "channel"), None, None),
    "paid_customers": ("orders", distinct("customer", where=paid), None, None),
    "approx_customers": ("orders", distinct("customer"), None, None),
    "paid_orders": ("orders", lambda rows: count(rows, paid), None, None),
    "unpaid_orders": ("orders", lambda rows: count(rows, lambda r: r["paid"] is False), None, None),
    "paid_true": ("orders", lambda rows: count(rows, paid), None, None),
    "paid_count_if": ("orders", lambda rows: count(rows, paid), None, None),
    "paid_countif": ("orders", lambda rows: count(rows, paid), None, None),
    "paid_share": ("orders", lambda rows: count(rows, paid) / len(rows), None, None),
    "odd_orders": ("orders", lambda rows: count(rows, lambda r: r["status"] == ODD_STATUS), None, None),
    "shipped": ("shipments", count, None, None),
    "net_median_revenue": ("net_orders", median("revenue"), None, None),
}


def expected(kpi: str, grain, by, start, end) -> dict[tuple, float | None]:
    """``{key: value}`` for ``kpi``, key = (period_start?, *by)."""
    if kpi == "avg_order_value":
        revenue = expected("revenue", grain, by, start, end)
        orders = expected("orders_count", grain, by, start, end)
        return {k: divide(revenue.get(k), orders.get(k)) for k in revenue.keys() | orders.keys()}
    num_source, num, den_source, den = MEASURES[kpi]
    top = groups(num_source, grain, by, start, end)
    if den_source is None:
        return {k: None if num(rows) is None else float(num(rows)) for k, rows in top.items()}
    bottom = groups(den_source, grain, by, start, end)
    # A side with no rows for a key aggregates zero rows: counts 0, sums and medians None.
    return {key: divide(num(top.get(key, [])), den(bottom.get(key, []))) for key in top.keys() | bottom.keys()}


# -- the engines ---------------------------------------------------------------------------


def arrow_tables() -> dict[str, pa.Table]:
    return {
        "orders": pa.Table.from_pylist(ORDER_ROWS, schema=ORDER_SCHEMA),
        "sessions": pa.Table.from_pylist(SESSION_ROWS, schema=SESSION_SCHEMA),
    }


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    path = tmp_path_factory.mktemp("mysql_defs") / "kpis.yaml"
    path.write_text(DEFINITIONS.lstrip())
    return kpi_engine.load(path)


@pytest.fixture(scope="module")
def engines(catalog, tmp_path_factory):
    """{"mysql": Engine, "duckdb": Engine} over the same rows."""
    tables = arrow_tables()
    with mysql_engine.provision(tables, tmp_path_factory.mktemp("mysql")) as mysql_url:
        with duckdb_engine.provision(tables, tmp_path_factory.mktemp("duckdb")) as duckdb_url:
            with kpi_engine.Engine(catalog, mysql_url) as on_mysql, kpi_engine.Engine(catalog, duckdb_url) as on_duckdb:
                yield {"mysql": on_mysql, "duckdb": on_duckdb}


def keyed(table: pa.Table, by) -> dict[tuple[str, tuple], dict]:
    out = {}
    for row in table.to_pylist():
        key = ((row["period_start"],) if "period_start" in row else ()) + tuple(row[b] for b in by)
        assert (row["kpi"], key) not in out, f"duplicate row {row['kpi']} {key}"
        out[(row["kpi"], key)] = row
    return out


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def check(engines, catalog, *, kpis=(), grain=None, by=(), start=None, end=None) -> None:
    selection = dict(kpis=list(kpis), grain=grain, by=list(by), start=start, end=end)
    mysql_rows = keyed(engines["mysql"].run(**selection), by)
    duckdb_rows = keyed(engines["duckdb"].run(**selection), by)
    assert mysql_rows.keys() == duckdb_rows.keys()
    for (kpi, key), row in mysql_rows.items():
        other = duckdb_rows[(kpi, key)]
        for column in ("numerator", "denominator", "value"):
            assert close(row[column], other[column]), (kpi, key, column, row[column], other[column])
        assert row["status"] == other["status"], (kpi, key)
    for kpi in kpis or catalog.kpis:
        want = expected(kpi, grain, tuple(by), start, end)
        got = {key: row["value"] for (name, key), row in mysql_rows.items() if name == kpi}
        if not want:  # no rows at all: the engine reports one no_data row
            assert list(got.values()) in ([], [None]), kpi
            continue
        assert got.keys() == want.keys(), kpi
        for key, value in want.items():
            assert close(got[key], value), (kpi, key, got[key], value)


GRAINS = (None, "day", "week", "month", "quarter", "year")


@pytest.mark.parametrize("by", [(), ("channel",)], ids=["total", "by_channel"])
@pytest.mark.parametrize("grain", GRAINS, ids=[g or "whole" for g in GRAINS])
def test_every_kpi_matches_duckdb_and_python(engines, catalog, grain, by):
    check(engines, catalog, grain=grain, by=by)


PERIODS = {
    "dates": (date(2024, 1, 15), date(2024, 4, 1)),
    # A DATE time column (shipments) against timestamp bounds: ship dates at midnight
    # before noon of the start are out, the end's day is in.
    "noon_bounds": (datetime(2024, 1, 4, 12, 0), datetime(2024, 2, 6, 12, 0)),
    "last_second_of_a_week": (datetime(2024, 1, 14, 23, 59, 59), datetime(2024, 3, 31, 23, 0, 0)),
    # 12:00:00.2 is before the bound, 12:00:00.7 after it: a DATETIME cast without
    # fractional seconds would truncate (MariaDB) or round (MySQL) the bound.
    "sub_second": (datetime(2024, 3, 20, 12, 0, 0, 500000), datetime(2024, 3, 20, 12, 0, 0, 900000)),
}


@pytest.mark.parametrize("grain", [None, "month"], ids=["whole", "month"])
@pytest.mark.parametrize("period", list(PERIODS))
def test_periods_are_half_open_on_timestamp_and_date_columns(engines, catalog, period, grain):
    start, end = PERIODS[period]
    check(engines, catalog, grain=grain, by=("channel",), start=start, end=end)


def test_sub_second_bounds_keep_their_microseconds(engines):
    start, end = PERIODS["sub_second"]
    table = engines["mysql"].run(kpis=["orders_count", "revenue"], start=start, end=end)
    assert {r["kpi"]: r["value"] for r in table.to_pylist()} == {"orders_count": 1.0, "revenue": 7.5}


ORDERS_ONLY = [k for k, m in MEASURES.items() if m[0] == "orders" and m[2] in (None, "orders")] + ["avg_order_value"]


def test_dimensions_built_with_date_trunc_and_isodow(engines, catalog):
    check(engines, catalog, kpis=ORDERS_ONLY, by=("order_week", "weekday"))
    check(engines, catalog, kpis=ORDERS_ONLY, grain="month", by=("order_week", "order_status"))


def test_null_slices_line_up_and_sort_last_in_the_same_order_as_duckdb(engines):
    selection = dict(kpis=["conversion_rate", "median_revenue"], grain="month", by=["channel"])
    mysql_table = engines["mysql"].run(**selection)
    duckdb_table = engines["duckdb"].run(**selection)
    order = [(r["kpi"], r["period_start"], r["channel"]) for r in mysql_table.to_pylist()]
    assert order == [(r["kpi"], r["period_start"], r["channel"]) for r in duckdb_table.to_pylist()]
    february = [r for r in mysql_table.to_pylist() if r["kpi"] == "conversion_rate" and r["period_start"] == date(2024, 2, 1)]
    assert [r["channel"] for r in february] == ["phone", "web", None]
    # The NULL channel is one slice: 1 order (Feb 10) over 2 sessions (Feb 10 and 12).
    assert (february[-1]["numerator"], february[-1]["denominator"]) == (1.0, 2.0)


@pytest.mark.parametrize(
    "selection",
    [dict(), dict(by=["channel"]), dict(grain="week", by=["channel"]), dict(grain="month", start=date(2024, 2, 1))],
    ids=["whole", "by_channel", "week_by_channel", "month_from"],
)
def test_a_single_kpi_is_one_select_and_still_sorts_nulls_last(engines, selection):
    # One KPI is one SELECT, not a UNION ALL: sqlglot's NULLS LAST for MySQL inlined
    # `0 AS _ord` into the ORDER BY as `ORDER BY ..., 0` ("Unknown column '0'").
    # Same rows in the same order as DuckDB (ORDER BY keys, NULLs last); revenues here
    # are sums of halves, exact in floating point.
    mysql_rows = engines["mysql"].run(kpis=["revenue"], **selection).to_pylist()
    assert mysql_rows == engines["duckdb"].run(kpis=["revenue"], **selection).to_pylist()
    if selection.get("by") and not selection.get("grain"):
        assert [r["channel"] for r in mysql_rows] == ["app", "phone", "web", None]


def test_filter_and_count_if_are_rewritten_if_they_ever_reach_the_rules():
    # The compiler never emits them (count_if is the builtin function's CASE, the gate
    # refuses FILTER); sqlglot passes both through to MySQL, which refuses them.
    tree = sqlglot.parse_one(
        "SELECT COUNT(*) FILTER (WHERE x > 1) AS a, SUM(x) FILTER (WHERE x > 1) AS b, "
        "COUNT(DISTINCT x) FILTER (WHERE x < 3) AS c, COUNT_IF(x > 2) AS d, AVG(x) AS e "
        "FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 2 UNION ALL SELECT 3) AS t",
        read="duckdb",
    )
    sql = MySQLRules().finalize(tree).sql(dialect="mysql")
    assert "FILTER" not in sql and "COUNT_IF" not in sql
    with mysql_engine.database() as (con, _):
        with con.cursor() as cursor:
            cursor.execute(sql)
            assert cursor.fetchone() == (3, 7, 2, 1, 2.0)


def test_a_source_read_by_several_kpis_is_scanned_once(engines):
    """MariaDB evaluates a CTE once per reference, so the statement reads each scan once."""
    import pymysql

    kpis = ["conversion_rate", "paid_conversion", "revenue", "orders_count", "avg_items"]
    sql = engines["mysql"].compile(kpis=kpis, grain="month")
    url = urlsplit(engines["mysql"].connection)
    con = pymysql.connect(host=url.hostname, port=url.port or 3306, user=unquote(url.username or "root"),
                          password=unquote(url.password or ""), database=url.path.lstrip("/"))
    try:
        with con.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            tables = [row[2] for row in cursor.fetchall()]
    finally:
        con.close()
    assert tables.count("orders") == 1 and tables.count("sessions") == 1, tables
    check(engines, engines["mysql"].catalog, kpis=kpis, grain="month")


def test_booleans_and_conditional_aggregates(engines):
    table = engines["mysql"].run(
        kpis=["paid_orders", "unpaid_orders", "paid_true", "paid_count_if", "paid_countif", "paid_share", "odd_orders"]
    )
    got = {r["kpi"]: r["value"] for r in table.to_pylist()}
    paid_rows = sum(1 for r in ORDER_ROWS if r["paid"] is True)
    unpaid_rows = sum(1 for r in ORDER_ROWS if r["paid"] is False)
    assert unpaid_rows and paid_rows + unpaid_rows == len(ORDER_ROWS) - 1  # one NULL is neither
    assert got == {
        "paid_orders": paid_rows,
        "unpaid_orders": unpaid_rows,
        "paid_true": paid_rows,
        "paid_count_if": paid_rows,
        "paid_countif": paid_rows,
        "paid_share": pytest.approx(paid_rows / len(ORDER_ROWS), rel=REL),
        "odd_orders": 1.0,
    }


def test_median_is_exact_with_nulls_even_counts_and_where(engines):
    table = engines["mysql"].run(kpis=["median_revenue", "median_paid_items", "median_to_mean"], grain="month")
    got = {(r["kpi"], r["period_start"]): r["value"] for r in table.to_pylist()}
    # February: revenue 80, NULL, 20, 40 -> median of 20, 40, 80 is 40 (NULL ignored).
    assert got[("median_revenue", date(2024, 2, 1))] == 40.0
    # March: 25, 5, 7.5, 8.5 -> (7.5 + 8.5) / 2, an even count.
    assert got[("median_revenue", date(2024, 3, 1))] == 8.0
    # Paid items in March: orders 10, 12, 13 (items 1, 2, 3); order 11 is not paid.
    assert got[("median_paid_items", date(2024, 3, 1))] == 2.0
    assert got[("median_to_mean", date(2024, 3, 1))] == pytest.approx(8.0 / statistics.fmean([25, 5, 7.5, 8.5]), rel=REL)


def test_averages_of_integers_and_decimals_are_not_rounded_to_four_places(engines):
    table = engines["mysql"].run(kpis=["avg_items", "avg_price", "items_per_order"], grain="month")
    got = {(r["kpi"], r["period_start"]): r["value"] for r in table.to_pylist()}
    # January: items 2, 1, 1 -> 4/3; MySQL's AVG over integers says 1.3333.
    assert got[("avg_items", date(2024, 1, 1))] == pytest.approx(4 / 3, rel=REL)
    assert got[("items_per_order", date(2024, 1, 1))] == pytest.approx(4 / 3, rel=REL)
    assert got[("avg_price", date(2024, 1, 1))] == pytest.approx((100.33 + 50.33 + 30.33) / 3, rel=REL)


# -- the SQL ---------------------------------------------------------------------------------

BUCKETS = {
    "day": "DATE(`t`)",
    "week": "DATE_SUB(DATE(`t`), INTERVAL (WEEKDAY(`t`)) DAY)",
    "month": "DATE_SUB(DATE(`t`), INTERVAL (DAYOFMONTH(`t`) - 1) DAY)",
    "quarter": "DATE_ADD(DATE_SUB(DATE(`t`), INTERVAL (DAYOFYEAR(`t`) - 1) DAY), INTERVAL (QUARTER(`t`) - 1) QUARTER)",
    "year": "DATE_SUB(DATE(`t`), INTERVAL (DAYOFYEAR(`t`) - 1) DAY)",
}


def test_rules_are_registered_for_mysql():
    assert isinstance(rules_for("mysql"), MySQLRules)


@pytest.mark.parametrize("grain", list(BUCKETS))
def test_time_bucket_sql(grain):
    tree = MySQLRules().time_bucket(exp.column("t", quoted=True), grain)
    assert tree.sql(dialect="mysql") == BUCKETS[grain]


def test_period_literals():
    rules = MySQLRules()
    assert rules.timestamp_literal(date(2024, 1, 15)).sql("mysql") == "CAST('2024-01-15 00:00:00' AS DATETIME)"
    assert (
        rules.timestamp_literal(datetime(2024, 1, 15, 8, 30, 0, 250000)).sql("mysql")
        == "CAST('2024-01-15 08:30:00.250000' AS DATETIME(6))"
    )


def test_time_buckets_on_every_day_of_three_years():
    """Each bucket expression, executed on the server for every day 2023-01-01..2025-12-31
    at 00:00:00 and 23:59:59.999999, against Python's calendar."""
    with mysql_engine.database() as (con, _):
        with con.cursor() as cursor:
            cursor.execute("CREATE TABLE days (t DATETIME(6))")
            first = datetime(2023, 1, 1)
            moments = [first + timedelta(days=d, seconds=s) for d in range(3 * 365 + 1) for s in (0, 86399.999999)]
            cursor.executemany("INSERT INTO days VALUES (%s)", [(m,) for m in moments])
            for grain in BUCKETS:
                select = exp.select(
                    exp.column("t", quoted=True), MySQLRules().time_bucket(exp.column("t", quoted=True), grain)
                ).from_("days")
                cursor.execute(select.sql(dialect="mysql"))
                for moment, start in cursor.fetchall():
                    assert start == bucket(moment, grain), (grain, moment, start)


def test_sqlglots_own_date_trunc_would_not_give_monday_weeks():
    """Why the rules exist: sqlglot's DATE_TRUNC('week') for mysql, run on the server."""
    trunc = sqlglot.parse_one("date_trunc('week', CAST('2024-03-20 12:00:00' AS TIMESTAMP))", read="duckdb")
    with mysql_engine.database() as (con, _):
        with con.cursor() as cursor:
            cursor.execute(exp.select(trunc).sql(dialect="mysql"))
            (start,) = cursor.fetchone()
    assert str(start)[:10] != "2024-03-18"  # the Monday; the rules' bucket is checked above


def test_compiled_sql_has_nothing_mysql_refuses(catalog):
    engine = kpi_engine.Engine(catalog, "duckdb://")
    sql = engine.compile("mysql", grain="week", by=["channel"], start=date(2024, 1, 1), end=date(2024, 4, 1)).upper()
    for construct in ("FILTER", "COUNT_?IF", "PERCENTILE_CONT", "MEDIAN", "APPROX_DISTINCT", "DAYOFWEEK_ISO", "DATE_TRUNC"):
        assert not re.search(rf"\b{construct}\s*\(", sql), construct
    for text in ("NULLS LAST", "0000-01-01"):
        assert text not in sql
    assert "CAST(" in sql and " AS DOUBLE)" in sql


def test_median_distinct_is_refused_naming_the_kpi(tmp_path):
    path = tmp_path / "kpis.yaml"
    path.write_text(
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        "kpis:\n  median_unique_revenue:\n    value: {source: orders, expr: median(distinct revenue)}\n"
    )
    engine = kpi_engine.Engine(kpi_engine.load(path), "duckdb://")
    with pytest.raises(kpi_engine.SelectionError) as refused:
        engine.compile("mysql")
    # One line, at the KPI's definition, whichever assembly the statement has.
    assert str(refused.value) == (
        f"{path}:4:3: kpi median_unique_revenue: median(DISTINCT ...) cannot be computed on mysql; "
        "use median(x) or a sql: source that removes the duplicates"
    )
    with pytest.raises(kpi_engine.SelectionError, match="kpi median_unique_revenue: median.DISTINCT"):
        engine.compile("mysql", grain="month", compare="previous_period")
    # Still named when the scan's CTE is renamed, its name being the table's.
    path.write_text(path.read_text().replace("{table: orders,", "{table: s_orders,"))
    engine = kpi_engine.Engine(kpi_engine.load(path), "duckdb://")
    with pytest.raises(kpi_engine.SelectionError, match=r"kpis.yaml:4:3: kpi median_unique_revenue: median.DISTINCT"):
        engine.compile("mysql", grain="month")
