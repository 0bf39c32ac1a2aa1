"""Named periods: every keyword at month, quarter and year boundaries and on a leap day.

Expected ranges are written out by hand (half-open: the end day is not included), not
computed with the module's own helpers.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import duckdb
import pytest
from click.testing import CliRunner

import kpi_engine
from kpi_engine.cli import cli
from kpi_engine.periods import resolve

D = date

# as-of day -> keyword -> (start, end)
EXPECTED = {
    # Thursday 2024-02-29, a leap day; its week starts on Monday 2024-02-26.
    D(2024, 2, 29): {
        "today": (D(2024, 2, 29), D(2024, 3, 1)),
        "yesterday": (D(2024, 2, 28), D(2024, 2, 29)),
        "last_7_days": (D(2024, 2, 22), D(2024, 2, 29)),
        "last_30_days": (D(2024, 1, 30), D(2024, 2, 29)),
        "last_1_weeks": (D(2024, 2, 19), D(2024, 2, 26)),
        "last_2_weeks": (D(2024, 2, 12), D(2024, 2, 26)),
        "last_1_months": (D(2024, 1, 1), D(2024, 2, 1)),
        "last_3_months": (D(2023, 11, 1), D(2024, 2, 1)),
        "last_12_months": (D(2023, 2, 1), D(2024, 2, 1)),
        "last_1_quarters": (D(2023, 10, 1), D(2024, 1, 1)),
        "last_2_years": (D(2022, 1, 1), D(2024, 1, 1)),
        "wtd": (D(2024, 2, 26), D(2024, 3, 1)),
        "mtd": (D(2024, 2, 1), D(2024, 3, 1)),
        "qtd": (D(2024, 1, 1), D(2024, 3, 1)),
        "ytd": (D(2024, 1, 1), D(2024, 3, 1)),
        "previous_week": (D(2024, 2, 19), D(2024, 2, 26)),
        "previous_month": (D(2024, 1, 1), D(2024, 2, 1)),
        "previous_quarter": (D(2023, 10, 1), D(2024, 1, 1)),
        "previous_year": (D(2023, 1, 1), D(2024, 1, 1)),
    },
    # Sunday 2024-03-31: the last day of a month and of a quarter; its week began Monday 03-25.
    D(2024, 3, 31): {
        "today": (D(2024, 3, 31), D(2024, 4, 1)),
        "yesterday": (D(2024, 3, 30), D(2024, 3, 31)),
        "last_7_days": (D(2024, 3, 24), D(2024, 3, 31)),
        "last_1_weeks": (D(2024, 3, 18), D(2024, 3, 25)),
        "last_1_months": (D(2024, 2, 1), D(2024, 3, 1)),
        "wtd": (D(2024, 3, 25), D(2024, 4, 1)),
        "mtd": (D(2024, 3, 1), D(2024, 4, 1)),
        "qtd": (D(2024, 1, 1), D(2024, 4, 1)),
        "ytd": (D(2024, 1, 1), D(2024, 4, 1)),
        "previous_month": (D(2024, 2, 1), D(2024, 3, 1)),
        "previous_quarter": (D(2023, 10, 1), D(2024, 1, 1)),
    },
    # Monday 2024-04-01: the first day of a month and a quarter (and of its week).
    D(2024, 4, 1): {
        "today": (D(2024, 4, 1), D(2024, 4, 2)),
        "yesterday": (D(2024, 3, 31), D(2024, 4, 1)),
        "last_7_days": (D(2024, 3, 25), D(2024, 4, 1)),
        "last_1_weeks": (D(2024, 3, 25), D(2024, 4, 1)),
        "wtd": (D(2024, 4, 1), D(2024, 4, 2)),
        "mtd": (D(2024, 4, 1), D(2024, 4, 2)),
        "qtd": (D(2024, 4, 1), D(2024, 4, 2)),
        "ytd": (D(2024, 1, 1), D(2024, 4, 2)),
        "previous_month": (D(2024, 3, 1), D(2024, 4, 1)),
        "previous_quarter": (D(2024, 1, 1), D(2024, 4, 1)),
        "last_2_quarters": (D(2023, 10, 1), D(2024, 4, 1)),
    },
    # Monday 2024-01-01: the first day of a year; the previous week, month, quarter and year
    # all lie in 2023.
    D(2024, 1, 1): {
        "yesterday": (D(2023, 12, 31), D(2024, 1, 1)),
        "last_7_days": (D(2023, 12, 25), D(2024, 1, 1)),
        "previous_week": (D(2023, 12, 25), D(2024, 1, 1)),
        "previous_month": (D(2023, 12, 1), D(2024, 1, 1)),
        "previous_quarter": (D(2023, 10, 1), D(2024, 1, 1)),
        "previous_year": (D(2023, 1, 1), D(2024, 1, 1)),
        "mtd": (D(2024, 1, 1), D(2024, 1, 2)),
        "ytd": (D(2024, 1, 1), D(2024, 1, 2)),
        "last_13_months": (D(2022, 12, 1), D(2024, 1, 1)),
    },
    # Sunday 2023-12-31: the last day of a year.
    D(2023, 12, 31): {
        "today": (D(2023, 12, 31), D(2024, 1, 1)),
        "wtd": (D(2023, 12, 25), D(2024, 1, 1)),
        "ytd": (D(2023, 1, 1), D(2024, 1, 1)),
        "qtd": (D(2023, 10, 1), D(2024, 1, 1)),
        "previous_year": (D(2022, 1, 1), D(2023, 1, 1)),
    },
    # Friday 2025-03-01 follows a February without a leap day.
    D(2025, 3, 1): {
        "yesterday": (D(2025, 2, 28), D(2025, 3, 1)),
        "last_1_months": (D(2025, 2, 1), D(2025, 3, 1)),
        "last_28_days": (D(2025, 2, 1), D(2025, 3, 1)),
        "mtd": (D(2025, 3, 1), D(2025, 3, 2)),
    },
}

CASES = [(as_of, keyword, span) for as_of, spans in EXPECTED.items() for keyword, span in spans.items()]


@pytest.mark.parametrize(("as_of", "keyword", "span"), CASES, ids=[f"{a}-{k}" for a, k, _ in CASES])
def test_keyword_resolves_to_the_hand_computed_range(as_of, keyword, span):
    assert resolve(keyword, as_of) == span


def test_every_keyword_family_is_covered():
    families = {k.split("_")[0] if k.startswith("last_") else k for _, k, _ in CASES}
    assert families >= {"today", "yesterday", "last", "wtd", "mtd", "qtd", "ytd",
                        "previous_week", "previous_month", "previous_quarter", "previous_year"}
    assert {k.rsplit("_", 1)[1] for _, k, _ in CASES if k.startswith("last_")} == {"days", "weeks", "months", "quarters", "years"}


def test_a_timestamp_as_of_means_its_day():
    assert resolve("mtd", datetime(2024, 2, 29, 23, 59)) == (D(2024, 2, 1), D(2024, 3, 1))


@pytest.mark.parametrize("keyword", ["lastweek", "last_0_days", "last_7_day", "last_x_days", "next_month", ""])
def test_unknown_keywords_are_a_selection_error_naming_the_choices(keyword):
    with pytest.raises(kpi_engine.SelectionError, match=r"unknown period .*: use one of today, yesterday"):
        resolve(keyword, D(2024, 1, 1))


# -- through the engine and the CLI, checked against hand-written SQL ------------------------


@pytest.fixture
def daily_orders(tmp_path):
    """One order a day from 2023-12-01 to 2024-04-30, the nth day's worth n."""
    db = tmp_path / "orders.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "create table orders as select d::timestamp + interval 13 hour as ordered_at, "
            "row_number() over (order by d)::double as revenue "
            "from range(date '2023-12-01', date '2024-05-01', interval 1 day) t(d)"
        )
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "shop.yaml").write_text(
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        "kpis:\n  revenue: {value: {source: orders, expr: sum(revenue)}}\n"
        "  orders: {value: {source: orders, expr: count(*)}}\n"
    )
    return tmp_path / "defs", db


def _sql_total(db, start: date, end: date) -> tuple[float, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select sum(revenue), count(*) from orders where ordered_at >= ? and ordered_at < ?", [start, end]
        ).fetchone()


@pytest.mark.parametrize("keyword", ["mtd", "qtd", "ytd", "last_7_days", "previous_month", "last_2_weeks", "yesterday"])
def test_engine_run_with_a_period_matches_sql_over_the_hand_computed_range(daily_orders, keyword):
    defs, db = daily_orders
    as_of = D(2024, 2, 29)
    start, end = EXPECTED[as_of][keyword]
    with kpi_engine.Engine(kpi_engine.load(defs), f"duckdb:///{db}") as engine:
        rows = {r["kpi"]: r["value"] for r in engine.run(period=keyword, as_of=as_of).to_pylist()}
    revenue, orders = _sql_total(db, start, end)
    assert (rows["revenue"], rows["orders"]) == (revenue, orders)
    assert orders == (end - start).days  # one order a day: the range's length in days


def test_cli_period_and_as_of(daily_orders):
    defs, db = daily_orders
    result = CliRunner().invoke(
        cli, ["run", str(defs), "--connection", f"duckdb:///{db}", "--kpi", "orders", "--period", "qtd",
              "--as-of", "2024-02-29", "--grain", "month", "--format", "json"],
    )
    assert result.exit_code == 0, result.stderr
    got = {r["period_start"]: r["value"] for r in json.loads(result.stdout)}
    assert got == {"2024-01-01": 31, "2024-02-01": 29}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "mtd", "--from", "2024-01-01"], "error: give --period or --from/--to, not both"),
        (["--as-of", "2024-01-01"], "error: --as-of needs --period: it is the day a named period is resolved for"),
        (["--period", "lastweek"], "error: unknown period 'lastweek': use one of today, yesterday"),
    ],
)
def test_cli_period_mistakes_are_one_line_and_exit_2(daily_orders, args, message):
    defs, db = daily_orders
    result = CliRunner().invoke(cli, ["run", str(defs), "--connection", f"duckdb:///{db}", *args])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(message)


def test_the_api_refuses_a_period_with_explicit_bounds(daily_orders):
    defs, db = daily_orders
    with kpi_engine.Engine(kpi_engine.load(defs), f"duckdb:///{db}") as engine:
        with pytest.raises(kpi_engine.SelectionError, match="not both"):
            engine.run(period="mtd", as_of=D(2024, 2, 1), start=D(2024, 1, 1))
