"""timezone: buckets and periods in local time across daylight-saving changes, on every engine.

Order times are UTC instants; Europe/Berlin is UTC+1 in winter and UTC+2 in summer, and
in 2024 it changed at 01:00 UTC on 31 March (02:00 -> 03:00 local) and on 27 October
(03:00 -> 02:00 local, so 02:30 local happened twice). Expected local days by hand, and
again with Python's zoneinfo as an independent check.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

import kpi_engine
from engines import engines
from kpi_engine.timezones import offsets_between, transitions

UTC_TIMES = [
    datetime(2024, 3, 30, 22, 59),  # 23:59 CET, 30 March
    datetime(2024, 3, 30, 23, 30),  # 00:30 CET, 31 March
    datetime(2024, 3, 31, 0, 59, 59),  # 01:59:59 CET, the last second before the change
    datetime(2024, 3, 31, 1, 0),  # 03:00 CEST
    datetime(2024, 3, 31, 22, 30),  # 00:30 CEST, 1 April
    datetime(2024, 10, 26, 22, 30),  # 00:30 CEST, 27 October
    datetime(2024, 10, 27, 0, 30),  # 02:30 CEST
    datetime(2024, 10, 27, 1, 30),  # 02:30 CET, the repeated hour
    datetime(2024, 10, 27, 22, 59),  # 23:59 CET, 27 October
    datetime(2024, 10, 27, 23, 30),  # 00:30 CET, 28 October
]
LOCAL_DAYS = {date(2024, 3, 30): 1, date(2024, 3, 31): 3, date(2024, 4, 1): 1, date(2024, 10, 27): 4, date(2024, 10, 28): 1}
UTC_DAYS = {date(2024, 3, 30): 2, date(2024, 3, 31): 3, date(2024, 10, 26): 1, date(2024, 10, 27): 4}

DEFINITIONS = """\
sources:
  orders_berlin: {table: orders, time: ordered_at, timezone: Europe/Berlin}
  orders_utc: {table: orders, time: ordered_at}
kpis:
  orders_local: {value: {source: orders_berlin, expr: count(*)}}
  orders_as_stored: {value: {source: orders_utc, expr: count(*)}}
"""


def test_the_hand_written_local_days_agree_with_zoneinfo():
    berlin = ZoneInfo("Europe/Berlin")
    local = Counter(t.replace(tzinfo=timezone.utc).astimezone(berlin).date() for t in UTC_TIMES)
    assert local == LOCAL_DAYS
    assert Counter(t.date() for t in UTC_TIMES) == UTC_DAYS


def test_transitions_of_a_zone():
    first, changes = transitions("Europe/Berlin")
    assert first == 3600
    assert [c for c in changes if c[0].year == 2024] == [(datetime(2024, 3, 31, 1), 7200), (datetime(2024, 10, 27, 1), 3600)]
    assert offsets_between("Europe/Berlin", datetime(2024, 5, 1), datetime(2024, 6, 1)) == (7200, ())
    assert transitions("UTC") == (0, ())


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def engine(request, tmp_path_factory):
    orders = pa.table({"ordered_at": pa.array(UTC_TIMES, pa.timestamp("us"))})
    folder = tmp_path_factory.mktemp("defs")
    (folder / "k.yaml").write_text(DEFINITIONS)
    with request.param.provision({"orders": orders}, tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(kpi_engine.load(folder), url) as eng:
            yield eng


def days(engine, kpi, **selection):
    table = engine.run(kpis=[kpi], grain="day", **selection)
    return {r["period_start"]: r["value"] for r in table.to_pylist()}


def test_days_are_local_days_across_both_changes(engine):
    assert days(engine, "orders_local") == LOCAL_DAYS
    assert days(engine, "orders_as_stored") == UTC_DAYS  # no time zone: as stored


def test_periods_are_local_too(engine):
    # --from/--to are local: the 23-hour 31 March holds three orders, the 25-hour 27 October four.
    assert days(engine, "orders_local", start=date(2024, 3, 31), end=date(2024, 4, 1)) == {date(2024, 3, 31): 3}
    assert days(engine, "orders_local", start=date(2024, 10, 27), end=date(2024, 10, 28)) == {date(2024, 10, 27): 4}
    # A bound inside the repeated hour: 02:00 local on 27 October is the first of the two.
    (row,) = engine.run(kpis=["orders_local"], start=datetime(2024, 10, 27, 2, 0), end=datetime(2024, 10, 27, 3, 0)).to_pylist()
    assert row["value"] == 2  # 02:30 CEST and 02:30 CET


def test_an_unknown_zone_is_a_definition_problem(tmp_path):
    (tmp_path / "k.yaml").write_text("sources:\n  s: {table: t, time: ts, timezone: Europe/Berlinn}\n")
    with pytest.raises(kpi_engine.DefinitionError, match="timezone 'Europe/Berlinn' is not an IANA time zone"):
        kpi_engine.load(tmp_path)


def test_the_project_timezone_applies_to_sources_without_one(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kpi_engine.cli import cli

    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "k.yaml").write_text(
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        "kpis:\n  orders: {value: {source: orders, expr: count(*)}}\n"
    )
    (tmp_path / "kpi.yml").write_text("definitions: defs\ntimezone: Europe/Berlin\n")
    import duckdb

    with duckdb.connect(str(tmp_path / "o.duckdb")) as con:
        con.execute("create table orders (ordered_at timestamp)")
        con.executemany("insert into orders values (?)", [(t,) for t in UTC_TIMES])
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["run", "--connection", f"duckdb:///{tmp_path / 'o.duckdb'}", "--grain", "day", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    import json

    assert {r["period_start"]: r["value"] for r in json.loads(result.stdout)} == {d.isoformat(): n for d, n in LOCAL_DAYS.items()}


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery", "trino", "redshift", "databricks"])
def test_local_time_compiles_for_every_compile_only_target(tmp_path, dialect):
    # The read-back check (kpi_engine.verify) knows how each prints AT TIME ZONE:
    # CONVERT_TIMEZONE (Snowflake), DATETIME(t, zone) (BigQuery), AT_TIMEZONE (Trino).
    (tmp_path / "k.yaml").write_text(DEFINITIONS)
    engine = kpi_engine.Engine(kpi_engine.load(tmp_path), "duckdb://")
    sql = engine.compile(dialect, kpis=["orders_local"], grain="day", start=date(2024, 3, 1), end=date(2024, 4, 1))
    assert "Europe/Berlin" in sql
