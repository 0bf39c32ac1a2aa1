"""Compile-only targets: golden SQL of the shipped catalog for warehouses not executed here.

Snowflake, BigQuery, Trino, Redshift and Databricks have no adapter in this repository
(README, "Connections and engines"); their SQL is pinned by goldens under
``tests/golden_targets/<case>/<dialect>.sql``, each of which must parse back in its own
dialect. Regenerate and review like the other goldens::

    KPI_UPDATE_GOLDEN=1 python -m pytest tests/test_compile_targets.py
    git diff tests/golden_targets/
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from kpi_engine.shipped import load_shipped

GOLDEN = Path(__file__).parent / "golden_targets"
TARGETS = ("snowflake", "bigquery", "trino", "redshift", "databricks")
UPDATE = os.environ.get("KPI_UPDATE_GOLDEN") == "1"

CASES = {
    # The daily dashboard: ratios across sources, filters, sums, NPS; per month.
    "daily_month": dict(dashboard="daily", grain="month"),
    # The web shop's KPIs per month and channel.
    "shop_month_by_channel": dict(
        kpis=["conversion_rate", "cart_abandonment_rate", "bounce_rate", "revenue", "average_order_value", "late_delivery_rate"],
        grain="month", by=["channel"],
    ),
    # Distinct counts, margins and a funnel over a half-open period, by week.
    "funnel_week_period": dict(
        kpis=["active_customers", "profit_margin_rate", "quote_conversion_rate", "new_customers", "sessions_per_visitor"],
        grain="week", start=date(2026, 1, 1), end=date(2026, 4, 1),
    ),
    # Every KPI of the catalog, whole period, no grain.
    "catalog_total": dict(dashboard="detailed"),
}


@pytest.fixture(scope="module")
def engine():
    return kpi_engine.Engine(load_shipped(), "duckdb://")


@pytest.mark.parametrize("dialect", TARGETS)
@pytest.mark.parametrize("case", list(CASES))
def test_target_golden(engine, case, dialect):
    sql = engine.compile(dialect, **CASES[case]) + "\n"
    path = GOLDEN / case / f"{dialect}.sql"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no golden {path}: run with KPI_UPDATE_GOLDEN=1 to create it"
    assert sql == path.read_text(encoding="utf-8"), f"{case}/{dialect}.sql differs; see the module docstring"


@pytest.mark.parametrize("dialect", TARGETS)
@pytest.mark.parametrize("case", list(CASES))
def test_target_golden_parses_back(case, dialect):
    text = (GOLDEN / case / f"{dialect}.sql").read_text(encoding="utf-8")
    tree = sqlglot.parse_one(text, read=dialect)
    assert isinstance(tree, exp.Query)
    assert tree.sql(dialect=dialect, pretty=True) + "\n" == text


def test_every_target_golden_belongs_to_a_case():
    assert {(p.parent.name, p.stem) for p in GOLDEN.glob("*/*.sql")} == {(c, d) for c in CASES for d in TARGETS}


def test_no_filter_clause_reaches_any_target(engine):
    # Conditional aggregates are CASE inside the aggregate, portable everywhere (C7: FILTER
    # passed through to MySQL); Snowflake/BigQuery must not get COUNT_IF/IFF rewrites either.
    for dialect in TARGETS:
        text = engine.compile(dialect, **CASES["shop_month_by_channel"])
        assert "FILTER" not in text and "COUNT_IF" not in text.upper()
