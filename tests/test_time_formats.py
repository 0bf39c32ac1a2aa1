"""time: {column, format}: epoch seconds, epoch milliseconds and ISO 8601 text read as times, on every engine.

The same raw rows are loaded into every engine (tests/engines): integers counting
seconds and milliseconds since 1970-01-01 UTC, seconds with a fraction, ISO 8601 text
with a T or a space, Z, +HH:MM and -HH:MM offsets and a bare date. Expected buckets
and values are computed here in plain Python from those raw values (``datetime`` and
``zoneinfo``), never from the engine. The instants sit on month boundaries, and the
offsets put several of them in another month than the one their text shows, so an
engine that ignores an offset or reads a number in the wrong unit gets a different
answer.

A time column whose values are not times, with no format declared (or the wrong one),
fails the KPIs reading it on every engine with one line naming the source, its file
and line, and what to declare; the other KPIs still run.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest

import kpi_engine
from engines import engines
from kpi_engine.testing import invoke

EPOCH = datetime(1970, 1, 1)
BERLIN = ZoneInfo("Europe/Berlin")

# (UTC instant, the ISO text the iso column holds for it)
ROWS = [
    (datetime(2024, 1, 15, 12, 0), "2024-01-15T12:00:00"),
    (datetime(2024, 1, 31, 23, 59, 59), "2024-01-31 23:59:59"),
    (datetime(2024, 2, 1, 0, 0), "2024-02-01T00:00:00Z"),  # the boundary itself
    (datetime(2024, 1, 31, 22, 30), "2024-02-01T00:30:00+02:00"),  # January, written as February
    (datetime(2024, 2, 29, 20, 30), "2024-03-01T02:00:00+05:30"),  # February, written as March
    (datetime(2024, 3, 31, 23, 30), "2024-03-31T18:30:00-05:00"),  # 1 April in Berlin (CEST)
    (datetime(2024, 2, 15, 8, 0, 0, 500000), "2024-02-15T08:00:00.5Z"),
    (datetime(2024, 3, 10), "2024-03-10"),
    (datetime(2024, 2, 10, 10, 20, 30, 123000), "2024-02-10T10:20:30.123"),
    (datetime(2024, 1, 31, 23, 0), "2024-01-31T23:00:00.000+00:00"),  # 1 February in Berlin
]


def _seconds(moment: datetime) -> float:
    return (moment - EPOCH) / timedelta(seconds=1)


def tables() -> dict[str, pa.Table]:
    values = [float(i + 1) for i in range(len(ROWS))]
    seconds = [_seconds(m) for m, _ in ROWS]
    return {
        "ev_s": pa.table({
            "ts": pa.array([int(s // 1) for s in seconds], pa.int64()),
            "tsf": pa.array(seconds, pa.float64()),
            "Event-Time": pa.array([int(s // 1) for s in seconds], pa.int64()),
            "v": values,
        }),
        "ev_ms": pa.table({"ms": pa.array([round(s * 1000) for s in seconds], pa.int64()), "v": values}),
        "ev_iso": pa.table({"st": pa.array([text for _, text in ROWS], pa.string()), "v": values}),
        "ev_ts": pa.table({"t": pa.array([m for m, _ in ROWS], pa.timestamp("us")), "v": values}),
        "ev_bad": pa.table({"st": ["2024-01-05T10:00:00", "2024-01-06 10:00:00", "05/01/2024", "2024-01-07"],
                            "v": [1.0, 2.0, 3.0, 4.0]}),
    }


# The independent reading of each raw value: what the engine must compute.
READ = {
    "ts": lambda v: EPOCH + timedelta(seconds=v),
    "tsf": lambda v: EPOCH + timedelta(seconds=v),
    "Event-Time": lambda v: EPOCH + timedelta(seconds=v),
    "ms": lambda v: EPOCH + timedelta(milliseconds=v),
    "st": lambda v: _utc(datetime.fromisoformat(v)),
}


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is None else moment.astimezone(timezone.utc).replace(tzinfo=None)


DEFINITIONS = """\
sources:
  seconds: {table: ev_s, time: {column: ts, format: epoch_s}}
  fractions: {table: ev_s, time: {column: tsf, format: epoch_s}}
  millis: {table: ev_ms, time: {column: ms, format: epoch_ms}}
  iso:
    table: ev_iso
    time:
      column: st
      format: iso
  odd: {table: ev_s, time: {column: '"Event-Time"', format: epoch_s}}
  berlin: {table: ev_s, time: {column: ts, format: epoch_s}, timezone: Europe/Berlin}
  berlin_iso: {table: ev_iso, time: {column: st, format: iso}, timezone: Europe/Berlin}
  undeclared: {table: ev_s, time: ts}
  undeclared_ms: {table: ev_ms, time: ms}
  undeclared_text: {table: ev_iso, time: st}
  stored: {table: ev_ts, time: t}
  epoch_on_times: {table: ev_ts, time: {column: t, format: epoch_s}}
  iso_on_numbers: {table: ev_s, time: {column: ts, format: iso}}
  bad_iso: {table: ev_bad, time: {column: st, format: iso}}
kpis:
"""
# source -> (table, column); each gets KPIs n_<source> (a count) and v_<source> (a sum)
SOURCES = {
    "seconds": ("ev_s", "ts"), "fractions": ("ev_s", "tsf"), "millis": ("ev_ms", "ms"), "iso": ("ev_iso", "st"),
    "odd": ("ev_s", "Event-Time"), "berlin": ("ev_s", "ts"), "berlin_iso": ("ev_iso", "st"),
    "undeclared": ("ev_s", "ts"), "undeclared_ms": ("ev_ms", "ms"), "undeclared_text": ("ev_iso", "st"),
    "stored": ("ev_ts", "t"), "epoch_on_times": ("ev_ts", "t"), "iso_on_numbers": ("ev_s", "ts"),
    "bad_iso": ("ev_bad", "st"),
}
CONVERTED = ("seconds", "fractions", "millis", "iso", "odd")


def definitions() -> str:
    text = DEFINITIONS
    for source in SOURCES:
        text += f"  n_{source}: {{value: {{source: {source}, expr: count(*)}}}}\n"
        text += f"  v_{source}: {{value: {{source: {source}, expr: sum(v)}}}}\n"
    return text


def line_of(name: str) -> int:
    """The line of source ``name`` in the definitions (1-based)."""
    return next(i for i, line in enumerate(definitions().splitlines(), 1) if line.startswith(f"  {name}:"))


def instants(source: str, zone: ZoneInfo | None = None) -> list[tuple[datetime, float]]:
    """(time as the engine must read it, v) for each raw row of ``source``, computed here."""
    table_name, column = SOURCES[source]
    table = tables()[table_name]
    read = READ[column] if column in READ else (lambda v: v)
    out = []
    for raw, v in zip(table.column(column).to_pylist(), table.column("v").to_pylist()):
        moment = read(raw)
        if zone is not None:
            moment = moment.replace(tzinfo=timezone.utc).astimezone(zone).replace(tzinfo=None)
        out.append((moment, v))
    return out


def expected(source: str, grain: str | None = None, start=None, end=None, zone=None) -> dict:
    """{period_start or None: (count, sum)} computed in Python."""
    low = datetime.combine(start, datetime.min.time()) if isinstance(start, date) and not isinstance(start, datetime) else start
    high = datetime.combine(end, datetime.min.time()) if isinstance(end, date) and not isinstance(end, datetime) else end
    found: dict = defaultdict(lambda: [0, 0.0])
    for moment, v in instants(source, zone):
        if (low is not None and moment < low) or (high is not None and moment >= high):
            continue
        key = None
        if grain == "month":
            key = date(moment.year, moment.month, 1)
        elif grain == "day":
            key = moment.date()
        found[key][0] += 1
        found[key][1] += v
    return {k: (n, s) for k, (n, s) in found.items()}


def test_the_iso_texts_are_the_instants():
    # The table above, checked once by Python's own ISO parser.
    assert [_utc(datetime.fromisoformat(text)) for _, text in ROWS] == [m for m, _ in ROWS]
    # Several texts name another month than their instant: an ignored offset shows.
    assert sum(datetime.fromisoformat(t).month != m.month for m, t in ROWS) == 2


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def engine(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("defs")
    (folder / "k.yaml").write_text(definitions())
    with request.param.provision(tables(), tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(kpi_engine.load(folder), url) as eng:
            yield eng


def at(source: str) -> str:
    """The start of a message about ``source``: its definition's place, and its time column."""
    return rf"\S*k\.yaml:{line_of(source)}:3: time column {re.escape(SOURCES[source][1])} of source {source} "


def computed(engine, source: str, **selection) -> dict:
    """{period_start or None: (count, sum)} as the engine computes them."""
    rows = engine.run(kpis=[f"n_{source}", f"v_{source}"], **selection).to_pylist()
    counts = {r.get("period_start"): r["value"] for r in rows if r["kpi"] == f"n_{source}"}
    sums = {r.get("period_start"): r["value"] for r in rows if r["kpi"] == f"v_{source}"}
    return {k: (counts[k], pytest.approx(sums[k])) for k in counts if counts[k]}


@pytest.mark.parametrize("source", CONVERTED)
def test_month_buckets_match_the_raw_values_read_in_python(engine, source):
    want = expected(source, "month")
    assert set(want) == {date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)}
    assert computed(engine, source, grain="month") == want


@pytest.mark.parametrize("source", CONVERTED)
def test_periods_match_the_raw_values_read_in_python(engine, source):
    # A month (half-open), and bounds inside a day: 23:00 on 31 January is in, 1 February 00:00 is out.
    for start, end in ((date(2024, 2, 1), date(2024, 3, 1)), (datetime(2024, 1, 31, 23), datetime(2024, 2, 1))):
        want = expected(source, None, start, end)
        assert want, (start, end)
        assert computed(engine, source, start=start, end=end) == want
    # Buckets and a period together.
    want = expected(source, "month", date(2024, 1, 31), date(2024, 3, 1))
    assert computed(engine, source, grain="month", start=date(2024, 1, 31), end=date(2024, 3, 1)) == want


@pytest.mark.parametrize("source", ["berlin", "berlin_iso"])
def test_timezone_reads_converted_times_as_utc_instants(engine, source):
    want_days = expected(source, "day", zone=BERLIN)
    assert date(2024, 2, 1) in want_days and date(2024, 4, 1) in want_days  # moved by the zone
    assert computed(engine, source, grain="day") == want_days
    assert computed(engine, source, grain="month") == expected(source, "month", zone=BERLIN)
    # --from/--to in local time: Berlin's February starts at 23:00 UTC on 31 January.
    window = (date(2024, 2, 1), date(2024, 3, 1))
    assert computed(engine, source, start=window[0], end=window[1]) == expected(source, None, *window, zone=BERLIN)


def test_a_column_holding_times_needs_no_format(engine):
    assert computed(engine, "stored", grain="month") == expected("stored", "month")


def _failure(engine, kpi: str, **selection) -> str:
    evaluation = engine.evaluate(kpis=[kpi], **selection)
    (failure,) = evaluation.failures
    assert failure.kpis == (kpi,)
    return failure.message


@pytest.mark.parametrize(("source", "fix"), [
    ("undeclared", r"declare time: \{column: ts, format: epoch_s\} \(epoch_ms for milliseconds\)"),
    ("undeclared_ms", r"declare time: \{column: ms, format: epoch_(s|ms)\}"),
    ("undeclared_text", r"declare time: \{column: st, format: iso\}"),
])
def test_an_undeclared_time_column_holding_no_times_is_refused(engine, source, fix):
    for selection in (dict(grain="month"), dict(start=date(2024, 2, 1), end=date(2024, 3, 1))):
        message = _failure(engine, f"n_{source}", **selection)
        assert re.match(at(source) + "holds ", message), message
        assert re.search(fix, message), message
        assert "\n" not in message
    # Without buckets or a period the time column is not read: the whole table counts.
    (row,) = engine.run(kpis=[f"n_{source}"]).to_pylist()
    assert row["value"] == len(ROWS)


def test_integers_suggest_milliseconds_when_they_are_that_large(engine):
    if engine.adapter_spec.dialect == "sqlite":  # the values tell, not only the type
        assert "format: epoch_ms}" in _failure(engine, "n_undeclared_ms", grain="month")


@pytest.mark.parametrize(("source", "says"), [
    ("epoch_on_times", "holds (times already: drop format: epoch_s|text)"),
    ("iso_on_numbers", "holds numbers"),
])
def test_a_format_that_does_not_fit_the_column_is_refused(engine, source, says):
    message = _failure(engine, f"n_{source}", grain="month")
    assert re.match(at(source) + says, message), message


def test_the_other_kpis_still_run(engine):
    evaluation = engine.evaluate(kpis=["n_seconds", "n_undeclared", "v_millis"], grain="month")
    assert [f.kpis for f in evaluation.failures] == [("n_undeclared",)]
    rows = evaluation.table.to_pylist()
    assert {r["kpi"] for r in rows} == {"n_seconds", "v_millis"}
    assert {r["period_start"]: r["value"] for r in rows if r["kpi"] == "n_seconds"} == {
        k: n for k, (n, _) in expected("seconds", "month").items()}


def test_text_that_is_no_iso_time_is_never_read_silently(engine):
    # DuckDB fails the statement on '05/01/2024', PostgreSQL reads it as 1 May (DateStyle),
    # MySQL and SQLite as NULL: the check counts every value of another form first.
    (failure,) = engine.evaluate(kpis=["n_bad_iso"], grain="month").failures
    assert re.match(at("bad_iso") + "holds 1 value that is no ISO 8601 time, e.g. '05/01/2024'", failure.message)


# -- SQLite: each value has its own type --------------------------------------------------------


def _sqlite(tmp_path, values: list, declared: str) -> kpi_engine.Evaluation:
    path = tmp_path / "mixed.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("create table ev (t, v real)")
        con.executemany("insert into ev values (?, 1)", [(value,) for value in values])
    con.close()
    folder = tmp_path / "defs"
    folder.mkdir()
    (folder / "k.yaml").write_text(f"sources:\n  s: {{table: ev, time: {declared}}}\nkpis:\n  n: {{value: {{source: s, expr: count(*)}}}}\n")
    with kpi_engine.Engine(kpi_engine.load(folder), f"sqlite:///{path}") as engine:
        return engine.evaluate(kpis=["n"], grain="month")


CANONICAL = ["2024-01-05 10:00:00", "2024-02-06", "2024-03-07 08:00"]


@pytest.mark.parametrize(("values", "declared", "says"), [
    (CANONICAL + [1706745600], "t", "holds numbers (e.g. 1706745600)"),
    (CANONICAL + [1706745600.5], "t", "holds numbers (e.g. 1706745600.5)"),
    (CANONICAL + [b"\x00"], "t", "holds binary values"),
    (CANONICAL + ["2024-12-31T10:00:00"], "t", "holds text SQLite cannot compare as a time, e.g. '2024-12-31T10:00:00'"),
    (CANONICAL + ["01/01/2024"], "t", "e.g. '01/01/2024'"),
    ([1706745600, 1706745601, "2024-01-01"], "{column: t, format: epoch_s}", "holds text (e.g. '2024-01-01'), not the numbers"),
    (["2024-01-01T00:00:00Z", 1706745600], "{column: t, format: iso}", "holds numbers (e.g. 1706745600), not the text"),
    (["2024-01-01T00:00:00Z", "2024-01-05T00:00:00+0200", "2024-02-01"], "{column: t, format: iso}",
     "holds 1 value that is no ISO 8601 time, e.g. '2024-01-05T00:00:00+0200'"),
])
def test_sqlite_checks_every_value_s_type(tmp_path, values, declared, says):
    (failure,) = _sqlite(tmp_path, values, declared).failures
    assert re.match(r"\S*k\.yaml:2:3: time column t of source s ", failure.message), failure.message
    assert says in failure.message, failure.message


def test_sqlite_canonical_text_and_null_need_no_format(tmp_path):
    evaluation = _sqlite(tmp_path, CANONICAL + [None], "t")
    assert evaluation.failures == ()
    assert [r["value"] for r in evaluation.table.to_pylist()] == [1, 1, 1, 1]  # NULL is its own bucket


# -- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["duckdb", "sqlite"])
def test_kpi_run_says_it_in_one_line_and_exits_4(tmp_path, monkeypatch, scheme):
    from engines import duckdb as duck_engine, sqlite as sqlite_engine

    module = duck_engine if scheme == "duckdb" else sqlite_engine
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "k.yaml").write_text(definitions())
    monkeypatch.chdir(tmp_path)
    with module.provision(tables(), tmp_path) as url:
        result = invoke(["run", "defs", "--connection", url, "--kpi", "n_undeclared", "--grain", "month"],
                        env={"KPI_PROJECT_DIR": str(tmp_path)})
        assert result.exit_code == 4
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: connection {url}: kpi n_undeclared (source undeclared): defs/k.yaml:{line_of('undeclared')}:3: "
                               "time column ts of source undeclared holds numbers")
        assert line.endswith("declare time: {column: ts, format: epoch_s} (epoch_ms for milliseconds)")
        ok = invoke(["run", "defs", "--connection", url, "--kpi", "n_seconds", "--grain", "month", "--format", "json"],
                    env={"KPI_PROJECT_DIR": str(tmp_path)})
        assert ok.exit_code == 0, ok.stderr


# -- the SQL each dialect gets -------------------------------------------------------------------

#: The time each dialect reads from the three formats (the compiled WHERE's left side), pinned
#: here for review. Executed above for DuckDB, PostgreSQL, MySQL/MariaDB, SQLite and Spark;
#: compiled only for the others (README, "Connections and engines").
CONVERSIONS = {
    ("duckdb", "seconds"): "TO_TIMESTAMP(ts) AT TIME ZONE 'UTC'",
    ("duckdb", "millis"): "EPOCH_MS(CAST(ms AS BIGINT))",
    ("duckdb", "iso"): "CASE WHEN RIGHT(st, 1) IN ('Z', 'z') OR SUBSTRING(st, 11) LIKE '%+%' OR SUBSTRING(st, 11) "
                       "LIKE '%-%' THEN CAST(st AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE CAST(st AS TIMESTAMP) END",
    ("postgres", "seconds"): "TO_TIMESTAMP(ts) AT TIME ZONE 'UTC'",
    ("postgres", "millis"): "TO_TIMESTAMP(CAST(ms AS DOUBLE PRECISION) / 1000) AT TIME ZONE 'UTC'",
    ("postgres", "iso"): "CASE WHEN RIGHT(st, 1) IN ('Z', 'z') OR SUBSTRING(st FROM 11) LIKE '%+%' OR SUBSTRING(st FROM 11) "
                         "LIKE '%-%' THEN CAST(st AS TIMESTAMPTZ) AT TIME ZONE 'UTC' ELSE CAST(st AS TIMESTAMP) END",
    ("mysql", "seconds"): "DATE_ADD(CAST('1970-01-01 00:00:00' AS DATETIME), INTERVAL ts SECOND)",
    ("mysql", "millis"): "DATE_ADD(CAST('1970-01-01 00:00:00' AS DATETIME), INTERVAL (ms * 1000) MICROSECOND)",
    ("mysql", "iso"): "CASE WHEN RIGHT(st, 1) IN ('Z', 'z') THEN CAST(LEFT(st, CHAR_LENGTH(st) - 1) AS DATETIME(6)) "
                      "WHEN SUBSTRING(st, 11) LIKE '%+__:__' OR SUBSTRING(st, 11) LIKE '%-__:__' THEN "
                      "CONVERT_TZ(CAST(LEFT(st, CHAR_LENGTH(st) - 6) AS DATETIME(6)), RIGHT(st, 6), '+00:00') "
                      "WHEN SUBSTRING(st, 11) LIKE '%+%' OR SUBSTRING(st, 11) LIKE '%-%' THEN NULL "
                      "ELSE CAST(st AS DATETIME(6)) END",
    ("sqlite", "seconds"): "STRFTIME('%Y-%m-%d %H:%M:%f', ts, 'unixepoch')",
    ("sqlite", "millis"): "STRFTIME('%Y-%m-%d %H:%M:%f', CAST(ms AS REAL) / 1000.0, 'unixepoch')",
    ("sqlite", "iso"): "STRFTIME('%Y-%m-%d %H:%M:%f', st)",
    ("spark", "seconds"): "TIMESTAMP_SECONDS(ts)",
    ("spark", "millis"): "TIMESTAMP_MILLIS(CAST(ms AS BIGINT))",
    ("spark", "iso"): "CAST(st AS TIMESTAMP)",
    ("databricks", "seconds"): "TIMESTAMP_SECONDS(ts)",
    ("databricks", "millis"): "TIMESTAMP_MILLIS(CAST(ms AS BIGINT))",
    ("databricks", "iso"): "CAST(st AS TIMESTAMP)",
    # TO_TIMESTAMP(number, scale) is a TIMESTAMP_NTZ holding the UTC time.
    ("snowflake", "seconds"): "TO_TIMESTAMP(ts, 0)",
    ("snowflake", "millis"): "TO_TIMESTAMP(ms, 3)",
    ("snowflake", "iso"): "CASE WHEN RIGHT(st, 1) IN ('Z', 'z') OR SUBSTRING(st, 11) LIKE '%+%' OR SUBSTRING(st, 11) "
                          "LIKE '%-%' THEN CAST(CONVERT_TIMEZONE('UTC', CAST(st AS TIMESTAMPTZ)) AS TIMESTAMP) "
                          "ELSE CAST(st AS TIMESTAMP) END",
    # A TIMESTAMP cast to DATETIME is its UTC time; TIMESTAMP_SECONDS would take INT64 only.
    ("bigquery", "seconds"): "CAST(TIMESTAMP_MICROS(CAST(ts * 1000000 AS INT64)) AS DATETIME)",
    ("bigquery", "millis"): "CAST(TIMESTAMP_MICROS(CAST(ms * 1000 AS INT64)) AS DATETIME)",
    ("bigquery", "iso"): "CAST(TIMESTAMP(st) AS DATETIME)",
    ("trino", "seconds"): "CAST(AT_TIMEZONE(FROM_UNIXTIME(ts), 'UTC') AS TIMESTAMP)",
    ("trino", "millis"): "CAST(AT_TIMEZONE(FROM_UNIXTIME(CAST(ms AS DOUBLE) / 1000), 'UTC') AS TIMESTAMP)",
    ("trino", "iso"): "CASE WHEN SUBSTR(st, LENGTH(st) - (1 - 1)) IN ('Z', 'z') OR SUBSTR(st, 11) LIKE '%+%' OR "
                      "SUBSTR(st, 11) LIKE '%-%' THEN CAST(AT_TIMEZONE(FROM_ISO8601_TIMESTAMP(st), 'UTC') AS TIMESTAMP) "
                      "ELSE CAST(st AS TIMESTAMP) END",
    ("redshift", "seconds"): "(TIMESTAMP 'epoch' + ts * INTERVAL '1 SECOND')",
    ("redshift", "millis"): "(TIMESTAMP 'epoch' + CAST(ms AS DOUBLE PRECISION) / 1000 * INTERVAL '1 SECOND')",
    ("redshift", "iso"): "CASE WHEN RIGHT(st, 1) IN ('Z', 'z') OR SUBSTRING(st FROM 11) LIKE '%+%' OR SUBSTRING(st FROM 11) "
                         "LIKE '%-%' THEN CAST(st AS TIMESTAMP WITH TIME ZONE) AT TIME ZONE 'UTC' ELSE CAST(st AS TIMESTAMP) END",
}
DIALECTS = sorted({d for d, _ in CONVERSIONS})


@pytest.fixture(scope="module")
def compiler(tmp_path_factory):
    folder = tmp_path_factory.mktemp("defs")
    (folder / "k.yaml").write_text(definitions())
    return kpi_engine.Engine(kpi_engine.load(folder), "duckdb://")


@pytest.mark.parametrize(("dialect", "source"), sorted(CONVERSIONS))
def test_each_dialect_reads_each_format_as_pinned(compiler, dialect, source):
    sql = compiler.compile(dialect, kpis=[f"n_{source}"], start=date(2024, 1, 1), pretty=False)
    (where,) = re.findall(r"WHERE (.*?) >= ", sql)
    assert where == CONVERSIONS[(dialect, source)]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_statement_and_its_time_check_compile_for_every_dialect(compiler, dialect):
    # Both pass the allowlist and read back whole (kpi_engine.verify), time zones included.
    from kpi_engine.compiler import compile_time_check
    from kpi_engine.planner import plan

    selection = dict(grain="month", start=date(2024, 1, 1), end=date(2024, 4, 1))
    compiler.compile(dialect, **selection)
    check = compile_time_check(plan(compiler.catalog, compiler.request(**selection)), dialect)
    assert {p.source for p in check.probes} == set(SOURCES)
    assert check.typed == (dialect != "sqlite")
    # Over no rows where the engine types columns; the sources reading ISO text are scanned.
    iso = [name for name, source in compiler.catalog.sources.items() if source.time_format == "iso"]
    assert sorted(iso) == ["bad_iso", "berlin_iso", "iso", "iso_on_numbers"]
    assert check.sql.count("1 = 0") == (0 if dialect == "sqlite" else len(SOURCES) - len(iso))


def test_no_time_check_without_buckets_or_a_period(compiler):
    from kpi_engine.compiler import compile_time_check
    from kpi_engine.planner import plan

    assert compile_time_check(plan(compiler.catalog, compiler.request()), "duckdb") is None


def test_what_an_arrow_type_holds():
    from kpi_engine.timeformats import _kind

    assert [_kind(t) for t in (pa.timestamp("us", "UTC"), pa.date32(), pa.int32(), pa.decimal128(10, 2), pa.float32(),
                               pa.large_string(), pa.null(), pa.bool_(), pa.binary(), pa.time64("us"), pa.duration("us"))] == [
        "time", "time", "number", "number", "number", "text", "unknown", "boolean", "binary", "time-of-day", "duration"]


@pytest.mark.parametrize("time_format", ["epoch_s", "epoch_ms", "iso"])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_hostile_column_name_stays_one_quoted_name(tmp_path, dialect, time_format):
    # A quote, a semicolon, a comment and a backslash in the name: quoted by the generator,
    # read back whole by the verifier, in the statement and in its time check.
    (tmp_path / "k.yaml").write_text(
        "sources:\n"
        f"  s: {{table: ev, time: {{column: '\"we\"\"ird; -- \\ts\"', format: {time_format}}}, timezone: Asia/Kolkata}}\n"
        "kpis:\n  n: {value: {source: s, expr: count(*)}}\n")
    engine = kpi_engine.Engine(kpi_engine.load(tmp_path), "duckdb://")
    from kpi_engine.compiler import compile_time_check
    from kpi_engine.planner import plan

    selection = dict(grain="week", start=date(2024, 1, 1), end=datetime(2024, 2, 1, 12, 30))
    sql = engine.compile(dialect, **selection)
    check = compile_time_check(plan(engine.catalog, engine.request(**selection)), dialect)
    assert engine.catalog.sources["s"].time.tree.name == 'we"ird; -- \\ts'
    for text in (sql, check.sql):
        assert "DROP" not in text.upper() and text.count(";") == text.count("ird; --")
