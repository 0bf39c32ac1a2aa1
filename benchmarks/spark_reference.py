"""A reference run on local Spark: the daily dashboard's shapes through kpi-engine's Spark adapter.

    python benchmarks/spark_reference.py --data benchmarks/data/sf1 [--threads 2] [--json FILE]

Needs kpi-spark (``pip install -e plugins/kpi-spark``) and Java 17. One process, one
local session (``spark://local[N]?views=DIR``: each ``<table>.parquet`` is a view), then
per shape: the wall time of ``Engine.run`` (first and second run: the first compiles
Spark's generated code), the values checked against the hand-written DuckDB baseline
(``baseline.py``, to 1e-9), and from Spark's physical plan the number of file scans,
the filters pushed into them and the columns read. Not a timed comparison: Spark's
start-up and per-query overheads dominate at this size; it shows what the engine asks
of a cluster.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from shapes import SHAPES  # noqa: E402


def _baseline(data: Path, shape: str, out: Path) -> dict:
    subprocess.run(
        [sys.executable, str(HERE / "baseline.py"), "--data", str(data), "--shape", shape, "--out", str(out)],
        check=True,
    )
    return common.read(out)


def _canonical(table, dimension: str | None) -> dict:
    rows = table.select(["kpi", "period_start", *([dimension] if dimension else []), "value"]).to_pylist()
    return {
        (r["kpi"], r["period_start"], None if dimension is None else (None if r[dimension] is None else str(r[dimension]))): r["value"]
        for r in rows
        if r["value"] is not None
    }


def _plan_summary(session, sql: str) -> dict:
    """File scans in Spark's executed plan, with their pushed filters and read columns."""
    plan = session.sql(sql)._jdf.queryExecution().executedPlan().toString()
    scans = [line.strip() for line in plan.splitlines() if "FileScan parquet" in line]
    pushed = [re.search(r"PushedFilters: \[([^\]]*)\]", s) for s in scans]
    read = [re.search(r"ReadSchema: struct<([^>]*)>", s) for s in scans]
    return {
        "file_scans": len(scans),
        "pushed_filters": [m.group(1) if m else "" for m in pushed],
        "columns_read": [m.group(1) if m else "" for m in read],
        "exchanges": plan.count("Exchange "),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from kpi_engine import Engine
    from kpi_engine.shipped import load_shipped

    catalog = load_shipped()
    url = f"spark://local%5B{args.threads}%5D?views={args.data.resolve()}"
    results: dict = {"data": str(args.data), "threads": args.threads, "shapes": {}}
    started = time.perf_counter()
    with Engine(catalog, url) as engine, tempfile.TemporaryDirectory() as scratch:
        engine.connect()
        results["session_start_s"] = round(time.perf_counter() - started, 2)
        session = engine.connect().session  # the adapter's child session
        for shape, (grain, dimension, kpis) in SHAPES.items():
            by = [dimension] if dimension else []
            times = []
            for _ in range(2):
                t0 = time.perf_counter()
                table = engine.run(kpis=list(kpis), grain=grain, by=by)
                times.append(round(time.perf_counter() - t0, 2))
            expected = _baseline(args.data, shape, Path(scratch) / f"{shape}.parquet")
            problems = common.differences(expected, _canonical(table, dimension))
            sql = engine.compile("spark", kpis=list(kpis), grain=grain, by=by, pretty=False)
            results["shapes"][shape] = {
                "kpis": len(kpis),
                "rows": table.num_rows,
                "run_s": times,
                "matches_baseline": not problems,
                "differences": problems,
                **_plan_summary(session, sql),
            }
            print(shape, json.dumps(results["shapes"][shape]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0 if all(s["matches_baseline"] for s in results["shapes"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
