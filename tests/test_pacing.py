"""Pace: a month-to-date total projected to the month, judged against a monthly target.

Ten revenue per day, every day of February 2024 (29 days) and March 2024 (31 days).
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

import kpi_engine
from kpi_engine.pacing import covered_share

D = date

DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at}
kpis:
  monthly_revenue:
    value: {source: orders, expr: sum(revenue)}
    unit: currency
    target_period: month
    target: 300
    thresholds: {warn: 250, critical: 200}
"""


@pytest.fixture
def engine(tmp_path):
    db = tmp_path / "orders.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create table orders as select d::timestamp + interval 12 hour as ordered_at, 10.0 as revenue "
            "from range(date '2024-02-01', date '2024-04-01', interval 1 day) t(d)"
        )
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "k.yaml").write_text(DEFINITIONS)
    with kpi_engine.Engine(kpi_engine.load(tmp_path / "defs"), f"duckdb:///{db}") as eng:
        yield eng


def one(engine, **selection):
    rows = engine.run(kpis=["monthly_revenue"], **selection).to_pylist()
    return [(r.get("period_start"), r["value"], r["status"], r["pace"], r["pace_status"]) for r in rows]


def test_month_to_date_is_projected_to_the_month(engine):
    # 10 days of 29: 100 so far, critical against 300; at this pace 100 * 29 / 10 = 290: ok (>= warn 250).
    assert one(engine, period="mtd", as_of=D(2024, 2, 10)) == [(None, 100, "critical", 290, "ok")]
    # Per month, the same row; March (not begun by --to) has no row.
    assert one(engine, period="mtd", as_of=D(2024, 2, 10), grain="month") == [(D(2024, 2, 1), 100, "critical", 290, "ok")]


def test_a_slow_start_is_flagged_by_its_pace(engine):
    # March 1-5: 50, and 50 * 31 / 5 = 310 is ok. A --to at noon counts half a day: 03-01 ..
    # 03-02 12:00 covers 1.5 of 31 days and holds one order (the one at 12:00 is excluded):
    # 10 * 31 / 1.5 = 206.7, between critical 200 and warn 250.
    assert one(engine, start=D(2024, 3, 1), end=D(2024, 3, 6)) == [(None, 50, "critical", 310, "ok")]
    ((_, value, status, pace, pace_status),) = one(engine, start=D(2024, 3, 1), end=datetime(2024, 3, 2, 12))
    assert (value, status, pace_status) == (10, "critical", "warn") and pace == pytest.approx(10 * 31 / 1.5)  # 206.7


def test_whole_periods_pace_at_their_value(engine):
    assert one(engine, grain="month") == [(D(2024, 2, 1), 290, "ok", 290, "ok"), (D(2024, 3, 1), 310, "ok", 310, "ok")]


def test_no_pace_where_the_row_is_not_one_target_period(engine):
    assert {r[3] for r in one(engine, grain="week", start=D(2024, 2, 5), end=D(2024, 2, 19))} == {None}
    assert one(engine, start=D(2024, 2, 20), end=D(2024, 3, 10)) == [(None, 190, "critical", None, None)]


@pytest.mark.parametrize(
    ("period", "grain", "start", "end", "share"),
    [
        (D(2024, 2, 1), "month", D(2024, 2, 1), D(2024, 2, 11), 10 / 29),
        (D(2023, 2, 1), "month", D(2023, 2, 1), D(2023, 2, 15), 14 / 28),
        (D(2024, 1, 1), "year", D(2024, 1, 1), D(2024, 3, 1), 60 / 366),
        (D(2024, 1, 1), "quarter", None, D(2024, 2, 1), 31 / 91),
        (D(2024, 2, 5), "week", datetime(2024, 2, 5, 12), None, 6.5 / 7),
        (D(2024, 2, 1), "month", D(2024, 3, 1), None, None),  # nothing of February
    ],
)
def test_covered_share(period, grain, start, end, share):
    got = covered_share(period, grain, start, end)
    assert got == pytest.approx(share) if share is not None else got is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    target_period: fortnight\n", "target_period must be one of day, week, month, quarter, year, not 'fortnight'"),
        ("    target_period: month\n    denominator: {source: orders, expr: count(*)}\n", None),
    ],
)
def test_target_period_problems(tmp_path, extra, message):
    body = "    value: {source: orders, expr: sum(revenue)}\n" if "denominator" not in extra else \
        "    numerator: {source: orders, expr: sum(revenue)}\n"
    (tmp_path / "k.yaml").write_text("sources:\n  orders: {table: orders, time: ordered_at}\nkpis:\n  k:\n" + body + extra)
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(tmp_path)
    (problem,) = raised.value.problems
    expected = message or "target_period is for totals (a value, like revenue or orders): a rate has no pace"
    assert problem.message.startswith(expected) and problem.line == 6


def test_the_trend_of_a_paced_kpi_follows_its_months(engine):
    # February 290, March 310: each row has its own pace, which must not split the series.
    rows = engine.run(kpis=["monthly_revenue"], grain="month", trend=2).to_pylist()
    assert [(r["period_start"], r["pace"], r["trend"]) for r in rows] == [(D(2024, 2, 1), 290, None), (D(2024, 3, 1), 310, "up")]
