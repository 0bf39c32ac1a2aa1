"""Spark: shared CTEs read whole at every reference, against the plain statement.

    python benchmarks/spark_shared_ctes.py --data benchmarks/data/sf1 [--rounds 3] [--threads 2]

For the month and month x channel shapes of the daily dashboard, one local Spark
session (``spark://local[N]?views=DIR``) runs the statement kpi-engine compiles for Spark
("new": every reference to a CTE read more than once selects it whole behind an
always-true filter, see ``kpi_engine/dialects/spark.py``) and the same statement with
that wrapper removed ("old"), alternating which goes first, after one untimed round.
Printed per shape: the median and every timed run of each, the reused exchanges in the
final adaptive plan, and whether both return the same rows. Needs kpi-spark and Java 17.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from shapes import SHAPES  # noqa: E402

WRAPPER = re.compile(r"\(SELECT \* FROM (`\w+`) WHERE LENGTH\(TO_JSON\(STRUCT\(\*\)\)\) > 0\) AS `\w+`")


def _values(table) -> dict:
    keys = [c for c in table.column_names if c not in ("numerator", "denominator", "value", "_ord")]
    return {tuple(r[k] for k in keys): r["value"] for r in table.to_pylist()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from kpi_engine import Engine
    from kpi_engine.shipped import load_shipped

    url = f"spark://local%5B{args.threads}%5D?views={args.data.resolve()}"
    same = True
    with Engine(load_shipped(), url) as engine:
        session = engine.connect().session
        for shape in ("month", "month_channel"):
            grain, by, kpis = SHAPES[shape]
            new = engine.compile("spark", kpis=list(kpis), grain=grain, by=[by] if by else [], pretty=False)
            old = WRAPPER.sub(r"\1", new)
            times: dict[str, list[float]] = {"old": [], "new": []}
            reused, rows = {}, {}
            for index in range(args.rounds + 1):
                order = (("old", old), ("new", new)) if index % 2 else (("new", new), ("old", old))
                for name, sql in order:
                    start = time.perf_counter()
                    frame = session.sql(sql)
                    table = frame.toArrow()
                    if index:  # the first round is a warm-up
                        times[name].append(time.perf_counter() - start)
                    reused[name] = frame._jdf.queryExecution().executedPlan().toString().count("ReusedExchange")
                    rows[name] = _values(table)
            equal = not common.differences(rows["old"], rows["new"])  # Spark's float sums follow the plan's order
            same = same and equal
            print(f"{shape}: median old {statistics.median(times['old']):.2f} s, new "
                  f"{statistics.median(times['new']):.2f} s; runs old {[round(t, 2) for t in times['old']]}, "
                  f"new {[round(t, 2) for t in times['new']]}; reused exchanges old {reused['old']}, "
                  f"new {reused['new']}; same values (1e-9): {equal}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
