"""kpi_engine.open_project: the project file applied from Python, as the ``kpi`` commands apply it.

Every number is checked against an independent computation: plain Python over the rows
written, or hand-written SQL on a separate DuckDB connection; never the engine's own output.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import duckdb
import pytest

import kpi_engine
from kpi_engine.errors import DefinitionError, ExecutionError, KpiEngineError, SelectionError
from test_cli import kpi

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_ambient_settings(monkeypatch):
    """The caller's environment must not choose the project, connection or data roots here."""
    for name in ("KPI_CONNECTION", "KPI_PROJECT_DIR", "KPI_DATA_ROOTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The seeded demo dataset, small: the tables the shipped catalog reads."""
    from kpi_engine.demo.database import demo_database

    return demo_database(tmp_path_factory.mktemp("demo"), scale=0.1)


def month(moment: str | datetime) -> date:
    moment = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return date(moment.year, moment.month, 1)


def shop_rows(url: str, table: str) -> list[tuple]:
    """The tiny shop's rows (tests/conftest.py), read back on a connection of the test's own."""
    time = {"orders": "ordered_at", "sessions": "started_at"}[table]
    with duckdb.connect(url.removeprefix("duckdb:///"), read_only=True) as con:
        return con.execute(f"SELECT {time}, * EXCLUDE ({time}) FROM {table}").fetchall()


def rows_by(table, *keys: str) -> dict:
    return {tuple(r[k] for k in keys): r for r in table.to_pylist()}


# -- the repository: kpi.yml names the commerce pack ---------------------------------------


def test_the_repository_project_loads_its_packs_and_runs_on_demo_data(demo_db):
    with pytest.raises(DefinitionError):  # what the issue reported: the bare definitions need the pack
        kpi_engine.load(ROOT / "definitions")
    project = kpi_engine.open_project(ROOT / "definitions")  # found upward, as `kpi` run there would
    assert project.file == ROOT / "kpi.yml" and project.root == ROOT
    assert project.packs == ("commerce",) and project.definitions == ROOT / "definitions"
    catalog = project.catalog
    assert "nps" in catalog.kpis and "nps" in catalog.dashboards["daily"].kpis  # the pack's KPI, in the repo's dashboard

    table = project.run(kpis=["conversion_rate", "nps"], grain="month", connection=f"duckdb:///{demo_db}")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        orders = dict(con.execute("SELECT date_trunc('month', ordered_at)::DATE, count(*) FROM orders GROUP BY 1").fetchall())
        sessions = dict(con.execute("SELECT date_trunc('month', started_at)::DATE, count(*) FROM sessions GROUP BY 1").fetchall())
        scores = con.execute("SELECT date_trunc('month', answered_at)::DATE, score FROM surveys WHERE score IS NOT NULL").fetchall()
    got = rows_by(table, "kpi", "period_start")
    assert {m for k, m in got if k == "conversion_rate"} == set(sessions) | set(orders)
    for start, count in sessions.items():
        row = got["conversion_rate", start]
        assert (row["numerator"], row["denominator"]) == (orders.get(start, 0), count)
        assert row["value"] == pytest.approx(orders.get(start, 0) / count, rel=1e-12)
    by_month = defaultdict(list)
    for start, score in scores:
        by_month[start].append(score)
    for start, answers in by_month.items():
        expected = 100.0 * (sum(s >= 9 for s in answers) - sum(s <= 6 for s in answers)) / len(answers)
        assert got["nps", start]["value"] == pytest.approx(expected, rel=1e-12)


def test_a_subfolder_finds_the_project_file_above_it_and_the_file_itself_opens_it():
    assert kpi_engine.open_project(ROOT / "definitions").file == ROOT / "kpi.yml"
    assert kpi_engine.open_project(ROOT / "kpi.yml").root == ROOT


# -- a fresh directory: kpi.yml naming a SQLite connection, a pack and a time zone -----------


SQLITE_ORDERS = [  # (ordered_at in UTC, channel, revenue)
    ("2025-01-10 12:00:00", "web", 100.0),
    ("2025-01-31 22:30:00", "web", 40.0),   # 23:30 in Berlin: still January
    ("2025-01-31 23:30:00", "app", 60.0),   # 00:30 on 1 February in Berlin
    ("2025-02-14 09:00:00", "web", 25.0),
]
SQLITE_SURVEYS = [  # (answered_at in UTC, channel, score)
    ("2025-01-05 10:00:00", "web", 10), ("2025-01-06 10:00:00", "web", 9), ("2025-01-07 10:00:00", "app", 3),
    ("2025-01-31 23:10:00", "web", 10), ("2025-02-02 10:00:00", "app", 7), ("2025-02-03 10:00:00", "app", 0),
]
SQLITE_DEFINITIONS = """\
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel]
kpis:
  revenue:
    value: {source: orders, expr: sum(revenue)}
    unit: currency
    target: 100
    thresholds: {critical: 50}
dashboards:
  daily: {kpis: [revenue, nps]}
"""


@pytest.fixture
def sqlite_project(tmp_path, monkeypatch):
    folder = tmp_path / "fresh"
    (folder / "definitions").mkdir(parents=True)
    (folder / "definitions" / "shop.yaml").write_text(SQLITE_DEFINITIONS)
    (folder / "data").mkdir()
    with sqlite3.connect(folder / "data" / "shop.db") as con:
        con.execute("CREATE TABLE orders (ordered_at TEXT, channel TEXT, revenue REAL)")
        con.executemany("INSERT INTO orders VALUES (?, ?, ?)", SQLITE_ORDERS)
        con.execute("CREATE TABLE surveys (answered_at TEXT, channel TEXT, score INTEGER)")
        con.executemany("INSERT INTO surveys VALUES (?, ?, ?)", SQLITE_SURVEYS)
    con.close()
    (folder / "kpi.yml").write_text(
        "packs: [commerce]\n"
        "timezone: Europe/Berlin\n"
        "connection: shop\n"
        "connections:\n"
        "  shop:\n"
        "    url: sqlite:///${SHOP_DATA}/shop.db\n"
        "    timeout: 30\n"
        "cache: .kpi-cache\n"
    )
    monkeypatch.setenv("SHOP_DATA", str(folder / "data"))
    return folder


def berlin_month(utc: str) -> date:
    return month(datetime.fromisoformat(utc).replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/Berlin")))


def test_a_fresh_project_with_a_sqlite_connection_a_pack_and_a_time_zone(sqlite_project):
    project = kpi_engine.open_project(sqlite_project)
    assert project.file == sqlite_project / "kpi.yml"
    assert project.packs == ("commerce",) and project.timezone == "Europe/Berlin"
    assert dict(project.connections) == {"shop": "sqlite:///${SHOP_DATA}/shop.db"}  # the reference, not its value
    assert project.default_connection == "shop"
    assert project.cache_dir == sqlite_project / ".kpi-cache"
    assert project.data_roots == (sqlite_project,)

    table = project.run(dashboard="daily", grain="month", by=["channel"])  # the project's connection: shop
    revenue, answers = defaultdict(float), defaultdict(list)
    for at, channel, amount in SQLITE_ORDERS:
        revenue[berlin_month(at), channel] += amount
    for at, channel, score in SQLITE_SURVEYS:
        answers[berlin_month(at), channel].append(score)
    got = rows_by(table, "kpi", "period_start", "channel")
    assert {k[1:] for k in got if k[0] == "revenue"} == set(revenue)
    for key, amount in revenue.items():
        row = got[("revenue", *key)]
        assert row["value"] == pytest.approx(amount)
        assert row["status"] == ("critical" if amount < 50 else "warn" if amount < 100 else "ok")
    for key, scores in answers.items():
        expected = 100.0 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)
        assert got[("nps", *key)]["value"] == pytest.approx(expected)
    assert (sqlite_project / ".kpi-cache").is_dir()  # the project's cache: folder
    with project.engine() as engine:
        assert engine.timeout == 30 and engine.adapter_spec.name == "sqlite"


def test_check_gives_the_worst_status_and_kpi_checks_exit_code(sqlite_project, monkeypatch):
    project = kpi_engine.open_project(sqlite_project)
    # Revenue per Berlin month: January 100 + 40 = 140 (ok), February 60 + 25 = 85 (warn: under the target).
    january = project.check(kpis="revenue", start="2025-01-01", end="2025-02-01")
    assert january.table.column("value").to_pylist() == [pytest.approx(140.0)]
    assert (january.worst, january.failed, january.exit_code) == ("ok", False, 0)
    february = project.check(kpis="revenue", start=date(2025, 2, 1), end=date(2025, 3, 1))
    assert february.table.column("value").to_pylist() == [pytest.approx(85.0)]
    assert (february.worst, february.exit_code) == ("warn", 0)
    assert project.check(kpis="revenue", start="2025-02-01", end="2025-03-01", fail_on="warn").exit_code == 1
    # Per channel in February: app 60 (under the target 100: warn), web 25 (under 50: critical).
    sliced = project.check(kpis="revenue", by="channel", start="2025-02-01", end="2025-03-01")
    statuses = {r["channel"]: r["status"] for r in sliced.table.to_pylist()}
    assert statuses == {"app": "warn", "web": "critical"}
    assert (sliced.worst, sliced.failed, sliced.exit_code) == ("critical", True, 1)
    assert sliced.shown.num_rows == 2 and january.shown.num_rows == 0  # what kpi check writes: rows needing attention
    # An empty period is no_data: it fails only when fail_on names it.
    empty = dict(kpis="revenue", start="2030-01-01", end="2030-02-01")
    assert (project.check(**empty).worst, project.check(**empty).exit_code) == ("no_data", 0)
    assert project.check(**empty, fail_on=["warn", "no_data"]).exit_code == 1
    with pytest.raises(SelectionError, match="fail_on: 'sometimes' is not one or more of critical, warn, no_data"):
        project.check(kpis="revenue", fail_on="sometimes")
    # The same verdicts, rows and summary as the command, run in the project's folder.
    monkeypatch.chdir(sqlite_project)
    for args, result in [(("--from", "2025-01-01", "--to", "2025-02-01"), january),
                         (("--by", "channel", "--from", "2025-02-01", "--to", "2025-03-01"), sliced)]:
        for every, rows in (((), result.shown), (("--all",), result.table)):
            done = kpi("check", "--kpi", "revenue", *args, *every, "--format", "json")
            assert done.exit_code == result.exit_code, done.stderr
            if not every:
                assert done.stderr.strip() == result.summary
            assert json.loads(done.stdout) == [
                {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()} for row in rows.to_pylist()
            ]


def test_check_adds_the_sources_freshness_rows(shop):
    defs, url = shop
    text = (defs / "shop.yaml").read_text()
    (defs / "shop.yaml").write_text(text.replace("    time: started_at\n", "    time: started_at\n    freshness: {warn_after: 1d, critical_after: 2d}\n"))
    project = kpi_engine.open_project(defs.parent)
    # The newest session is 2025-02-03 08:00; as of 2025-02-04 (its end: 5 February 00:00) that is 40 hours: warn.
    result = project.check(kpis="conversion_rate", period="yesterday", as_of="2025-02-04", connection=url)
    rows = {r["kpi"]: r for r in result.table.to_pylist()}
    assert set(rows) == {"conversion_rate", "freshness:sessions"}
    newest = max(at for at, *_ in shop_rows(url, "sessions"))
    assert rows["freshness:sessions"]["value"] == (datetime(2025, 2, 5) - newest).total_seconds() == 40 * 3600
    assert rows["freshness:sessions"]["status"] == "warn"
    # Yesterday's conversion, by hand: orders over sessions on 3 February (target 50%, critical under 20%).
    day = [datetime(2025, 2, 3), datetime(2025, 2, 4)]
    orders, sessions = (sum(day[0] <= row[0] < day[1] for row in shop_rows(url, t)) for t in ("orders", "sessions"))
    assert (rows["conversion_rate"]["numerator"], rows["conversion_rate"]["denominator"]) == (orders, sessions) == (0, 1)
    assert rows["conversion_rate"]["status"] == "critical"
    assert (result.worst, result.exit_code) == ("critical", 1) and result.fail_on == {"critical"}
    assert "stale: sessions (warn)" in result.summary
    assert [r["kpi"] for r in result.shown.to_pylist()] == ["conversion_rate", "freshness:sessions"]


def test_run_has_the_columns_of_kpi_run_format_json(shop, monkeypatch):
    defs, url = shop
    project = kpi_engine.open_project(defs.parent)
    monkeypatch.chdir(defs.parent)
    for selection, args in [
        ({}, ()),
        ({"grain": "month", "by": ["channel"]}, ("--grain", "month", "--by", "channel")),
        ({"kpis": ["conversion_rate"], "grain": "month", "compare": "previous_period", "trend": 2},
         ("--kpi", "conversion_rate", "--grain", "month", "--compare", "previous_period", "--trend", "2")),
        ({"kpis": ["revenue"], "period": "mtd", "as_of": "2025-01-25"}, ("--kpi", "revenue", "--period", "mtd", "--as-of", "2025-01-25")),
    ]:
        table = project.run(connection=url, **selection)
        printed = json.loads(kpi("run", "--connection", url, *args, "--format", "json").stdout)
        assert [list(row) for row in printed] == [table.column_names] * table.num_rows, selection
    # mtd as of 25 January: the orders of 1 to 25 January (100 + 50 + 30 in tests/conftest.py).
    (row,) = project.run(kpis="revenue", period="mtd", as_of=date(2025, 1, 25), connection=url).to_pylist()
    january = [r for at, _, r, *_ in shop_rows(url, "orders") if datetime(2025, 1, 1) <= at < datetime(2025, 1, 26)]
    assert row["value"] == sum(january) == 180.0


# -- pyproject.toml, no project file ---------------------------------------------------------


def test_pyproject_tool_kpi_is_the_project_file(shop):
    defs, url = shop
    root = defs.parent
    defs.rename(root / "kpis")
    (root / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n[tool.kpi]\ndefinitions = "kpis"\nconnection = "{url}"\n')
    (root / "notebooks").mkdir()
    project = kpi_engine.open_project(root / "notebooks")
    assert project.file == root / "pyproject.toml" and project.definitions == root / "kpis"
    (row,) = project.run(kpis="revenue").to_pylist()  # the [tool.kpi] connection
    assert row["value"] == sum(r for _, _, r, *_ in shop_rows(url, "orders")) == 260.0


def test_without_a_project_file_the_folder_and_its_definitions_with_the_defaults(shop, monkeypatch):
    defs, url = shop
    project = kpi_engine.open_project(defs.parent)
    assert project.file is None and project.root == defs.parent and project.definitions == defs
    assert project.packs == () and dict(project.connections) == {} and project.default_connection is None
    assert project.connection().url == "duckdb://" and project.timezone is None and project.cache_dir is None
    table = project.run(grain="month", connection=url)
    conversion = {r["period_start"]: r["value"] for r in table.to_pylist() if r["kpi"] == "conversion_rate"}
    orders = Counter(month(row[0]) for row in shop_rows(url, "orders"))
    sessions = Counter(month(row[0]) for row in shop_rows(url, "sessions"))
    assert conversion == {m: pytest.approx(orders[m] / sessions[m]) for m in sessions}
    monkeypatch.chdir(defs.parent)
    assert kpi_engine.open_project().definitions == defs  # the default is the working directory


def test_open_project_reads_the_path_not_kpi_project_dir(shop, tmp_path, monkeypatch):
    defs, _ = shop
    other = tmp_path / "other"
    other.mkdir()
    (other / "kpi.yml").write_text("packs: [commerce]\n")
    monkeypatch.setenv("KPI_PROJECT_DIR", str(other))
    assert kpi_engine.open_project(defs.parent).file is None  # the path given, not the variable


def test_options_replace_the_project_files_choices(sqlite_project, tmp_path):
    project = kpi_engine.open_project(sqlite_project, packs=(), cache=False, definitions=sqlite_project / "definitions")
    assert project.packs == () and project.cache_dir is None
    with pytest.raises(DefinitionError, match="unknown kpi 'nps'"):
        project.catalog  # the daily dashboard needs the pack left out
    assert kpi_engine.open_project(sqlite_project, cache=tmp_path / "c").cache_dir == tmp_path / "c"
    plugins = kpi_engine.get_plugins(blocked=["commerce"])
    with pytest.raises(SelectionError, match="unknown definition pack 'commerce'"):
        kpi_engine.open_project(sqlite_project, plugins=plugins).catalog
    project = kpi_engine.open_project(sqlite_project)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        project.packs = ()


# -- connections: a name, a URL, KPI_CONNECTION ------------------------------------------------


def _revenue_db(path: Path, amount: float) -> str:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE orders AS SELECT TIMESTAMP '2025-01-01 10:00' AS ordered_at, 'web' AS channel, ? AS revenue",
                    [amount])
    return f"duckdb:///{path}"


def test_a_named_connection_or_a_url_with_the_clis_precedence(tmp_path, monkeypatch):
    a, b, c = (_revenue_db(tmp_path / f"{n}.duckdb", v) for n, v in (("a", 1.0), ("b", 2.0), ("c", 3.0)))
    (tmp_path / "definitions").mkdir()
    (tmp_path / "definitions" / "k.yaml").write_text(
        "sources:\n  orders: {table: orders, time: ordered_at}\nkpis:\n  revenue:\n    value: {source: orders, expr: sum(revenue)}\n"
    )
    (tmp_path / "kpi.yml").write_text(f"connection: first\nconnections:\n  first: {a}\n  second: {b}\n")
    project = kpi_engine.open_project(tmp_path)

    def revenue(**kwargs) -> float:
        (row,) = project.run(kpis="revenue", **kwargs).to_pylist()
        return row["value"]

    assert revenue() == 1.0                            # the project's default
    assert revenue(connection="second") == 2.0         # a name
    assert revenue(connection=c) == 3.0                # a URL
    monkeypatch.setenv("KPI_CONNECTION", "second")
    assert revenue() == 2.0                            # KPI_CONNECTION over the project's default
    assert revenue(connection="first") == 1.0          # the argument over KPI_CONNECTION
    with pytest.raises(SelectionError, match=r"unknown connection 'secnd' \(did you mean 'second'\?\)"):
        revenue(connection="secnd")
    assert str(project.connection("first")) == f"first ({a})"


# -- errors: the engine's own, one line ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tresholds: 1\n", r"kpi\.yml: unknown key 'tresholds'"),
        ("connections: [a, b]\n", r"kpi\.yml: connections must be a mapping of names to URLs"),
        ("connections:\n  pg: postgresql://me:hunter22@db/x\n", r"kpi\.yml: connection pg: the password must be an environment reference"),
        ("packs: commerce\n", r"kpi\.yml: packs must be a list of definition pack names"),
        ("timezone: Mars/Olympus\n", r"kpi\.yml: timezone 'Mars/Olympus' is not an IANA time zone"),
        ("a: [1\n", r"kpi\.yml:\d+:\d+: invalid project file"),
    ],
)
def test_a_bad_project_file_is_one_line_of_selection_error(tmp_path, text, message):
    (tmp_path / "kpi.yml").write_text(text)
    with pytest.raises(SelectionError) as caught:
        kpi_engine.open_project(tmp_path)
    shown = str(caught.value)
    assert len(shown.splitlines()) == 1 and str(tmp_path / "kpi.yml") in shown
    assert caught.value.exit_code == 2 and "hunter22" not in shown
    assert re.search(message, shown), shown


def test_paths_and_runs_that_fail_raise_the_engines_errors(shop, tmp_path):
    defs, _ = shop
    with pytest.raises(SelectionError, match="project directory not found"):
        kpi_engine.open_project(tmp_path / "missing")
    with pytest.raises(SelectionError, match="not a project file"):
        kpi_engine.open_project(defs / "shop.yaml")
    with pytest.raises(SelectionError, match="3 is not a path"):
        kpi_engine.open_project(3)
    with pytest.raises(SelectionError, match="definitions not found"):
        kpi_engine.open_project(defs.parent, definitions=tmp_path / "nothing").catalog
    project = kpi_engine.open_project(defs.parent)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ExecutionError, match=r"kpi revenue \(source orders\)"):
        project.run(kpis="revenue", connection=f"duckdb:///{empty}")
    with pytest.raises(SelectionError, match="unknown kpi 'revenu'"):
        project.run(kpis="revenu")
    with pytest.raises(SelectionError, match="--trend: 'x' is not a whole number"):
        project.run(grain="month", trend="x")
    with pytest.raises(SelectionError, match="connection: 3 is not a name or a URL"):
        project.run(connection=3)
    with pytest.raises(SelectionError, match="timeout"):
        project.run(timeout=-1)
    (defs / "bad.yaml").write_text("kpis:\n  x: {value: {source: nowhere, expr: count(*)}}\n")
    with pytest.raises(DefinitionError) as caught:
        project.run()
    assert [p.line for p in caught.value.problems] == [2] and isinstance(caught.value, KpiEngineError)


def test_opening_a_project_imports_no_engine_library(sqlite_project):
    """Like `kpi --version`: the project file and the plugins, not sqlglot, pyarrow or DuckDB."""
    probe = (
        "import sys, kpi_engine\n"
        f"p = kpi_engine.open_project({str(sqlite_project)!r})\n"
        "p.connections, p.packs, p.cache_dir\n"
        "print(*sorted(m for m in ('sqlglot', 'pyarrow', 'duckdb') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_project_runs_on_its_named_postgresql_connection(tmp_path):
    """kpi.yml names a PostgreSQL warehouse; run() and check() use it by name (the default
    connection), and the values are the rows' own sums."""
    import pyarrow as pa

    from engines import postgres as postgres_engine

    orders = pa.table({
        "ordered_at": pa.array([datetime(2025, 1, d, 12) for d in (3, 20, 21)] + [datetime(2025, 2, 2, 9)], pa.timestamp("us")),
        "revenue": [100.0, 50.0, 30.0, 80.0],
    })
    (tmp_path / "data").mkdir()
    with postgres_engine.provision({"orders": orders}, tmp_path / "data") as url:
        (tmp_path / "kpi.yml").write_text(f"connection: warehouse\nconnections:\n  warehouse: '{url}'\n")
        (tmp_path / "definitions").mkdir()
        (tmp_path / "definitions" / "k.yaml").write_text(
            "sources:\n  orders: {table: orders, time: ordered_at}\n"
            "kpis:\n  revenue:\n    value: {source: orders, expr: sum(revenue)}\n    target: 100\n"
        )
        project = kpi_engine.open_project(tmp_path)
        assert project.default_connection == "warehouse"
        table = project.run(grain="month")
        by_month = defaultdict(float)
        for moment, revenue in zip(orders.column("ordered_at").to_pylist(), orders.column("revenue").to_pylist()):
            by_month[month(moment)] += revenue
        assert {r["period_start"]: r["value"] for r in table.to_pylist()} == dict(by_month)  # 180, 80
        result = project.check(grain="month")
        assert [r["status"] for r in result.table.to_pylist()] == ["ok", "warn"]  # 180 >= 100; 80 < 100
        assert (result.exit_code, project.check(grain="month", fail_on="warn").exit_code) == (0, 1)
