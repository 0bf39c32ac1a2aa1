"""The `daily` dashboard computed with boring-semantic-layer (BSL, ibis-based) on DuckDB.

    benchmarks/.venvs/bsl/bin/python benchmarks/peers/bsl/run.py --data DIR --shape SHAPE --out FILE
    benchmarks/.venvs/bsl/bin/python benchmarks/peers/bsl/run.py --version

What a BSL user does, in this one process: connect ibis to DIR/commerce.duckdb (opened
read-only: ibis passes ``read_only=True`` on to duckdb.connect), declare one semantic table
per source table (``to_semantic_table(...).with_dimensions(...).with_measures(...)``, the
KPIs as measures: aggregates with their row filters as ``where=``, ratios and differences
as measures over measures), then query each source once per shape (``model.query(
dimensions=[period, slice], measures=[...], time_grain="month")``). BSL compiles each query
through ibis to one SQL statement that DuckDB runs; the results come back as Arrow tables.

Post-processing in Python (not in BSL), exactly:
- reshaping: the wide per-source results (one column per measure) become the long
  canonical rows (kpi, period_start, slice, value); the month bucket, a timestamp
  (ibis ``truncate("M")``) in BSL's output, is cast to a date when writing.
- the two ratios whose sides come from two tables, conversion_rate (orders / sessions) and
  after_sales_dispute_rate (disputes / orders): BSL computes each side as a measure of its
  own source (transactions, sessions, disputes: counts it already computes in the same
  per-source queries); Python aligns the two sides on (month[, slice]) like the engine does
  (keys of either side, a missing side counts 0) and divides, a zero denominator giving
  null. BSL's own way to combine two facts, a shared dimension table joined to both with
  ``join_many`` and a measure over both, gives the same values but compiles to SQL that
  first builds the full fact-to-fact join (sessions x orders per month) to find the key
  combinations: on ~1M sessions the `month` shape took 63 s with it instead of ~2 s
  (37 s for conversion_rate alone). It can be run with ``--cross-table join`` for
  reference; it gives the same values to 1e-9 on all three shapes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BENCHMARKS))

from shapes import SHAPES  # noqa: E402

PERIOD = "period"  # every model's time dimension, bucketed by the query's time_grain


def _version() -> str:
    from importlib.metadata import version

    return f"boring-semantic-layer {version('boring-semantic-layer')} (ibis-framework {version('ibis-framework')}, duckdb {version('duckdb')})"


# --- the semantic model: one semantic table per source ----------------------------------

#: source table -> (time column, slicing dimensions it has)
SOURCES = {
    "leads": ("created_at", ("segment",)),
    "orders": ("ordered_at", ("channel", "segment")),
    "sessions": ("started_at", ("channel",)),
    "quotes": ("requested_at", ("channel", "segment")),
    "carts": ("created_at", ("channel", "segment")),
    "surveys": ("answered_at", ("channel",)),
    "calls": ("started_at", ()),
    "tickets": ("created_at", ("channel",)),
    "disputes": ("opened_at", ("channel", "segment")),
}

#: KPI -> (source, measure) for the KPIs a single source computes
SINGLE_SOURCE = {
    "prospects": ("leads", "prospects"),
    "new_customers": ("orders", "new_customers"),
    "unique_visitors": ("sessions", "unique_visitors"),
    "session_duration": ("sessions", "session_duration"),
    "bounce_rate": ("sessions", "bounce_rate"),
    "revenue": ("orders", "total_revenue"),
    "profit_margin": ("orders", "profit_margin"),
    "profit_margin_rate": ("orders", "profit_margin_rate"),
    "quote_conversion_rate": ("quotes", "quote_conversion_rate"),
    "transactions": ("orders", "transactions"),
    "cart_abandonment_rate": ("carts", "cart_abandonment_rate"),
    "average_order_value": ("orders", "average_order_value"),
    "active_customers": ("orders", "active_customers"),
    "site_speed": ("sessions", "site_speed"),
    "nps": ("surveys", "nps"),
    "phone_wait_time": ("calls", "phone_wait_time"),
    "ticket_resolution_time": ("tickets", "ticket_resolution_time"),
    "late_delivery_rate": ("orders", "late_delivery_rate"),
}

#: KPI -> ((numerator source, measure), (denominator source, measure)) across two tables
CROSS_TABLE = {
    "conversion_rate": (("orders", "transactions"), ("sessions", "sessions")),
    "after_sales_dispute_rate": (("disputes", "disputes"), ("orders", "transactions")),
}


def _measures(source: str) -> list[dict]:
    """The measures of one source, in dependency order (a later dict may use an earlier one)."""
    if source == "leads":
        return [{"prospects": lambda t: t.count(where=t.stage.isin(["prospect", "customer"]))}]
    if source == "orders":
        return [
            {
                "transactions": lambda t: t.count(),
                "new_customers": lambda t: t.count(where=t.is_first_order),
                # not named like the columns: a measure over measures would read the column
                "total_revenue": lambda t: t.revenue.sum(),
                "total_cost": lambda t: t.cost.sum(),
                "active_customers": lambda t: t.customer_id.nunique(),
                "late_orders": lambda t: t.count(where=t.delivered_at > t.promised_at),
                "delivered_orders": lambda t: t.count(where=t.delivered_at.notnull()),
            },
            {
                "profit_margin": lambda t: t.total_revenue - t.total_cost,
                "profit_margin_rate": lambda t: (t.total_revenue - t.total_cost) / t.total_revenue.nullif(0),
                "average_order_value": lambda t: t.total_revenue / t.transactions.nullif(0),
                "late_delivery_rate": lambda t: t.late_orders / t.delivered_orders.nullif(0),
            },
        ]
    if source == "sessions":
        return [
            {
                "sessions": lambda t: t.count(),
                "bounced_sessions": lambda t: t.count(where=t.bounced),
                "unique_visitors": lambda t: t.visitor_id.nunique(),
                "session_duration": lambda t: t.duration_s.mean(where=~t.bounced),
                "site_speed": lambda t: t.load_time_s.mean(),
            },
            {"bounce_rate": lambda t: t.bounced_sessions / t.sessions.nullif(0)},
        ]
    if source == "quotes":
        return [
            {
                "won_quotes": lambda t: t.count(where=t.status == "won"),
                "decided_quotes": lambda t: t.count(where=t.status.isin(["won", "lost"])),
            },
            {"quote_conversion_rate": lambda t: t.won_quotes / t.decided_quotes.nullif(0)},
        ]
    if source == "carts":
        return [
            {"carts": lambda t: t.count(), "abandoned_carts": lambda t: t.count(where=~t.ordered)},
            {"cart_abandonment_rate": lambda t: t.abandoned_carts / t.carts.nullif(0)},
        ]
    if source == "surveys":
        return [
            {
                "promoters": lambda t: t.count(where=t.score >= 9),
                "detractors": lambda t: t.count(where=t.score <= 6),
                "responses": lambda t: t.score.count(),
            },
            {"nps": lambda t: 100.0 * (t.promoters - t.detractors) / t.responses.nullif(0)},
        ]
    if source == "calls":
        return [{"phone_wait_time": lambda t: t.wait_s.mean()}]
    if source == "tickets":
        return [{"ticket_resolution_time": lambda t: t.resolution_s.mean()}]
    if source == "disputes":
        return [{"disputes": lambda t: t.count()}]
    raise KeyError(source)


def semantic_model(con, source: str):
    """The BSL semantic table of one source: its time dimension, slicing dimensions and measures."""
    from boring_semantic_layer import Dimension, to_semantic_table

    time_column, dimensions = SOURCES[source]
    model = to_semantic_table(con.table(source), name=source).with_dimensions(
        **{PERIOD: Dimension(expr=lambda t, c=time_column: t[c], is_time_dimension=True)},
        **{d: (lambda t, c=d: t[c]) for d in dimensions},
    )
    for step in _measures(source):
        model = model.with_measures(**step)
    return model


# --- the queries ------------------------------------------------------------------------


def _query(model, dimension: str | None, measures: list[str]):
    """One BSL query: the measures per month (and slice), as an Arrow table."""
    dimensions = [PERIOD] + ([dimension] if dimension else [])
    return model.query(dimensions=dimensions, measures=measures, time_grain="month").to_pyarrow()


def _rows(table, dimension: str | None, measure: str):
    """(period, slice, value) from a result table (reshaping only)."""
    periods = table.column(PERIOD).to_pylist()
    slices = table.column(dimension).to_pylist() if dimension else [None] * table.num_rows
    return zip(periods, slices, table.column(measure).to_pylist())


def _cross_table_join(con, kpi: str, dimension: str | None):
    """BSL's own way (for reference, slow): a key table joined to both facts with join_many
    and a measure over both. The key table is every (month[, slice]) of either side; the
    join is on plain equality, so a null slice value would find no match (the demo data has none)."""
    from boring_semantic_layer import to_semantic_table

    (num_source, num_measure), (den_source, den_measure) = CROSS_TABLE[kpi]
    keys = ["month"] + ([dimension] if dimension else [])

    def fact(source):
        table = con.table(source)
        table = table.mutate(month=table[SOURCES[source][0]].truncate("M"))
        model = to_semantic_table(table, name=source)
        for step in _measures(source):
            model = model.with_measures(**step)
        return table, model

    (num_table, num_model), (den_table, den_model) = fact(num_source), fact(den_source)
    key_table = num_table.select(*keys).union(den_table.select(*keys)).distinct()
    key_model = to_semantic_table(key_table, name="k").with_dimensions(**{k: (lambda t, c=k: t[c]) for k in keys})

    def on(k, f):
        predicate = k.month == f.month
        return predicate & (k[dimension] == f[dimension]) if dimension else predicate

    joined = key_model.join_many(num_model, on).join_many(den_model, on)
    num, den = f"{num_source}.{num_measure}", f"{den_source}.{den_measure}"
    joined = joined.with_measures(**{kpi: lambda t: t[num] / t[den].nullif(0)})
    table = joined.query(dimensions=[f"k.{k}" for k in keys], measures=[kpi]).to_pyarrow()
    slices = table.column(f"k.{dimension}").to_pylist() if dimension else [None] * table.num_rows
    return zip(table.column("k.month").to_pylist(), slices, table.column(kpi).to_pylist())


def compute(data: Path, shape: str, cross_table: str = "python"):
    import ibis
    import pyarrow as pa

    _grain, dimension, kpis = SHAPES[shape]
    con = ibis.duckdb.connect(str(data / "commerce.duckdb"), read_only=True)

    # Which measures each source must deliver for the shape's KPIs.
    wanted: dict[str, list[str]] = {}
    for kpi in kpis:
        if kpi in SINGLE_SOURCE:
            sides = [SINGLE_SOURCE[kpi]]
        elif cross_table == "python":
            sides = list(CROSS_TABLE[kpi])
        else:
            continue
        for source, measure in sides:
            if measure not in wanted.setdefault(source, []):
                wanted[source].append(measure)

    results = {}
    for source, measures in wanted.items():
        if dimension and dimension not in SOURCES[source][1]:
            raise ValueError(f"{source} has no dimension {dimension}")
        results[source] = _query(semantic_model(con, source), dimension, measures)

    columns = {"kpi": [], "period_start": [], "slice": [], "value": []}

    def emit(kpi, rows):
        for period, slice_, value in rows:
            columns["kpi"].append(kpi)
            columns["period_start"].append(period)
            columns["slice"].append(slice_)
            columns["value"].append(value)

    for kpi in kpis:
        if kpi in SINGLE_SOURCE:
            source, measure = SINGLE_SOURCE[kpi]
            emit(kpi, _rows(results[source], dimension, measure))
        elif cross_table == "join":
            emit(kpi, _cross_table_join(con, kpi, dimension))
        else:
            # Python, not BSL: align the two sides' aggregated rows on (month[, slice]) and
            # divide (keys of either side; a missing side counts 0; 0 denominator -> null).
            (num_source, num_measure), (den_source, den_measure) = CROSS_TABLE[kpi]
            num = {(p, s): v for p, s, v in _rows(results[num_source], dimension, num_measure)}
            den = {(p, s): v for p, s, v in _rows(results[den_source], dimension, den_measure)}
            keys = sorted(num.keys() | den.keys(), key=lambda k: (k[0], k[1] is None, k[1] or ""))
            emit(kpi, ((p, s, (num.get((p, s)) or 0) / d if (d := den.get((p, s)) or 0) else None) for p, s in keys))

    periods = pa.array(columns["period_start"], pa.timestamp("us")).cast(pa.date32())
    return pa.table(
        {
            "kpi": pa.array(columns["kpi"], pa.string()),
            "period_start": periods,
            "slice": pa.array(columns["slice"], pa.string()),
            "value": pa.array(columns["value"], pa.float64()),
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="store_true", help="print the tool's name and version")
    parser.add_argument("--data", type=Path, help="folder with commerce.duckdb")
    parser.add_argument("--shape", choices=sorted(SHAPES))
    parser.add_argument("--out", type=Path, help="canonical Parquet file to write")
    parser.add_argument(
        "--cross-table",
        choices=["python", "join"],
        default="python",
        help="two-table ratios: each side in BSL, divided in Python (default), or BSL join_many over a key table (slow)",
    )
    args = parser.parse_args(argv)
    if args.version:
        print(_version())
        return 0
    if not (args.data and args.shape and args.out):
        parser.error("--data, --shape and --out are required")

    from common import write

    write(compute(args.data, args.shape, args.cross_table), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
