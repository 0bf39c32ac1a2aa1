"""kpi crosscheck matches rows on what identifies them and compares only computed values.

Two engines agree when their numerators, denominators and values agree within the
tolerance; columns derived from those (pace, comparisons, trends, statuses) may differ
in their last bits without turning a row into "missing" on one side.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from engines import duckdb as duckdb_engine
from engines import postgres as postgres_engine
from engines import sqlite as sqlite_engine
from kpi_engine.crosscheck import Tolerance, differences, keys, row_count
from kpi_engine.demo.generator import generate_tables
from kpi_engine.shipped import load_shipped
from kpi_engine.testing import invoke

REPO = Path(__file__).resolve().parent.parent

LEFT = {
    "kpi": ["aov", "aov", "top"],
    "period_start": [date(2025, 1, 1), date(2025, 2, 1), date(2025, 1, 1)],
    "channel": ["web", "web", "web"],
    "item": [None, None, "p1"],
    "rank": [None, None, 1],
    "numerator": [0.1 + 0.2, 7.0, 5.0],
    "denominator": [3.0, 2.0, None],
    "value": [(0.1 + 0.2) / 3, 3.5, 5.0],
    "compare_value": [0.3, 0.1 + 0.2, None],
    "change": [(0.1 + 0.2) / 3 - 0.3, 3.5 - (0.1 + 0.2), None],
    "pace": [1.0 / 3, None, None],
    "trend": [0.1 + 0.7, None, None],
    "status": ["ok", "warn", "unrated"],
}


def _right(**changes) -> pa.Table:
    columns = {name: list(values) for name, values in LEFT.items()}
    for name, values in changes.items():
        columns[name] = values
    return pa.table(columns)


def _next(x: float) -> float:
    return math.nextafter(x, math.inf)


def test_last_bits_of_derived_columns_never_make_a_row_missing():
    left = pa.table(LEFT)
    # What SQLite and PostgreSQL give for the same sums: equal up to the last bit.
    right = _right(
        value=[_next(LEFT["value"][0]), 3.5, 5.0],
        numerator=[0.3, 7.0, 5.0],  # 0.1 + 0.2 summed in another order
        compare_value=[_next(0.3), 0.3, None],
        change=[_next(LEFT["change"][0]), 3.5 - 0.3, None],
        pace=[_next(1.0 / 3), None, None],
        trend=[0.8, None, None],
        status=["ok", "warn", "unrated"],
    )
    assert 0.1 + 0.2 != 0.3 and 0.1 + 0.7 != 0.8  # the columns really differ
    assert differences(left, right, by=["channel"]) == []
    assert row_count([left, right], by=["channel"]) == 3


def test_values_beyond_the_tolerance_are_reported_by_field():
    right = _right(value=[0.2, 3.5, 5.5], numerator=[0.3, 7.0, 5.5])
    found = differences(pa.table(LEFT), right, by=["channel"])
    assert [(d["kpi"], d["period_start"], d.get("item"), d["field"], d["left"], d["right"]) for d in found] == [
        ("aov", date(2025, 1, 1), None, "value", LEFT["value"][0], 0.2),
        ("top", date(2025, 1, 1), "p1", "numerator", 5.0, 5.5),
        ("top", date(2025, 1, 1), "p1", "value", 5.0, 5.5),
    ]
    assert found[0]["difference"] == pytest.approx(0.2 - LEFT["value"][0])
    loose = differences(pa.table(LEFT), right, Tolerance(relative=0.6), by=["channel"])
    assert loose == []


def test_a_row_on_one_side_only_is_missing_on_the_other():
    right = _right(period_start=[date(2025, 1, 1), date(2025, 3, 1), date(2025, 1, 1)])
    found = differences(pa.table(LEFT), right, by=["channel"])
    assert [(d["period_start"], d["field"], d["left"], d["right"]) for d in found] == [
        (date(2025, 2, 1), "row", "present", "missing"),
        (date(2025, 3, 1), "row", "missing", "present"),
    ]


def test_rows_are_identified_by_kpi_period_slice_and_item():
    assert keys(pa.table(LEFT), by=["channel"]) == ("kpi", "period_start", "channel", "item")
    whole = pa.table({"kpi": ["a"], "value": [1.0], "pace": [2.0], "status": ["ok"]})
    assert keys(whole, by=()) == ("kpi",)
    assert keys(pa.table(LEFT)) == ("kpi", "period_start", "channel", "item")  # the columns before numerator, but rank


@pytest.fixture(scope="module")
def demo_tables():
    return generate_tables(seed=7, months=3, scale=0.15)


@pytest.fixture(scope="module")
def channel_kpis():
    catalog = load_shipped()
    return [
        k.name for k in catalog.kpis.values()
        if k.formula is None and all(catalog.sources[s].dimension("channel") for s in k.sources)
    ]


@pytest.mark.parametrize("against", [sqlite_engine, postgres_engine], ids=lambda m: m.NAME)
@pytest.mark.parametrize("options", [
    ("--grain", "week", "--compare", "previous_period", "--by", "channel"),
    ("--period", "mtd", "--as-of", "2026-01-20", "--by", "channel", "--compare", "previous_period"),
], ids=["weeks-compared", "mtd-paced"])
def test_two_engines_on_the_same_data_agree(demo_tables, channel_kpis, tmp_path, against, options):
    """The issue's case: the shipped KPIs sliced by channel, DuckDB against another engine."""
    selection = [arg for name in channel_kpis for arg in ("--kpi", name)]
    for side in ("left", "right"):
        (tmp_path / side).mkdir()
    with duckdb_engine.provision(demo_tables, tmp_path / "left") as left, \
            against.provision(demo_tables, tmp_path / "right") as right:
        result = invoke(["crosscheck", str(REPO / "definitions"), "--project-dir", str(REPO), *selection, "--connection", left, "--against", right,
                         *options, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("crosscheck: 0 of "), summary
    assert int(summary.split()[3]) > len(channel_kpis)  # sliced rows, not one per KPI
