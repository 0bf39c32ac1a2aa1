"""`kpi` starts without the heavy libraries: what a command does not use, it does not import.

Each check runs in a fresh interpreter, where ``sys.modules`` shows exactly what the
command imported. Start-up time itself is measured in benchmarks/, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlglot", "pyarrow", "duckdb", "pandas", "yaml")

PROBE = """
import sys
from kpi_engine.cli import cli
try:
    cli.main({args!r}, prog_name="kpi")
except SystemExit as done:
    assert done.code in (0, None), done.code
print("imported:", *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def imported_by(*args: str) -> set[str]:
    probe = PROBE.format(args=list(args), heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("imported:")]
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("run", "--help"), ("compile", "--help")])
def test_version_and_help_import_no_engine_library(args):
    assert imported_by(*args) == set()


def test_validate_parses_definitions_but_touches_no_data_library():
    assert imported_by("validate", str(ROOT / "definitions"), "--pack", "commerce") == {"sqlglot", "yaml"}


CACHED_DEFS = """
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions:
      channel: channel
kpis:
  paid_share:
    unit: percent
    target: 0.5
    numerator: {source: orders, expr: "count_if(paid)"}
    denominator: {source: orders, expr: count(*)}
  revenue:
    unit: currency
    value: {source: orders, expr: "sum(amount)"}
  revenue_per_order:
    unit: currency
    formula: revenue / orders_count
  orders_count:
    unit: count
    value: {source: orders, expr: "count(*)"}
  top_channels:
    unit: currency
    metric: {type: top, source: orders, item: channel, expr: "sum(amount)", limit: 2}
"""


def test_a_run_the_disk_cache_serves_imports_neither_sqlglot_nor_yaml(tmp_path):
    """The second run reads the catalog (trees kept serialized) and the statement from the
    cache: it plans nothing, so sqlglot, the builders and the YAML parser stay unimported."""
    import duckdb

    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "shop.yaml").write_text(CACHED_DEFS)
    database = tmp_path / "shop.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("""CREATE TABLE orders AS SELECT DATE '2026-01-01' + (i % 90)::INT AS ordered_at,
                       ['web', 'sales', 'partner'][1 + i % 3] AS channel, i % 4 <> 0 AS paid, (i % 17) * 2.5 AS amount
                       FROM range(600) t(i)""")
    common = ("run", str(tmp_path / "defs"), "--project-dir", str(tmp_path), "--connection", f"duckdb:///{database}",
              "--grain", "month", "--by", "channel", "--format", "csv")
    cached = (*common, "--cache-dir", str(tmp_path / "cache"))
    assert imported_by(*cached, "-o", str(tmp_path / "first.csv")) >= {"sqlglot", "yaml"}
    assert imported_by(*cached, "-o", str(tmp_path / "second.csv")) == {"pyarrow", "duckdb"}
    assert imported_by(*common, "--no-cache", "-o", str(tmp_path / "uncached.csv")) >= {"sqlglot", "yaml"}
    uncached = (tmp_path / "uncached.csv").read_text()
    assert uncached.count("\n") > 10
    assert (tmp_path / "first.csv").read_text() == uncached
    assert (tmp_path / "second.csv").read_text() == uncached
