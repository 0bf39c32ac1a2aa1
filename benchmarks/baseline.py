"""The hand-written baseline: what an expert writes by hand for the dashboard on DuckDB.

    python benchmarks/baseline.py --data DIR --shape SHAPE --out FILE

One SQL statement per shape (``baseline_sql/<shape>.sql``, static text): one scan per
source computing all its aggregates with FILTER clauses, the ratios across sources
combined on the aggregated rows, the result in the canonical long format. The process
opens ``DIR/commerce.duckdb`` read-only, runs the statement, fetches Arrow and writes the
canonical Parquet file: duckdb and pyarrow are all it imports.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from common import write
from shapes import SHAPES

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding commerce.duckdb")
    parser.add_argument("--shape", choices=sorted(SHAPES), required=True)
    parser.add_argument("--out", type=Path, required=True, help="canonical Parquet file to write")
    args = parser.parse_args(argv)

    sql = (HERE / "baseline_sql" / f"{args.shape}.sql").read_text()
    con = duckdb.connect(str(args.data / "commerce.duckdb"), read_only=True)
    try:
        table = con.sql(sql).to_arrow_table()
    finally:
        con.close()
    write(table, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
