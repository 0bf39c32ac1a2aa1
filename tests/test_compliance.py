"""Compliance rules of DESIGN.md, table-driven: expected statuses written by hand."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from kpi_engine.compliance import attainment, judge, status, worst
from kpi_engine.model import Band, Catalog, Kpi, Location, Measure, Thresholds, Expression
from sqlglot import exp

AT = Location("k.yaml", 1)
NUM = Measure("orders", Expression("count(*)", exp.Count(this=exp.Star())))


def kpi(direction="higher", target=None, warn=None, critical=None, ratio=True) -> Kpi:
    return Kpi(
        name="k", location=AT, direction=direction, target=target,
        thresholds=Thresholds(warn=warn, critical=critical),
        numerator=NUM, denominator=NUM if ratio else None,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.05, "ok"), (0.03, "ok"), (0.025, "ok"), (0.0249, "warn"), (0.02, "warn"), (0.0199, "critical"), (0.0, "critical")],
)
def test_higher(value, expected):
    assert status(kpi("higher", 0.03, 0.025, 0.02), value, 100) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.01, "ok"), (0.05, "ok"), (0.0501, "warn"), (0.10, "warn"), (0.1001, "critical")],
)
def test_lower(value, expected):
    assert status(kpi("lower", None, 0.05, 0.10), value, 100) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, "ok"), (7, "ok"), (10, "ok"), (3.9, "warn"), (10.5, "warn"), (2, "warn"), (1.99, "critical"), (1000, "warn")],
)
def test_range_target_is_warn_band_and_open_critical_side(value, expected):
    # ROAS of DESIGN.md: good between 4 and 10, never below 2.
    k = kpi("range", Band(4, 10), None, Band(2, None))
    assert status(k, value, 1) == expected


def test_range_with_both_bands():
    k = kpi("range", None, Band(0.2, 0.8), Band(0.1, 0.9))
    assert [status(k, v, 1) for v in (0.5, 0.15, 0.85, 0.05, 0.95)] == ["ok", "warn", "warn", "critical", "critical"]


def test_target_alone_is_the_warn_line():
    assert status(kpi("higher", 0.03), 0.029, 1) == "warn"
    assert status(kpi("higher", 0.03), 0.03, 1) == "ok"
    assert status(kpi("lower", 30), 31, 1) == "warn"


def test_only_critical_line():
    k = kpi("higher", None, None, 0.5)
    assert [status(k, v, 1) for v in (0.4, 0.5, 0.6)] == ["critical", "ok", "ok"]


def test_unrated_and_no_data():
    assert status(kpi(), 0.5, 1) == "unrated"
    assert status(kpi("higher", 0.03), None, 10) == "no_data"
    assert status(kpi("higher", 0.03), float("nan"), 10) == "no_data"
    assert status(kpi("higher", 0.03), 0.0, 0) == "no_data"
    assert status(kpi("higher", 0.03), 0.0, None) == "no_data"
    # A value KPI has no denominator: only its value matters.
    assert status(kpi("higher", 10, ratio=False), 12, None) == "ok"
    assert status(kpi(ratio=False), None, None) == "no_data"


def test_attainment():
    assert attainment(kpi("higher", 0.04), 0.03) == pytest.approx(0.75)
    assert attainment(kpi("range", Band(4, 10)), 5) is None
    assert attainment(kpi("higher", 0.0), 1) is None
    assert attainment(kpi("higher", 2), None) is None


def test_judge_appends_columns():
    catalog = Catalog(root=".", kpis={"k": kpi("higher", 0.03, 0.025, 0.02)})
    table = pa.table({
        "kpi": ["k", "k", "k"],
        "numerator": [3.0, 1.0, 0.0],
        "denominator": [100.0, 50.0, 0.0],
        "value": [0.03, 0.02 - 1e-9, None],
    })
    out = judge(table, catalog)
    assert out.column_names == ["kpi", "numerator", "denominator", "value", "target", "attainment", "status"]
    assert out.column("status").to_pylist() == ["ok", "critical", "no_data"]
    assert out.column("target").to_pylist() == [0.03, 0.03, 0.03]
    got = out.column("attainment").to_pylist()
    assert math.isclose(got[0], 1.0) and got[2] is None


def test_worst():
    assert worst(["ok", "warn", "no_data"]) == "warn"
    assert worst(["ok", "critical", "warn"]) == "critical"
    assert worst([]) is None
