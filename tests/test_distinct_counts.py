"""Distinct counts are exact unless a KPI asks for an approximation (issue 6).

``count(distinct x)`` dominates the cost of a dashboard, and every engine offers a
cheaper approximate count; the engine never swaps one in by itself. Only
``approx_count_distinct(x)`` in a definition gives the engine's approximate function.
"""

from __future__ import annotations

import duckdb
import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from fixtures import write_definitions

DEFINITIONS = """
sources:
  visits: {table: visits, time: day}
kpis:
  visitors:
    value: {source: visits, expr: count(distinct visitor)}
  approx_visitors:
    value: {source: visits, expr: approx_count_distinct(visitor)}
"""
DIALECTS = ["duckdb", "postgres", "mysql", "sqlite", "spark", "snowflake", "bigquery", "trino"]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    return kpi_engine.load(write_definitions(tmp_path_factory.mktemp("distinct"), DEFINITIONS))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_count_distinct_stays_exact_on_every_dialect(catalog, dialect):
    with kpi_engine.Engine(catalog, "duckdb://") as engine:
        sql = engine.compile(dialect, kpis=["visitors"], grain="month")
    tree = sqlglot.parse_one(sql, read=dialect)
    counts = [c for c in tree.find_all(exp.Count) if isinstance(c.this, exp.Distinct)]
    assert counts, sql
    assert not list(tree.find_all(exp.ApproxDistinct)), sql
    assert "approx" not in sql.lower()


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "snowflake", "bigquery", "trino"])
def test_approximation_only_where_asked(catalog, dialect):
    with kpi_engine.Engine(catalog, "duckdb://") as engine:
        sql = engine.compile(dialect, kpis=["visitors", "approx_visitors"], grain="month")
    tree = sqlglot.parse_one(sql, read=dialect)
    assert len(list(tree.find_all(exp.ApproxDistinct))) == 1, sql
    assert any(isinstance(c.this, exp.Distinct) for c in tree.find_all(exp.Count)), sql


def test_exact_count_matches_hand_written_sql(catalog, tmp_path):
    db = tmp_path / "visits.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE visits AS SELECT DATE '2025-01-01' + CAST(i % 90 AS INTEGER) AS day, "
        "CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7919) % 5003 END AS visitor FROM range(60000) t(i)"
    )
    expected = dict(
        con.execute(
            "SELECT CAST(date_trunc('month', day) AS DATE), COUNT(DISTINCT visitor) FROM visits GROUP BY 1"
        ).fetchall()
    )
    con.close()
    with kpi_engine.Engine(catalog, f"duckdb:///{db}") as engine:
        table = engine.run(kpis=["visitors"], grain="month")
    got = dict(zip(table.column("period_start").to_pylist(), table.column("value").to_pylist()))
    assert got == {k: float(v) for k, v in expected.items()}
