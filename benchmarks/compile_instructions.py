"""Compile cost in instructions: the shipped catalog, plan + statement + SQL, under callgrind.

    python benchmarks/compile_instructions.py [--kpis daily|all] [--grain month] [--dialect duckdb]

Wall-clock compile times on a shared 2-core machine move by 10-30% from one run to the
next, more than most compiler changes gain. ``valgrind --tool=callgrind`` counts the
instructions the interpreter executes instead: the same figure for the same code, inputs
and hash seed, however busy the machine is. This script runs itself under callgrind
twice, compiling the request once and six times after loading the catalog, and prints
the difference divided by five: the instructions of one warm compile (plan, statement
tree, SQL text), without imports, loading or first-call costs. The garbage collector is
off in the measured process and ``PYTHONHASHSEED`` fixed, so repeated runs agree to
within a fraction of a percent. Nothing is asserted; figures go to RESULTS.md.

Slow (about a minute: callgrind runs Python some 50 times slower). Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _compile(times: int, kpis: str, grain: str | None, dialect: str) -> None:
    """The measured process: load the shipped catalog, then compile the request ``times`` times."""
    import gc

    from kpi_engine.compiler import compile_sql
    from kpi_engine.planner import Request, plan
    from kpi_engine.plugins import get_plugins
    from kpi_engine.shipped import load_shipped

    catalog = load_shipped(get_plugins())
    names = catalog.select([], "daily", []) if kpis == "daily" else tuple(catalog.kpis.values())
    request = Request(tuple(names), grain, ())
    gc.collect()
    gc.disable()
    for _ in range(times):
        compile_sql(plan(catalog, request), dialect, pretty=False)


def _instructions(times: int, args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as folder:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={Path(folder) / 'out'}",
             sys.executable, __file__, "--inner", str(times), "--kpis", args.kpis, "--grain", args.grain or "",
             "--dialect", args.dialect],
            capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}, check=True,
        )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in callgrind's output:\n{result.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kpis", choices=("all", "daily"), default="all", help="the 80-KPI catalog or its daily dashboard")
    parser.add_argument("--grain", default="month", help="empty for the whole period")
    parser.add_argument("--dialect", default="duckdb")
    parser.add_argument("--inner", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.grain = args.grain or None
    if args.inner is not None:
        _compile(args.inner, args.kpis, args.grain, args.dialect)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    once, six = _instructions(1, args), _instructions(6, args)
    per_compile = (six - once) / 5
    print(f"{args.kpis} KPIs, grain {args.grain or 'none'}, {args.dialect}: "
          f"{per_compile / 1e6:.0f} M instructions per compile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
