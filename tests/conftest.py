"""Shared fixtures: a tiny shop in a DuckDB file with definitions beside it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import duckdb
import pytest


SHOP_DEFINITIONS = """\
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel]
  sessions:
    table: sessions
    time: started_at
    dimensions: [channel]
kpis:
  conversion_rate:
    title: Conversion rate
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    unit: percent
    target: 0.5
    thresholds: {warn: 0.4, critical: 0.2}
    tags: [daily]
  revenue:
    value: {source: orders, expr: sum(revenue)}
    unit: currency
    tags: [daily]
  late_delivery_rate:
    numerator:   {source: orders, expr: count(*), where: delivered_at > promised_at}
    denominator: {source: orders, expr: count(*), where: delivered_at is not null}
    unit: percent
    direction: lower
    thresholds: {warn: 0.05, critical: 0.10}
dashboards:
  daily: {title: Daily, kpis: [conversion_rate, revenue]}
"""

# (ordered_at, channel, revenue, promised_at, delivered_at)
ORDERS = [
    ("2025-01-03 10:00", "web", 100.0, "2025-01-05", "2025-01-04"),
    ("2025-01-20 11:00", "web", 50.0, "2025-01-22", "2025-01-25"),
    ("2025-01-21 12:00", "app", 30.0, "2025-01-23", None),
    ("2025-02-02 09:00", "web", 80.0, "2025-02-04", "2025-02-04"),
]
# (started_at, channel)
SESSIONS = [
    ("2025-01-01 08:00", "web"), ("2025-01-02 08:00", "web"), ("2025-01-03 08:00", "web"),
    ("2025-01-04 08:00", "web"), ("2025-01-05 08:00", "app"), ("2025-02-01 08:00", "web"),
    ("2025-02-02 08:00", "web"), ("2025-02-03 08:00", "app"),
]


def build_shop(folder: Path) -> tuple[Path, Path]:
    """Write the shop's definitions and DuckDB file under ``folder``; return (defs dir, db file)."""
    defs = folder / "definitions"
    defs.mkdir(parents=True, exist_ok=True)
    (defs / "shop.yaml").write_text(textwrap.dedent(SHOP_DEFINITIONS))
    db = folder / "shop.duckdb"
    con = duckdb.connect(str(db))
    con.execute(
        "CREATE TABLE orders (ordered_at TIMESTAMP, channel VARCHAR, revenue DOUBLE, promised_at TIMESTAMP, delivered_at TIMESTAMP)"
    )
    con.executemany("INSERT INTO orders VALUES (?, ?, ?, ?, ?)", ORDERS)
    con.execute("CREATE TABLE sessions (started_at TIMESTAMP, channel VARCHAR)")
    con.executemany("INSERT INTO sessions VALUES (?, ?)", SESSIONS)
    con.close()
    return defs, db


@pytest.fixture
def shop(tmp_path) -> tuple[Path, str]:
    """(definitions dir, duckdb URL) of the tiny shop."""
    defs, db = build_shop(tmp_path)
    return defs, f"duckdb:///{db}"
