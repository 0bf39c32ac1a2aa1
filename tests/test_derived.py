"""Derived KPIs: a formula over other KPIs, evaluated on aligned rows (same period and slice).

The tiny shop of conftest.py, by hand:
  orders   Jan: web 100 + 50, app 30      Feb: web 80
  sessions Jan: web 4, app 1              Feb: web 2, app 1
"""

from __future__ import annotations

import math

import pytest

import kpi_engine

DERIVED = """\
kpis:
  aov:
    numerator: {source: orders, expr: sum(revenue)}
    denominator: {source: orders, expr: count(*)}
  revenue_per_session:               # AOV x conversion = revenue / sessions
    formula: aov * conversion_rate
  yearly_value_per_session:          # a constant factor, like CLV's lifespan
    formula: aov * conversion_rate * 12
  session_value_ratio:               # a ratio of formulas: numerator and denominator are its sides
    formula: revenue_per_session / aov
"""


@pytest.fixture
def engine(shop):
    defs, url = shop
    (defs / "derived.yaml").write_text(DERIVED)
    with kpi_engine.Engine(kpi_engine.load(defs), url) as eng:
        yield eng


def values(engine, kpi, **selection):
    keys = [k for k in ("period_start", "channel") if k in selection.get("by", ()) or (k == "period_start" and selection.get("grain"))]
    return {tuple(str(r[k]) for k in keys): (r["numerator"], r["denominator"], r["value"], r["status"])
            for r in engine.run(kpis=[kpi], **selection).to_pylist()}


def close(a, b):
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-12))


def check(got, expected):
    assert set(got) == set(expected)
    for key, want in expected.items():
        assert all(close(g, w) for g, w in zip(got[key][:3], want[:3])) and got[key][3] == want[3], (key, got[key], want)


def test_a_product_of_kpis_per_month(engine):
    # Jan: AOV 180 / 3 = 60, conversion 3 / 5 = 0.6 -> 36 (= 180 / 5 sessions); Feb: 80 x 1/3.
    check(values(engine, "revenue_per_session", grain="month"),
          {("2025-01-01",): (36, None, 36, "unrated"), ("2025-02-01",): (80 / 3, None, 80 / 3, "unrated")})
    check(values(engine, "yearly_value_per_session", grain="month"),
          {("2025-01-01",): (432, None, 432, "unrated"), ("2025-02-01",): (320, None, 320, "unrated")})


def test_parts_are_aligned_per_slice_and_a_missing_part_gives_no_data(engine):
    # Jan web: 150/2 x 2/4 = 37.5; Jan app: 30 x 1 = 30; Feb web: 80 x 1/2 = 40;
    # Feb app: no order, so no AOV (0 orders): the product has no value.
    check(values(engine, "revenue_per_session", grain="month", by=["channel"]), {
        ("2025-01-01", "web"): (37.5, None, 37.5, "unrated"),
        ("2025-01-01", "app"): (30, None, 30, "unrated"),
        ("2025-02-01", "web"): (40, None, 40, "unrated"),
        ("2025-02-01", "app"): (None, None, None, "no_data"),
    })


def test_a_division_of_formulas_keeps_its_sides(engine):
    # revenue per session / AOV = conversion: Jan 36 / 60 = 0.6, Feb (80/3) / 80 = 1/3
    got = values(engine, "session_value_ratio", grain="month")
    check(got, {("2025-01-01",): (36, 60, 0.6, "unrated"), ("2025-02-01",): (80 / 3, 80, 1 / 3, "unrated")})
