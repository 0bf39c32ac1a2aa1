"""Freshness, emptiness, completeness and maturity are verdicts, measured to the as-of moment.

Orders at noon every day of 2024-03-01 .. 03-20 (revenue 10, every third one a repeat),
sessions at 08:00 every day of 03-01 .. 03-22. Every expected age, share and status is
worked out by hand in the comments.
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
from kpi_engine import durations
from kpi_engine.testing import invoke

DEFINITIONS = """\
sources:
  orders:
    table: orders
    time: ordered_at
    freshness: {warn_after: 1d, critical_after: 2d}
  sessions: {table: sessions, time: started_at}
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
    target: 5
  conversion_rate:
    numerator: {source: orders, expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    target: 0.5
  session_length:
    value: {source: sessions, expr: avg(seconds)}
  monthly_revenue:
    value: {source: orders, expr: sum(revenue)}
    target_period: month
    target: 300
    thresholds: {warn: 250, critical: 200}
  repeat_rate:
    numerator: {source: orders, expr: count(*), where: repeat}
    denominator: {source: orders, expr: count(*)}
    mature_after: 10d
    target: 0.1
  monthly_repeat_rate:
    numerator: {source: orders, expr: count(*), where: repeat}
    denominator: {source: orders, expr: count(*)}
    min_grain: month
    target: 0.5
"""

ORDER_DAYS = [date(2024, 3, 1) + timedelta(days=i) for i in range(20)]
SESSION_DAYS = [date(2024, 3, 1) + timedelta(days=i) for i in range(22)]
ORDERS = pa.table({
    "ordered_at": pa.array([datetime(d.year, d.month, d.day, 12) for d in ORDER_DAYS], pa.timestamp("us")),
    "revenue": [10.0] * len(ORDER_DAYS),
    "repeat": [i % 3 == 0 for i in range(len(ORDER_DAYS))],
})
SESSIONS = pa.table({
    "started_at": pa.array([datetime(d.year, d.month, d.day, 8) for d in SESSION_DAYS], pa.timestamp("us")),
    "seconds": [60.0] * len(SESSION_DAYS),
})


@pytest.fixture(scope="module", params=[duckdb_engine, postgres_engine], ids=lambda m: m.NAME)
def project(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.NAME)
    with project_on(request.param, DEFINITIONS, {"orders": ORDERS, "sessions": SESSIONS}, folder) as project:
        yield project


def kpi(project, *args):
    defs, url = project
    result = invoke([args[0], str(defs), "--connection", url, *args[1:]])
    assert "Traceback" not in result.stderr
    return result


def rows(result) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in json.loads(result.stdout):
        found.setdefault(row["kpi"], []).append(row)
    return found


@pytest.mark.parametrize(("as_of", "age_hours", "status", "exit_code"), [
    # As of 03-20: the moment is the end of that day, 03-21 00:00; the newest order, 03-20 12:00, is 12 hours old.
    (date(2024, 3, 20), 12, "ok", 0),
    # As of 03-21 (moment 03-22 00:00): 36 hours, past warn_after 1d, within critical_after 2d.
    (date(2024, 3, 21), 36, "warn", 0),
    # As of 03-25 (moment 03-26 00:00): 5.5 days, critical; the check fails like on a critical KPI.
    (date(2024, 3, 25), 132, "critical", 1),
])
def test_a_stale_source_is_a_row_of_its_own(project, as_of, age_hours, status, exit_code):
    result = kpi(project, "check", "--kpi", "conversion_rate", "--period", "yesterday", "--as-of", as_of.isoformat(),
                 "--format", "json", "--all")
    assert result.exit_code == exit_code, result.stderr
    (fresh,) = rows(result)["freshness:orders"]
    assert (fresh["value"], fresh["status"]) == (age_hours * 3600, status)
    assert fresh["note"].startswith("newest row 2024-03-20 12:00,") and "(warn after 1d, critical after 2d)" in fresh["note"]


def test_a_source_without_any_row_is_critical(project):
    # Before the first order: nothing has arrived at all.
    result = kpi(project, "check", "--kpi", "revenue", "--period", "yesterday", "--as-of", "2024-02-10", "--format", "json")
    assert result.exit_code == 1
    (fresh,) = rows(result)["freshness:orders"]
    assert fresh["status"] == "critical" and fresh["value"] is None
    assert fresh["note"] == "no row before 2024-02-11 00:00 (warn after 1d, critical after 2d)"


def test_check_writes_only_what_needs_attention(project):
    # As of 03-21, yesterday is 03-20: revenue 10 (ok against 5), conversion 1/1 (ok), orders 36 hours old (warn).
    result = kpi(project, "check", "--period", "yesterday", "--as-of", "2024-03-21", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [(r["kpi"], r["status"]) for r in json.loads(result.stdout)] == [("freshness:orders", "warn")]
    summary = result.stderr.strip().splitlines()[-1]
    # session_length has no target, monthly_revenue judges no day, a day is too short for
    # monthly_repeat_rate: unrated; repeat_rate's cohort of yesterday is still maturing: no_data.
    assert summary == ("check: 2 of 6 KPIs ok, 1 no_data, 3 unrated; stale: orders (warn); "
                       "1 of 7 rows shown (--all for every row)")
    every = kpi(project, "check", "--period", "yesterday", "--as-of", "2024-03-21", "--format", "json", "--all")
    assert len(json.loads(every.stdout)) == 7
    assert every.stderr.strip().splitlines()[-1] == "check: 2 of 6 KPIs ok, 1 no_data, 3 unrated; stale: orders (warn)"
    assert next(r for r in json.loads(every.stdout) if r["kpi"] == "monthly_repeat_rate")["note"] == (
        "this range is too short for this KPI to mean much: read it by month or longer (min_grain)")


def test_an_empty_period_can_fail_the_check(project):
    # 03-25 has no session: the average session length is no_data. It passes by default and fails with --fail-on no_data.
    args = ("check", "--kpi", "session_length", "--period", "yesterday", "--as-of", "2024-03-26", "--format", "json")
    passing = kpi(project, *args)
    assert passing.exit_code == 0 and json.loads(passing.stdout) == []
    failing = kpi(project, *args, "--fail-on", "no_data")
    assert failing.exit_code == 1
    assert [(r["kpi"], r["status"]) for r in json.loads(failing.stdout)] == [("session_length", "no_data")]
    assert failing.stderr.strip().splitlines()[-1].startswith("check: 0 of 1 KPIs ok, 1 no_data")


def test_buckets_past_the_as_of_moment_or_the_data_are_incomplete(project):
    # Month to date as of 03-13 by week: the weeks of 02-26 and 03-04 are over by the moment
    # 03-14 00:00; the week of 03-11 runs to 03-18, though only 03-11 .. 03-13 was asked for.
    result = kpi(project, "run", "--kpi", "revenue", "--period", "mtd", "--as-of", "2024-03-13", "--grain", "week",
                 "--format", "json")
    assert [(r["period_start"], r["complete"]) for r in rows(result)["revenue"]] == [
        ("2024-02-26", True), ("2024-03-04", True), ("2024-03-11", False),
    ]
    # All of March by week, as of now: orders stop on 03-20, so the week of 03-18 is incomplete for
    # revenue, and for conversion (which also reads sessions, until 03-22); sessions alone reach 03-22,
    # still inside that week.
    result = kpi(project, "run", "--kpi", "revenue", "--kpi", "conversion_rate", "--kpi", "session_length",
                 "--from", "2024-03-01", "--to", "2024-04-01", "--grain", "week", "--format", "json")
    found = rows(result)
    for name in ("revenue", "conversion_rate", "session_length"):
        assert [(r["period_start"], r["complete"]) for r in found[name]] == [
            ("2024-02-26", True), ("2024-03-04", True), ("2024-03-11", True), ("2024-03-18", False),
        ], name


def test_an_incomplete_month_of_a_total_is_judged_by_its_pace(project):
    # March's orders stop on 03-20: the month's data covers 20 of 31 days. 200 so far heads for
    # 200 * 31 / 20 = 310, ok against 300 (and judged so), though 200 alone is critical.
    result = kpi(project, "run", "--kpi", "monthly_revenue", "--from", "2024-03-01", "--to", "2024-04-01",
                 "--grain", "month", "--format", "json")
    (row,) = rows(result)["monthly_revenue"]
    assert (row["value"], row["complete"], row["status"], row["pace_status"]) == (200, False, "ok", "ok")
    assert row["pace"] == pytest.approx(310)
    assert row["target"] == pytest.approx(300 * 20 / 31)


def test_a_grain_too_short_for_the_kpi_is_not_judged(project):
    weekly = kpi(project, "run", "--kpi", "monthly_repeat_rate", "--from", "2024-03-04", "--to", "2024-03-18",
                 "--grain", "week", "--format", "json")
    # 3 of 7 and 2 of 7 would be critical against 0.5 (no warn line: the target is it); a week is too short.
    assert [(r["value"], r["status"], r["target"]) for r in rows(weekly)["monthly_repeat_rate"]] == [
        (pytest.approx(3 / 7), "unrated", None), (pytest.approx(2 / 7), "unrated", None),
    ]
    assert rows(weekly)["monthly_repeat_rate"][0]["note"] == (
        "a week is too short for this KPI to mean much: read it by month or longer (min_grain)")
    # By month it is judged: March's 20 orders hold 7 repeats (days 0, 3, ..., 18): 0.35 < 0.5, warn.
    (march,) = rows(kpi(project, "run", "--kpi", "monthly_repeat_rate", "--from", "2024-03-01", "--to", "2024-04-01",
                        "--grain", "month", "--format", "json"))["monthly_repeat_rate"]
    assert (march["value"], march["status"], march["note"]) == (pytest.approx(7 / 20), "warn", None)


def test_a_cohort_still_maturing_is_no_data(project):
    # As of 03-20 (moment 03-21 00:00), with mature_after 10d: the week of 03-04 ended 03-11, ten
    # days before: mature. The week of 03-11 ended 03-18: still maturing, so no_data with a note.
    result = kpi(project, "run", "--kpi", "repeat_rate", "--period", "mtd", "--as-of", "2024-03-20", "--grain", "week",
                 "--format", "json")
    weeks = rows(result)["repeat_rate"]
    # Repeats are the orders of day i = 0, 3, 6, ... from 03-01: 03-01 .. 03-03 has 1 of 3, the week
    # of 03-04 3 of 7 (03-04, 03-07, 03-10), of 03-11 2 of 7 (03-13, 03-16), 03-18 .. 03-20 1 of 3 (03-19).
    assert [(r["period_start"], r["status"]) for r in weeks] == [
        ("2024-02-26", "ok"), ("2024-03-04", "ok"), ("2024-03-11", "no_data"), ("2024-03-18", "no_data"),
    ]
    assert [r["value"] for r in weeks] == pytest.approx([1 / 3, 3 / 7, 2 / 7, 1 / 3])
    by_week = {r["period_start"]: r for r in weeks}
    assert by_week["2024-03-04"]["note"] is None
    assert by_week["2024-03-11"]["note"] == ("cohort still maturing: its period ends 2024-03-18, less than 10d "
                                             "(mature_after) before 2024-03-21")
    assert by_week["2024-03-18"]["note"].startswith("cohort still maturing: its period ends 2024-03-21,")


@pytest.mark.parametrize(("text", "expected"), [
    ("30m", timedelta(minutes=30)), ("36h", timedelta(hours=36)), ("1d", timedelta(days=1)), ("2w", timedelta(days=14)),
    ("1.5d", timedelta(hours=36)), (" 90d ", timedelta(days=90)),
])
def test_durations(text, expected):
    assert durations.parse(text) == expected


@pytest.mark.parametrize("text", ["1 day", "P1D", "1", "d", "0d", "-1d", "1e3d", "36500000d", "1D", 5, None, True, [1]])
def test_what_is_no_duration(text):
    with pytest.raises(ValueError):
        durations.parse(text)


BASE = "sources:\n  orders:\n    table: orders\n    time: ordered_at\n"
KPI = "kpis:\n  k:\n    value: {source: orders, expr: count(*)}\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    (BASE + "    freshness: {warn_after: 1 day}\n" + KPI, 5,
     "freshness: warn_after '1 day' is not a duration: a duration is a number and a unit: 30m, 36h, 1d, 2w"),
    (BASE + "    freshness: {warn_after: 2d, critical_after: 1d}\n" + KPI, 5,
     "freshness: warn_after must not be longer than critical_after"),
    (BASE + "    freshness: {}\n" + KPI, 5,
     "freshness needs warn_after, critical_after or both (e.g. {warn_after: 1d, critical_after: 2d})"),
    (BASE + "    freshness: {warn_afte: 1d}\n" + KPI, 5, "unknown key 'warn_afte' (did you mean 'warn_after'?)"),
    (BASE + "    freshness: 1d\n" + KPI, 5, "freshness must be a mapping"),
    ("sources:\n  orders:\n    table: orders\n    freshness: {warn_after: 1d}\n" + KPI, 4,
     "freshness needs a time column: it is measured from the newest time value"),
    (BASE + KPI + "    mature_after: 0d\n", 8, "mature_after '0d' is not a duration: a duration must be above zero"),
    (BASE + KPI + "    min_grain: fortnight\n", 8, "min_grain must be one of day, week, month, quarter, year, not 'fortnight'"),
])
def test_problems_are_one_line_at_their_place(tmp_path, text, line, message):
    (tmp_path / "k.yaml").write_text(text)
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(tmp_path)
    (problem,) = raised.value.problems
    assert (problem.message, problem.line) == (message, line)


@pytest.mark.parametrize("engine", [duckdb_engine, postgres_engine], ids=lambda m: m.NAME)
def test_freshness_of_an_epoch_column_reads_its_times(engine, tmp_path):
    # Events every 6 hours of 2024-03-01 as epoch seconds, the last at 18:00 UTC: as of 03-02
    # (moment 03-03 00:00) the newest is 30 hours old, past warn_after 1d.
    first = int(datetime(2024, 3, 1).timestamp() - datetime(1970, 1, 1).timestamp())
    events = pa.table({"ts": pa.array([first + 6 * 3600 * i for i in range(4)], pa.int64())})
    definitions = (
        "sources:\n  events:\n    table: events\n    time: {column: ts, format: epoch_s}\n"
        "    freshness: {warn_after: 1d, critical_after: 2d}\n"
        "kpis:\n  event_count:\n    value: {source: events, expr: count(*)}\n"
    )
    with project_on(engine, definitions, {"events": events}, tmp_path) as (defs, url):
        result = invoke(["check", str(defs), "--connection", url, "--period", "yesterday",
                         "--as-of", "2024-03-02", "--format", "json", "--all"])
    assert result.exit_code == 0, result.stderr
    found = rows(result)
    assert found["event_count"][0]["value"] == 4  # yesterday as of 03-02 is 03-01: its four events
    assert (found["freshness:events"][0]["value"], found["freshness:events"][0]["status"]) == (30 * 3600, "warn")
