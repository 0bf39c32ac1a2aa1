"""Compute a benchmark shape of the `daily` dashboard with sidemantic on DuckDB.

    benchmarks/.venvs/sidemantic/bin/python benchmarks/peers/sidemantic/run.py \
        --data DIR --shape SHAPE --out FILE

What a sidemantic user does: load the semantic model (models.yml beside this file, the
native sidemantic YAML: one model per source table, with its time dimension, slicing
dimensions and metrics, including filtered, ratio and derived metrics), open the layer on
DIR/commerce.duckdb through sidemantic's own DuckDB adapter (read-only), and query the
shape's metrics grouped by month [and channel or segment]. Sidemantic compiles each query
to SQL (with sqlglot) and runs it on its DuckDB connection.

One query per source model (its KPIs, by the model's own time dimension at month grain
and the model's slicing dimension), plus one query for the cross-source ratios, grouped by
the dimensions of the `conformed` model they are aligned on (see
models.yml for why). Every value comes out of sidemantic's SQL; the only Python
post-processing is reshaping its wide result rows (one column per metric) into the
canonical long rows (kpi, period_start, slice, value).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # benchmarks/: common.py and shapes.py

MODELS = HERE / "models.yml"
# Where the cross-source (graph-level) ratios get their month and slice from.
CONFORMED = {"time": "conformed.month", "channel": "conformed.channel", "segment": "conformed.segment"}


def version() -> str:
    from importlib.metadata import version as dist_version

    return f"sidemantic {dist_version('sidemantic')}"


def plan(layer, kpis: tuple[str, ...]) -> dict[str | None, list[str]]:
    """Group the KPIs by the model that defines their metric (None: graph-level, cross-source)."""
    owner = {name: None for name in layer.graph.metrics}  # graph-level metrics
    for model in layer.graph.models.values():
        for metric in model.metrics:
            owner.setdefault(metric.name, model.name)
    groups: dict[str | None, list[str]] = {}
    for kpi in kpis:
        if kpi not in owner:
            raise SystemExit(f"models.yml defines no metric for KPI {kpi!r}")
        groups.setdefault(owner[kpi], []).append(kpi)
    return groups


def run(data: Path, shape: str, out: Path) -> int:
    import pyarrow as pa

    import common
    from shapes import SHAPES
    from sidemantic import SemanticLayer

    grain, dim, kpis = SHAPES[shape]
    database = (data / "commerce.duckdb").resolve()
    layer = SemanticLayer.from_yaml(MODELS, connection=f"duckdb:///{database}?read_only=true")

    columns: dict[str, list] = {"kpi": [], "period_start": [], "slice": [], "value": []}
    for model_name, names in plan(layer, kpis).items():
        if model_name is None:
            time_ref = CONFORMED["time"]
            dim_ref = CONFORMED[dim] if dim else None
            metrics = names
        else:
            model = layer.get_model(model_name)
            time_ref = f"{model_name}.{model.default_time_dimension}"
            dim_ref = f"{model_name}.{dim}" if dim else None
            metrics = [f"{model_name}.{name}" for name in names]
        dimensions = [f"{time_ref}__{grain}"] + ([dim_ref] if dim_ref else [])
        result = layer.query(metrics=metrics, dimensions=dimensions)
        header = [d[0] for d in result.description]
        rows = result.fetchall()
        # Reshape only: wide rows (period, [slice,] one column per metric) to long rows.
        at = {name: header.index(name) for name in names}
        for row in rows:
            period, slice_ = row[0], (row[1] if dim else None)
            for name in names:
                value = row[at[name]]
                if value is not None:
                    columns["kpi"].append(name)
                    columns["period_start"].append(period)
                    columns["slice"].append(slice_)
                    columns["value"].append(float(value))
    layer.adapter.close()
    common.write(pa.table(columns), out)
    return len(columns["kpi"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the tool's name and version")
    parser.add_argument("--data", type=Path, help="folder with commerce.duckdb")
    parser.add_argument("--shape", help="month, month_channel or month_segment")
    parser.add_argument("--out", type=Path, help="canonical result Parquet to write")
    args = parser.parse_args(argv)
    if args.version:
        print(version())
        return 0
    if not (args.data and args.shape and args.out):
        parser.error("--data, --shape and --out are required")
    run(args.data, args.shape, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
