"""Result columns built from buffers equal pyarrow's own conversion, and a run never imports pandas."""

import math
import subprocess
import sys

import pyarrow as pa
import pytest

from kpi_engine.arrowcols import floats, strings


@pytest.mark.parametrize(
    "values",
    [[], [None], [1.0, None, 2.5], [None] * 9, [float("nan"), 0.0, -1e308, 3], [1.5] * 17],
)
def test_floats_match_pyarrow(values):
    built = floats(values)
    built.validate(full=True)
    expected = pa.array([None if v is None else float(v) for v in values], pa.float64())
    assert built.null_count == expected.null_count
    for got, want in zip(built.to_pylist(), expected.to_pylist()):
        assert (got is None and want is None) or got == want or (math.isnan(got) and math.isnan(want))


@pytest.mark.parametrize(
    "values",
    [[], [None], ["ok", None, "critical"], ["", None, ""], ["Zürich", "日本", None, "🙂"] * 5],
)
def test_strings_match_pyarrow(values):
    built = strings(values)
    built.validate(full=True)
    assert built.equals(pa.array(values, pa.string()))


def test_a_run_does_not_import_pandas():
    """pyarrow.array imports pandas (0.3 s) on first use when it is installed: the run path avoids it."""
    pytest.importorskip("pandas")  # otherwise there is nothing to avoid
    code = """
import sys
import duckdb
from kpi_engine import Engine
from kpi_engine.loader import load
con_sql = "CREATE TABLE orders AS SELECT DATE '2025-01-01' + CAST(i AS INTEGER) AS day, i % 7 AS amount FROM range(40) t(i)"
import pathlib, tempfile
folder = pathlib.Path(tempfile.mkdtemp())
(folder / "kpis.yaml").write_text('''
sources:
  orders: {table: orders, time: day}
kpis:
  revenue: {value: {source: orders, expr: sum(amount)}, target: 10, thresholds: {warn: 5, critical: 1}}
  missing: {value: {source: orders, expr: sum(amount)}, target: 1}
''')
db = folder / "shop.duckdb"
duckdb.connect(str(db)).execute(con_sql).close()
with Engine(load(folder), f"duckdb:///{db}") as engine:
    table = engine.run(grain="month", compare="previous_period", trend=2)
assert table.num_rows > 0, table
print("pandas" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", out.stdout + out.stderr
