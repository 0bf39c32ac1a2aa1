"""Date parts and date differences: DuckDB's answers on every engine, checked against Python.

One small table of timestamps is loaded into each engine of ``tests/engines`` (DuckDB,
SQLite, PostgreSQL, MariaDB, Spark, as available): every weekday, midnight and
23:59:59, the ISO-week edges around New Year (2020-12-31 in week 53, 2024-12-30 in week
1 of 2025), a leap day, fractions of a second and a time before 1970. One run per engine
groups by every part, in every spelling the expression gate allows (``extract(<part>
from t)``, the function forms, DuckDB's other names, a DATE column), one group per row,
and sums ``date_diff`` in every unit and ``epoch`` per row. Each value must equal what
Python's ``datetime`` gives (``EXPECTED_PARTS`` and ``date_diff`` below, written from
DuckDB's documentation, not from any engine), and every part but ``epoch`` must come back
as an integer. The compile-only targets are pinned by their SQL for hour and isodow and
must parse back in their own dialect; parts and units no engine-independent rule covers
are refused everywhere.
"""

from __future__ import annotations

import math
import textwrap
from datetime import date, datetime, timedelta

import pyarrow as pa
import pytest
import sqlglot
from sqlglot import exp

import kpi_engine
from engines import engines
from kpi_engine.dialects.timeparts import PARTS, UNITS

# (id, started_at, ended_at): ended_at is started_at moved across the boundaries date_diff counts.
ROWS = [
    (1, datetime(2024, 1, 1, 0, 0, 0), datetime(2024, 1, 1, 0, 0, 0)),  # Monday midnight, ISO week 1; no difference
    (2, datetime(2024, 1, 2, 0, 0, 0, 900000), datetime(2024, 1, 2, 0, 0, 1, 100000)),  # Tuesday; 0.2 s, 1 second boundary
    (3, datetime(2024, 1, 3, 12, 30, 45), datetime(2024, 1, 16, 12, 30, 44)),  # Wednesday; 13 days less 1 s: 1 week
    (4, datetime(2024, 1, 4, 23, 59, 59), datetime(2024, 1, 5, 0, 0, 0)),  # Thursday 23:59:59; one second, one day
    (5, datetime(2024, 1, 5, 6, 7, 8), datetime(2023, 12, 27, 6, 7, 8)),  # Friday; -9 days: -1 week (toward zero)
    (6, datetime(2024, 1, 6, 18, 0, 0), datetime(2023, 12, 30, 18, 0, 0)),  # Saturday; -7 days, back across New Year
    (7, datetime(2024, 1, 7, 23, 0, 0), datetime(2024, 1, 8, 1, 0, 0)),  # Sunday to Monday: 1 day, 0 weeks
    (8, datetime(2023, 12, 31, 23, 59, 59), datetime(2024, 1, 1, 0, 0, 0)),  # Sunday, ISO week 52 of 2023, day 365
    (9, datetime(2024, 12, 30, 8, 0, 0), datetime(2024, 12, 29, 8, 0, 0)),  # Monday in ISO week 1 of 2025
    (10, datetime(2024, 12, 31, 23, 59, 59), datetime(2025, 1, 1, 0, 0, 0)),  # day 366 of a leap year
    (11, datetime(2021, 1, 3, 10, 0, 0), datetime(2021, 1, 4, 9, 59, 59)),  # Sunday in ISO week 53 of 2020
    (12, datetime(2020, 12, 31, 15, 15, 15), datetime(2021, 1, 1, 0, 0, 0)),  # Thursday, week 53 of 2020
    (13, datetime(2024, 2, 29, 12, 34, 56, 500000), datetime(2020, 2, 29, 0, 0, 0)),  # leap day; -4 years
    (14, datetime(2024, 1, 31, 10, 0, 0), datetime(2024, 2, 1, 9, 0, 0)),  # a month boundary 23 hours later
    (15, datetime(2024, 3, 31, 22, 0, 0), datetime(2024, 4, 1, 2, 0, 0)),  # a quarter boundary
    (16, datetime(1969, 12, 31, 23, 59, 59, 500000), datetime(1970, 1, 1, 0, 0, 0, 250000)),  # before 1970: epoch -0.5
    (17, datetime(2026, 1, 1, 0, 0, 1), None),  # Thursday in ISO week 1 of 2026; no end
    (18, None, None),  # no time at all: every part NULL
    (19, datetime(2025, 12, 28, 23, 59, 59), datetime(2025, 12, 29, 0, 0, 0)),  # Sunday week 52 -> Monday week 1 of 2026
    # 0.4 ms before midnight: still Sunday (SQLite's millisecond clock rounds it to Monday).
    (20, datetime(2024, 12, 29, 23, 59, 59, 999600), datetime(2024, 12, 30, 0, 0, 0, 400)),
]

EPOCH = datetime(1970, 1, 1)


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def parts_of(moment: datetime | date | None) -> dict[str, int | float | None]:
    """Every part of ``moment`` as DuckDB defines it, from Python's datetime."""
    if moment is None:
        return dict.fromkeys(PARTS)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    iso = moment.isocalendar()
    return {
        "year": moment.year,
        "quarter": (moment.month - 1) // 3 + 1,
        "month": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "minute": moment.minute,
        "second": moment.second,
        "isodow": moment.isoweekday(),
        "dow": moment.isoweekday() % 7,
        "doy": moment.timetuple().tm_yday,
        "week": iso.week,
        "isoyear": iso.year,
        "epoch": _micros(moment) / 1e6,
    }


def date_diff(unit: str, start: datetime | date | None, end: datetime | None) -> int | None:
    """DuckDB's ``date_diff(unit, start, end)``: boundaries crossed; weeks are days / 7 toward zero."""
    if start is None or end is None:
        return None
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day)
    if unit in ("second", "minute", "hour"):
        size = {"second": 1, "minute": 60, "hour": 3600}[unit] * 1_000_000
        return _micros(end) // size - _micros(start) // size
    days = (end.date() - start.date()).days
    if unit == "day":
        return days
    if unit == "week":
        return int(days / 7)
    quarter = {"month": 12, "quarter": 4, "year": 1}[unit]
    position = {"month": lambda m: m.month, "quarter": lambda m: (m.month - 1) // 3 + 1, "year": lambda m: 0}[unit]
    return (end.year - start.year) * quarter + position(end) - position(start)


def test_the_oracle_agrees_with_known_calendar_facts():
    assert parts_of(datetime(2024, 12, 30))["week"] == 1 and parts_of(datetime(2024, 12, 30))["isoyear"] == 2025
    assert parts_of(datetime(2021, 1, 3))["week"] == 53 and parts_of(datetime(2021, 1, 3))["isoyear"] == 2020
    assert parts_of(datetime(2024, 1, 7))["dow"] == 0 and parts_of(datetime(2024, 1, 7))["isodow"] == 7
    assert parts_of(datetime(2024, 12, 31))["doy"] == 366
    assert parts_of(datetime(1969, 12, 31, 23, 59, 59, 500000))["epoch"] == -0.5
    assert date_diff("second", datetime(1969, 12, 31, 23, 59, 59, 500000), datetime(1970, 1, 1, 0, 0, 0, 250000)) == 1
    assert date_diff("week", datetime(2024, 1, 5), datetime(2023, 12, 27)) == -1


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


# Dimensions, so every value comes back per row as the engine computed it:
# (name, expression, expected from (started_at, ended_at)).
FORMS = [
    *((f"x_{part}", f"extract({part} from started_at)", lambda s, e, part=part: parts_of(s)[part]) for part in PARTS),
    *(
        (f"f_{function}", f"{function}(started_at)", lambda s, e, part=part: parts_of(s)[part])
        for function, part in (
            ("year", "year"), ("quarter", "quarter"), ("month", "month"), ("day", "day"), ("dayofmonth", "day"),
            ("hour", "hour"), ("minute", "minute"), ("second", "second"), ("isodow", "isodow"),
            ("dayofweek", "dow"), ("dayofyear", "doy"), ("week", "week"), ("weekofyear", "week"), ("epoch", "epoch"),
        )
    ),
    # DuckDB's other names for parts; 'm' is the minute, as in DuckDB.
    *(
        (f"a_{name}", f"extract({spelling} from started_at)", lambda s, e, part=part: parts_of(s)[part])
        for name, spelling, part in (("hours", "hours", "hour"), ("weekday", "weekday", "dow"),
                                     ("dayofyear", "dayofyear", "doy"), ("text", "'isodow'", "isodow"),
                                     ("m", "m", "minute"))
    ),
    # A DATE column reads as its midnight (PostgreSQL refuses EXTRACT(HOUR FROM <date>)).
    *(
        (f"d_{part}", f"extract({part} from on_day)", lambda s, e, part=part: parts_of(_day(s))[part])
        for part in ("isodow", "week", "isoyear", "hour", "epoch")
    ),
    *(
        (f"diff_{unit}", f"date_diff('{unit}', started_at, ended_at)", lambda s, e, unit=unit: date_diff(unit, s, e))
        for unit in UNITS
    ),
    ("diff_from_day", "date_diff('hour', on_day, started_at)", lambda s, e: date_diff("hour", _day(s), s)),
    ("seconds_apart", "epoch(ended_at) - epoch(started_at)",
     lambda s, e: None if e is None else (_micros(e) - _micros(s)) / 1e6),
]
DOUBLES = {"x_epoch", "f_epoch", "d_epoch", "seconds_apart"}

# KPIs over those groups (a few: on Spark each KPI costs a pass over the scan):
# (name, expr, where, expected from (started_at, ended_at)).
MEASURES = [
    ("rows", "count(*)", None, lambda s, e: 1),
    ("weekend_rows", "count(*)", "extract(isodow from started_at) >= 6",
     lambda s, e: int(s is not None and s.isoweekday() >= 6)),
    ("minutes_of_day", "sum(hour(started_at) * 60 + extract(minute from started_at))", None,
     lambda s, e: None if s is None else s.hour * 60 + s.minute),
]


def _yaml() -> str:
    dimensions = "\n".join(f"      {name}: \"{expr}\"" for name, expr, _ in FORMS)
    kpis = "\n".join(
        f"  {name}:\n    value: {{source: events, expr: \"{expr}\"" + (f", where: \"{where}\"" if where else "") + "}"
        for name, expr, where, _ in MEASURES
    )
    return f"sources:\n  events:\n    table: events\n    dimensions:\n      id: id\n{dimensions}\nkpis:\n{kpis}\n"


def _table() -> pa.Table:
    return pa.table({
        "id": pa.array([r[0] for r in ROWS], pa.int64()),
        "started_at": pa.array([r[1] for r in ROWS], pa.timestamp("us")),
        "ended_at": pa.array([r[2] for r in ROWS], pa.timestamp("us")),
        "on_day": pa.array([r[1].date() if r[1] else None for r in ROWS], pa.date32()),
    })


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("date_parts")
    (folder / "events.yaml").write_text(textwrap.dedent(_yaml()))
    return kpi_engine.load(folder)


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def engine_module(request):
    return request.param


@pytest.fixture(scope="module")
def result(engine_module, catalog, tmp_path_factory):
    """One run on the engine: every KPI, grouped by the row id and every part form."""
    folder = tmp_path_factory.mktemp(engine_module.NAME)
    with engine_module.provision({"events": _table()}, folder) as url, kpi_engine.Engine(catalog, url) as engine:
        return engine.run(kpis=[m[0] for m in MEASURES], by=["id", *(f[0] for f in FORMS)]).to_pylist()


@pytest.fixture(scope="module")
def tolerance(engine_module):
    """Seconds an epoch may be off: SQLite keeps times in whole milliseconds, the others in microseconds."""
    return 1e-3 if engine_module.NAME == "sqlite" else 1e-6


def _close(got, want, tolerance=1e-6) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return math.isclose(got, want, rel_tol=0, abs_tol=tolerance)


def test_every_part_matches_python(result, tolerance):
    by_id = {r["id"]: r for r in result if r["kpi"] == "rows"}
    assert sorted(by_id) == [r[0] for r in ROWS]
    wrong = []
    for row_id, start, end in ROWS:
        for name, expr, expected in FORMS:
            value, want = by_id[row_id][name], expected(start, end)
            if name in DOUBLES:
                ok = _close(value, want, tolerance) and (value is None or isinstance(value, float))
            else:  # integers, never DECIMAL or DOUBLE (PostgreSQL's EXTRACT is NUMERIC)
                ok = value == want and (value is None or (isinstance(value, int) and not isinstance(value, bool)))
            if not ok:
                wrong.append(f"id {row_id} {start}: {expr} = {value!r} ({type(value).__name__}), expected {want!r}")
    assert not wrong, "\n".join(wrong)


def test_parts_in_measures_and_conditions_match_python(result):
    wrong = []
    for name, expr, where, expected in MEASURES:
        values = {r["id"]: r["value"] for r in result if r["kpi"] == name}
        for row_id, start, end in ROWS:
            want = expected(start, end)
            if not _close(values.get(row_id), None if want is None else float(want)):
                wrong.append(f"{name} ({expr} where {where}) id {row_id}: {values.get(row_id)!r}, expected {want!r}")
    assert not wrong, "\n".join(wrong)


# -- compile-only targets -----------------------------------------------------------------

# The SQL each dialect gets for hour and isodow of started_at.
COMPILED = {
    "duckdb": ("EXTRACT(HOUR FROM started_at)", "EXTRACT(ISODOW FROM started_at)"),
    "sqlite": ("CAST(STRFTIME('%H', started_at) AS INTEGER)", "((CAST(STRFTIME('%w', DATE(started_at)) AS INTEGER) + 6) % 7 + 1)"),
    "postgres": ("CAST(EXTRACT(HOUR FROM CAST(started_at AS TIMESTAMP)) AS BIGINT)", "CAST(EXTRACT(ISODOW FROM started_at) AS BIGINT)"),
    "mysql": ("HOUR(started_at)", "(WEEKDAY(started_at) + 1)"),
    "spark": ("EXTRACT(HOUR FROM started_at)", "EXTRACT(DAYOFWEEK_ISO FROM started_at)"),
    "databricks": ("EXTRACT(HOUR FROM started_at)", "EXTRACT(DAYOFWEEK_ISO FROM started_at)"),
    "snowflake": ("DATE_PART(HOUR, started_at)", "DATE_PART(DAYOFWEEKISO, started_at)"),
    "bigquery": ("EXTRACT(HOUR FROM started_at)", "(MOD(EXTRACT(DAYOFWEEK FROM started_at) + 5, 7) + 1)"),
    "trino": ("EXTRACT(HOUR FROM started_at)", "EXTRACT(DAY_OF_WEEK FROM started_at)"),
    "redshift": ("CAST(EXTRACT(HOUR FROM started_at) AS BIGINT)", "((EXTRACT(DOW FROM started_at) + 6) % 7 + 1)"),
}


@pytest.fixture(scope="module")
def compiler(catalog):
    return kpi_engine.Engine(catalog, "duckdb://")


def _dimension_sql(compiler, dialect: str, dimension: str) -> str:
    text = compiler.compile(dialect, kpis=["rows"], by=[dimension], pretty=False)
    tree = sqlglot.parse_one(text, read=dialect)
    scan = next(s for s in tree.find_all(exp.Select) if s.args.get("group"))
    projection = next(p for p in scan.selects if p.alias_or_name == dimension)
    return projection.unalias().sql(dialect=dialect)


@pytest.mark.parametrize("dialect", list(COMPILED))
def test_hour_and_isodow_compile_to_the_pinned_sql(compiler, dialect):
    for spellings, want in zip((("x_hour", "f_hour", "a_hours"), ("x_isodow", "f_isodow", "a_text")), COMPILED[dialect]):
        for dimension in spellings:
            assert _dimension_sql(compiler, dialect, dimension) == want, (dialect, dimension)


@pytest.mark.parametrize("dialect", ["snowflake", "bigquery", "trino", "redshift", "databricks"])
def test_compile_only_targets_parse_back(compiler, dialect):
    text = compiler.compile(dialect, kpis=[m[0] for m in MEASURES], by=["id", *(f[0] for f in FORMS)])
    tree = sqlglot.parse_one(text, read=dialect)
    assert tree.sql(dialect=dialect, pretty=True) == text


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        *((f"extract({part} from started_at)", "extract takes a date part every engine computes alike: " + ", ".join(PARTS))
          for part in ("millisecond", "yearweek", "'microseconds'")),
        ("date_diff('millisecond', started_at, ended_at)", "date_diff counts a unit every engine computes alike: "
         "second, minute, hour, day, week, month, quarter, year"),
        ("date_trunc('decade', started_at)", "date_trunc takes a unit every engine computes alike: "
         "second, minute, hour, day, week, month, quarter, year"),
    ],
)
def test_a_part_or_unit_without_a_portable_rule_is_refused_when_definitions_load(tmp_path, expr, message):
    (tmp_path / "k.yaml").write_text(
        f"sources:\n  events:\n    table: events\n    dimensions: {{odd: \"{expr}\"}}\n"
        "kpis:\n  rows: {value: {source: events, expr: count(*)}}\n"
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(tmp_path)
    (line,) = str(raised.value).splitlines()
    assert line.startswith(f"{tmp_path / 'k.yaml'}:4:") and "source events: odd: " in line
    assert line.endswith(message)


@pytest.mark.parametrize(("expr", "message"), [("extract(epoch from ended_at - started_at)", "parts of an interval")])
@pytest.mark.parametrize("dialect", list(COMPILED))
def test_parts_without_a_portable_rule_are_refused_everywhere(tmp_path, expr, message, dialect):
    (tmp_path / "k.yaml").write_text(
        f"sources:\n  events:\n    table: events\n    dimensions: {{odd: \"{expr}\"}}\n"
        "kpis:\n  rows: {value: {source: events, expr: count(*)}}\n"
    )
    engine = kpi_engine.Engine(kpi_engine.load(tmp_path), "duckdb://")
    with pytest.raises(kpi_engine.SelectionError, match=message):
        engine.compile(dialect, kpis=["rows"], by=["odd"])
