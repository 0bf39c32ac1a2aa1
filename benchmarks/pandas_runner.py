"""pandas over the same Parquet files: one groupby per source, the KPIs from its rows.

    python benchmarks/pandas_runner.py --data DIR --shape SHAPE --out FILE

What a pandas user writes: read only the columns each source needs
(``pd.read_parquet(..., columns=...)``), add the month bucket and the row filters as
columns, one ``groupby(...).agg(...)`` per source over (month[, slice]), then the KPIs
from the aggregated frames; the two ratios across sources align their sides on the keys
(outer join, a missing count is 0). Division by zero gives null, as in SQL. A null slice
(e.g. carts of guests have no segment) is one group of its own, like SQL's GROUP BY.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from common import write
from shapes import SHAPES

#: stands for a null slice while grouping and aligning (NaN keys do not align reliably)
_NULL = "\x00null"


def _frame(data: Path, table: str, time: str, columns: list[str], by: str | None) -> pd.DataFrame:
    df = pd.read_parquet(data / f"{table}.parquet", columns=[time, *columns] + ([by] if by else []))
    df["period_start"] = df[time].to_numpy().astype("datetime64[M]")
    if by:
        df["slice"] = df[by].fillna(_NULL)
    return df


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator.astype("float64") / denominator.astype("float64").where(denominator != 0)


def compute(data: Path, shape: str) -> pd.DataFrame:
    """The shape's KPIs as a long frame: kpi, period_start, slice, value."""
    _, by, kpis = SHAPES[shape]
    keys = ["period_start", "slice"] if by else ["period_start"]
    wanted = set(kpis)
    out: dict[str, pd.Series] = {}

    def has(source_dims: tuple[str, ...]) -> bool:
        return by is None or by in source_dims

    if "prospects" in wanted:
        df = _frame(data, "leads", "created_at", ["stage"], by)
        df["prospect"] = df["stage"].isin(["prospect", "customer"])
        out["prospects"] = df.groupby(keys, sort=False)["prospect"].sum()

    orders = None
    if wanted & {"new_customers", "revenue", "profit_margin", "profit_margin_rate", "transactions",
                 "conversion_rate", "average_order_value", "active_customers", "after_sales_dispute_rate",
                 "late_delivery_rate"}:
        df = _frame(data, "orders", "ordered_at",
                    ["customer_id", "revenue", "cost", "is_first_order", "promised_at", "delivered_at"], by)
        df["late"] = df["delivered_at"] > df["promised_at"]
        orders = df.groupby(keys, sort=False).agg(
            orders=("revenue", "size"),
            first_orders=("is_first_order", "sum"),
            revenue=("revenue", "sum"),
            cost=("cost", "sum"),
            customers=("customer_id", "nunique"),
            late=("late", "sum"),
            delivered=("delivered_at", "count"),
        )
        out["new_customers"] = orders["first_orders"]
        out["revenue"] = orders["revenue"]
        out["profit_margin"] = orders["revenue"] - orders["cost"]
        out["profit_margin_rate"] = _ratio(orders["revenue"] - orders["cost"], orders["revenue"])
        out["transactions"] = orders["orders"]
        out["average_order_value"] = _ratio(orders["revenue"], orders["orders"])
        out["active_customers"] = orders["customers"]
        out["late_delivery_rate"] = _ratio(orders["late"], orders["delivered"])

    if wanted & {"unique_visitors", "session_duration", "bounce_rate", "site_speed", "conversion_rate"}:
        df = _frame(data, "sessions", "started_at", ["visitor_id", "duration_s", "bounced", "load_time_s"], by)
        df["engaged_duration"] = df["duration_s"].where(~df["bounced"])
        sessions = df.groupby(keys, sort=False).agg(
            sessions=("visitor_id", "size"),
            visitors=("visitor_id", "nunique"),
            engaged_duration=("engaged_duration", "mean"),
            bounces=("bounced", "sum"),
            load_time=("load_time_s", "mean"),
        )
        out["unique_visitors"] = sessions["visitors"]
        out["session_duration"] = sessions["engaged_duration"]
        out["bounce_rate"] = _ratio(sessions["bounces"], sessions["sessions"])
        out["site_speed"] = sessions["load_time"]
        if "conversion_rate" in wanted:
            both = pd.concat([orders["orders"], sessions["sessions"]], axis=1, join="outer")
            out["conversion_rate"] = _ratio(both["orders"].fillna(0), both["sessions"])

    if "quote_conversion_rate" in wanted:
        df = _frame(data, "quotes", "requested_at", ["status"], by)
        df["won"] = df["status"] == "won"
        df["decided"] = df["status"].isin(["won", "lost"])
        quotes = df.groupby(keys, sort=False).agg(won=("won", "sum"), decided=("decided", "sum"))
        out["quote_conversion_rate"] = _ratio(quotes["won"], quotes["decided"])

    if "cart_abandonment_rate" in wanted:
        df = _frame(data, "carts", "created_at", ["ordered"], by)
        df["abandoned"] = ~df["ordered"]
        carts = df.groupby(keys, sort=False).agg(carts=("ordered", "size"), abandoned=("abandoned", "sum"))
        out["cart_abandonment_rate"] = _ratio(carts["abandoned"], carts["carts"])

    if "nps" in wanted:
        df = _frame(data, "surveys", "answered_at", ["score"], by)
        df["promoter"] = df["score"] >= 9
        df["detractor"] = df["score"] <= 6
        surveys = df.groupby(keys, sort=False).agg(
            answers=("score", "count"), promoters=("promoter", "sum"), detractors=("detractor", "sum")
        )
        out["nps"] = _ratio(100.0 * (surveys["promoters"] - surveys["detractors"]), surveys["answers"])

    if "phone_wait_time" in wanted:
        df = _frame(data, "calls", "started_at", ["wait_s"], by)
        out["phone_wait_time"] = df.groupby(keys, sort=False)["wait_s"].mean()

    if "ticket_resolution_time" in wanted:
        df = _frame(data, "tickets", "created_at", ["resolution_s"], by)
        out["ticket_resolution_time"] = df.groupby(keys, sort=False)["resolution_s"].mean()

    if "after_sales_dispute_rate" in wanted:
        df = _frame(data, "disputes", "opened_at", [], by)
        disputes = df.groupby(keys, sort=False).size().rename("disputes")
        both = pd.concat([disputes, orders["orders"]], axis=1, join="outer")
        out["after_sales_dispute_rate"] = _ratio(both["disputes"].fillna(0), both["orders"])

    frames = []
    for name in kpis:
        values = out[name].astype("float64").rename("value").reset_index()
        values.insert(0, "kpi", name)
        frames.append(values)
    result = pd.concat(frames, ignore_index=True)
    if by:
        result["slice"] = result["slice"].where(result["slice"] != _NULL, None)
    else:
        result["slice"] = None
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder holding <table>.parquet")
    parser.add_argument("--shape", choices=sorted(SHAPES), required=True)
    parser.add_argument("--out", type=Path, required=True, help="canonical Parquet file to write")
    args = parser.parse_args(argv)

    result = compute(args.data, args.shape)
    write(
        pa.table({
            "kpi": pa.array(result["kpi"], pa.string()),
            "period_start": pa.array(result["period_start"].to_numpy().astype("datetime64[D]"), pa.date32()),
            "slice": pa.array(result["slice"], pa.string(), from_pandas=True),
            "value": pa.array(result["value"].to_numpy(np.float64), pa.float64(), from_pandas=True),
        }),
        args.out,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
