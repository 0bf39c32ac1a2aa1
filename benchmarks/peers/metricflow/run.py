"""MetricFlow (dbt Semantic Layer) peer: the `daily` dashboard KPIs of one benchmark shape.

    benchmarks/.venvs/metricflow/bin/python benchmarks/peers/metricflow/run.py --data DIR --shape SHAPE --out FILE
    benchmarks/.venvs/metricflow/bin/python benchmarks/peers/metricflow/run.py --version

What a dbt Core + MetricFlow user does, in this one process:

1. ``dbt run`` on the dbt project in ``project/`` (through dbt's Python entry point
   ``dbtRunner``). It parses the project, validates the semantic models and metrics, writes
   ``target/semantic_manifest.json`` and creates the staging views (``select * from`` each
   raw table) that the semantic models sit on. The project is copied to a fresh temporary
   folder first, so every run starts cold (no partial-parse cache, no target/ left over) and
   nothing is written into the repository.
2. The MetricFlow engine, built exactly as the ``mf`` CLI builds it (``CLIConfiguration``:
   ``dbt debug`` check, profile, dbt-duckdb adapter, semantic manifest -> ``MetricFlowEngine``),
   answers ONE query for all the shape's metrics grouped by ``metric_time__month`` (and the
   ``channel`` / ``segment`` entity for the sliced shapes): MetricFlow compiles it to one SQL
   statement and runs it on DuckDB through the dbt adapter.
3. The wide result (one column per metric) is reshaped to the canonical long Parquet.

Database access: dbt-duckdb's main database is a scratch DuckDB file in the temporary folder
(it holds only the staging views and the time-spine view); ``DIR/commerce.duckdb`` is
ATTACHed to it READ_ONLY as ``commerce`` (profiles.yml ``attach: read_only: true``), so the
data file is never written.

Python post-processing (no KPI arithmetic): only the reshape of MetricFlow's wide result to
rows (kpi, period_start, slice, value) with the month timestamp cast to a date and numbers to
float; rows whose value MetricFlow returned as NULL are left out, as the canonical format
allows. Every value is computed by MetricFlow's SQL on DuckDB.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # phase times on stderr are measured from here (interpreter start-up excluded)

import argparse
import datetime
import os
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # benchmarks/: common.py and shapes.py

import common  # noqa: E402
import shapes  # noqa: E402

TIME_GROUP_BY = {"month": "metric_time__month"}


def version() -> str:
    packages = ("dbt-metricflow", "dbt-core", "dbt-duckdb", "duckdb")
    return f"metricflow {metadata.version('metricflow')} (" + ", ".join(
        f"{p} {metadata.version(p)}" for p in packages
    ) + ")"


def log(message: str, start: float) -> None:
    print(f"[metricflow {time.perf_counter() - start:7.3f}s] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the tool's name and version")
    parser.add_argument("--data", type=Path, help="folder holding commerce.duckdb")
    parser.add_argument("--shape", choices=sorted(shapes.SHAPES))
    parser.add_argument("--out", type=Path, help="canonical Parquet file to write")
    args = parser.parse_args(argv)
    if args.version:
        print(version())
        return 0
    if args.data is None or args.shape is None or args.out is None:
        parser.error("--data, --shape and --out are required")

    start = T0
    grain, dim, kpis = shapes.SHAPES[args.shape]
    database = Path(os.path.abspath(args.data / "commerce.duckdb"))  # keep symlinks: the folder is the contract
    if not database.is_file():
        parser.error(f"{database} not found")

    with tempfile.TemporaryDirectory(prefix="kpi-bench-metricflow-") as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(HERE / "project", project, ignore=shutil.ignore_patterns("target", "logs", "*.duckdb*"))
        os.environ["KPI_BENCH_DATA"] = str(database.parent)
        os.environ["MF_BENCH_WORKSPACE"] = str(Path(scratch) / "workspace.duckdb")
        os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"  # no network here; dbt would try to phone home

        # 1. dbt: parse + validate the semantic layer, write the semantic manifest, build the views.
        from dbt.cli.main import dbtRunner

        log("dbt imported", start)
        result = dbtRunner().invoke(
            ["run", "--quiet", "--project-dir", str(project), "--profiles-dir", str(project)]
        )
        if not result.success:
            print(f"dbt run failed: {result.exception}", file=sys.stderr)
            return 1
        log("dbt run (parse, semantic manifest, staging views) done", start)

        # 2. MetricFlow: the engine the `mf` CLI uses, one query for the whole dashboard.
        from dbt_metricflow.cli.cli_configuration import CLIConfiguration
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        config = CLIConfiguration()
        config.setup(dbt_profiles_path=project, dbt_project_path=project, configure_file_logging=False)
        engine = config.mf
        log("MetricFlow engine ready", start)

        group_by = [TIME_GROUP_BY[grain]] + ([dim] if dim else [])
        request = MetricFlowQueryRequest.create(metric_names=list(kpis), group_by_names=group_by)
        answer = engine.query(mf_request=request)
        table = answer.result_df
        log(f"query done: {table.row_count} rows x {table.column_count} columns", start)

    # 3. Reshape wide -> long (no arithmetic; see the module docstring).
    names = list(table.column_names)
    time_index = names.index(group_by[0])
    dim_index = names.index(dim) if dim else None
    metric_index = {kpi: names.index(kpi) for kpi in kpis}
    kpi_col, period_col, slice_col, value_col = [], [], [], []
    for row in table.rows:
        period = row[time_index]
        period = period.date() if isinstance(period, datetime.datetime) else period
        slice_value = row[dim_index] if dim_index is not None else None
        for kpi in kpis:
            value = row[metric_index[kpi]]
            if value is None:
                continue
            kpi_col.append(kpi)
            period_col.append(period)
            slice_col.append(None if slice_value is None else str(slice_value))
            value_col.append(float(value))  # counts come back as int, the rest as float

    import pyarrow as pa

    common.write(
        pa.table({"kpi": kpi_col, "period_start": period_col, "slice": slice_col, "value": value_col}), args.out
    )
    log(f"wrote {len(kpi_col)} values to {args.out}", start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
