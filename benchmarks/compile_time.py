"""Compile time: the shipped catalog, its daily dashboard and a generated 2,000-KPI catalog.

    python benchmarks/compile_time.py [--kpis 2000] [--rounds 20] [--json FILE]

Measures, in this process, after one warm-up: loading the definitions (YAML, validation,
expression parsing; the engine's in-memory cache is emptied before each load, and a cache
hit is reported on its own line) and compiling (plan + statement tree + SQL text) one request per
shape, DuckDB dialect. Figures are medians of ``--rounds`` runs; nothing is asserted:
issue 6's targets (shipped catalog under 50 ms warm, 2,000 KPIs under 1.5 s) are read
off the output and recorded in RESULTS.md.

The generated catalog reuses the shipped sources and writes KPIs of every kind the
planner handles: counts, sums, averages, distinct counts and min/max, filtered or not,
value and ratio KPIs, ratios across two sources, and formulas over other KPIs.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# source -> (numeric columns, (column, values) filters) of the shipped demo schema
COLUMNS = {
    "orders": (("revenue", "cost"), (("channel", ("organic", "email", "direct")), ("segment", ("smb", "enterprise")))),
    "sessions": (("duration_s", "load_time_s", "pages"), (("channel", ("organic", "paid_search")), ("device", ("mobile", "desktop")))),
    "carts": ((), (("channel", ("email", "referral")), ("segment", ("mid_market", "smb")))),
    "quotes": ((), (("status", ("won", "lost", "open")), ("segment", ("enterprise", "smb")))),
    "tickets": (("resolution_s", "first_response_s"), (("topic", ("delivery", "billing")), ("channel", ("email", "chat")))),
    "calls": (("wait_s", "talk_s"), (("queue", ("sales", "support")),)),
    "leads": ((), (("stage", ("lead", "prospect", "customer")), ("segment", ("smb", "enterprise")))),
}
IDS = {"orders": "customer_id", "sessions": "visitor_id", "carts": "customer_id", "quotes": "customer_id",
       "tickets": "customer_id", "calls": "customer_id", "leads": "lead_id"}


def _aggregate(rnd: random.Random, source: str) -> str:
    numbers, _ = COLUMNS[source]
    kinds = ["count(*)", f"count(distinct {IDS[source]})"]
    for column in numbers:
        kinds += [f"sum({column})", f"avg({column})", f"max({column})", f"min({column})"]
    return rnd.choice(kinds)


def _where(rnd: random.Random, source: str) -> str | None:
    _, filters = COLUMNS[source]
    if rnd.random() < 0.3:
        return None
    column, values = rnd.choice(filters)
    if rnd.random() < 0.5:
        return f"{column} = '{rnd.choice(values)}'"
    return f"{column} in ({', '.join(repr(v) for v in values[:2])})"


def _side(rnd: random.Random, source: str) -> str:
    where = _where(rnd, source)
    side = f"{{source: {source}, expr: \"{_aggregate(rnd, source)}\""
    return side + (f", where: \"{where}\"}}" if where else "}")


def generated_catalog(folder: Path, count: int, seed: int = 6) -> None:
    """Write ``count`` KPIs (plus the shipped sources) into ``folder``."""
    rnd = random.Random(seed)
    shutil.copy(ROOT / "definitions" / "sources.yaml", folder / "sources.yaml")
    sources = sorted(COLUMNS)
    lines = ["kpis:"]
    for i in range(count):
        name = f"k{i:05d}"
        kind = rnd.random()
        lines.append(f"  {name}:")
        if kind < 0.05 and i > 10:
            a, b = rnd.sample(range(i), 2)
            lines.append(f"    formula: k{a:05d} / k{b:05d}")
        elif kind < 0.45:
            lines.append(f"    value: {_side(rnd, rnd.choice(sources))}")
        else:
            first = rnd.choice(sources)
            second = first if kind < 0.85 else rnd.choice(sources)
            lines.append(f"    numerator: {_side(rnd, first)}")
            lines.append(f"    denominator: {_side(rnd, second)}")
        lines.append(f"    target: {rnd.randint(1, 100)}")
        lines.append(f"    direction: {rnd.choice(('higher', 'lower'))}")
    (folder / "kpis.yaml").write_text("\n".join(lines) + "\n")


def _median_ms(action, rounds: int) -> float:
    action()  # warm-up: imports, caches, first-call costs
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kpis", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    from kpi_engine.compiler import compile_sql
    from kpi_engine.loader import load
    from kpi_engine.planner import Request, plan
    from kpi_engine.plugins import get_plugins
    from kpi_engine.shipped import load_shipped

    plugins = get_plugins()
    shipped = load_shipped(plugins)

    def compiling(catalog, kpis, grain=None, by=()):
        request = Request(tuple(kpis), grain, tuple(by))
        return lambda: compile_sql(plan(catalog, request), "duckdb", pretty=False)

    from kpi_engine import cache

    def uncached(action):
        """``action`` after emptying the engine's in-memory caches: a real load, not a cache hit."""
        return lambda: (cache.clear(), action())[1]

    results: dict[str, float] = {}
    results["load shipped catalog (80 KPIs)"] = _median_ms(uncached(lambda: load_shipped(plugins)), args.rounds)
    results["load shipped catalog, in-memory cache hit"] = _median_ms(lambda: load_shipped(plugins), args.rounds)
    daily = shipped.select([], "daily", [])
    everything = tuple(shipped.kpis.values())
    results["compile daily dashboard, month"] = _median_ms(compiling(shipped, daily, "month"), args.rounds)
    results["compile shipped catalog, whole period"] = _median_ms(compiling(shipped, everything), args.rounds)
    results["compile shipped catalog, month"] = _median_ms(compiling(shipped, everything, "month"), args.rounds)

    with tempfile.TemporaryDirectory() as folder:
        generated_catalog(Path(folder), args.kpis)
        rounds = max(3, args.rounds // 4)
        kwargs = {"functions": plugins.functions, "metric_types": plugins.metric_types}
        results[f"load generated catalog ({args.kpis} KPIs)"] = _median_ms(uncached(lambda: load(folder, **kwargs)), rounds)
        big = load(folder, **kwargs)
        results[f"compile generated catalog ({args.kpis} KPIs), month"] = _median_ms(
            compiling(big, big.kpis.values(), "month"), rounds
        )

    width = max(map(len, results))
    for name, ms in results.items():
        print(f"{name:<{width}}  {ms:9.1f} ms")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
