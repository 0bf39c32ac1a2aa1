"""Spark: the one-reference assembly against the per-KPI assembly it replaced there.

    python benchmarks/spark_assembly.py --data benchmarks/data/sf1 [--rounds 3] [--threads 2]

For the three shapes of the daily dashboard, one local Spark session
(``spark://local[N]?views=DIR``) runs:

- ``wide``: what kpi-engine compiles for Spark, every scan read once
  (``kpi_engine/wide.py``);
- ``per-kpi``: the per-KPI assembly (``compile_sql(..., wide=False)``, what DuckDB gets),
  with every reference to a CTE read more than once made to read it whole, as the Spark
  rules did until the one-reference assembly replaced it (:func:`read_shared_ctes_whole`,
  kept here to reproduce it): the copies of a scan are then identical and Spark reuses
  most of their exchanges.

Alternating which goes first, after one untimed round. Printed per shape: the median
and every timed run of each, the Parquet relations in the optimized logical plan (scans
planned), the file scans and reused exchanges in the final adaptive plan (scans run),
and whether both return the same values (1e-9). Needs kpi-spark and Java 17.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from shapes import SHAPES  # noqa: E402


def read_shared_ctes_whole(statement):
    """Each reference to a CTE read more than once becomes ``(SELECT * FROM cte WHERE
    LENGTH(TO_JSON(STRUCT(*))) > 0) AS cte``: a filter that reads every column and is
    always true, so Spark keeps every copy whole and the copies share their exchanges."""
    from sqlglot import exp

    from kpi_engine._sqlglot_compat import WITH_ARG

    with_ = statement.args.get(WITH_ARG)
    names = {cte.alias for cte in with_.expressions}
    references = [t for t in statement.find_all(exp.Table) if not t.args.get("db") and t.name in names]
    counts = Counter(table.name for table in references)
    for table in references:
        if counts[table.name] < 2:
            continue
        always = exp.GT(
            this=exp.Length(this=exp.JSONFormat(this=exp.Struct(expressions=[exp.Star()]))),
            expression=exp.Literal.number(0),
        )
        whole = exp.select(exp.Star()).from_(exp.Table(this=table.this.copy())).where(always)
        alias = table.args.get("alias")
        alias = alias.copy() if alias is not None else exp.TableAlias(this=table.this.copy())
        table.replace(exp.Subquery(this=whole, alias=alias))
    return statement


def _values(table) -> dict:
    keys = [c for c in table.column_names if c not in ("numerator", "denominator", "value", "_ord")]
    return {tuple(r[k] for k in keys): r["value"] for r in table.to_pylist()}


def _statements(catalog, shape: str) -> dict[str, str]:
    from kpi_engine.compiler import compile_plan, render
    from kpi_engine.planner import plan
    from kpi_engine.request import Request

    grain, by, kpis = SHAPES[shape]
    request = Request(catalog.select(kpis), grain, (by,) if by else ())
    per_kpi = read_shared_ctes_whole(compile_plan(plan(catalog, request), "spark", wide=False))
    wide = compile_plan(plan(catalog, request), "spark")
    return {"per-kpi": render(per_kpi, "spark", pretty=False), "wide": render(wide, "spark", pretty=False)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from kpi_engine import Engine
    from kpi_engine.shipped import load_shipped

    catalog = load_shipped()
    url = f"spark://local%5B{args.threads}%5D?views={args.data.resolve()}"
    same = True
    with Engine(catalog, url) as engine:
        session = engine.connect().session
        for shape in SHAPES:
            statements = _statements(catalog, shape)
            times: dict[str, list[float]] = {name: [] for name in statements}
            shapes: dict[str, str] = {}
            rows: dict[str, dict] = {}
            for index in range(args.rounds + 1):
                order = list(statements.items())
                if index % 2:
                    order.reverse()
                for name, sql in order:
                    start = time.perf_counter()
                    frame = session.sql(sql)
                    table = frame.toArrow()
                    if index:  # the first round is a warm-up
                        times[name].append(time.perf_counter() - start)
                    execution = frame._jdf.queryExecution()
                    final = execution.executedPlan().toString().split("== Initial Plan ==")[0]
                    shapes[name] = (f"{execution.optimizedPlan().toString().count('] parquet')} planned, "
                                    f"{final.count('FileScan parquet')} run, "
                                    f"{final.count('ReusedExchange')} reused exchanges")
                    rows[name] = _values(table)
            equal = not common.differences(rows["per-kpi"], rows["wide"])  # Spark's float sums follow the plan
            same = same and equal
            for name in statements:
                print(f"{shape} {name}: median {statistics.median(times[name]):.2f} s, runs "
                      f"{[round(t, 2) for t in times[name]]}; scans: {shapes[name]}")
            print(f"{shape}: same values (1e-9): {equal}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
