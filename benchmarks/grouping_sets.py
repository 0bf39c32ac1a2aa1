"""Two shapes from one scan per source (GROUPING SETS) against two statements, on DuckDB.

    python benchmarks/grouping_sets.py --data benchmarks/data/sf1 [--data ...] [--rounds 7] [--json FILE]

What is measured: the aggregated rows of the 18 channel-sliced KPIs of the `daily`
dashboard (``baseline_sql/month_channel.sql``: its seven sources with a channel, its
aggregates, count(DISTINCT ...) included, and its KPI formulas) for BOTH shapes, per month
and per (month, channel), over ``DIR/commerce.duckdb``, computed two ways:

- ``separate``: two statements, ``baseline_sql/month_channel.sql`` as it is and
  ``grouping_sets_sql/month.sql`` (the same SQL grouped by month only, slice NULL): what
  the engine does today when asked for both shapes, two requests each scanning every
  source once;
- ``grouping_sets``: one statement, ``grouping_sets_sql/grouping_sets.sql``: every source
  scanned once and grouped by ``GROUPING SETS ((period_start), (period_start, channel))``,
  the two levels told apart by ``GROUPING(channel)``, the sources aligned on
  (period_start, slice, level), the same formulas and unpivot; its long result carries a
  ``level`` column ('month' or 'month_channel').

How: one read-only connection per data folder, opened once; one untimed warm-up of each
variant, whose results are compared (key (kpi, period_start, slice, level), relative or
absolute tolerance 1e-9, NULL equals NULL) with each other, and the month level with
``baseline_sql/month.sql`` on the KPIs they share; then ``--rounds`` interleaved rounds,
the variant going first alternating. Each statement is timed in-process with
``time.perf_counter`` around execute + fetching the Arrow table; ``separate`` is the sum of
its two statements. Reported per data folder: the median and min-max seconds of each
variant, the median and min-max of the per-round ratio grouping_sets / separate, the
rows and whether the values match, as a Markdown table on stdout (``--json FILE`` writes
the raw numbers). The duckdb version, the date (UTC) and the load average at the start
are recorded. The exit status is 1 when values differ.

What DuckDB (2.0.1, read off EXPLAIN ANALYZE) makes of the GROUPING SETS: one scan per
source, fanned out to the grouping sets. Without a distinct aggregate the coarse set is
rolled up from the fine one's aggregate states (quotes, carts, surveys, tickets,
disputes); with count(DISTINCT ...) (orders, sessions) there is no roll-up: each set is
aggregated from the scanned rows on its own, the distinct counts by a pre-aggregation on
(keys, id) per set. So only the scan is shared for those two sources, and the distinct
pre-aggregations (nearly one group per row for sessions) are done twice either way.

A script, not a test: nothing in the test suite runs it. It imports duckdb and pyarrow.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import differences  # noqa: E402

VARIANTS = ("separate", "grouping_sets")


# --- the statements -------------------------------------------------------------------


def _read(relative: str) -> str:
    return (HERE / relative).read_text()


def statements() -> dict[str, list[tuple[str | None, str]]]:
    """variant -> its statements, each (level of its rows, or None when it has a level column, SQL)."""
    month_channel = _read("baseline_sql/month_channel.sql")
    month = _read("grouping_sets_sql/month.sql")
    grouping_sets = _read("grouping_sets_sql/grouping_sets.sql")
    for name, sql in (("grouping_sets_sql/month.sql", month), ("grouping_sets_sql/grouping_sets.sql", grouping_sets)):
        if _work(sql) != _work(month_channel):
            raise SystemExit(f"{name}: its sources, aggregates or KPI formulas differ from "
                             "baseline_sql/month_channel.sql")
    return {"separate": [("month_channel", month_channel), ("month", month)], "grouping_sets": [(None, grouping_sets)]}


def _work(sql: str) -> tuple:
    """The sources with their aggregates and the KPI formulas of a statement: the keys and grouping left out."""
    keys = re.compile(r"^\s*(SELECT period_start,|slice,|g,|channel AS slice,|GROUPING\(channel\) AS g,)\s*$")
    sources = re.findall(r"(\w+_m) AS \(\n(.*?)\n    FROM (\w+)\n", sql, re.S)
    aggregates = tuple((cte, table, tuple(line.strip() for line in body.splitlines() if not keys.match(line)))
                       for cte, body, table in sources)
    kpis = sql[sql.index("kpis AS ("):sql.index("FROM aligned")]
    formulas = tuple(line.strip() for line in kpis.splitlines()[1:] if not keys.match(line))
    return aggregates, formulas


# --- running and comparing -------------------------------------------------------------


def timed(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[float, pa.Table]:
    """Seconds to execute ``sql`` and fetch its result as an Arrow table, and the table."""
    start = time.perf_counter()
    table = con.sql(sql).to_arrow_table()
    return time.perf_counter() - start, table


def run(con: duckdb.DuckDBPyConnection, parts: list[tuple[str | None, str]]) -> tuple[list[float], pa.Table]:
    """Each statement's seconds, and their results as one table with a ``level`` column (added untimed)."""
    seconds, tables = [], []
    for level, sql in parts:
        elapsed, table = timed(con, sql)
        if level is not None:
            table = table.append_column("level", pa.array([level] * table.num_rows, pa.string()))
        seconds.append(elapsed)
        tables.append(table.select(["kpi", "period_start", "slice", "level", "value"]))
    return seconds, pa.concat_tables(tables)


def keyed(table: pa.Table) -> dict[tuple, float | None]:
    """(kpi, period_start, slice, level) -> value; a key seen twice is an error."""
    rows = {}
    for r in table.to_pylist():
        key = (r["kpi"], r["period_start"], r["slice"], r["level"])
        if key in rows:
            raise ValueError(f"duplicate row {key}")
        rows[key] = r["value"]
    return rows


def month_check(con: duckdb.DuckDBPyConnection, month_level: dict[tuple, float | None]) -> list[str]:
    """Differences between the month level and baseline_sql/month.sql on the KPIs both have (untimed)."""
    shared = {k[0] for k in month_level}
    baseline = {(r["kpi"], r["period_start"], r["slice"], "month"): r["value"]
                for r in con.sql(_read("baseline_sql/month.sql")).to_arrow_table().to_pylist() if r["kpi"] in shared}
    return differences(baseline, month_level)


# --- the benchmark ----------------------------------------------------------------------


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def bench(data: Path, variants: dict[str, list[tuple[str | None, str]]], rounds: int) -> dict:
    """Warm-up and comparison, then ``rounds`` interleaved timed rounds, on ``data/commerce.duckdb``."""
    con = duckdb.connect(str(data / "commerce.duckdb"), read_only=True)
    try:
        results = {name: keyed(run(con, variants[name])[1]) for name in VARIANTS}  # the untimed warm-up
        diffs = differences(results["separate"], results["grouping_sets"])
        month_diffs = month_check(con, {k: v for k, v in results["grouping_sets"].items() if k[3] == "month"})
        timings = []
        for i in range(rounds):
            order = VARIANTS if i % 2 == 0 else VARIANTS[::-1]
            record: dict = {"first": order[0]}
            for name in order:
                seconds, table = run(con, variants[name])
                record[name] = {"statements_s": seconds, "seconds": sum(seconds), "rows": table.num_rows}
            record["ratio"] = record["grouping_sets"]["seconds"] / record["separate"]["seconds"]
            timings.append(record)
        threads = con.sql("SELECT current_setting('threads')").fetchall()[0][0]
    finally:
        con.close()
    rows = {name: len(results[name]) for name in VARIANTS}
    steady = all(r[name]["rows"] == rows[name] for r in timings for name in VARIANTS)
    return {
        "data": str(data),
        "threads": threads,
        "rows": rows,
        "match": not diffs and steady,
        "differences": diffs,
        "month_matches_month_sql": not month_diffs,
        "month_sql_differences": month_diffs,
        "rounds": timings,
        "summary": {
            "separate": spread([r["separate"]["seconds"] for r in timings]),
            "separate_month_channel": spread([r["separate"]["statements_s"][0] for r in timings]),
            "separate_month": spread([r["separate"]["statements_s"][1] for r in timings]),
            "grouping_sets": spread([r["grouping_sets"]["seconds"] for r in timings]),
            "ratio": spread([r["ratio"] for r in timings]),
        },
    }


# --- reporting --------------------------------------------------------------------------


def _s(x: dict[str, float]) -> str:
    return f"{x['median']:.4f} ({x['min']:.4f}–{x['max']:.4f})"


def markdown(meta: dict, results: list[dict]) -> str:
    load = ", ".join(f"{x:.2f}" for x in meta["loadavg"])
    lines = [
        f"GROUPING SETS vs two statements: duckdb {meta['duckdb']}, {meta['date']}, "
        f"load average at start {load}, {meta['rounds']} rounds, seconds median (min–max)",
        "",
        "| data | separate, s | = month_channel + month (medians) | grouping_sets, s "
        "| grouping_sets / separate | rows | values match | month level = month.sql |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r["summary"]
        rows = r["rows"]["grouping_sets"] if r["rows"]["grouping_sets"] == r["rows"]["separate"] else \
            f"{r['rows']['separate']} vs {r['rows']['grouping_sets']}"
        ratio = f"{s['ratio']['median']:.3f} ({s['ratio']['min']:.3f}–{s['ratio']['max']:.3f})"
        lines.append(
            f"| {r['data']} | {_s(s['separate'])} | {s['separate_month_channel']['median']:.4f} + "
            f"{s['separate_month']['median']:.4f} | {_s(s['grouping_sets'])} | {ratio} | {rows} | "
            f"{'yes' if r['match'] else 'NO'} | {'yes' if r['month_matches_month_sql'] else 'NO'} |")
    for r in results:
        for line in r["differences"] + [f"month.sql: {d}" for d in r["month_sql_differences"]]:
            lines.append(f"- {r['data']}: {line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, action="append", required=True,
                        help="folder holding commerce.duckdb (repeatable)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", type=Path, help="file to write the raw numbers to")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")

    meta = {
        "duckdb": duckdb.__version__,
        "pyarrow": pa.__version__,
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "loadavg": list(os.getloadavg()),
        "cpus": os.cpu_count(),
        "rounds": args.rounds,
    }
    variants = statements()
    results = [bench(data, variants, args.rounds) for data in args.data]
    print(markdown(meta, results))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    ok = all(r["match"] and r["month_matches_month_sql"] for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
