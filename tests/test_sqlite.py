"""The builtin SQLite adapter and the SQLite dialect rules, executed on SQLite.

Every value SQLite computes here is compared twice: with DuckDB computing the same
definitions over the same rows (both provisioned by ``tests/engines``), and with an
independent computation in plain Python (``test_values``' oracle for the shop fixture,
:func:`lines_oracle` below for the dialect pitfalls), to 1e-9 relative.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import statistics
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
import sqlglot
from click.testing import CliRunner
from sqlglot import exp

import kpi_engine
from engines import duckdb as duckdb_engine
from engines import sqlite as sqlite_engine
from fixtures import DEFINITIONS, ORDER_COLUMNS, ORDERS, SESSION_COLUMNS, SESSIONS, bucket, in_period, write_definitions
from kpi_engine.builtin import sqlite_adapter
from kpi_engine.builtin.sqlite_adapter import SQLiteAdapter, database_path, to_arrow
from kpi_engine.cli import main
from kpi_engine.dialects import rules_for
from kpi_engine.dialects.sqlite import REGISTERED_AGGREGATES, SQLiteRules
from test_values import ALL, GRAINS, actual_rows, assert_matches, expected_rows

REL = 1e-9
PLUGINS = kpi_engine.get_plugins(load_entrypoints=False)  # the builtins only: no installed plugin interferes

# -- the rows -------------------------------------------------------------------------------

LINE_COLUMNS = ("line_id", "placed_at", "shipped_on", "region", "customer", "sku", "qty", "price", "gift")
# Chosen for the SQLite pitfalls: even and odd counts for median, NULLs in every column,
# a pair that a bare separator would merge ('a,b','c') vs ('a','b,c'), duplicate pairs,
# a NULL boolean, a Sunday 23:59:59 / Monday 00:00 week edge, a leap day, a fractional
# second exactly on a bound, a DATE time column with a row exactly on --from.
LINES = [
    (1, datetime(2024, 1, 2, 9, 0), date(2024, 1, 3), "north", "alice", "A", 1, 10.0, False),
    (2, datetime(2024, 1, 5, 10, 0), date(2024, 1, 6), "north", "alice", "A", 2, 20.0, False),
    (3, datetime(2024, 1, 7, 23, 59, 59), date(2024, 1, 8), "north", "bob", "A", 3, 30.0, True),
    (4, datetime(2024, 1, 8, 0, 0), date(2024, 1, 9), "south", "a,b", "c", 1, 40.0, False),
    (5, datetime(2024, 1, 9, 12, 0), date(2024, 1, 10), "south", "a", "b,c", 5, None, True),
    (6, datetime(2024, 1, 20, 8, 0), None, "south", None, "A", 2, 15.0, False),
    (7, datetime(2024, 1, 21, 8, 0), date(2024, 1, 22), "north", "carol", None, 1, 25.0, None),
    (8, datetime(2024, 2, 1, 0, 0), date(2024, 2, 1), "north", "o'neil", "x\\", 4, 7.5, True),
    (9, datetime(2024, 2, 10, 11, 0), date(2024, 2, 12), "south", "dave", "B", 2, 12.5, False),
    (10, datetime(2024, 2, 29, 23, 0), date(2024, 3, 1), "south", "dave", "B", 1, 12.5, False),
    (11, datetime(2024, 3, 1, 0, 0, 0, 250000), date(2024, 3, 2), "north", "erin", "C", 3, 100.0, True),
    (12, datetime(2024, 3, 31, 23, 59, 59), date(2024, 4, 1), "north", "erin", "C", 2, 1.0, False),
    (13, datetime(2024, 4, 1, 0, 0), date(2024, 4, 2), "south", "frank", "D", 7, 3.0, True),
    (14, datetime(2023, 12, 31, 23, 59, 59), date(2024, 1, 2), "south", "frank", "D", 1, 2.0, False),
    (15, datetime(2024, 2, 15, 10, 0), date(2024, 2, 16), None, "gina", "E", 2, None, False),
]

PITFALLS = """
sources:
  lines:
    table: lines
    time: placed_at
    dimensions: [region, customer]
  shipments:
    table: lines
    time: shipped_on
    dimensions: [region]
kpis:
  median_price:            {value: {source: lines, expr: median(price)}}
  median_gift_price:       {value: {source: lines, expr: median(price), where: gift}}
  distinct_pairs:          {value: {source: lines, expr: "count(distinct customer, sku)"}}
  distinct_pairs_not_gift: {value: {source: lines, expr: "count(distinct customer, sku)", where: not gift}}
  distinct_customers:      {value: {source: lines, expr: count(distinct customer)}}
  units_per_line:          {value: {source: lines, expr: sum(qty) / count(*)}}
  units_ratio:
    numerator:   {source: lines, expr: sum(qty)}
    denominator: {source: lines, expr: count(*)}
  average_qty:             {value: {source: lines, expr: avg(qty)}}
  not_gift_share:
    numerator:   {source: lines, expr: count(*), where: not gift}
    denominator: {source: lines, expr: count(*)}
  gift_lines:              {value: {source: lines, expr: count(*), where: gift = true}}
  gift_count_if:           {value: {source: lines, expr: count_if(gift)}}
  price_stddev:            {value: {source: lines, expr: stddev_samp(price)}}
  price_var_pop:           {value: {source: lines, expr: var_pop(price)}}
  shipped_lines:           {value: {source: shipments, expr: count(*)}}
"""
PITFALL_KPIS = (
    "median_price", "median_gift_price", "distinct_pairs", "distinct_pairs_not_gift", "distinct_customers",
    "units_per_line", "units_ratio", "average_qty", "not_gift_share", "gift_lines", "gift_count_if",
    "price_stddev", "price_var_pop", "shipped_lines",
)
LINES_ONLY = tuple(k for k in PITFALL_KPIS if k != "shipped_lines")


def _table(columns, rows) -> pa.Table:
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})


TABLES = {
    "orders": _table(ORDER_COLUMNS, ORDERS),
    "sessions": _table(SESSION_COLUMNS, SESSIONS),
    "lines": _table(LINE_COLUMNS, LINES),
}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """(definitions dir, sqlite URL, duckdb URL): the same tables on both engines."""
    root = tmp_path_factory.mktemp("sqlite_vs_duckdb")
    # The shop catalog of test_values, with sessions as a table (SQLite reads no files).
    shop = DEFINITIONS.replace("path: data/sessions.parquet", "table: sessions")
    assert shop != DEFINITIONS
    defs = root / "defs"
    write_definitions(defs, shop, "shop.yaml")
    write_definitions(defs, PITFALLS, "pitfalls.yaml")
    (root / "s").mkdir()
    (root / "d").mkdir()
    with (
        sqlite_engine.provision(TABLES, root / "s") as sqlite_url,
        duckdb_engine.provision(TABLES, root / "d") as duck_url,
    ):
        yield defs, sqlite_url, duck_url


@pytest.fixture(scope="module")
def catalog(warehouses):
    return kpi_engine.load(warehouses[0], functions=PLUGINS.functions)


@pytest.fixture(scope="module")
def sqlite(warehouses, catalog):
    with kpi_engine.Engine(catalog, warehouses[1], plugins=PLUGINS) as engine:
        yield engine


@pytest.fixture(scope="module")
def duck(warehouses, catalog):
    with kpi_engine.Engine(catalog, warehouses[2], plugins=PLUGINS) as engine:
        yield engine


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


def keyed(table: pa.Table, grain, by) -> list[tuple[tuple, tuple]]:
    """[(kpi, period?, *by), (numerator, denominator, value)] in the engine's row order."""
    out = []
    for row in table.to_pylist():
        key = (row["kpi"],) + ((row["period_start"],) if grain else ()) + tuple(row[b] for b in by)
        key += tuple(row[c] for c in ("item", "rank") if c in row)  # list KPIs: one row per entry
        out.append((key, (row["numerator"], row["denominator"], row["value"])))
    return out


def assert_same_as_duckdb(sqlite_table: pa.Table, duck_table: pa.Table, grain, by) -> None:
    """Same rows, in the same order (NULL slices last), with numbers equal to 1e-9."""
    assert sqlite_table.column_names == duck_table.column_names
    ours, theirs = keyed(sqlite_table, grain, by), keyed(duck_table, grain, by)
    assert [k for k, _ in ours] == [k for k, _ in theirs]
    for (key, a), (_, b) in zip(ours, theirs):
        for what, x, y in zip(("numerator", "denominator", "value"), a, b):
            assert close(x, y), f"{key} {what}: sqlite {x!r}, duckdb {y!r}"
    assert sqlite_table.column("status").to_pylist() == duck_table.column("status").to_pylist()


# -- the independent oracle for the pitfall KPIs --------------------------------------------


def _moment(value):
    return value if isinstance(value, datetime) or value is None else datetime(value.year, value.month, value.day)


def _lines_groups(time_col, grain, by, start, end):
    start, end = _moment(start), _moment(end)
    groups = defaultdict(list)
    for raw in LINES:
        row = dict(zip(LINE_COLUMNS, raw))
        moment = _moment(row[time_col])
        if (start is not None or end is not None) and (moment is None or not in_period(moment, start, end)):
            continue
        period = (None if moment is None else bucket(moment, grain),) if grain else ()
        groups[period + tuple(row[b] for b in by)].append(row)
    if grain is None and not by:
        groups.setdefault((), [])  # one aggregate row even over no rows
    return groups


def _present(rows, column):
    return [r[column] for r in rows if r[column] is not None]


def _pairs(rows):
    return len({(r["customer"], r["sku"]) for r in rows if r["customer"] is not None and r["sku"] is not None})


def _stat(function, values, minimum):
    return function(values) if len(values) >= minimum else None


def lines_oracle(kpi, grain=None, by=(), start=None, end=None) -> dict[tuple, tuple]:
    """{(kpi, period?, *by): (numerator, denominator, value)} in plain Python."""

    def gift(r):
        return r["gift"] is True

    def not_gift(r):
        return r["gift"] is False  # NOT NULL is NULL: a NULL flag is neither

    time_col = "shipped_on" if kpi == "shipped_lines" else "placed_at"
    out = {}
    for key, rows in _lines_groups(time_col, grain, by, start, end).items():
        n = len(rows)
        qty = sum(_present(rows, "qty")) if _present(rows, "qty") else None
        prices = _present(rows, "price")
        value = {
            "median_price": lambda: _stat(statistics.median, prices, 1),
            "median_gift_price": lambda: _stat(statistics.median, _present(list(filter(gift, rows)), "price"), 1),
            "distinct_pairs": lambda: _pairs(rows),
            "distinct_pairs_not_gift": lambda: _pairs(list(filter(not_gift, rows))),
            "distinct_customers": lambda: len(set(_present(rows, "customer"))),
            "units_per_line": lambda: None if not n or qty is None else qty / n,
            "average_qty": lambda: statistics.fmean(_present(rows, "qty")) if _present(rows, "qty") else None,
            "gift_lines": lambda: sum(map(gift, rows)),
            "gift_count_if": lambda: sum(map(gift, rows)),
            "price_stddev": lambda: _stat(statistics.stdev, prices, 2),
            "price_var_pop": lambda: _stat(statistics.pvariance, prices, 1),
            "shipped_lines": lambda: n,
        }
        if kpi == "units_ratio":
            out[(kpi, *key)] = (qty, n, None if qty is None or not n else qty / n)
        elif kpi == "not_gift_share":
            num = sum(map(not_gift, rows))
            out[(kpi, *key)] = (num, n, num / n if n else None)
        else:
            v = value[kpi]()
            out[(kpi, *key)] = (v, None, v)
    return out


def assert_matches_oracle(table: pa.Table, kpis, grain, by, start=None, end=None) -> None:
    expected = {}
    for kpi in kpis:
        expected.update(lines_oracle(kpi, grain, by, start, end))
    got = dict(keyed(table, grain, by))
    assert set(got) == set(expected), (
        f"missing {sorted(set(expected) - set(got), key=str)}, extra {sorted(set(got) - set(expected), key=str)}"
    )
    for key, want in expected.items():
        for what, x, y in zip(("numerator", "denominator", "value"), got[key], want):
            assert close(x, y), f"{key} {what}: sqlite {x!r}, python {y!r}"


# -- registration and URLs ------------------------------------------------------------------


def test_registered_as_a_builtin_through_the_adapter_hook():
    spec = PLUGINS.adapter_for("sqlite")
    assert spec is not None and spec.name == "sqlite" and spec.dialect == "sqlite"
    assert spec.reads_files is False and spec.factory is SQLiteAdapter
    info = next(i for i in PLUGINS.infos if i.name == "kpi_engine.builtin.sqlite_adapter")
    assert info.error is None and info.provides == ("adapter sqlite (sqlite://)",)
    assert rules_for("sqlite").__class__ is SQLiteRules


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///relative.db", "relative.db"),
        ("sqlite:///dir/relative.db", "dir/relative.db"),
        ("sqlite:////abs/path.db", "/abs/path.db"),
        ("sqlite:////abs/path.db?mode=rw", "/abs/path.db"),
    ],
)
def test_database_path_follows_sqlalchemy(url, path):
    assert database_path(url) == path


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite://user:s3cret@host/x.db"])
def test_malformed_urls_are_refused_without_the_password(url):
    with pytest.raises(kpi_engine.ExecutionError, match="malformed sqlite URL") as caught:
        database_path(url)
    assert "s3cret" not in str(caught.value)


def test_a_path_source_is_refused_on_sqlite(tmp_path):
    text = "sources:\n  s: {path: x.parquet}\nkpis:\n  k: {value: {source: s, expr: count(*)}}\n"
    write_definitions(tmp_path / "d", text)
    catalog = kpi_engine.load(tmp_path / "d", functions=PLUGINS.functions)
    engine = kpi_engine.Engine(catalog, "sqlite:///nowhere.db", plugins=PLUGINS)
    with pytest.raises(kpi_engine.SelectionError, match=r"which this engine \(sqlite\) cannot"):
        engine.compile()


# -- read-only, missing file, timeout ------------------------------------------------------------


@pytest.fixture
def small_db(tmp_path) -> Path:
    path = tmp_path / "small.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a INTEGER)")
    con.execute("INSERT INTO t VALUES (1), (2)")
    con.commit()
    con.close()
    return path


def _count_rows(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO t VALUES (3)",
        "DELETE FROM t",
        "CREATE TABLE u (b)",
        "DROP TABLE t",
        "PRAGMA query_only = 0",
        "ATTACH DATABASE 'other.db' AS other",
        "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x",
    ],
)
def test_writes_through_the_adapter_fail(small_db, statement, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    adapter = SQLiteAdapter(f"sqlite:///{small_db}", kpi_engine.ConnectOptions())
    try:
        with pytest.raises(kpi_engine.ExecutionError, match="read-only"):
            adapter.execute(statement)
        assert adapter.execute("SELECT count(*) AS n FROM t").to_pylist() == [{"n": 2}]  # still usable
    finally:
        adapter.close()
    assert _count_rows(small_db) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.db"]  # ATTACH created nothing


def test_the_file_itself_is_opened_read_only(small_db):
    # Second layer: without the authorizer, mode=ro still refuses any write.
    adapter = SQLiteAdapter(f"sqlite:///{small_db}", kpi_engine.ConnectOptions())
    try:
        adapter.con.set_authorizer(None)
        with pytest.raises(kpi_engine.ExecutionError, match="attempt to write a readonly database"):
            adapter.execute("INSERT INTO t VALUES (3)")
    finally:
        adapter.close()
    assert _count_rows(small_db) == 2


def test_relative_url_is_relative_to_the_working_directory(small_db, monkeypatch):
    monkeypatch.chdir(small_db.parent)
    adapter = SQLiteAdapter("sqlite:///small.db", kpi_engine.ConnectOptions())
    try:
        assert adapter.execute("SELECT sum(a) AS s FROM t").to_pylist() == [{"s": 3}]
    finally:
        adapter.close()
        adapter.close()  # closing twice is allowed


def test_missing_file_is_an_error_and_no_database_is_created(tmp_path, catalog):
    missing = tmp_path / "missing.db"
    with pytest.raises(kpi_engine.ExecutionError, match=re.escape(f"sqlite database file not found: {missing}")):
        SQLiteAdapter(f"sqlite:///{missing}", kpi_engine.ConnectOptions())
    engine = kpi_engine.Engine(catalog, f"sqlite:///{missing}", plugins=PLUGINS)
    with pytest.raises(kpi_engine.ExecutionError, match="not found") as caught:
        engine.run(kpis=["orders_count"])
    assert f"sqlite:///{missing}" in str(caught.value)  # names the connection
    assert not missing.exists()


def test_a_directory_or_a_non_database_file_is_a_clear_error(tmp_path):
    with pytest.raises(kpi_engine.ExecutionError, match="is a directory"):
        SQLiteAdapter(f"sqlite:///{tmp_path}", kpi_engine.ConnectOptions())
    junk = tmp_path / "junk.db"
    junk.write_text("not a database, " * 200)
    with pytest.raises(kpi_engine.ExecutionError, match="file is not a database"):
        SQLiteAdapter(f"sqlite:///{junk}", kpi_engine.ConnectOptions())


def test_timeout_cancels_a_long_statement(small_db):
    adapter = SQLiteAdapter(f"sqlite:///{small_db}", kpi_engine.ConnectOptions(timeout=0.5))
    endless = (
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 10000000000) "
        "SELECT count(*) FROM r"
    )
    try:
        started = time.monotonic()
        with pytest.raises(kpi_engine.QueryTimeout, match=r"query cancelled after the 0\.5 s timeout"):
            adapter.execute(endless)
        elapsed = time.monotonic() - started
        assert 0.45 <= elapsed < 2.0
        # The connection survives and the next statement gets its own full budget.
        assert adapter.execute("SELECT count(*) AS n FROM t").to_pylist() == [{"n": 2}]
    finally:
        adapter.close()


def test_without_timeout_no_progress_handler_interrupts(small_db):
    adapter = SQLiteAdapter(f"sqlite:///{small_db}", kpi_engine.ConnectOptions(timeout=None))
    try:
        counted = adapter.execute(
            "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000) "
            "SELECT count(*) AS n FROM r"
        )
        assert counted.to_pylist() == [{"n": 20000}]
    finally:
        adapter.close()


# -- results as Arrow --------------------------------------------------------------------------


def test_results_are_typed_column_by_column():
    names = ["i", "f", "mixed_num", "s", "nothing", "b", "mixed_text"]
    rows = [
        (1, 1.5, 1, "a", None, b"\x00", "x"),
        (None, None, 2.5, None, None, None, 2),
        (2**62, -0.0, None, "é", None, b"\xff", 2.5),
    ]
    table = to_arrow(names, rows)
    assert table.schema == pa.schema(
        [("i", pa.int64()), ("f", pa.float64()), ("mixed_num", pa.float64()), ("s", pa.string()),
         ("nothing", pa.null()), ("b", pa.binary()), ("mixed_text", pa.string())]
    )
    assert table.column("i").to_pylist() == [1, None, 2**62]
    assert table.column("mixed_num").to_pylist() == [1.0, 2.5, None]
    assert table.column("mixed_text").to_pylist() == ["x", "2", "2.5"]  # SQLite's own text for numbers


def test_a_zero_row_result_keeps_its_columns():
    table = to_arrow(["kpi", "value"], [])
    assert table.num_rows == 0 and table.column_names == ["kpi", "value"]
    assert all(t == pa.string() for t in table.schema.types)


# -- the dialect rules: rendered SQL ------------------------------------------------------------

BUCKET_SQL = {
    "day": "DATE(ts)",
    "week": "DATE(DATE(ts), 'weekday 0', '-6 days')",
    "month": "DATE(ts, 'start of month')",
    "quarter": "DATE(ts, 'start of month', '-' || ((CAST(STRFTIME('%m', ts) AS INTEGER) + 2) % 3) || ' months')",
    "year": "DATE(ts, 'start of year')",
}


@pytest.mark.parametrize("grain", list(BUCKET_SQL))
def test_time_bucket_sql(grain):
    assert SQLiteRules().time_bucket(exp.column("ts"), grain).sql(dialect="sqlite") == BUCKET_SQL[grain]


def test_time_buckets_match_python_for_three_years_of_days():
    # Every day 2023-01-01 .. 2025-12-31 at 00:00:00 and 23:59:59.999, against fixtures.bucket.
    con = sqlite3.connect(":memory:")
    moments = []
    day = date(2023, 1, 1)
    while day <= date(2025, 12, 31):
        moments += [datetime(day.year, day.month, day.day), datetime(day.year, day.month, day.day, 23, 59, 59, 999000)]
        day += timedelta(days=1)
    column = exp.column("ts")
    select = ", ".join(SQLiteRules().time_bucket(column, g).sql(dialect="sqlite") for g in BUCKET_SQL)
    con.execute("CREATE TABLE m (ts TEXT)")
    con.executemany("INSERT INTO m VALUES (?)", [(m.isoformat(sep=" "),) for m in moments])
    got = con.execute(f"SELECT ts, {select} FROM m ORDER BY ts").fetchall()  # test-only SQL
    con.close()
    for moment, row in zip(moments, got):
        assert row[1:] == tuple(bucket(moment, g).isoformat() for g in BUCKET_SQL), (moment, row)
    assert len(got) == len(moments)


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        (date(2024, 1, 15), "'2024-01-15'"),
        (datetime(2024, 1, 15), "'2024-01-15'"),
        (datetime(2024, 1, 15, 10, 30, 5), "'2024-01-15 10:30:05'"),
        (datetime(2024, 1, 15, 0, 0, 0, 250000), "'2024-01-15 00:00:00.25'"),
    ],
)
def test_period_literals_are_canonical_text(value, literal):
    assert SQLiteRules().timestamp_literal(value).sql(dialect="sqlite") == literal


def test_finalize_rewrites_what_sqlite_lacks(sqlite):
    sql = sqlite.compile(kpis=list(PITFALL_KPIS), grain="month", by=["region"])
    assert "PERCENTILE_CONT" not in sql and "MEDIAN(" in sql
    assert "STDDEV_SAMP(" in sql and "VARIANCE_POP(" in sql
    assert "QUOTE(" in sql and "COUNT(DISTINCT customer, sku)" not in sql
    assert "CAST(" in sql and " AS REAL)" in sql and "DOUBLE" not in sql
    assert "FILTER" not in sql and "NULLS LAST" in sql
    assert "DATETIME(" not in sql and "TIMESTAMP_TRUNC" not in sql
    sqlglot.parse_one(sql, read="sqlite")  # one statement that parses back


def test_the_adapter_registers_every_aggregate_the_rules_render():
    assert set(REGISTERED_AGGREGATES.values()) == set(sqlite_adapter._AGGREGATES)


# -- the pitfalls, executed on SQLite, against DuckDB and Python --------------------------------


PITFALL_CASES = [(g, by) for g in GRAINS for by in ((), ("region",))] + [(None, ("customer",)), ("week", ("customer",))]


@pytest.mark.parametrize(
    ("grain", "by"), PITFALL_CASES, ids=[f"{g or 'none'}-{'_'.join(by) or 'total'}" for g, by in PITFALL_CASES]
)
def test_pitfall_kpis_match_duckdb_and_python(sqlite, duck, grain, by):
    kpis = list(LINES_ONLY if "customer" in by else PITFALL_KPIS)
    ours = sqlite.run(kpis=kpis, grain=grain, by=list(by))
    assert_same_as_duckdb(ours, duck.run(kpis=kpis, grain=grain, by=list(by)), grain, by)
    assert_matches_oracle(ours, kpis, grain, by)


def test_count_distinct_pairs_are_not_merged_by_a_separator(sqlite):
    table = sqlite.run(kpis=["distinct_pairs", "distinct_customers"], by=["region"])
    rows = {r["kpi"]: r["value"] for r in table.to_pylist() if r["region"] == "south"}
    # south: (a,b | c), (a | b,c), (NULL | A: not counted), (dave | B) twice, (frank | D) twice
    assert rows == {"distinct_pairs": 4.0, "distinct_customers": 4.0}


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(sqlite):
    row = sqlite.run(kpis=["median_price"], grain="month", start=date(2024, 1, 1), end=date(2024, 2, 1)).to_pylist()
    assert [(r["period_start"], r["value"]) for r in row] == [(date(2024, 1, 1), 22.5)]  # 10 15 20 | 25 30 40


def test_integer_division_is_real(sqlite):
    row = sqlite.run(kpis=["units_per_line", "units_ratio"], grain="year").to_pylist()
    got = {(r["kpi"], r["period_start"].year): r["value"] for r in row}
    # 36 units over the 14 lines of 2024: 2.571..., where integer division would give 2
    assert got[("units_per_line", 2024)] == pytest.approx(36 / 14, rel=REL)
    assert got[("units_ratio", 2024)] == pytest.approx(36 / 14, rel=REL)


def test_boolean_conditions_on_zero_one_columns(sqlite):
    rows = {r["kpi"]: r for r in sqlite.run(kpis=["not_gift_share", "gift_lines", "gift_count_if"]).to_pylist()}
    # 5 gifts, 9 not gifts, 1 NULL flag (neither)
    assert (rows["not_gift_share"]["numerator"], rows["not_gift_share"]["denominator"]) == (9, 15)
    assert rows["gift_lines"]["value"] == rows["gift_count_if"]["value"] == 5


def test_null_slices_sort_last(sqlite):
    rows = sqlite.run(kpis=["distinct_customers"], grain="month", by=["region"]).to_pylist()
    february = [r["region"] for r in rows if r["period_start"] == date(2024, 2, 1)]
    assert february == ["north", "south", None]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2024, 2, 1), date(2024, 3, 1)),
        (datetime(2024, 2, 1, 12), date(2024, 3, 2)),
        (datetime(2024, 3, 1, 0, 0, 0, 250000), datetime(2024, 4, 1)),
        (date(2024, 1, 8), datetime(2024, 3, 1, 0, 0, 0, 250000)),
    ],
    ids=["dates", "noon_start", "fractional_start", "fractional_end"],
)
@pytest.mark.parametrize("grain", [None, "week"])
def test_periods_on_timestamp_and_date_columns(sqlite, duck, start, end, grain):
    # shipped_lines reads a DATE column stored as 'YYYY-MM-DD': line 8 ships exactly on
    # 2024-02-01 and must be inside --from 2024-02-01 (a DATETIME('...') bound would drop it).
    kpis = ["shipped_lines", "median_price", "distinct_pairs", "gift_lines"]
    ours = sqlite.run(kpis=kpis, grain=grain, by=["region"], start=start, end=end)
    theirs = duck.run(kpis=kpis, grain=grain, by=["region"], start=start, end=end)
    assert_same_as_duckdb(ours, theirs, grain, ("region",))
    assert_matches_oracle(ours, kpis, grain, ("region",), start, end)


def test_date_column_row_on_the_from_date_is_included(sqlite):
    rows = sqlite.run(kpis=["shipped_lines"], start=date(2024, 2, 1), end=date(2024, 2, 2)).to_pylist()
    assert rows[0]["value"] == 1  # line 8, shipped on 2024-02-01


# -- the shop catalog of test_values: every grain, with and without --by ------------------------


@pytest.mark.parametrize("by", [(), ("channel",)], ids=["total", "by_channel"])
@pytest.mark.parametrize("grain", GRAINS, ids=[g or "none" for g in GRAINS])
def test_shop_kpis_match_duckdb_and_python(sqlite, duck, grain, by):
    ours = sqlite.run(kpis=ALL, grain=grain, by=list(by))
    if grain:  # ISO text from SQLite, a date once the engine has normalised it
        assert ours.schema.field("period_start").type == pa.date32()
    else:
        assert "period_start" not in ours.column_names
    assert_same_as_duckdb(ours, duck.run(kpis=ALL, grain=grain, by=list(by)), grain, by)
    assert_matches(actual_rows(ours, grain, by), expected_rows(ALL, grain, by))


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2024, 1, 15), date(2024, 4, 1)), (datetime(2024, 1, 14, 23, 59, 59), datetime(2024, 2, 29, 18))],
    ids=["dates", "timestamps"],
)
def test_shop_periods_are_half_open(sqlite, start, end):
    ours = sqlite.run(kpis=ALL, grain="month", by=["channel"], start=start, end=end)
    assert_matches(actual_rows(ours, "month", ("channel",)), expected_rows(ALL, "month", ("channel",), start, end))


def test_an_empty_period_still_gives_every_kpi_a_row(sqlite):
    kpis = ["conversion_rate", "revenue", "median_price", "distinct_pairs"]
    rows = sqlite.run(kpis=kpis, grain="month", start=date(2030, 1, 1)).to_pylist()
    assert [r["kpi"] for r in rows] == kpis
    assert all(r["status"] == "no_data" and r["value"] is None for r in rows)


# -- the command line -----------------------------------------------------------------------------


CLEAN_ENV = {"KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD": "1", "KPI_CONNECTION": None, "KPI_PROJECT_DIR": None}


class _Main:
    """Lets CliRunner drive ``main`` (the console script's entry), as tests/test_cli.py does."""

    name = "kpi"

    def main(self, args=None, prog_name=None, standalone_mode=True, **extra):
        main(list(args or []))


def test_cli_run_on_sqlite(warehouses, monkeypatch, tmp_path):
    defs, sqlite_url, _ = warehouses
    monkeypatch.chdir(tmp_path)  # no project file from the working directory
    result = CliRunner().invoke(
        _Main(),
        ["run", str(defs), "--connection", sqlite_url, "--kpi", "conversion_rate",
         "--grain", "month", "--by", "channel", "--format", "json"],
        env=CLEAN_ENV,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    got = {
        ("conversion_rate", date.fromisoformat(r["period_start"]), r["channel"]):
            (r["numerator"], r["denominator"], r["value"], r["status"])
        for r in rows
    }
    assert_matches(got, expected_rows(["conversion_rate"], "month", ("channel",)))


def test_cli_missing_sqlite_file_exits_4_in_one_line(warehouses, tmp_path, monkeypatch):
    defs, _, _ = warehouses
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        _Main(), ["run", str(defs), "--connection", "sqlite:///missing.db", "--kpi", "orders_count"],
        env=CLEAN_ENV, catch_exceptions=False,
    )
    assert result.exit_code == 4
    assert "sqlite database file not found: missing.db" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "missing.db").exists()


# -- the shipped catalog on the demo data ------------------------------------------------------


def test_shipped_catalog_gives_duckdbs_numbers_on_the_demo_data(tmp_path):
    from kpi_engine.demo.generator import generate_tables

    tables = generate_tables(months=4, scale=0.05)
    from kpi_engine.shipped import load_shipped

    plugins = kpi_engine.get_plugins()  # the shipped catalog uses the commerce pack and its functions
    catalog = load_shipped(plugins)
    (tmp_path / "s").mkdir()
    (tmp_path / "d").mkdir()
    with (
        sqlite_engine.provision(tables, tmp_path / "s") as sqlite_url,
        duckdb_engine.provision(tables, tmp_path / "d") as duck_url,
        kpi_engine.Engine(catalog, sqlite_url, plugins=plugins) as ours,
        kpi_engine.Engine(catalog, duck_url, plugins=plugins) as theirs,
    ):
        for grain in ("week", None):
            evaluated = ours.evaluate(grain=grain)
            assert evaluated.failures == ()
            assert_same_as_duckdb(evaluated.table, theirs.run(grain=grain), grain, ())
