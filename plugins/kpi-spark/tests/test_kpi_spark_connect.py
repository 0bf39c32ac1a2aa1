"""Spark Connect (``sc://``): a Connect server inside the test JVM, tables in its catalog.

The ``connect_server`` fixture starts Spark's own Connect service on the shared local
session (conftest.py). The tables are created in that session's catalog, as a cluster's
metastore would hold them, and definitions name them ``database.table``; every query
goes through the engine, the adapter and the Connect client (gRPC, Arrow batches).
Skipped without the ``connect`` extra (failing under ``KPI_ENGINE_REQUIRE_SERVERS``).
"""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime

import kpi_engine
import kpi_spark
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from kpi_engine import ConnectOptions, ExecutionError, QueryTimeout
from kpi_spark.adapter import SparkAdapter

ORDERS = pa.table({
    "ordered_at": pa.array(
        [datetime(2024, 3, 31, 23, 59, 59), datetime(2024, 4, 1), datetime(2024, 4, 2, 8), datetime(2024, 5, 1)],
        pa.timestamp("us"),
    ),
    "channel": ["web", "web", None, "app"],
    "revenue": [10.0, 20.0, 5.0, 7.0],
})


@pytest.fixture(scope="module")
def database(connect_server, shared_session, tmp_path_factory):
    """A database in the shared catalog holding ``orders`` (a Parquet table), dropped afterwards."""
    name = f"kpi_spark_connect_{uuid.uuid4().hex[:12]}"
    folder = tmp_path_factory.mktemp("connect_orders")
    pq.write_table(ORDERS, folder / "part-0.parquet")
    shared_session.sql(f"CREATE DATABASE {name}")  # test-only DDL, a generated name
    shared_session.catalog.createTable(f"{name}.orders", path=str(folder), source="parquet")
    yield name
    shared_session.sql(f"DROP DATABASE IF EXISTS {name} CASCADE")


@pytest.fixture
def catalog(database, tmp_path):
    path = tmp_path / "kpis.yaml"
    path.write_text(
        "sources:\n"
        f"  orders: {{table: {database}.orders, time: ordered_at, dimensions: [channel]}}\n"
        "kpis:\n"
        "  revenue: {value: {source: orders, expr: sum(revenue)}}\n"
        "  median_revenue: {value: {source: orders, expr: median(revenue)}}\n"
    )
    return kpi_engine.load(path)


@pytest.fixture
def plugins():
    return kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_spark])


def test_a_kpi_runs_through_spark_connect(connect_server, catalog, plugins):
    with kpi_engine.Engine(catalog, connect_server, plugins=plugins) as engine:
        table = engine.run(kpis=["revenue"], grain="quarter", by=["channel"])
        adapter = engine.connect()
        assert adapter.connect
        assert adapter.execute("SELECT current_timezone() AS tz").to_pylist() == [{"tz": "UTC"}]
    rows = [(r["period_start"], r["channel"], r["value"]) for r in table.to_pylist()]
    # 2024-03-31 23:59:59 is Q1; the NULL channel is its own slice and sorts last.
    assert rows == [(date(2024, 1, 1), "web", 10.0), (date(2024, 4, 1), "app", 7.0),
                    (date(2024, 4, 1), "web", 20.0), (date(2024, 4, 1), None, 5.0)]


def test_connect_results_match_the_local_session(connect_server, catalog, plugins, url_for):
    with kpi_engine.Engine(catalog, connect_server, plugins=plugins) as remote, \
            kpi_engine.Engine(catalog, url_for(), plugins=plugins) as local:
        selection = dict(grain="month", by=["channel"])
        assert remote.run(**selection).to_pylist() == local.run(**selection).to_pylist()


def test_close_releases_the_connect_session_and_the_server_keeps_serving(connect_server):
    first = SparkAdapter(connect_server, ConnectOptions())
    first.execute("SELECT 1 AS one")
    first.close()
    first.close()
    with pytest.raises(ExecutionError, match="closed"):
        first.execute("SELECT 1")
    second = SparkAdapter(connect_server, ConnectOptions())
    try:
        assert second.execute("SELECT 2 AS two").to_pylist() == [{"two": 2}]
    finally:
        second.close()


def test_a_missing_table_over_connect_is_one_line(connect_server):
    adapter = SparkAdapter(connect_server, ConnectOptions())
    try:
        with pytest.raises(ExecutionError) as caught:
            adapter.execute("SELECT count(*) FROM no_such_database.orders")
    finally:
        adapter.close()
    message = str(caught.value)
    assert message.startswith("[TABLE_OR_VIEW_NOT_FOUND] The table or view `no_such_database`.`orders` cannot be found.")
    assert "\n" not in message and "JVM stacktrace" not in message


SLOW = (
    "SELECT max(length(s)) AS x FROM (SELECT CAST(reflect('java.lang.Thread', 'sleep', CAST(200 AS BIGINT)) AS STRING) AS s"
    " FROM range(0, 1000, 1, 2))"
)


def test_the_timeout_interrupts_the_connect_operation(connect_server):
    adapter = SparkAdapter(connect_server, ConnectOptions(timeout=1))
    try:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match=r"^query cancelled after the 1 s timeout$"):
            adapter.execute(SLOW)
        assert time.monotonic() - started < 15
        assert adapter.execute("SELECT 42 AS answer").to_pylist() == [{"answer": 42}]
    finally:
        adapter.close()
