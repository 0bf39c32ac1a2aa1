"""kpi-mysql's own tests: declarations, URLs, Arrow conversion, and the adapter on a live server.

Server tests each get a database of their own (``database`` fixture) and skip without a
server (fail under ``KPI_ENGINE_REQUIRE_SERVERS=1``). Numbers are checked against values
computed here in plain Python from the rows the test inserted.
"""

from __future__ import annotations

import json
import socket
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import metadata

import kpi_engine
import kpi_mysql
import pyarrow as pa
import pytest
from click.testing import CliRunner
from kpi_engine.cli import cli
from kpi_mysql import adapter as adapter_module
from kpi_mysql.adapter import MySQLAdapter, connect_arguments, to_arrow

# Planted in URLs: no message may contain it. (The server tests use the ``reader``
# fixture's password; conftest is not importable when the core's tests run alongside.)
PLANTED = "Pl4nted-S3cret-zq"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plugins() -> kpi_engine.Plugins:
    # Entry points off, the module registered directly: tests this checkout's code whether
    # or not the distribution is installed.
    return kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_mysql])


def open_adapter(url: str, timeout: float | None = None) -> MySQLAdapter:
    return MySQLAdapter(url, kpi_engine.ConnectOptions(timeout=timeout))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def one_line_without(message: str, secret: str = PLANTED) -> str:
    assert "\n" not in message.strip(), message
    assert secret not in message, message
    return message


# -- declarations ---------------------------------------------------------------------------


def test_the_plugin_declares_its_adapter(plugins):
    spec = plugins.adapter_for("mysql")
    assert spec is not None
    assert (spec.name, spec.schemes, spec.dialect, spec.load_factory(), spec.reads_files) == (
        "mysql", ("mysql", "mariadb", "mysql+pymysql"), "mysql", MySQLAdapter, False,
    )
    assert plugins.adapter_for("mariadb") is spec and plugins.adapter_for("mysql+pymysql") is spec
    assert plugins.failures == ()


def test_the_entry_point_module_holds_only_the_hook():
    public = {n for n in vars(kpi_mysql) if not n.startswith("_")}
    assert {n for n in public if n.startswith("kpi_")} == {"kpi_register_adapters"}
    assert public - {"kpi_register_adapters"} <= {"AdapterSpec", "hookimpl", "adapter"}


def installed() -> metadata.EntryPoint | None:
    return next(iter(metadata.entry_points(group="kpi_engine", name="mysql")), None)


@pytest.mark.skipif(installed() is None, reason="kpi-mysql is not installed: python -m pip install -e plugins/kpi-mysql")
def test_installed_entry_point_registers():
    assert installed().load() is kpi_mysql
    listed = CliRunner().invoke(cli, ["plugins", "--format", "json"], catch_exceptions=False)
    assert listed.exit_code == 0
    row = next(r for r in json.loads(listed.stdout) if r["name"] == "mysql")
    assert row["distribution"] == "kpi-mysql 0.1.0" and row["error"] is None


# -- URLs -----------------------------------------------------------------------------------


def test_url_parts_are_decoded_and_defaulted():
    args = connect_arguments("mysql://kpi%40reader:p%40ss%3Aw%2Frd@db.example:3307/shop%2Dx")
    assert (args["host"], args["port"], args["user"], args["password"], args["database"]) == (
        "db.example", 3307, "kpi@reader", "p@ss:w/rd", "shop-x",
    )
    args = connect_arguments("mariadb://root@127.0.0.1")
    assert (args["port"], args["password"], args["database"], args["connect_timeout"]) == (3306, "", None, 10.0)
    assert connect_arguments("mysql+pymysql:///shop")["host"] == "localhost"


def test_url_options():
    args = connect_arguments("mysql://u@h/db?connect_timeout=2.5&ssl_verify_cert=true&unix_socket=/run/mysqld/s.sock")
    assert (args["connect_timeout"], args["ssl_verify_cert"], args["unix_socket"]) == (2.5, True, "/run/mysqld/s.sock")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:Pl4nted-S3cret-zq@h/db?charset=latin1", "unknown option 'charset'"),
        ("mysql://u:Pl4nted-S3cret-zq@h/db?connect_timeout=0", "connect_timeout .* must be a number of seconds"),
        ("mysql://u:Pl4nted-S3cret-zq@h/db?ssl_disabled=maybe", "ssl_disabled .* must be true or false"),
        ("mysql://u:Pl4nted-S3cret-zq@h:port/db", "malformed mysql URL"),
        ("mysql://u:Pl4nted-S3cret-zq@h/db/table", "one database name"),
        ("postgresql://u:Pl4nted-S3cret-zq@h/db", "not a mysql URL"),
    ],
)
def test_bad_urls_are_refused_without_echoing_them(url, message):
    with pytest.raises(kpi_engine.ExecutionError, match=message) as caught:
        connect_arguments(url)
    one_line_without(str(caught.value))


# -- Arrow conversion (no server) -----------------------------------------------------------


def describe(*columns: tuple[str, int]) -> list[tuple]:
    return [(name, code, None, None, None, None, True) for name, code in columns]


def test_to_arrow_types_follow_the_column_types_not_the_values():
    description = describe(
        ("n", 8), ("f", 5), ("d", 246), ("day", 10), ("at", 12), ("s", 253), ("b", 252), ("nothing", 6), ("t", 11),
    )
    rows = [
        (1, 1.5, Decimal("2.25"), date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, 5, 6), "é", b"\x00\x01", None,
         timedelta(hours=1)),
        (None, None, None, None, None, None, None, None, None),
    ]
    table = to_arrow(description, rows)
    assert table.schema == pa.schema(
        [("n", pa.int64()), ("f", pa.float64()), ("d", pa.float64()), ("day", pa.date32()),
         ("at", pa.timestamp("us")), ("s", pa.string()), ("b", pa.binary()), ("nothing", pa.null()),
         ("t", pa.duration("us"))]
    )
    assert table.to_pylist()[0] == {
        "n": 1, "f": 1.5, "d": 2.25, "day": date(2024, 1, 2), "at": datetime(2024, 1, 2, 3, 4, 5, 6), "s": "é",
        "b": b"\x00\x01", "nothing": None, "t": timedelta(hours=1),
    }
    assert set(table.to_pylist()[1].values()) == {None}


def test_to_arrow_edge_cases():
    # No rows: the columns and their types are still there.
    empty = to_arrow(describe(("kpi", 253), ("value", 5), ("period_start", 10)), [])
    assert empty.num_rows == 0
    assert empty.schema.types == [pa.string(), pa.float64(), pa.date32()]
    # Zero dates come back from PyMySQL as text: no date, so null. BIGINT UNSIGNED past int64.
    odd = to_arrow(describe(("day", 10), ("at", 12), ("big", 8)), [("0000-00-00", "0000-00-00 00:00:00", 2**64 - 1)])
    assert odd.to_pylist() == [{"day": None, "at": None, "big": 2**64 - 1}]
    assert odd.schema.field("big").type == pa.uint64()
    # A statement without a result set.
    assert to_arrow(None, []).num_columns == 0


# -- the adapter on a server ----------------------------------------------------------------


def test_types_round_trip(database):
    database.execute(
        "CREATE TABLE t (i INT, big BIGINT UNSIGNED, flag BOOLEAN, f FLOAT, d DOUBLE, dec_ DECIMAL(12, 4), "
        "day DATE, at DATETIME(6), ts TIMESTAMP NULL, txt VARCHAR(20), blob_ VARBINARY(4), tm TIME, yr YEAR, "
        "js JSON, e ENUM('a', 'b'))"
    )
    database.execute(
        "INSERT INTO t VALUES (-7, 18446744073709551615, TRUE, 0.5, 0.1, 12345678.1234, '2024-02-29', "
        "'2024-02-29 23:59:59.123456', '2024-02-29 12:00:00', 'it''s \\\\ odd ✓', X'00FF', '25:30:00', 2024, "
        "'{\"a\": 1}', 'b'), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
    )
    adapter = open_adapter(database.url)
    try:
        table = adapter.execute("SELECT * FROM t")
    finally:
        adapter.close()
    assert table.schema == pa.schema(
        [("i", pa.int64()), ("big", pa.uint64()), ("flag", pa.int64()), ("f", pa.float64()), ("d", pa.float64()),
         ("dec_", pa.float64()), ("day", pa.date32()), ("at", pa.timestamp("us")), ("ts", pa.timestamp("us")),
         ("txt", pa.string()), ("blob_", pa.binary()), ("tm", pa.duration("us")), ("yr", pa.int64()),
         ("js", pa.string()), ("e", pa.string())]
    )
    first, second = table.to_pylist()
    assert first == {
        "i": -7, "big": 2**64 - 1, "flag": 1, "f": 0.5, "d": 0.1, "dec_": 12345678.1234, "day": date(2024, 2, 29),
        "at": datetime(2024, 2, 29, 23, 59, 59, 123456), "ts": datetime(2024, 2, 29, 12), "txt": "it's \\ odd ✓",
        "blob_": b"\x00\xff", "tm": timedelta(hours=25, minutes=30), "yr": 2024, "js": first["js"], "e": "b",
    }
    assert json.loads(first["js"]) == {"a": 1}
    assert set(second.values()) == {None}


def test_aggregates_and_a_null_only_column(database):
    database.execute("CREATE TABLE t (v INT, price DECIMAL(10, 2))")
    database.executemany("INSERT INTO t VALUES (%s, %s)", [(1, "1.10"), (2, "2.20"), (2, None)])
    adapter = open_adapter(database.url)
    try:
        table = adapter.execute(
            "SELECT COUNT(*) AS n, SUM(v) AS s, SUM(price) AS p, CAST(SUM(v) AS DOUBLE) / 3 AS q, NULL AS nothing FROM t"
        )
    finally:
        adapter.close()
    assert table.schema.types == [pa.int64(), pa.float64(), pa.float64(), pa.float64(), pa.null()]
    assert table.to_pylist() == [{"n": 3, "s": 5.0, "p": pytest.approx(3.3), "q": pytest.approx(5 / 3), "nothing": None}]


def test_the_session_is_read_only(database):
    database.execute("CREATE TABLE t (v INT)")
    database.execute("INSERT INTO t VALUES (1)")
    adapter = open_adapter(database.url)
    try:
        for statement in (
            "INSERT INTO t VALUES (2)",
            "UPDATE t SET v = 3",
            "DELETE FROM t",
            "CREATE TABLE u (v INT)",
            "DROP TABLE t",
            "CREATE TEMPORARY TABLE tmp (v INT)",
        ):
            with pytest.raises(kpi_engine.ExecutionError, match=r"error 1792: .*READ ONLY.*read-only") as caught:
                adapter.execute(statement)
            one_line_without(str(caught.value))
        # One statement per call: a second one is a syntax error, never run.
        with pytest.raises(kpi_engine.ExecutionError, match="error 1064"):
            adapter.execute("SELECT 1; DELETE FROM t")
        assert adapter.execute("SELECT COUNT(*) AS n FROM t").to_pylist() == [{"n": 1}]
    finally:
        adapter.close()
    assert database.execute("SELECT v FROM t") == ((1,),)
    assert database.execute("SHOW TABLES") == (("t",),)


def test_timeouts_cancel_the_statement_and_keep_the_connection(database):
    adapter = open_adapter(database.url, timeout=0.3)
    try:
        variable = "max_statement_time" if adapter.flavour == "MariaDB" else "max_execution_time"
        (row,) = adapter.execute(f"SELECT @@SESSION.{variable} AS t").to_pylist()
        assert float(row["t"]) == (0.3 if adapter.flavour == "MariaDB" else 300)
        heavy = (
            "SELECT COUNT(*) FROM information_schema.collations a, information_schema.collations b, "
            "information_schema.collations c, information_schema.collations d"
        )
        statements = [heavy] + (["SELECT SLEEP(5)"] if adapter.flavour == "MariaDB" else [])
        for statement in statements:  # MySQL's SLEEP returns 1 when interrupted, without an error
            began = time.monotonic()
            with pytest.raises(kpi_engine.QueryTimeout, match=r"query cancelled after the 0.3 s timeout") as caught:
                adapter.execute(statement)
            assert time.monotonic() - began < 3
            one_line_without(str(caught.value))
        assert adapter.execute("SELECT 1 AS one").to_pylist() == [{"one": 1}]
    finally:
        adapter.close()


def test_a_server_that_does_not_cancel_is_given_up_on(database, monkeypatch):
    monkeypatch.setattr(adapter_module, "READ_TIMEOUT_GRACE", 0.2)
    adapter = open_adapter(database.url, timeout=0.3)
    try:
        variable = "max_statement_time" if adapter.flavour == "MariaDB" else "max_execution_time"
        adapter.execute(f"SET SESSION {variable} = 0")  # the server no longer cancels
        began = time.monotonic()
        with pytest.raises(kpi_engine.QueryTimeout, match=r"no answer from the server within 0.5 s; connection dropped"):
            adapter.execute("SELECT SLEEP(3)")
        assert time.monotonic() - began < 2
        with pytest.raises(kpi_engine.ExecutionError, match="closed"):
            adapter.execute("SELECT 1")
    finally:
        adapter.close()


def test_backslashes_mean_what_sqlglot_meant_under_no_backslash_escapes(database, monkeypatch):
    import pymysql

    database.execute("CREATE TABLE t (status VARCHAR(20))")
    database.execute("INSERT INTO t VALUES (%s)", ("it's \\ odd",))
    literal = "'it''s \\\\ odd'"  # what sqlglot writes for mysql; only right with backslash escapes

    # A server whose sessions start with NO_BACKSLASH_ESCAPES: the literal means something else.
    real_connect = pymysql.connect
    init = "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')"
    raw = real_connect(host=database.server.host, port=database.server.port, user=database.server.user,
                       password=database.server.password, database=database.name, init_command=init)
    try:
        with raw.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM t WHERE status = {literal}")
            assert cursor.fetchone() == (0,)
    finally:
        raw.close()

    monkeypatch.setattr(pymysql, "connect", lambda **kw: real_connect(**kw, init_command=init))
    adapter = open_adapter(database.url)
    try:
        (row,) = adapter.execute("SELECT @@SESSION.sql_mode AS mode").to_pylist()
        assert "NO_BACKSLASH_ESCAPES" not in row["mode"]
        assert adapter.execute(f"SELECT COUNT(*) AS n FROM t WHERE status = {literal}").to_pylist() == [{"n": 1}]
    finally:
        adapter.close()


def test_closing_twice_is_fine_and_a_closed_adapter_says_so(database):
    adapter = open_adapter(database.url)
    adapter.close()
    adapter.close()
    with pytest.raises(kpi_engine.ExecutionError, match="closed"):
        adapter.execute("SELECT 1")


# -- errors: one clear line, never the password ----------------------------------------------


def test_connection_errors(database, reader):
    good = reader.url
    wrong_password = good.replace(reader.password, "Wr0ng-" + reader.password)
    unknown_user = good.replace("kpi_r_", "nobody_")
    unreachable = good.replace(f":{database.server.port}/", f":{closed_port()}/")
    no_database = good.replace(f"/{database.name}", "/kpi_no_such_db")
    cases = {
        unreachable: r"cannot connect: .*error 2003: Can't connect",
        wrong_password: r"cannot connect: .*error 1045: Access denied",
        unknown_user: r"cannot connect: .*error (1045|1698): Access denied",  # 1698: MariaDB, no such user
        no_database: r"cannot connect: .*error (1044|1049): ",  # 1044: no rights on it, 1049: unknown
    }
    for url, message in cases.items():
        with pytest.raises(kpi_engine.ExecutionError, match=message) as caught:
            open_adapter(url)
        one_line_without(str(caught.value), reader.password)
        one_line_without(str(caught.value), "Wr0ng-")


def test_query_errors(database, reader):
    database.execute("CREATE TABLE orders (v INT)")
    adapter = open_adapter(reader.url, timeout=0.3)
    try:
        cases = {
            "SELECT * FROM no_such_table": r"error 1146: Table '.*no_such_table' doesn't exist",
            "SELECT no_such_column FROM orders": r"error 1054: Unknown column 'no_such_column'",
            "SELECT * FROM mysql.user": r"error 1142: SELECT command denied",  # the reader may only read its db
            "SELECT COUNT(*) FROM information_schema.collations a, information_schema.collations b, "
            "information_schema.collations c, information_schema.collations d": r"cancelled after the 0.3 s timeout",
            "INSERT INTO orders VALUES (1)": r"error (1792|1142): ",
        }
        for sql, message in cases.items():
            with pytest.raises(kpi_engine.ExecutionError, match=message) as caught:
                adapter.execute(sql)
            one_line_without(str(caught.value), reader.password)
    finally:
        adapter.close()


# -- end to end ------------------------------------------------------------------------------

DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
  sessions: {table: sessions, time: started_at, dimensions: [channel]}
kpis:
  conversion_rate:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    target: 0.5
    thresholds: {warn: 0.4, critical: 0.2}
  revenue:
    value: {source: orders, expr: sum(revenue)}
"""

ORDERS = [  # (ordered_at, channel, revenue)
    (datetime(2025, 1, 3, 10), "web", Decimal("100.10")),
    (datetime(2025, 1, 20, 11), "web", Decimal("50.05")),
    (datetime(2025, 1, 21, 12), "app", Decimal("30.00")),
    (datetime(2025, 2, 2, 9), None, Decimal("80.00")),
]
SESSIONS = [  # (started_at, channel)
    (datetime(2025, 1, 1, 8), "web"), (datetime(2025, 1, 2, 8), "web"), (datetime(2025, 1, 4, 8), "web"),
    (datetime(2025, 1, 5, 8), "app"), (datetime(2025, 2, 1, 8), None), (datetime(2025, 2, 3, 8), "app"),
]


def shop(database, tmp_path):
    database.execute("CREATE TABLE orders (ordered_at DATETIME, channel VARCHAR(10), revenue DECIMAL(10, 2))")
    database.executemany("INSERT INTO orders VALUES (%s, %s, %s)", ORDERS)
    database.execute("CREATE TABLE sessions (started_at DATETIME, channel VARCHAR(10))")
    database.executemany("INSERT INTO sessions VALUES (%s, %s)", SESSIONS)
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "shop.yaml").write_text(DEFINITIONS)
    return defs


def assert_close(got: dict, expected: dict) -> None:
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert (got[key] is None) if value is None else got[key] == pytest.approx(value, rel=1e-9), key


def expected_by_month_and_channel() -> dict[tuple[str, date, str | None], float | None]:
    orders: dict = defaultdict(int)
    revenue: dict = defaultdict(Decimal)
    sessions: dict = defaultdict(int)
    for at, channel, amount in ORDERS:
        orders[(date(at.year, at.month, 1), channel)] += 1
        revenue[(date(at.year, at.month, 1), channel)] += amount
    for at, channel in SESSIONS:
        sessions[(date(at.year, at.month, 1), channel)] += 1
    out = {}
    for key in orders.keys() | sessions.keys():
        out[("conversion_rate", *key)] = orders.get(key, 0) / sessions[key] if sessions.get(key) else None
    for key, amount in revenue.items():
        out[("revenue", *key)] = float(amount)
    return out


@pytest.mark.parametrize("scheme", ["mysql", "mariadb", "mysql+pymysql"])
def test_engine_runs_kpis_on_the_server(database, tmp_path, plugins, scheme):
    catalog = kpi_engine.load(shop(database, tmp_path), plugins.functions)
    url = database.server.url_for(database.name, scheme=scheme)
    with kpi_engine.Engine(catalog, connection=url, plugins=plugins) as engine:
        table = engine.run(grain="month", by=["channel"])
    assert table.schema.field("period_start").type == pa.date32()
    got = {(r["kpi"], r["period_start"], r["channel"]): r["value"] for r in table.to_pylist()}
    assert_close(got, expected_by_month_and_channel())


@pytest.mark.skipif(installed() is None, reason="kpi-mysql is not installed: python -m pip install -e plugins/kpi-mysql")
def test_cli_runs_and_fails_with_one_line_and_no_password(database, reader, tmp_path):
    defs = shop(database, tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["run", str(defs), "--connection", reader.url, "--grain", "month", "--by", "channel", "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    got = {(r["kpi"], r["period_start"], r["channel"]): r["value"] for r in json.loads(result.stdout)}
    assert_close(got, {(k, d.isoformat(), c): v for (k, d, c), v in expected_by_month_and_channel().items()})

    database.execute("DROP TABLE sessions")
    failed = runner.invoke(cli, ["run", str(defs), "--connection", reader.url, "--format", "json"])
    assert failed.exit_code == 4
    assert reader.password not in failed.stdout + failed.stderr
    (line,) = [line for line in failed.stderr.splitlines() if "conversion_rate" in line]
    assert "sessions' doesn't exist" in line and ":***@" in line
    # The KPI that does not read sessions still comes out.
    assert [r["kpi"] for r in json.loads(failed.stdout)] == ["revenue"]

    unreachable = reader.url.replace(f":{database.server.port}/", f":{closed_port()}/")
    failed = runner.invoke(cli, ["run", str(defs), "--connection", unreachable])
    assert failed.exit_code == 4
    assert failed.stdout == ""
    (line,) = failed.stderr.strip().splitlines()
    assert "Can't connect" in line and ":***@" in line and reader.password not in line


# -- a user that can do more than read ---------------------------------------------------------


def test_a_reader_gets_no_warning_and_a_user_with_file_gets_one(database, reader):
    import warnings

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        adapter = open_adapter(reader.url)
        assert adapter.execute("SELECT 1 AS x").to_pylist() == [{"x": 1}]
        adapter.close()
    assert not [w for w in record if issubclass(w.category, kpi_engine.PrivilegeWarning)]
    user = reader.url.split("//", 1)[1].split(":", 1)[0]
    database.execute(f"GRANT FILE ON *.* TO '{user}'@'%'")
    with pytest.warns(kpi_engine.PrivilegeWarning) as record:
        open_adapter(reader.url).close()
        open_adapter(reader.url).close()  # once per process and user
    (message,) = [str(w.message) for w in record if issubclass(w.category, kpi_engine.PrivilegeWarning)]
    assert message.startswith(f"the {adapter.flavour} role '{user}@%' can do more than read (FILE); ")


@pytest.mark.parametrize(("grants", "powers"), [
    (["GRANT USAGE ON *.* TO `u`@`%`", "GRANT SELECT ON `shop`.* TO `u`@`%`"], []),
    (["GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%`"], []),
    (["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"], ["FILE", "SUPER"]),
    (["GRANT SELECT, FILE ON *.* TO `u`@`%`"], ["FILE"]),
    (["GRANT SUPER, PROCESS ON *.* TO 'u'@'%'"], ["SUPER"]),
])
def test_global_powers_come_from_the_grants_on_everything(grants, powers):
    assert adapter_module.global_powers(grants) == powers
