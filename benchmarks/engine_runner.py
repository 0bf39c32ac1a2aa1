"""kpi-engine as the harness runs it, and its compile time measured in-process.

The timed contender is the real CLI process, started by the harness with
:func:`command` (working directory: the repository, whose ``kpi.yml`` activates the
shipped catalog and its ``commerce`` pack)::

    kpi run --connection duckdb:///DIR/commerce.duckdb --dashboard daily --grain month \
        --format parquet -o FILE                       # shape month
    kpi run --connection ... --kpi K1 --kpi K2 ... --grain month --by channel ...

Its output (kpi, period_start, <dimension>, numerator, denominator, value, target, ...)
is turned into the canonical file by :func:`to_canonical` after the process ended, in
the harness, so the conversion is not timed.

Run as a script, it measures the compile time alone, in this process:

    python benchmarks/engine_runner.py --compile-only --shape SHAPE [--rounds 20]

and prints JSON, in milliseconds (the imports and the plugin discovery come before and
are not counted):

- ``cold``: the first load of the shipped catalog (YAML, validation, expression parsing)
  and the first plan + compile of the shape's request to DuckDB SQL in this process,
  what one ``kpi run`` pays (without an on-disk cache). One sample per process: the
  harness runs several processes and takes the median.
- ``warm``: then, after one more warm-up, the medians of ``--rounds`` repetitions of the
  same load and plan + compile, as a long-running process sees them with its imports and
  first-call costs paid; the engine's in-memory cache is emptied before each load, so
  the load is a real one (plan + compile is never cached at this level).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from shapes import DAILY, SHAPES  # noqa: E402


def kpi_executable() -> str:
    """The ``kpi`` console script of the interpreter running the harness (the dev venv)."""
    candidate = Path(sys.executable).parent / "kpi"
    if candidate.exists():
        return str(candidate)
    import shutil

    found = shutil.which("kpi")
    if found is None:
        raise SystemExit("cannot find the kpi command: activate the dev virtualenv (/work/main/.venv)")
    return found


def command(data: Path, shape: str, out: Path) -> list[str]:
    """The ``kpi run`` command line computing ``shape`` on ``data/commerce.duckdb`` into ``out``."""
    grain, by, kpis = SHAPES[shape]
    url = f"duckdb:///{(data / 'commerce.duckdb').resolve()}"
    argv = [kpi_executable(), "run", "--connection", url]
    if kpis == DAILY:
        argv += ["--dashboard", "daily"]
    else:
        for name in kpis:
            argv += ["--kpi", name]
    argv += ["--grain", grain]
    if by:
        argv += ["--by", by]
    return argv + ["--format", "parquet", "-o", str(out)]


CWD = ROOT  # the repository: its kpi.yml names the definitions and the commerce pack


def to_canonical(engine_output: Path, shape: str, canonical: Path) -> None:
    """Rewrite the CLI's Parquet output as the canonical result file."""
    _, by, _ = SHAPES[shape]
    table = pq.read_table(engine_output)
    slice_ = table.column(by).cast(pa.string()) if by else pa.nulls(table.num_rows, pa.string())
    common.write(
        pa.table({"kpi": table.column("kpi"), "period_start": table.column("period_start"),
                  "slice": slice_, "value": table.column("value")}),
        canonical,
    )


def _median_ms(action, rounds: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def compile_times(shape: str, rounds: int) -> dict:
    from kpi_engine.compiler import compile_sql
    from kpi_engine.planner import Request, plan
    from kpi_engine.plugins import get_plugins
    from kpi_engine.shipped import load_shipped

    grain, by, kpis = SHAPES[shape]
    plugins = get_plugins()

    from kpi_engine import cache

    def load():
        cache.clear()  # a real load every time, never the in-memory cache's hit
        return load_shipped(plugins)

    def compile_(catalog):
        return compile_sql(plan(catalog, Request(catalog.select(kpis), grain, (by,) if by else ())), "duckdb", pretty=False)

    start = time.perf_counter()
    catalog = load()
    loaded = time.perf_counter()
    compile_(catalog)
    compiled = time.perf_counter()
    cold = {"load_ms": (loaded - start) * 1000, "plan_compile_ms": (compiled - loaded) * 1000,
            "total_ms": (compiled - start) * 1000}
    warm = {
        "load_ms": _median_ms(load, rounds),
        "plan_compile_ms": _median_ms(lambda: compile_(catalog), rounds),
        "total_ms": _median_ms(lambda: compile_(load()), rounds),
    }
    return {"shape": shape, "rounds": rounds, "cold": cold, "warm": warm}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--compile-only", action="store_true", required=True,
                        help="measure load + plan + compile in this process and print JSON")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="month")
    args = parser.parse_args(argv)
    print(json.dumps(compile_times(args.shape, args.rounds), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
