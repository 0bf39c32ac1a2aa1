"""Total targets (``target_period``): each row judged against the lines prorated to the time it covers.

Ten revenue per day, every day of February 2024 (29 days) and March 2024 (31 days), all on
the ``web`` channel. Every expected line below is the monthly line times the share of each
month the row covers, computed by hand in the comments.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pyarrow as pa
import pytest

import kpi_engine
from engines import duckdb as duckdb_engine
from engines import project_on
from engines import postgres as postgres_engine
from kpi_engine.pacing import covered_share
from kpi_engine.testing import invoke

D = date

DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
kpis:
  monthly_revenue:
    value: {source: orders, expr: sum(revenue)}
    unit: currency
    target_period: month
    target: 300
    thresholds: {warn: 250, critical: 200}
    targets:
      - from: 2024-03-01
        to: 2024-04-01
        target: 320
        thresholds: {warn: 315, critical: 305}
  ambitious_revenue:
    value: {source: orders, expr: sum(revenue)}
    unit: currency
    target_period: month
    additive: true
    finer_grains: pace
    target: 400
    thresholds: {warn: 350, critical: 300}
    targets:
      - by: {channel: web}
        target: 280
        thresholds: {warn: 260, critical: 240}
"""


ORDERS = pa.table({
    "ordered_at": pa.array([datetime(2024, 2, 1, 12) + timedelta(days=i) for i in range(29 + 31)], pa.timestamp("us")),
    "revenue": [10.0] * 60,
    "channel": ["web"] * 60,
})


@pytest.fixture(params=[duckdb_engine, postgres_engine], ids=lambda m: m.NAME)
def project(request, tmp_path):
    """(definitions, URL) on DuckDB and on PostgreSQL holding ORDERS."""
    with project_on(request.param, DEFINITIONS, {"orders": ORDERS}, tmp_path) as project:
        yield project


@pytest.fixture
def engine(project):
    defs, url = project
    with kpi_engine.Engine(kpi_engine.load(defs), url) as eng:
        yield eng


def rows(engine, kpi="monthly_revenue", **selection):
    return engine.run(kpis=[kpi], **selection).to_pylist()


def one(engine, kpi="monthly_revenue", **selection):
    return [(r.get("period_start"), r["value"], r["status"], r["pace"], r["pace_status"]) for r in rows(engine, kpi, **selection)]


def test_whole_periods_are_judged_against_their_lines(engine):
    # February: 290 against 300/250/200 is ok; March: 310 against March's rule 320/315/305 is warn.
    assert one(engine, grain="month") == [(D(2024, 2, 1), 290, "ok", 290, "ok"), (D(2024, 3, 1), 310, "warn", 310, "warn")]
    assert [r["target"] for r in rows(engine, grain="month")] == [300, 320]


def test_month_to_date_is_judged_by_its_pace(engine):
    # 10 days of 29: 100 so far against 300 * 10/29 = 103.4 (warn 86.2, critical 69.0): ok; pace 100 * 29/10 = 290.
    ((row,),) = [rows(engine, period="mtd", as_of=D(2024, 2, 10))]
    assert (row["value"], row["status"], row["pace"], row["pace_status"]) == (100, "ok", pytest.approx(290), "ok")
    assert row["target"] == pytest.approx(300 * 10 / 29) and row["note"] is None
    # Per month, the same row; March (not begun by --to) has no row.
    assert one(engine, period="mtd", as_of=D(2024, 2, 10), grain="month") == [(D(2024, 2, 1), 100, "ok", pytest.approx(290), "ok")]
    # March to date takes March's rule though the row has no period_start: 100 against
    # warn 315 * 10/31 = 101.6 and critical 305 * 10/31 = 98.4 is warn, as is the pace 310.
    assert one(engine, period="mtd", as_of=D(2024, 3, 10)) == [(None, 100, "warn", pytest.approx(310), "warn")]


def test_a_slow_start_is_flagged_by_its_pace(engine):
    # 03-01 .. 03-02 12:00 covers 1.5 of 31 days and holds one order (the one at 12:00 is
    # excluded): 10 against warn 315 * 1.5/31 = 15.2 and critical 305 * 1.5/31 = 14.8 is critical;
    # pace 10 * 31 / 1.5 = 206.7, under March's critical 305.
    ((_, value, status, pace, pace_status),) = one(engine, start=D(2024, 3, 1), end=datetime(2024, 3, 2, 12))
    assert (value, status, pace_status) == (10, "critical", "critical") and pace == pytest.approx(10 * 31 / 1.5)


def test_a_day_of_a_monthly_target_is_not_judged_by_default(engine):
    days = rows(engine, grain="day", start=D(2024, 2, 27), end=D(2024, 3, 3))
    assert [(r["period_start"], r["value"], r["status"], r["target"]) for r in days] == [
        (D(2024, 2, 27), 10, "unrated", None), (D(2024, 2, 28), 10, "unrated", None), (D(2024, 2, 29), 10, "unrated", None),
        (D(2024, 3, 1), 10, "unrated", None), (D(2024, 3, 2), 10, "unrated", None),
    ]
    assert days[0]["note"] == "the target is per month: a day of it is not judged (finer_grains: pace judges it by its share)"
    # Pace is still there: a day of February at 10 heads for 290, a day of March for 310.
    assert [(r["pace"], r["pace_status"]) for r in days] == [(290, "ok")] * 3 + [(310, "warn")] * 2
    assert one(engine, period="yesterday", as_of=D(2024, 2, 10))[0][2] == "unrated"


def test_finer_grains_pace_judges_a_day_by_its_share(engine):
    # 10 a day against 400/350/300 a month: February's share 1/29 makes critical 300/29 = 10.34,
    # so each day is critical (pace 290 < 300); March's 300/31 = 9.68 < 10 < 350/31 = 11.29: warn.
    days = rows(engine, "ambitious_revenue", grain="day", start=D(2024, 2, 28), end=D(2024, 3, 2))
    assert [(r["status"], r["pace_status"]) for r in days] == [("critical", "critical")] * 2 + [("warn", "warn")]
    assert [r["target"] for r in days] == pytest.approx([400 / 29, 400 / 29, 400 / 31])
    (row,) = rows(engine, "ambitious_revenue", period="yesterday", as_of=D(2024, 3, 10))
    assert (row["value"], row["status"], row["target"]) == (10, "warn", pytest.approx(400 / 31))


def test_a_coarser_row_sums_the_targets_of_an_additive_total(engine):
    # A quarter bucket covers January, February and March: 3 * 400 = 1200, warn 1050, critical 900: 600 is critical.
    (row,) = rows(engine, "ambitious_revenue", grain="quarter")
    assert (row["value"], row["target"], row["status"], row["pace"]) == (600, 1200, "critical", None)
    # Cut to February and March: 800, warn 700, critical 600: 600 is not under 600, so warn.
    (row,) = rows(engine, "ambitious_revenue", grain="quarter", start=D(2024, 2, 1), end=D(2024, 4, 1))
    assert (row["target"], row["status"]) == (800, "warn")
    # Not additive: not judged, and the note says how to make it so.
    (row,) = rows(engine, grain="quarter")
    assert (row["value"], row["target"], row["status"]) == (600, None, "unrated")
    assert row["note"] == "the target is per month and the row covers 3 of them: additive: true sums their targets"


def test_a_range_across_two_months_prorates_each(engine):
    # 02-20 .. 03-10: 10 days of February and 9 of March, 190. Lines 400, 350, 300 times
    # 10/29 + 9/31 = 0.63515: target 254.06, warn 222.30, critical 190.55: 190 is critical.
    (row,) = rows(engine, "ambitious_revenue", start=D(2024, 2, 20), end=D(2024, 3, 10))
    assert (row["value"], row["status"], row["pace"]) == (190, "critical", None)
    assert row["target"] == pytest.approx(400 * (10 / 29 + 9 / 31))
    # A week from Monday 02-26 holds 4 days of February and 3 of March: 70 against critical
    # 300 * (4/29 + 3/31) = 70.41 is critical; the monthly_revenue total is not judged.
    (week,) = rows(engine, "ambitious_revenue", grain="week", start=D(2024, 2, 26), end=D(2024, 3, 4))
    assert (week["value"], week["status"]) == (70, "critical")
    assert week["target"] == pytest.approx(400 * (4 / 29 + 3 / 31))
    assert one(engine, start=D(2024, 2, 20), end=D(2024, 3, 10)) == [(None, 190, "unrated", None, None)]


def test_a_slice_is_judged_only_by_its_own_rule(engine):
    # monthly_revenue has no rule by channel: the monthly target is for all channels together.
    sliced = rows(engine, grain="month", by=["channel"])
    assert [(r["channel"], r["status"], r["target"]) for r in sliced] == [("web", "unrated", None)] * 2
    assert sliced[0]["note"] == ("the target is per month in total: a slice by channel is judged only by a "
                                 "targets: rule with by: for it")
    # ambitious_revenue's rule for web: 280/260/240 a month; February's 290 and March's 310 are ok.
    web = rows(engine, "ambitious_revenue", grain="month", by=["channel"])
    assert [(r["value"], r["target"], r["status"]) for r in web] == [(290, 280, "ok"), (310, 280, "ok")]
    # Unsliced, the same KPI uses its own lines: 290 < 300 critical, 310 < 350 warn.
    assert [r["status"] for r in rows(engine, "ambitious_revenue", grain="month")] == ["critical", "warn"]


def test_all_the_data_at_once_is_not_judged(engine):
    (row,) = rows(engine)
    assert (row["value"], row["status"], row["pace"]) == (600, "unrated", None)
    assert row["note"] == "the target is per month: give --grain, --period or --from/--to to judge a total against it"


def test_kpi_check_no_longer_fails_every_day(project):
    defs, url = project
    result = invoke(["check", str(defs), "--connection", url, "--kpi", "monthly_revenue", "--grain", "day",
                     "--from", "2024-02-01", "--to", "2024-04-01", "--format", "json", "--all"])
    assert result.exit_code == 0, result.stderr
    assert {r["status"] for r in json.loads(result.stdout)} == {"unrated"}


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
        ("    additive: true\n", "additive goes with target_period: it says how a total's target adds up"),
        ("    target_period: month\n    additive: 'yes'\n", "additive must be true or false, not 'yes'"),
        ("    target_period: month\n    finer_grains: [pace]\n", "finer_grains must be unjudged or pace, not a list"),
        ("    target_period: month\n    finer_grains: true\n", "finer_grains must be unjudged or pace, not True"),
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
    key = expected.split()[0]  # the problem is at the line of the key it names
    text = (tmp_path / "k.yaml").read_text().splitlines()
    line = 1 + max(i for i, t in enumerate(text) if t.strip().startswith(key + ":"))
    assert problem.message.startswith(expected) and problem.line == line


def test_the_trend_of_a_paced_kpi_follows_its_months(engine):
    # February 290, March 310: each row has its own pace, which must not split the series.
    rows = engine.run(kpis=["monthly_revenue"], grain="month", trend=2).to_pylist()
    assert [(r["period_start"], r["pace"], r["trend"]) for r in rows] == [(D(2024, 2, 1), 290, None), (D(2024, 3, 1), 310, "up")]
