"""--trend N and the weather summary: rules by hand, and on the tiny shop through the CLI."""

from __future__ import annotations

import json

import pytest
from attrs import evolve
from click.testing import CliRunner

import kpi_engine
from kpi_engine.cli import cli
from kpi_engine.model import Kpi, Location, Thresholds
from kpi_engine.trends import direction_of, slope, weather


def test_slope_is_the_least_squares_fit():
    assert slope([1, 2, 3]) == 1
    assert slope([3, 1]) == -2
    # (0,1) (1,3) (2,2): mean x 1, mean y 2; sum (x-1)(y-2) = (-1)(-1) + 0 + (1)(0) = 1; spread 2
    assert slope([1, 3, 2]) == 0.5


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([100, 110, 120], "up"),
        ([120, 110, 100], "down"),
        ([100, 100.4, 100.8], "flat"),  # fitted change 0.8 on a mean of 100.4: under 1%
        ([5, 5], "flat"),
        ([5], None),
        ([], None),
        ([-10, -5], "up"),
    ],
)
def test_direction_of_a_series(values, expected):
    assert direction_of(values, 0.01) == expected


def kpi(direction="higher"):
    return Kpi(name="k", location=Location("k.yaml", 1), direction=direction, target=1.0, thresholds=Thresholds())


@pytest.mark.parametrize(
    ("direction", "status", "verdict", "trend", "expected"),
    [
        ("higher", "critical", "improving", "up", "stormy"),
        ("higher", "warn", "improving", "up", "cloudy"),
        ("higher", "ok", "worsening", None, "cloudy"),
        ("higher", "ok", None, "down", "cloudy"),
        ("lower", "ok", None, "up", "cloudy"),
        ("lower", "ok", None, "down", "sunny"),
        ("higher", "ok", "flat", "flat", "sunny"),
        ("higher", "ok", None, None, "sunny"),
        ("higher", "no_data", None, None, None),
        ("higher", "unrated", "worsening", "down", "cloudy"),  # no target: the change alone
        ("higher", "unrated", "improving", None, "sunny"),
        ("lower", "unrated", None, "down", "sunny"),
        ("higher", "unrated", "flat", None, "sunny"),
        ("higher", "unrated", None, None, None),  # nothing to go by
        ("range", "unrated", None, "up", None),  # a range without a band has no better side
    ],
)
def test_weather(direction, status, verdict, trend, expected):
    assert weather(kpi(direction), status, verdict, trend) == expected


@pytest.mark.parametrize(
    ("status", "change_ratio", "alert_change", "expected"),
    [
        ("ok", -0.25, 0.2, "stormy"),  # a 25% fall past a 20% alert: a storm even while ok
        ("warn", -0.25, 0.2, "stormy"),
        ("unrated", -0.25, 0.2, "stormy"),
        ("ok", -0.2, 0.2, "cloudy"),  # exactly at the alert: not beyond it
        ("ok", -0.25, None, "cloudy"),  # no alert_change: worsening is cloudy
        ("no_data", -0.25, 0.2, None),
    ],
)
def test_a_sharp_worsening_is_stormy(status, change_ratio, alert_change, expected):
    k = evolve(kpi(), alert_change=alert_change)
    assert weather(k, status, "worsening", None, change_ratio) == expected
    assert weather(k, status, "improving", None, -change_ratio) == (None if status == "no_data" else
                                                                   {"ok": "sunny", "warn": "cloudy", "unrated": "sunny"}[status])


def test_cli_trend_and_weather_on_the_shop(shop):
    # Revenue by month: Jan 100 + 50 + 30 = 180, Feb 80. Conversion: Jan 3 orders / 5
    # sessions = 0.6 (ok against warn 0.4), Feb 1 / 3 = 0.333 (warn).
    defs, url = shop
    result = CliRunner().invoke(
        cli, ["run", str(defs), "--connection", url, "--kpi", "conversion_rate", "--kpi", "revenue",
              "--grain", "month", "--trend", "2", "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    rows = {(r["kpi"], r["period_start"]): (r["trend"], r["weather"]) for r in json.loads(result.stdout)}
    assert rows == {
        ("conversion_rate", "2025-01-01"): (None, "sunny"),  # one bucket: no trend yet
        ("conversion_rate", "2025-02-01"): ("down", "cloudy"),  # warn
        ("revenue", "2025-01-01"): (None, None),  # unrated, and no trend yet: nothing to go by
        ("revenue", "2025-02-01"): ("down", "cloudy"),  # no target: falling revenue is worsening
    }


def test_trend_needs_a_grain(shop):
    defs, url = shop
    with kpi_engine.Engine(kpi_engine.load(defs), url) as engine:
        with pytest.raises(kpi_engine.SelectionError, match="--trend N needs --grain"):
            engine.run(trend=3)


@pytest.mark.parametrize(("value", "message"), [
    ("0", "alert_change must be a share of the compared value above 0 (0.2 is a 20% change)"),
    ("-0.2", "alert_change must be a share of the compared value above 0 (0.2 is a 20% change)"),
    ("twenty", "alert_change must be a number, not 'twenty'"),
    ("[0.2]", "alert_change must be a number, not a list"),
])
def test_alert_change_problems(tmp_path, value, message):
    (tmp_path / "k.yaml").write_text(
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        f"kpis:\n  k:\n    value: {{source: orders, expr: count(*)}}\n    alert_change: {value}\n"
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(tmp_path)
    (problem,) = raised.value.problems
    assert (problem.message, problem.line) == (message, 6)
