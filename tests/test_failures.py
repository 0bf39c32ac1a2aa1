"""Failures: each one clear line naming the connection, KPI and source; the rest still report."""

from __future__ import annotations

import json

import duckdb
import pytest

import kpi_engine
from test_cli import kpi

SECRET = "pl4nted-s3cret"


@pytest.fixture
def broken(shop):
    """The shop, plus KPIs over a missing table and a missing column."""
    defs, url = shop
    (defs / "broken.yaml").write_text(
        "sources:\n"
        "  refunds: {table: refunds, time: refunded_at}\n"
        "kpis:\n"
        "  refund_total:\n    value: {source: refunds, expr: sum(amount)}\n"
        "  discount_total:\n    value: {source: orders, expr: sum(discount)}\n"
    )
    return defs, url


def test_other_kpis_still_report(broken):
    defs, url = broken
    result = kpi("run", str(defs), "--connection", url, "--format", "json")
    assert result.exit_code == 4
    rows = json.loads(result.stdout)
    assert {r["kpi"] for r in rows} == {"conversion_rate", "revenue", "late_delivery_rate"}
    revenue = next(r for r in rows if r["kpi"] == "revenue")
    assert revenue["value"] == 260.0  # 100 + 50 + 30 + 80, conftest ORDERS
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    assert "kpi refund_total (source refunds):" in errors[0] and "refunds" in errors[0].split("):", 1)[1]
    assert "kpi discount_total (source orders):" in errors[1] and "discount" in errors[1]
    assert all(f"connection {url}" in e for e in errors)
    assert "Traceback" not in result.stderr


def test_check_with_a_failure_exits_4(broken):
    defs, url = broken
    assert kpi("check", str(defs), "--connection", url).exit_code == 4


def test_api_evaluate_and_run(broken):
    defs, url = broken
    with kpi_engine.Engine(kpi_engine.load(defs), url) as engine:
        evaluation = engine.evaluate()
        assert [f.kpis for f in evaluation.failures] == [("refund_total",), ("discount_total",)]
        assert evaluation.failures[0].sources == ("refunds",)
        assert set(evaluation.table.column("kpi").to_pylist()) == {"conversion_rate", "revenue", "late_delivery_rate"}
        with pytest.raises(kpi_engine.ExecutionError, match="kpi refund_total"):
            engine.run()
        assert engine.run(kpis=["revenue"]).column("value").to_pylist() == [260.0]


def test_timeout_is_reported_once_not_retried(shop):
    defs, url = shop
    (defs / "slow.yaml").write_text(
        "sources:\n"
        "  huge: {sql: 'select a.range as x from range(100000000) a, range(1000) b'}\n"
        "kpis:\n"
        "  slow_sum:\n    value: {source: huge, expr: sum(x)}\n"
        "  slow_count:\n    value: {source: huge, expr: count(distinct x)}\n"
    )
    result = kpi("run", str(defs), "--connection", url, "--kpi", "slow_sum", "--kpi", "slow_count", "--timeout", "0.3")
    assert result.exit_code == 4
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: connection {url}: kpi slow_sum, slow_count (source huge): query cancelled after the 0.3 s timeout"]


def test_unreachable_database_is_one_line(tmp_path):
    defs = tmp_path / "d"
    defs.mkdir()
    (defs / "k.yaml").write_text("sources:\n  t: {table: t}\nkpis:\n  n: {value: {source: t, expr: count(*)}}\n")
    result = kpi("run", str(defs), "--connection", f"duckdb:///{tmp_path}/absent.duckdb")
    assert result.exit_code == 4
    assert result.stderr.strip() == (
        f"error: connection duckdb:///{tmp_path}/absent.duckdb: kpi n (source t): "
        f"duckdb database file not found: {tmp_path}/absent.duckdb"
    )


def test_password_never_printed(tmp_path):
    defs = tmp_path / "d"
    defs.mkdir()
    (defs / "k.yaml").write_text("sources:\n  t: {table: t}\nkpis:\n  n: {value: {source: t, expr: count(*)}}\n")
    for url in (f"duckdb://admin:{SECRET}@localhost/x.db", f"nosuch://admin:{SECRET}@db.example/x"):
        for command in ("run", "check", "compile"):
            result = kpi(command, str(defs), "--connection", url)
            assert result.exit_code in ((0, 2) if command == "compile" else (2, 4)), (command, url, result.stderr)
            assert SECRET not in result.stdout + result.stderr, (command, url)
            assert "admin:***@" in result.stderr or command == "compile"


def test_crosscheck_agrees_and_disagrees(shop, tmp_path):
    defs, url = shop
    same = kpi("crosscheck", str(defs), "--connection", url, "--against", url, "--grain", "month")
    assert same.exit_code == 0 and same.stdout == ""
    assert "crosscheck: 0 of " in same.stderr
    copy = tmp_path / "copy.duckdb"
    source = url.removeprefix("duckdb:///")
    con = duckdb.connect(str(copy))
    con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
    con.execute("CREATE TABLE orders AS SELECT * FROM src.orders")
    con.execute("CREATE TABLE sessions AS SELECT * FROM src.sessions WHERE started_at < '2025-02-01'")
    con.execute("UPDATE orders SET revenue = revenue + 0.5 WHERE channel = 'app'")
    con.close()
    result = kpi("crosscheck", str(defs), "--connection", url, "--against", f"duckdb:///{copy}", "--grain", "month", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    # February sessions are gone on the right: conversion rate's February row has no denominator there.
    feb = [r for r in found if r["kpi"] == "conversion_rate" and r["period_start"] == "2025-02-01"]
    assert {r["field"] for r in feb} == {"denominator", "value"}
    assert next(r for r in feb if r["field"] == "denominator")["left"] == 3.0
    revenue = [r for r in found if r["kpi"] == "revenue"]
    assert [(r["period_start"], r["field"], r["left"], r["right"]) for r in revenue] == [
        ("2025-01-01", "numerator", 180.0, 180.5), ("2025-01-01", "value", 180.0, 180.5)
    ]
    loose = kpi("crosscheck", str(defs), "--connection", url, "--against", f"duckdb:///{copy}", "--kpi", "revenue", "--tolerance", "0.01")
    assert loose.exit_code == 0


def test_crosscheck_keys_rows_by_kpi_period_and_slice_only():
    """Columns computed after the numbers (a note, an interval, a comparison) never key a row:
    a row whose denominator differs, and with it its note, is one difference, not two rows."""
    import pyarrow as pa

    from kpi_engine.crosscheck import differences, row_count

    def table(denominator, sample, note):
        return pa.table({
            "kpi": ["guarded"], "channel": ["web"], "numerator": [1.0], "denominator": [denominator], "value": [1 / denominator],
            "sample": [sample], "low": [0.1], "high": [0.9], "status": ["ok"], "note": [note], "compare_value": [0.3 * denominator],
        })

    left, right = table(4.0, 10.0, None), table(2.0, 12.0, "denominator 2 is under min_sample 3: too few to judge")
    found = differences(left, right)
    assert [(r["kpi"], r["channel"], r["field"]) for r in found] == [
        ("guarded", "web", "denominator"), ("guarded", "web", "value"), ("guarded", "web", "sample"),
    ]
    assert row_count([left, right]) == 1


def test_two_engines_on_one_duckdb_file_at_once(shop):
    defs, url = shop
    catalog = kpi_engine.load(defs)
    with kpi_engine.Engine(catalog, url) as first, kpi_engine.Engine(catalog, url) as second:
        a = first.run(kpis=["revenue"]).column("value").to_pylist()
        b = second.run(kpis=["revenue"]).column("value").to_pylist()
    assert a == b == [260.0]  # 100 + 50 + 30 + 80, conftest ORDERS
