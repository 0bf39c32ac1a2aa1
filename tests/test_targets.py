"""targets: rules per slice and per period; the first matching rule applies, else the KPI's own.

The tiny shop of conftest.py, by hand: conversion (orders / sessions) per month and channel
  Jan: web 2/4 = 0.5, app 1/1 = 1.0     Feb: web 1/2 = 0.5, app 0/1 = 0.0
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kpi_engine
from kpi_engine.cli import cli

RULED = """\
kpis:
  ruled_conversion:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    target: 0.45
    thresholds: {warn: 0.4, critical: 0.2}
    targets:
      - by: {channel: app}              # the app converts better: more is expected of it
        target: 0.9
        thresholds: {warn: 0.8, critical: 0.5}
      - from: 2025-02-01                # February's campaign: a lower bar for everyone else
        to: 2025-03-01
        target: 0.6
        thresholds: {warn: 0.55, critical: 0.45}
"""


@pytest.fixture
def ruled(shop):
    defs, url = shop
    (defs / "ruled.yaml").write_text(RULED)
    return defs, url


def statuses(defs, url, **selection):
    with kpi_engine.Engine(kpi_engine.load(defs), url) as engine:
        table = engine.run(kpis=["ruled_conversion"], **selection)
    keys = [k for k in ("period_start", "channel") if k in table.column_names]
    return {tuple(str(r[k]) for k in keys): (r["value"], r["target"], r["status"]) for r in table.to_pylist()}


def test_the_first_matching_rule_applies_per_row(ruled):
    got = statuses(*ruled, grain="month", by=["channel"])
    assert got == {
        ("2025-01-01", "web"): (0.5, 0.45, "ok"),  # no rule: the KPI's own lines
        ("2025-01-01", "app"): (1.0, 0.9, "ok"),  # the app rule
        ("2025-02-01", "web"): (0.5, 0.6, "warn"),  # the February rule: 0.5 < warn 0.55
        ("2025-02-01", "app"): (0.0, 0.9, "critical"),  # app rule first, though February matches too
    }


def test_a_rule_by_a_dimension_needs_rows_sliced_by_it(ruled):
    # Per month without --by: the app rule never matches; February's rule does.
    # Jan 3/5 = 0.6 against the KPI's lines; Feb 1/3 against February's: under its critical 0.45.
    got = statuses(*ruled, grain="month")
    assert got == {("2025-01-01",): (0.6, 0.45, "ok"), ("2025-02-01",): (1 / 3, 0.6, "critical")}


def test_a_rule_by_period_needs_rows_with_a_period(ruled):
    # No grain: no period_start, so only the KPI's own lines: 4/8 = 0.5 is ok against warn 0.4.
    assert statuses(*ruled) == {(): (0.5, 0.45, "ok")}


def test_the_table_shows_the_target_each_row_was_judged_against(ruled):
    defs, url = ruled
    result = CliRunner().invoke(cli, ["run", str(defs), "--connection", url, "--kpi", "ruled_conversion",
                                      "--grain", "month", "--by", "channel", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    got = {(r["period_start"], r["channel"]): r["target"] for r in json.loads(result.stdout)}
    assert got == {("2025-01-01", "app"): 0.9, ("2025-01-01", "web"): 0.45, ("2025-02-01", "app"): 0.9, ("2025-02-01", "web"): 0.6}
    table = CliRunner().invoke(cli, ["run", str(defs), "--connection", url, "--kpi", "ruled_conversion",
                                     "--grain", "month", "--by", "channel"])
    feb_web = next(line for line in table.stdout.splitlines() if "2025-02-01" in line and "web" in line)
    assert feb_web.split()[3:6] == ["0.5", "0.6", "83.33%"] and "warn" in feb_web  # value, target, attainment


@pytest.mark.parametrize(
    ("rules", "line", "message"),
    [
        ("      - by: {chanel: web}\n        target: 0.3\n", 7,
         "targets[0].by: no dimension 'chanel' in the KPI's sources (did you mean 'channel'?) (it has: channel)"),
        ("      - target: 0.3\n", 7, "targets[0]: say which rows it is for with by:, from: or to:"),
        ("      - from: someday\n        target: 0.3\n", 7, "targets[0].from must be a date (YYYY-MM-DD)"),
        ("      - by: {channel: web}\n        target: 0.3\n        thresholds: {warn: 0.1, critical: 0.2}\n", 9,
         "thresholds in the wrong order for direction higher"),
        ("      - by: {channel: web}\n        goal: 0.3\n", 8, "unknown key 'goal'"),
    ],
)
def test_rule_problems_are_one_line_at_their_place(shop, rules, line, message):
    defs, _ = shop
    (defs / "bad.yaml").write_text(
        "kpis:\n  bad:\n    numerator: {source: orders, expr: count(*)}\n"
        "    denominator: {source: sessions, expr: count(*)}\n    target: 0.5\n    targets:\n" + rules
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(defs)
    (problem,) = raised.value.problems
    assert problem.name == "bad" and problem.line == line and problem.message.startswith(message), problem
