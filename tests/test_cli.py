"""Every command through click's runner, exit codes 0-4, and once each as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from kpi_engine.testing import invoke


def kpi(*args: str, **env):
    # main() is what the console script calls: it turns click's and the engine's errors into exit codes.
    return invoke(args, env=env or None)


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "Traceback" not in (result.stderr or "")


# -- validate ---------------------------------------------------------------------------


def test_validate_ok(shop):
    defs, _ = shop
    result = kpi("validate", str(defs))
    assert result.exit_code == 0
    assert "ok: 2 sources, 3 KPIs, 1 dashboards" in result.stderr
    assert result.stdout == ""


def test_validate_reports_every_problem_exit_3(shop):
    defs, _ = shop
    (defs / "bad.yaml").write_text(
        "kpis:\n  a:\n    value: {source: orders, expr: count(*)}\n    tresholds: {warn: 1}\n"
        "  b:\n    value: {source: nowhere, expr: count(*)}\n"
    )
    result = kpi("validate", str(defs))
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert lines[0].endswith("bad.yaml:4:5: kpi a: unknown key 'tresholds' (did you mean 'thresholds'?)")
    assert "bad.yaml:6:" in lines[1] and "kpi b: value: unknown source 'nowhere'" in lines[1]
    assert lines[-1] == "2 problems in the definitions"
    no_traceback(result)


def test_validate_github_format(shop):
    defs, _ = shop
    (defs / "bad.yaml").write_text("kpis:\n  a:\n    value: {source: orders, expr: 'sum('}\n")
    result = kpi("validate", str(defs), "--format", "github")
    assert result.exit_code == 3
    assert result.stdout.startswith("::error file=") and ",line=3," in result.stdout


# -- list -------------------------------------------------------------------------------


def test_list_table_and_json(shop):
    defs, _ = shop
    table = kpi("list", str(defs))
    assert table.exit_code == 0
    assert "conversion_rate" in table.stdout and "50.00%" in table.stdout
    rows = json.loads(kpi("list", str(defs), "--format", "json").stdout)
    assert [r["kpi"] for r in rows] == ["conversion_rate", "revenue", "late_delivery_rate"]
    assert rows[0]["kind"] == "ratio" and rows[0]["sources"] == "orders, sessions"
    assert [r["kpi"] for r in json.loads(kpi("list", str(defs), "--dashboard", "daily", "--format", "json").stdout)] == [
        "conversion_rate", "revenue"
    ]


# -- compile ----------------------------------------------------------------------------


def test_compile_prints_sql_for_a_dialect(shop):
    defs, _ = shop
    result = kpi("compile", str(defs), "--kpi", "conversion_rate", "--grain", "month", "--by", "channel", "--dialect", "snowflake")
    assert result.exit_code == 0
    sql = result.stdout
    assert sql.startswith("WITH ") and sql.rstrip().endswith(";")
    assert "UNION ALL" in sql and "DATE_TRUNC('MONTH'" in sql
    import sqlglot

    sqlglot.parse_one(sql.rstrip().rstrip(";"), read="snowflake")


def test_compile_unknown_dialect_is_usage_error(shop):
    defs, _ = shop
    result = kpi("compile", str(defs), "--dialect", "klingon")
    assert result.exit_code == 2
    assert "unknown dialect 'klingon'" in result.stderr
    no_traceback(result)


# -- run --------------------------------------------------------------------------------


def test_run_json_values(shop):
    defs, url = shop
    result = kpi("run", str(defs), "--connection", url, "--grain", "month", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    conv = {r["period_start"]: r for r in rows if r["kpi"] == "conversion_rate"}
    # Hand count from conftest: January 3 orders / 5 sessions, February 1 / 3.
    assert (conv["2025-01-01"]["numerator"], conv["2025-01-01"]["denominator"]) == (3, 5)
    assert conv["2025-01-01"]["value"] == pytest.approx(0.6) and conv["2025-01-01"]["status"] == "ok"
    assert conv["2025-02-01"]["value"] == pytest.approx(1 / 3) and conv["2025-02-01"]["status"] == "warn"
    assert set(rows[0]) == {"kpi", "period_start", "numerator", "denominator", "value", "target", "attainment", "status",
                            "complete"}
    # The shop's data ends on 2025-02-02 (orders) and 02-03 (sessions): January is complete, February is not.
    assert (conv["2025-01-01"]["complete"], conv["2025-02-01"]["complete"]) == (True, False)
    assert "results for 3 KPIs" in result.stderr


def test_run_by_dimension_csv(shop):
    defs, url = shop
    result = kpi("run", str(defs), "--connection", url, "--kpi", "revenue", "--by", "channel", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["channel"]: float(r["value"]) for r in rows} == {"app": 30.0, "web": 230.0}


def test_run_parquet_to_file(shop, tmp_path):
    defs, url = shop
    out = tmp_path / "out.parquet"
    result = kpi("run", str(defs), "--connection", url, "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    table = pq.read_table(out)
    assert table.column("kpi").to_pylist() == ["conversion_rate", "revenue", "late_delivery_rate"]
    assert table.column("value").to_pylist()[1] == 260.0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.parquet")]  # no temp left


def test_output_to_a_missing_directory_is_a_usage_error(shop, tmp_path):
    defs, url = shop
    result = kpi("run", str(defs), "--connection", url, "--format", "json", "-o", str(tmp_path / "no" / "such.json"))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: cannot write {tmp_path / 'no' / 'such.json'}: No such file or directory"


def test_run_table_is_formatted_by_unit(shop):
    defs, url = shop
    result = kpi("run", str(defs), "--connection", url, "--grain", "month")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["kpi", "period", "value"]
    assert any("60.00%" in l and "ok" in l for l in lines)
    assert any("180.00" in l for l in lines)  # January revenue, currency with two decimals


def test_run_period_filter_half_open(shop):
    defs, url = shop
    result = kpi("run", str(defs), "--connection", url, "--kpi", "revenue", "--from", "2025-01-03T10:00", "--to", "2025-01-21 12:00", "--format", "json")
    assert json.loads(result.stdout)[0]["value"] == 150.0  # 10:00 included, 12:00 excluded


def test_run_empty_period_is_no_data(shop):
    defs, url = shop
    rows = json.loads(kpi("run", str(defs), "--connection", url, "--from", "2030-01-01", "--format", "json").stdout)
    assert [r["status"] for r in rows] == ["no_data", "no_data", "no_data"]


def test_run_usage_errors_exit_2(shop):
    defs, url = shop
    for args, fragment in [
        (("--kpi", "conversion_rat"), "unknown kpi 'conversion_rat' (did you mean 'conversion_rate'?)"),
        (("--grain", "fortnight"), "Invalid value for '--grain'"),
        (("--by", "device"), "has no dimension 'device'"),
        (("--from", "yesterday-ish"), "is not a date"),
        (("--connection", "nosuch://x"), "no adapter for connection"),
    ]:
        result = kpi("run", str(defs), "--connection", url, *args) if "--connection" not in args else kpi("run", str(defs), *args)
        assert result.exit_code == 2, (args, result.stderr)
        assert fragment in result.stderr, (args, result.stderr)
        no_traceback(result)


def test_run_connection_and_query_failures_exit_4(shop, tmp_path):
    defs, _ = shop
    missing = kpi("run", str(defs), "--connection", f"duckdb:///{tmp_path}/nope.duckdb")
    assert missing.exit_code == 4 and "not found" in missing.stderr
    empty = tmp_path / "empty.duckdb"
    import duckdb

    duckdb.connect(str(empty)).close()
    failed = kpi("run", str(defs), "--connection", f"duckdb:///{empty}", "--kpi", "revenue")
    assert failed.exit_code == 4
    line = failed.stderr.strip().splitlines()[-1]
    assert "kpi revenue" in line and "orders" in line
    no_traceback(failed)


def test_run_invalid_definitions_exit_3(shop):
    defs, url = shop
    (defs / "bad.yaml").write_text("kpis:\n  x: {value: {source: orders, expr: 'sum(x) over ()'}}\n")
    result = kpi("run", str(defs), "--connection", url)
    assert result.exit_code == 3 and "bad.yaml:2:" in result.stderr


def test_connection_from_environment(shop, monkeypatch):
    defs, url = shop
    result = kpi("run", str(defs), "--kpi", "revenue", "--format", "json", KPI_CONNECTION=url)
    assert json.loads(result.stdout)[0]["value"] == 260.0


def test_project_file_gives_definitions_and_connection(shop, monkeypatch):
    defs, url = shop
    (defs.parent / "kpi.yml").write_text("connection: ${SHOP_URL}\n")
    nested = defs.parent / "deep" / "er"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    result = kpi("run", "--kpi", "revenue", "--format", "json", SHOP_URL=url)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["value"] == 260.0
    unset = kpi("run", "--kpi", "revenue")
    assert unset.exit_code == 2 and "environment variable SHOP_URL is not set" in unset.stderr


# -- check ------------------------------------------------------------------------------


def test_check_exit_codes(shop):
    defs, url = shop
    # January late delivery: 1 of 2 delivered orders late = 50% > 10%: critical.
    crit = kpi("check", str(defs), "--connection", url, "--kpi", "late_delivery_rate", "--grain", "month")
    assert crit.exit_code == 1 and "critical" in crit.stdout
    ok = kpi("check", str(defs), "--connection", url, "--kpi", "conversion_rate", "--from", "2025-01-01", "--to", "2025-02-01")
    assert ok.exit_code == 0, ok.stdout  # 3/5 = 60%: ok
    warn = kpi("check", str(defs), "--connection", url, "--kpi", "conversion_rate", "--from", "2025-02-01", "--to", "2025-03-01")
    assert warn.exit_code == 0 and "warn" in warn.stdout  # 1/3: warn does not fail by default
    strict = kpi("check", str(defs), "--connection", url, "--kpi", "conversion_rate", "--from", "2025-02-01", "--fail-on", "warn")
    assert strict.exit_code == 1


# -- plugins ----------------------------------------------------------------------------


def test_plugins_lists_builtins():
    result = kpi("plugins")
    assert result.exit_code == 0
    assert "kpi_engine.builtin.duckdb_adapter" in result.stdout and "duckdb://" in result.stdout
    rows = json.loads(kpi("plugins", "--format", "json").stdout)
    functions = next(r for r in rows if r["name"] == "kpi_engine.builtin.functions")
    assert functions["distribution"] == "builtin" and "function safe_divide()" in functions["provides"]


# -- demo -------------------------------------------------------------------------------


def test_demo_runs_the_shipped_catalog(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(tmp_path / "cache"))
    result = kpi("demo", "--scale", "0.1", "--format", "json", "--dashboard", "daily")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all("period_start" in r for r in rows)  # per month by default
    assert {r["status"] for r in rows} <= {"ok", "warn", "critical", "no_data", "unrated"}
    assert "demo data:" in result.stderr
    daily = {r["kpi"] for r in rows}
    assert len(daily) == 20 and {"nps", "prospects", "site_speed", "phone_wait_time"} <= daily


def test_demo_without_the_pack_its_catalog_uses_is_one_clear_line(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(tmp_path / "cache"))
    result = kpi("demo", "--disable-plugin", "commerce", "--kpi", "revenue")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: the shipped catalog uses the definition pack 'commerce', which no enabled plugin provides: "
        "install the kpi-commerce plugin (python -m pip install -e ./plugins/kpi-commerce in a checkout)"
    ]
    assert not (tmp_path / "cache").exists()  # no data generated for nothing


# -- real processes -----------------------------------------------------------------------


def _kpi_exe() -> list[str]:
    exe = shutil.which("kpi", path=str(Path(sys.executable).parent)) or shutil.which("kpi")
    return [exe] if exe else [sys.executable, "-m", "kpi_engine"]


@pytest.mark.subprocess
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", "{defs}"], 0),
        (["list", "{defs}"], 0),
        (["compile", "{defs}", "--dialect", "postgres"], 0),
        (["run", "{defs}", "--connection", "{url}", "--format", "json"], 0),
        (["check", "{defs}", "--connection", "{url}", "--grain", "month"], 1),
        (["plugins"], 0),
        (["run", "{defs}", "--kpi", "nope"], 2),
        (["validate", "{bad}"], 3),
        (["run", "{defs}", "--connection", "duckdb:///{missing}"], 4),
        (["--version"], 0),
    ],
)
def test_console_script(shop, tmp_path, args, code):
    defs, url = shop
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "k.yaml").write_text("kpis:\n  k: {value: {source: x, expr: count(*)}}\n")
    values = {"defs": str(defs), "url": url, "bad": str(bad), "missing": str(tmp_path / "missing.duckdb")}
    argv = [a.format(**values) for a in args]
    proc = subprocess.run([*_kpi_exe(), *argv], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    if args[0] == "run" and code == 0:
        assert json.loads(proc.stdout)  # stdout is pure data
    if code in (2, 3, 4):
        assert proc.stdout == ""


@pytest.mark.subprocess
def test_demo_console_script(tmp_path):
    env = {**os.environ, "KPI_ENGINE_CACHE": str(tmp_path)}
    proc = subprocess.run([*_kpi_exe(), "demo", "--scale", "0.1"], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "conversion_rate" in proc.stdout and "period" in proc.stdout.splitlines()[0]
