"""min_denominator: a rate over too small a denominator is not judged, and the row says why.

The tiny shop of conftest.py, by hand: sessions per month and channel
  Jan: web 4, app 1      Feb: web 2, app 1
orders: Jan web 2, app 1; Feb web 1.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import kpi_engine
from kpi_engine.cli import cli

GUARDED = """\
kpis:
  guarded_conversion:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    min_denominator: 3
    target: 0.5
    thresholds: {warn: 0.4, critical: 0.2}
"""


@pytest.fixture
def guarded(shop):
    defs, url = shop
    (defs / "guarded.yaml").write_text(GUARDED)
    return defs, url


def test_rows_under_the_minimum_are_no_data_with_a_note(guarded):
    defs, url = guarded
    with kpi_engine.Engine(kpi_engine.load(defs), url) as engine:
        table = engine.run(kpis=["guarded_conversion", "conversion_rate"], grain="month", by=["channel"])
    rows = {(r["kpi"], str(r["period_start"]), r["channel"]): r for r in table.to_pylist()}
    # Jan web: 2 orders / 4 sessions = 0.5, 4 >= 3: judged (ok at the target).
    jan_web = rows[("guarded_conversion", "2025-01-01", "web")]
    assert (jan_web["numerator"], jan_web["denominator"], jan_web["value"]) == (2, 4, 0.5)
    assert jan_web["status"] == "ok" and jan_web["note"] is None
    # Jan app: 1 / 1 = 1.0 would be ok, Feb web: 1 / 2 = 0.5 too; both under 3 sessions.
    for key, (numerator, denominator) in {("2025-01-01", "app"): (1, 1), ("2025-02-01", "web"): (1, 2)}.items():
        row = rows[("guarded_conversion", *key)]
        assert (row["numerator"], row["denominator"], row["value"]) == (numerator, denominator, numerator / denominator)
        assert row["status"] == "no_data"
        assert row["note"] == f"denominator {denominator} is under min_denominator 3: too few to judge"
    # Feb app: 0 orders / 1 session is 0.0, critical without the guard, not judged with it.
    assert rows[("guarded_conversion", "2025-02-01", "app")]["status"] == "no_data"
    # The same rate without a minimum is judged as before, with no note.
    plain = rows[("conversion_rate", "2025-02-01", "app")]
    assert plain["status"] == "critical" and plain["note"] is None


def test_the_note_column_appears_only_when_a_kpi_has_a_minimum(guarded):
    defs, url = guarded
    with kpi_engine.Engine(kpi_engine.load(defs), url) as engine:
        assert "note" not in engine.run(kpis=["conversion_rate"]).column_names
        assert "note" in engine.run(kpis=["guarded_conversion"]).column_names


def test_cli_json_and_table_show_the_note(guarded):
    defs, url = guarded
    runner = CliRunner()
    result = runner.invoke(cli, ["run", str(defs), "--connection", url, "--kpi", "guarded_conversion", "--grain", "month", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    notes = {r["period_start"]: (r["status"], r["note"]) for r in json.loads(result.stdout)}
    # Jan: 3 orders / 5 sessions, judged; Feb: 1 / 3, 3 is not under 3: judged too (0.33 < 0.4: warn).
    assert notes == {"2025-01-01": ("ok", None), "2025-02-01": ("warn", None)}
    table = runner.invoke(cli, ["run", str(defs), "--connection", url, "--kpi", "guarded_conversion", "--by", "channel"])
    assert "note" in table.stdout.splitlines()[0]
    # Whole period by channel: web 3 / 6 sessions is judged, app 1 / 2 sessions is not.
    assert "denominator 2 is under min_denominator 3: too few to judge" in table.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("    value: {source: orders, expr: count(*)}\n    min_denominator: 10\n",
         "min_denominator applies to a KPI with a denominator"),
        ("    numerator: {source: orders, expr: count(*)}\n    denominator: {source: sessions, expr: count(*)}\n"
         "    min_denominator: -1\n", "min_denominator must not be negative"),
        ("    numerator: {source: orders, expr: count(*)}\n    denominator: {source: sessions, expr: count(*)}\n"
         "    min_denominator: many\n", "min_denominator must be a number"),
    ],
)
def test_misuse_is_one_definition_problem_at_its_line(shop, text, message):
    defs, _ = shop
    (defs / "bad.yaml").write_text("kpis:\n  bad:\n" + text)
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(defs)
    (problem,) = raised.value.problems
    assert problem.file.endswith("bad.yaml") and problem.line == 3 + text.count("\n") - 1
    assert problem.name == "bad" and problem.message.startswith(message)
