"""The daily review: a named period without --grain is one row per KPI for exactly that period,
compared with the period before it.

Orders and sessions every day of 2024-01-01 .. 2024-04-30; every expected number is
summed with pyarrow over the same rows, never read from the engine.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from engines import duckdb as duckdb_engine
from engines import project_on
from engines import postgres as postgres_engine
from kpi_engine.demo.database import demo_database
from kpi_engine.demo.generator import END
from kpi_engine.testing import invoke

DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at}
  sessions: {table: sessions, time: started_at}
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
    alert_change: 0.2
  conversion_rate:
    numerator: {source: orders, expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    target: 0.3
"""

DAYS = [date(2024, 1, 1) + timedelta(days=i) for i in range(121)]
# Day i has (i % 5) + 1 orders of revenue 10 + i each, and 10 sessions.
ORDERS = pa.table({
    "ordered_at": pa.array([datetime(d.year, d.month, d.day, 9 + k) for i, d in enumerate(DAYS) for k in range(i % 5 + 1)],
                           pa.timestamp("us")),
    "revenue": [10.0 + i for i, d in enumerate(DAYS) for _ in range(i % 5 + 1)],
})
SESSIONS = pa.table({
    "started_at": pa.array([datetime(d.year, d.month, d.day, 8, k) for d in DAYS for k in range(10)], pa.timestamp("us")),
})


def _within(table: pa.Table, column: str, start: date, end: date) -> pa.Table:
    times = table.column(column)
    low, high = pa.scalar(datetime(start.year, start.month, start.day), pa.timestamp("us")), \
        pa.scalar(datetime(end.year, end.month, end.day), pa.timestamp("us"))
    return table.filter(pc.and_(pc.greater_equal(times, low), pc.less(times, high)))


def expected(start: date, end: date) -> dict[str, float]:
    orders, sessions = _within(ORDERS, "ordered_at", start, end), _within(SESSIONS, "started_at", start, end)
    return {"revenue": pc.sum(orders.column("revenue")).as_py(), "conversion_rate": orders.num_rows / sessions.num_rows}


@pytest.fixture(scope="module", params=[duckdb_engine, postgres_engine], ids=lambda m: m.NAME)
def project(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.NAME)
    with project_on(request.param, DEFINITIONS, {"orders": ORDERS, "sessions": SESSIONS}, folder) as project:
        yield project


D = date


@pytest.mark.parametrize(("period", "as_of", "current", "before"), [
    ("yesterday", D(2024, 3, 13), (D(2024, 3, 12), D(2024, 3, 13)), (D(2024, 3, 11), D(2024, 3, 12))),
    ("last_7_days", D(2024, 3, 13), (D(2024, 3, 6), D(2024, 3, 13)), (D(2024, 2, 28), D(2024, 3, 6))),
    # 2024-03-13 is a Wednesday: the previous week is Monday 03-04 .. Sunday 03-10.
    ("previous_week", D(2024, 3, 13), (D(2024, 3, 4), D(2024, 3, 11)), (D(2024, 2, 26), D(2024, 3, 4))),
    # A calendar month with the month before, whatever their lengths (31 days of March, 29 of February).
    ("previous_month", D(2024, 4, 10), (D(2024, 3, 1), D(2024, 4, 1)), (D(2024, 2, 1), D(2024, 3, 1))),
    # Month to date: 13 days, with the 13 days just before.
    ("mtd", D(2024, 3, 13), (D(2024, 3, 1), D(2024, 3, 14)), (D(2024, 2, 17), D(2024, 3, 1))),
])
def test_a_named_period_is_one_row_per_kpi_compared_with_the_one_before(project, period, as_of, current, before):
    defs, url = project
    result = invoke(["check", str(defs), "--connection", url, "--period", period, "--as-of", as_of.isoformat(),
                     "--compare", "previous_period", "--format", "json", "--all"])
    assert result.exit_code in (0, 1), result.stderr
    rows = json.loads(result.stdout)
    assert [r["kpi"] for r in rows] == ["revenue", "conversion_rate"]
    assert all("period_start" not in r for r in rows)
    now, then = expected(*current), expected(*before)
    for row in rows:
        assert row["value"] == pytest.approx(now[row["kpi"]]), row
        assert row["compare_value"] == pytest.approx(then[row["kpi"]]), row
        assert row["change"] == pytest.approx(now[row["kpi"]] - then[row["kpi"]])


def test_the_demo_reviews_yesterday_against_the_day_before():
    """`kpi demo --period yesterday` is its data's last day, one row per KPI, against the day before."""
    result = invoke(["demo", "--period", "yesterday", "--compare", "previous_period", "--kpi", "revenue",
                     "--kpi", "conversion_rate", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    rows = {r["kpi"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"revenue", "conversion_rate"} and all("period_start" not in r for r in rows.values())
    last, before = END - timedelta(days=1), END - timedelta(days=2)
    with duckdb.connect(str(demo_database()), read_only=True) as con:
        def day(sql, first):
            return con.execute(sql, [first, first + timedelta(days=1)]).fetchone()[0]

        revenue = "select sum(revenue) from orders where ordered_at >= ? and ordered_at < ?"
        orders = "select count(*) from orders where ordered_at >= ? and ordered_at < ?"
        sessions = "select count(*) from sessions where started_at >= ? and started_at < ?"
        assert rows["revenue"]["value"] == pytest.approx(day(revenue, last))
        assert rows["revenue"]["compare_value"] == pytest.approx(day(revenue, before))
        assert rows["conversion_rate"]["value"] == pytest.approx(day(orders, last) / day(sessions, last))
        assert rows["conversion_rate"]["compare_value"] == pytest.approx(day(orders, before) / day(sessions, before))


@pytest.mark.parametrize(("as_of", "weather"), [
    # 03-11 has 1 order of 80, 03-10 5 of 79: -79.7%, beyond alert_change 0.2. No target, still a storm.
    (D(2024, 3, 12), "stormy"),
    # 03-12 has 2 orders of 81 against 03-11's 80: rising, sunny though revenue has no target.
    (D(2024, 3, 13), "sunny"),
])
def test_weather_follows_the_change_of_a_kpi_without_target(project, as_of, weather):
    defs, url = project
    result = invoke(["run", str(defs), "--connection", url, "--kpi", "revenue", "--period", "yesterday",
                     "--as-of", as_of.isoformat(), "--compare", "previous_period", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    now = expected(as_of - timedelta(days=1), as_of)["revenue"]
    then = expected(as_of - timedelta(days=2), as_of - timedelta(days=1))["revenue"]
    assert row["change_ratio"] == pytest.approx((now - then) / then)
    assert (row["status"], row["weather"]) == ("unrated", weather)
