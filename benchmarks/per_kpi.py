"""One query per KPI: kpi-engine's library, but one SQL statement for each KPI.

    python benchmarks/per_kpi.py --data DIR --shape SHAPE --out FILE

The naive strategy many tools use: the shipped catalog is loaded once and one
connection opened to ``DIR/commerce.duckdb``, then each KPI of the shape is planned,
compiled and run on its own (``Engine.run(kpis=[name], ...)``), so every KPI scans its
source(s) again: the orders table is read 9 times for the month shape, sessions 6 times.
The per-KPI results are concatenated and written as the canonical file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa

from common import write
from shapes import SHAPES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding commerce.duckdb")
    parser.add_argument("--shape", choices=sorted(SHAPES), required=True)
    parser.add_argument("--out", type=Path, required=True, help="canonical Parquet file to write")
    args = parser.parse_args(argv)

    from kpi_engine.engine import Engine
    from kpi_engine.plugins import get_plugins
    from kpi_engine.shipped import load_shipped

    grain, by, kpis = SHAPES[args.shape]
    plugins = get_plugins()
    catalog = load_shipped(plugins)
    url = f"duckdb:///{(args.data / 'commerce.duckdb').resolve()}"
    parts = []
    with Engine(catalog, url, plugins=plugins) as engine:
        for name in kpis:
            table = engine.run(kpis=[name], grain=grain, by=(by,) if by else ())
            slice_ = table.column(by).cast(pa.string()) if by else pa.nulls(table.num_rows, pa.string())
            parts.append(pa.table({"kpi": table.column("kpi"), "period_start": table.column("period_start"),
                                   "slice": slice_, "value": table.column("value")}))
    write(pa.concat_tables(parts), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
