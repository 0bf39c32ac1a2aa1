"""Golden SQL: the exact statement ``kpi compile`` emits, per case and dialect.

Layout (MetricFlow's): ``tests/golden/<case>/<dialect>.sql``, generated from the
definitions in ``tests/golden/catalog.yaml`` through the public API::

    kpi_engine.Engine(catalog, "duckdb://").compile(dialect, kpis=[...], grain=..., by=[...])

Each file is compared byte for byte (with one trailing newline) and must parse back with
``sqlglot.parse_one(sql, read=dialect)``. The DuckDB goldens are also executed on DuckDB,
and the PostgreSQL goldens on a live PostgreSQL when one answers (``KPI_TEST_POSTGRES``,
default ``postgresql://postgres@127.0.0.1:5432/postgres``; skipped otherwise).

Updating the goldens
--------------------
When a change to the compiler is meant to change the SQL, regenerate and review::

    KPI_UPDATE_GOLDEN=1 python -m pytest tests/test_golden_sql.py
    git diff tests/golden/

With ``KPI_UPDATE_GOLDEN=1`` every golden file is rewritten (and the comparison passes);
read the diff before committing it: a golden is a reviewed statement, not a recording.

Dialect caveats the goldens cannot prove
----------------------------------------
Only the DuckDB and PostgreSQL goldens execute here. Fixed and pinned by tests in this
file: aligning sides by UNION ALL + GROUP BY (PostgreSQL refuses a FULL JOIN on
IS NOT DISTINCT FROM; MySQL has no FULL JOIN), BigQuery weeks as WEEK(MONDAY), Spark day
buckets via DATE_TRUNC, and NULLS LAST so a NULL slice sorts last everywhere. Not provable
without the engine (the warehouse-adapter work executes them): BigQuery DATE_TRUNC and
the DATETIME period literals against a TIMESTAMP column, and Snowflake weeks, which start
on Monday only while the WEEK_START session parameter keeps its default.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from fixtures import POSTGRES_URL, postgres_available, psql, unavailable

GOLDEN = Path(__file__).parent / "golden"
DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "spark")
UPDATE = os.environ.get("KPI_UPDATE_GOLDEN") == "1"

CASES = {
    # A ratio: numerator on orders (with a where), denominator on sessions; month x channel.
    "ratio_two_sources_month_by_channel": dict(kpis=["conversion_rate"], grain="month", by=["channel"]),
    # A value KPI over a half-open period, by week.
    "value_week_period": dict(kpis=["revenue"], grain="week", start=date(2024, 1, 1), end=date(2024, 4, 1)),
    # A formula over two value KPIs on two sources, by day and channel.
    "formula_day_by_channel": dict(kpis=["roas"], grain="day", by=["channel"]),
}


@pytest.fixture(scope="module")
def engine():
    catalog = kpi_engine.load(GOLDEN / "catalog.yaml")
    return kpi_engine.Engine(catalog, "duckdb://")


def golden_path(case: str, dialect: str) -> Path:
    return GOLDEN / case / f"{dialect}.sql"


def compile_case(engine, case: str, dialect: str) -> str:
    return engine.compile(dialect, **CASES[case]) + "\n"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", list(CASES))
def test_golden_sql(engine, case, dialect):
    sql = compile_case(engine, case, dialect)
    path = golden_path(case, dialect)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")
    assert path.exists(), f"no golden {path}: run with KPI_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert sql == expected, f"{case}/{dialect}.sql differs from the compiler; see the module docstring to update"


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", list(CASES))
def test_golden_parses_back_in_its_dialect(case, dialect):
    text = golden_path(case, dialect).read_text(encoding="utf-8")
    tree = sqlglot.parse_one(text, read=dialect)
    assert isinstance(tree, exp.Query)
    # Parsing and printing again is stable: the golden is what sqlglot itself would write.
    assert tree.sql(dialect=dialect, pretty=True) + "\n" == text


def test_every_golden_file_belongs_to_a_case():
    on_disk = {(p.parent.name, p.stem) for p in GOLDEN.glob("*/*.sql")}
    assert on_disk == {(c, d) for c in CASES for d in DIALECTS}


# -- the goldens run ------------------------------------------------------------------------------

TABLES_DUCKDB = """
create table orders (ordered_at timestamp, channel varchar, segment varchar, status varchar, amount double);
insert into orders values
  ('2024-01-03 10:00', 'web', 'b2c', 'paid', 100), ('2024-01-03 11:00', 'web', 'b2c', 'cancelled', 50),
  ('2024-01-07 23:59:59', null, 'b2b', 'paid', 20);
create table sessions (started_at timestamp, utm_channel varchar, device varchar);
insert into sessions values
  ('2024-01-03 09:00', 'WEB', 'mobile'), ('2024-01-03 09:30', 'Web', 'desktop'), ('2024-01-07 08:00', null, 'mobile');
create table ad_spend (spent_on date, channel varchar, cost double);
insert into ad_spend values ('2024-01-03', 'web', 25), ('2024-01-07', null, 10);
"""


# What each case returns over those rows, worked out by hand:
# (_ord, kpi, period_start, [channel,] numerator, denominator, value). The NULL channel is
# one slice on both sides ('WEB'/'Web' are lower-cased into web by the sessions dimension).
EXPECTED = {
    "ratio_two_sources_month_by_channel": [
        (0, "conversion_rate", date(2024, 1, 1), "web", 1.0, 2.0, 0.5),  # the cancelled order is out
        (0, "conversion_rate", date(2024, 1, 1), None, 1.0, 1.0, 1.0),
    ],
    # Wednesday Jan 3 and Sunday Jan 7 23:59:59 share the week of Monday Jan 1.
    "value_week_period": [(0, "revenue", date(2024, 1, 1), 170.0, None, 170.0)],
    "formula_day_by_channel": [
        (0, "roas", date(2024, 1, 3), "web", 150.0, 25.0, 6.0),
        (0, "roas", date(2024, 1, 7), None, 20.0, 10.0, 2.0),
    ],
}


@pytest.mark.parametrize("case", list(CASES))
def test_duckdb_golden_runs(case):
    con = duckdb.connect()
    try:
        con.execute(TABLES_DUCKDB)
        rows = con.sql(golden_path(case, "duckdb").read_text()).fetchall()
    finally:
        con.close()
    assert rows == EXPECTED[case]


def _psql_text(row: tuple) -> str:
    def text(v):
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:g}"
        return v.isoformat() if isinstance(v, date) else str(v)

    return "|".join(text(v) for v in row)


TABLES_POSTGRES = """
create temp table orders (ordered_at timestamp, channel text, segment text, status text, amount integer);
insert into orders values
  ('2024-01-03 10:00', 'web', 'b2c', 'paid', 100), ('2024-01-03 11:00', 'web', 'b2c', 'cancelled', 50),
  ('2024-01-07 23:59:59', null, 'b2b', 'paid', 20);
create temp table sessions (started_at timestamp, utm_channel text, device text);
insert into sessions values
  ('2024-01-03 09:00', 'WEB', 'mobile'), ('2024-01-03 09:30', 'Web', 'desktop'), ('2024-01-07 08:00', null, 'mobile');
create temp table ad_spend (spent_on date, channel text, cost integer);
insert into ad_spend values ('2024-01-03', 'web', 25), ('2024-01-07', null, 10);
"""

@pytest.mark.parametrize(
    "case",
    [
        "ratio_two_sources_month_by_channel",
        "value_week_period",
        "formula_day_by_channel",
    ],
)
def test_postgres_golden_runs_on_postgresql(case):
    if not postgres_available():
        unavailable(f"no PostgreSQL answers at {POSTGRES_URL} (KPI_TEST_POSTGRES)")
    sql = golden_path(case, "postgres").read_text().rstrip() + ";"
    done = psql(TABLES_POSTGRES + sql)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [_psql_text(r) for r in EXPECTED[case]]


# -- dialect correctness the goldens do not yet have (strict xfail: remove when fixed) -----------


def test_bigquery_weeks_start_on_monday():
    text = golden_path("value_week_period", "bigquery").read_text()
    assert re.search(r"DATE_TRUNC\([^()]*,\s*(WEEK\(MONDAY\)|ISOWEEK)\)", text), text


def test_spark_day_bucket_is_a_valid_truncation():
    text = golden_path("formula_day_by_channel", "spark").read_text()
    assert "'DAY'" in text
    assert not re.search(r"(?<![A-Z_])TRUNC\([^()]*,\s*'DAY'\)", text), text


def test_weeks_and_quarters_in_the_other_dialects_start_where_design_says(engine):
    # DuckDB, PostgreSQL and Spark DATE_TRUNC/TRUNC('WEEK') are ISO (Monday) weeks;
    # Snowflake's DATE_TRUNC('WEEK') follows the WEEK_START session parameter, Monday by default.
    for dialect in ("duckdb", "postgres", "snowflake"):
        text = engine.compile(dialect, kpis=["revenue"], grain="week")
        assert "DATE_TRUNC('WEEK', ordered_at)" in text
    # Spark: TRUNC(d, 'WEEK') and DATE_TRUNC('WEEK', ts) both truncate to the Monday.
    spark = engine.compile("spark", kpis=["revenue"], grain="week")
    assert "TRUNC(ordered_at, 'WEEK')" in spark or "DATE_TRUNC('WEEK', ordered_at)" in spark
    for dialect in DIALECTS:
        text = engine.compile(dialect, kpis=["revenue"], grain="quarter")
        assert "QUARTER" in text


@pytest.mark.parametrize("dialect", ["bigquery", "spark"])
def test_null_slices_sort_last_in_every_dialect(dialect):
    text = golden_path("ratio_two_sources_month_by_channel", dialect).read_text()
    order_by = text.rsplit("ORDER BY", 1)[1]
    assert order_by.count("NULLS LAST") == 3, order_by
