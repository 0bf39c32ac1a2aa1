"""kpi-postgres' own tests: declarations, the libpq URI, redaction, and the adapter on a live server.

Live tests each get a schema of their own (the ``schema`` fixture in conftest.py) and
skip when no server answers (fail under ``KPI_ENGINE_REQUIRE_SERVERS``). Numbers are
checked against values computed here in plain Python, never against the engine's output.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import time
import uuid
import warnings
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from urllib.parse import quote, unquote, urlsplit

import kpi_engine
import kpi_postgres
import pyarrow as pa
import pytest
from click.testing import CliRunner
from kpi_engine.cli import cli
from kpi_postgres.adapter import PostgresAdapter, connection_uri, one_line, plain_types, redact, secrets_in

# A password with every character that needs care in a URL; percent-encoded in URLs.
PASSWORD = "pl@nted:S3cret/pw+x%"
IN_URL = quote(PASSWORD, safe="")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR", "PGOPTIONS", "PGPASSWORD"):
        monkeypatch.delenv(name, raising=False)


def options_of(uri: str) -> str:
    query = uri.split("?", 1)[1]
    return next(unquote(v) for k, _, v in (p.partition("=") for p in query.split("&")) if k == "options")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- declarations ---------------------------------------------------------------------------


def test_the_plugin_declares_one_adapter_for_both_schemes():
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_postgres])
    for scheme in ("postgresql", "postgres"):
        spec = plugins.adapter_for(scheme)
        assert (spec.name, spec.dialect, spec.load_factory(), spec.reads_files) == ("postgres", "postgres", PostgresAdapter, False)
    assert plugins.failures == ()


def test_the_entry_point_module_holds_only_the_hook():
    public = {n for n in vars(kpi_postgres) if not n.startswith("_")}
    assert {n for n in public if n.startswith("kpi_")} == {"kpi_register_adapters"}
    assert public - {"kpi_register_adapters"} <= {"AdapterSpec", "hookimpl", "adapter"}


def installed() -> metadata.EntryPoint | None:
    return next(iter(metadata.entry_points(group="kpi_engine", name="postgres")), None)


@pytest.mark.skipif(installed() is None, reason="kpi-postgres is not installed: pip install -e plugins/kpi-postgres")
def test_the_installed_entry_point_registers():
    assert installed().load() is kpi_postgres
    listed = CliRunner().invoke(cli, ["plugins", "--format", "json"], catch_exceptions=False)
    row = next(r for r in json.loads(listed.stdout) if r["name"] == "postgres")
    assert row["distribution"] == "kpi-postgres 0.1.0" and row["error"] is None
    assert row["provides"] == ["adapter postgres (postgresql://, postgres://)"]


# -- the libpq URI ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "users"),
    [
        ("postgresql://u@db.example:6432/shop", ""),
        ("postgres://u@db.example/shop", ""),
        ("postgresql:///shop?host=%2Fvar%2Frun%2Fpostgresql", ""),
        ("postgresql://", ""),
        ("postgresql://u@h/shop?sslmode=require&options=-c%20search_path%3Dmart", "-c search_path=mart"),
        # The user's own settings come first, so the adapter's win over them.
        (
            "postgresql://u@h/shop?options=-c%20default_transaction_read_only%3Doff%20-c%20statement_timeout%3D0",
            "-c default_transaction_read_only=off -c statement_timeout=0",
        ),
    ],
)
def test_connection_uri_adds_read_only_and_the_timeout_after_the_users_options(url, users):
    uri = connection_uri(url, 1.2345)
    scheme, rest = url.split("://", 1)
    assert uri.startswith(f"{scheme}://{rest.split('?', 1)[0]}?")
    expected = "-c default_transaction_read_only=on -c statement_timeout=1235"
    assert options_of(uri) == f"{users} {expected}".strip()
    assert "connect_timeout=10" in uri and "fallback_application_name=kpi-engine" in uri
    for kept in ("sslmode=require", "host=%2Fvar%2Frun%2Fpostgresql"):
        assert (kept in url) == (kept in uri)


def test_without_a_timeout_no_statement_timeout_is_set():
    assert options_of(connection_uri("postgresql://h/db", None)) == "-c default_transaction_read_only=on"


def test_pgoptions_is_carried_over_and_the_users_connect_timeout_kept(monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c work_mem=64MB")
    assert options_of(connection_uri("postgresql://h/db")) == "-c work_mem=64MB -c default_transaction_read_only=on"
    uri = connection_uri("postgresql://h/db?connect_timeout=3&application_name=etl")
    assert "connect_timeout=3" in uri and "connect_timeout=10" not in uri


def test_the_password_is_passed_on_byte_for_byte():
    # parse_qsl would turn '+' into a space; the userinfo is never re-encoded either.
    uri = connection_uri(f"postgresql://u:{IN_URL}@h/db?password=a+b%2Bc")
    assert f"u:{IN_URL}@h/db?" in uri and "password=a+b%2Bc&" in uri


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pl/nted@h/db",  # '/' ends the host part: libpq would take "pl" as a port
        "postgresql://u:pl?nted@h/db",
        "postgresql://u:pl#nted@h/db",
        "postgresql://u:pl@nted@[::1/db",
    ],
)
def test_malformed_urls_are_refused_without_repeating_them(url):
    with pytest.raises(kpi_engine.ExecutionError) as caught:
        connection_uri(url)
    assert "nted" not in str(caught.value) and "malformed PostgreSQL URL" in str(caught.value)


def test_other_schemes_are_refused():
    with pytest.raises(kpi_engine.ExecutionError, match="postgresql:// or postgres://"):
        connection_uri("mysql://u@h/db")


def test_every_spelling_of_the_password_is_redacted(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "from-env")
    secrets = secrets_in(f"postgresql://u:{IN_URL}@h/db?password=q%2Bpw")
    text = f"a {PASSWORD} b {IN_URL} c q+pw d q%2Bpw e from-env"
    assert redact(text, secrets) == "a *** b *** c *** d *** e ***"


def test_driver_messages_become_one_line():
    class Fake(Exception):
        sqlstate = None
        details = ()

    error = Fake(
        'IO: [libpq] Failed to connect: connection to server at "h", port 1 failed: FATAL:  role "x" does not exist\n'
        "\tIs the server running?\n"
    )
    assert one_line(error) == 'connection to server at "h", port 1 failed: FATAL: role "x" does not exist'


def test_numeric_opaque_columns_become_decimals_or_floats():
    numeric = pa.opaque(pa.string(), "numeric", "PostgreSQL")

    def column(values, typmod):
        storage = pa.array(values, pa.string())
        field = pa.field("n", numeric, metadata={b"POSTGRESQL:typmod": typmod})
        return plain_types(pa.Table.from_arrays([pa.ExtensionArray.from_storage(numeric, storage)], schema=pa.schema([field])))

    declared = column(["1.50", None, "-2.25"], str(((10 << 16) | 2) + 4).encode())
    assert declared.schema.field("n").type == pa.decimal128(10, 2)
    assert declared.column("n").to_pylist() == [Decimal("1.50"), None, Decimal("-2.25")]
    inferred = column(["12345678901234567890.123", "0.5"], b"-1")
    assert inferred.schema.field("n").type == pa.decimal128(23, 3)
    assert column(["1.5", "NaN"], b"-1").schema.field("n").type == pa.float64()
    assert column(["1" * 40], b"-1").schema.field("n").type == pa.float64()
    other = pa.opaque(pa.string(), "tsvector", "PostgreSQL")
    table = pa.table({"t": pa.ExtensionArray.from_storage(other, pa.array(["'a'"]))})
    assert plain_types(table).schema.field("t").type == pa.string()


# -- the adapter on a live server -------------------------------------------------------------


@pytest.fixture
def connect():
    opened = []

    def open_(url, timeout=None):
        adapter = PostgresAdapter(url, kpi_engine.ConnectOptions(timeout=timeout))
        opened.append(adapter)
        return adapter

    yield open_
    for adapter in opened:
        adapter.close()


def test_sessions_are_read_only_with_the_timeout_whatever_the_url_says(schema, connect):
    url = schema.url_with("-c default_transaction_read_only=off", "-c statement_timeout=0")
    adapter = connect(url, timeout=2.5)
    assert isinstance(adapter, kpi_engine.Adapter) and adapter.dialect == "postgres"
    row = adapter.execute(
        "SELECT current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st, "
        "current_setting('search_path') AS sp, current_setting('application_name') AS app"
    ).to_pylist()
    assert row == [{"ro": "on", "st": "2500ms", "sp": schema.name, "app": "kpi-engine"}]
    # No transaction is left open between queries: the backend idles, not "idle in transaction".
    (pid,) = adapter.execute("SELECT pg_backend_pid() AS pid").column("pid").to_pylist()
    with schema.con.cursor() as cursor:
        cursor.execute(f"SELECT state FROM pg_stat_activity WHERE pid = {int(pid)}")
        assert cursor.fetchone() == ("idle",)


def test_results_come_back_as_arrow_with_plain_types(schema, connect):
    schema.load(
        "facts",
        pa.table(
            {
                "id": pa.array([1, 2, 3], pa.int64()),
                "at": pa.array([datetime(2024, 1, 1, 12), None, datetime(2024, 2, 29, 23, 59, 59)], pa.timestamp("us")),
                "day": pa.array([date(2024, 1, 1), date(2024, 1, 2), None], pa.date32()),
                "flag": [True, None, False],
                "label": ["it's \\ odd", None, "x"],
                "amount": [1.5, None, 2.25],
            }
        ),
    )
    adapter = connect(schema.url)
    table = adapter.execute("SELECT * FROM facts ORDER BY id")
    assert table.to_pylist()[0] == {
        "id": 1, "at": datetime(2024, 1, 1, 12), "day": date(2024, 1, 1), "flag": True, "label": "it's \\ odd", "amount": 1.5,
    }
    assert [f.type for f in table.schema] == [pa.int64(), pa.timestamp("us"), pa.date32(), pa.bool_(), pa.string(), pa.float64()]
    numbers = adapter.execute(
        "SELECT 1.50::numeric(10,2) AS fixed, sum(id)::numeric AS total, avg(id) AS mean, 'NaN'::numeric AS nan, "
        "'{}'::json AS doc FROM facts"
    )
    assert [f.type for f in numbers.schema] == [pa.decimal128(10, 2), pa.decimal128(1, 0), pa.decimal128(17, 16), pa.float64(), pa.string()]
    row = numbers.to_pylist()[0]
    assert (row["fixed"], row["total"], row["mean"], row["doc"]) == (Decimal("1.50"), Decimal(6), Decimal(2), "{}")


def test_a_hundred_thousand_rows_arrive_quickly(schema, connect):
    adapter = connect(schema.url)
    started = time.perf_counter()
    table = adapter.execute(
        "SELECT g AS id, g * 0.5::float8 AS amount, 'sku-' || (g % 100) AS sku, "
        "timestamp '2024-01-01' + g * interval '1 minute' AS at FROM generate_series(1, 100000) AS g"
    )
    elapsed = time.perf_counter() - started
    assert table.num_rows == 100_000 and table.column("id").to_pylist()[-1] == 100_000
    assert elapsed < 3, f"100k rows took {elapsed:.2f} s"  # about 0.06 s here; bound kept loose for CI


FAILURES = [
    ("SELECT * FROM no_such_table", r'^relation "no_such_table" does not exist \(SQLSTATE 42P01\)$'),
    ("SELECT no_such_column FROM facts", r'^column "no_such_column" does not exist \(SQLSTATE 42703\)$'),
    ("SELECT pg_sleep(5)", r"^query cancelled after the 0\.3 s timeout \(statement_timeout\)$"),
    ("CREATE TABLE evil (a int)", r"^cannot execute CREATE TABLE in a read-only transaction \(SQLSTATE 25006\)$"),
    (
        "WITH gone AS (DELETE FROM facts RETURNING *) SELECT count(*) FROM gone",
        r"^cannot execute .* in a read-only transaction \(SQLSTATE 25006\)$",
    ),
    ("SELECT nextval('facts_seq')", r"^cannot execute nextval\(\) in a read-only transaction \(SQLSTATE 25006\)$"),
    ("SELECT 1 AS a INTO evil", r"^cannot execute SELECT INTO in a read-only transaction \(SQLSTATE 25006\)$"),
    ("SHOW search_path", r'^syntax error at or near "SHOW" \(SQLSTATE 42601\)$'),  # COPY wraps every query
]


def test_failures_are_one_line_errors_and_the_connection_stays_usable(schema, connect):
    schema.load("facts", pa.table({"a": [1, 2]}))
    schema.sql("CREATE SEQUENCE facts_seq")
    adapter = connect(schema.url, timeout=0.3)
    for sql, pattern in FAILURES:
        started = time.perf_counter()
        with pytest.raises(kpi_engine.ExecutionError) as caught:
            adapter.execute(sql)
        message = str(caught.value)
        assert "\n" not in message
        assert re.match(pattern, message), (sql, message)
        assert isinstance(caught.value, kpi_engine.QueryTimeout) == ("pg_sleep" in sql)
        assert time.perf_counter() - started < 2.5
        assert adapter.execute("SELECT count(*) AS n FROM facts").to_pylist() == [{"n": 2}], sql
    # Nothing was written.
    with schema.con.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema.name}'")
        assert cursor.fetchone() == (1,)


def test_close_is_idempotent_and_a_closed_adapter_refuses(schema, connect):
    adapter = connect(schema.url)
    adapter.close()
    adapter.close()
    with pytest.raises(kpi_engine.ExecutionError, match="closed"):
        adapter.execute("SELECT 1")


def failing_urls(schema, server_url) -> dict[str, str]:
    port = closed_port()
    host_db = server_url.split("@", 1)[-1].split("?", 1)[0]  # host:port/db of the test server
    host = host_db.split("/", 1)[0]
    return {
        "unreachable": f"postgresql://postgres:{IN_URL}@127.0.0.1:{port}/test",
        "unknown database": f"postgresql://postgres:{IN_URL}@{host}/kpi_no_such_db_{schema.name}",
        "unknown role": f"postgres://kpi_no_such_role:{IN_URL}@{host}/test",
        "password parameter": f"postgresql://kpi_no_such_role@{host}/test?password={IN_URL}",
    }


EXPECTED = {
    "unreachable": r"Connection refused",
    "unknown database": r'database "kpi_no_such_db_\w+" does not exist',
    "unknown role": r'role "kpi_no_such_role" does not exist',
    "password parameter": r'role "kpi_no_such_role" does not exist',
}


def test_connection_failures_are_one_line_and_never_show_the_password(schema, server_url, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    for case, url in failing_urls(schema, server_url).items():
        with pytest.raises(kpi_engine.ExecutionError) as caught:
            PostgresAdapter(url, kpi_engine.ConnectOptions(timeout=1))
        message = str(caught.value)
        assert message.startswith("cannot connect: ") and "\n" not in message, message
        assert re.search(EXPECTED[case], message), (case, message)
        for spelling in (PASSWORD, IN_URL, "S3cret"):
            assert spelling not in message
    out, err = capfd.readouterr()
    assert "S3cret" not in out + err + caplog.text


def test_the_cli_reports_a_connection_failure_in_one_line_with_exit_code_4(schema, server_url, tmp_path):
    defs = tmp_path / "defs.yaml"
    defs.write_text(DEFINITIONS)
    runner = CliRunner()
    for case, url in failing_urls(schema, server_url).items():
        if "S3cret" in kpi_engine.mask_url(url):
            continue  # kpi-engine's own URL prefix: mask_url does not mask ?password= yet (core)
        result = runner.invoke(cli, ["run", str(defs), "--connection", url, "--format", "json"])
        assert result.exit_code == 4, (case, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot connect" in lines[0], (case, result.stderr)
        assert "S3cret" not in result.stdout + result.stderr and "Traceback" not in result.stderr


# -- end to end ---------------------------------------------------------------------------------

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
    value: {source: orders, expr: sum(revenue), where: not is_test}
"""

ORDERS = [  # (ordered_at, channel, revenue, is_test)
    (datetime(2025, 1, 3, 10), "web", 100.0, False),
    (datetime(2025, 1, 20, 11), "web", 50.0, True),
    (datetime(2025, 1, 21, 12), "app", 30.0, False),
    (datetime(2025, 2, 2, 9), None, 80.0, False),
]
SESSIONS = [  # (started_at, channel)
    (datetime(2025, 1, 1, 8), "web"), (datetime(2025, 1, 2, 8), "web"), (datetime(2025, 1, 3, 8), "web"),
    (datetime(2025, 1, 5, 8), "app"), (datetime(2025, 2, 1, 8), None), (datetime(2025, 2, 3, 8), None),
]


def load_shop(schema) -> None:
    schema.load(
        "orders",
        pa.table(
            {
                "ordered_at": pa.array([r[0] for r in ORDERS], pa.timestamp("us")),
                "channel": [r[1] for r in ORDERS],
                "revenue": [r[2] for r in ORDERS],
                "is_test": [r[3] for r in ORDERS],
            }
        ),
    )
    schema.load(
        "sessions",
        pa.table({"started_at": pa.array([r[0] for r in SESSIONS], pa.timestamp("us")), "channel": [r[1] for r in SESSIONS]}),
    )


def expected_rows() -> dict[tuple, float | None]:
    out = {}
    for month in (date(2025, 1, 1), date(2025, 2, 1)):
        for channel in ("app", "web", None):
            in_month = [r for r in ORDERS if r[0].date().replace(day=1) == month and r[1] == channel]
            visits = [r for r in SESSIONS if r[0].date().replace(day=1) == month and r[1] == channel]
            if in_month or visits:
                out[("conversion_rate", month, channel)] = len(in_month) / len(visits) if visits else None
            if in_month:
                real = [r[2] for r in in_month if not r[3]]
                out[("revenue", month, channel)] = sum(real) if real else None
    return out


def test_the_engine_runs_kpis_on_postgresql(schema, tmp_path):
    load_shop(schema)
    (tmp_path / "defs.yaml").write_text(DEFINITIONS)
    catalog = kpi_engine.load(tmp_path / "defs.yaml")
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_postgres])
    with kpi_engine.Engine(catalog, connection=schema.url, plugins=plugins, timeout=10) as engine:
        table = engine.run(grain="month", by=["channel"])
    got = {(r["kpi"], r["period_start"], r["channel"]): r["value"] for r in table.to_pylist()}
    assert got == pytest.approx(expected_rows())
    statuses = {(r["kpi"], r["period_start"], r["channel"]): r["status"] for r in table.to_pylist()}
    assert statuses[("conversion_rate", date(2025, 2, 1), None)] == "ok"  # 1 order in 2 sessions: 0.5
    assert statuses[("revenue", date(2025, 1, 1), "web")] == "unrated"


@pytest.mark.skipif(installed() is None, reason="kpi-postgres is not installed: pip install -e plugins/kpi-postgres")
def test_kpi_run_on_a_postgresql_url(schema, tmp_path):
    load_shop(schema)
    (tmp_path / "defs.yaml").write_text(DEFINITIONS)
    result = CliRunner().invoke(
        cli,
        ["run", str(tmp_path / "defs.yaml"), "--connection", schema.url, "--grain", "month", "--by", "channel",
         "--timeout", "10", "--format", "json"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    got = {(r["kpi"], r["period_start"], r["channel"]): r["value"] for r in json.loads(result.stdout)}
    assert got == pytest.approx({(k, p.isoformat(), c): v for (k, p, c), v in expected_rows().items()})


@pytest.mark.skipif(installed() is None, reason="kpi-postgres is not installed: pip install -e plugins/kpi-postgres")
def test_kpi_run_timeout_cancels_once_and_exits_4(schema, tmp_path):
    # A sql: source slow enough to pass the timeout; two KPIs share its one scan.
    (tmp_path / "slow.yaml").write_text(
        "sources:\n"
        "  big: {sql: 'select 1 as x from generate_series(1, 100000000)'}\n"
        "kpis:\n"
        "  rows: {value: {source: big, expr: count(*)}}\n"
        "  total: {value: {source: big, expr: sum(x)}}\n"
    )
    started = time.perf_counter()
    result = CliRunner().invoke(
        cli, ["run", str(tmp_path / "slow.yaml"), "--connection", schema.url, "--timeout", "0.3", "--format", "json"]
    )
    elapsed = time.perf_counter() - started
    assert result.exit_code == 4, result.output
    (line,) = result.stderr.strip().splitlines()
    assert "rows, total" in line and line.endswith("query cancelled after the 0.3 s timeout (statement_timeout)")
    assert elapsed < 2.5  # cancelled once, not retried KPI by KPI


# -- a role that can do more than read ---------------------------------------------------------


@pytest.fixture
def reader(schema, server_url):
    """A login role that can only read the schema; yields (role name, URL connecting as it)."""
    role = f"kpi_reader_{uuid.uuid4().hex[:10]}"
    with schema.con.cursor() as cursor:  # test-only DDL, generated names
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
        cursor.execute(f'GRANT USAGE ON SCHEMA "{schema.name}" TO "{role}"')
    netloc = urlsplit(schema.url).netloc.rpartition("@")[2]
    url = schema.url.replace(urlsplit(schema.url).netloc, f"{role}@{netloc}", 1)
    yield role, url
    with schema.con.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{role}"')  # its grants
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')


def _privilege_warnings(record) -> list[str]:
    return [str(w.message) for w in record if issubclass(w.category, kpi_engine.PrivilegeWarning)]


def test_a_role_that_only_reads_gets_no_warning_and_a_privileged_one_gets_one(schema, reader, connect):
    role, url = reader
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        assert connect(url).execute("SELECT 1 AS x").to_pylist() == [{"x": 1}]
    assert _privilege_warnings(record) == []
    with schema.con.cursor() as cursor:
        cursor.execute(f'GRANT pg_signal_backend, pg_write_server_files TO "{role}"')
    with pytest.warns(kpi_engine.PrivilegeWarning) as record:
        connect(url)
        connect(url)  # once per process and role
    (message,) = _privilege_warnings(record)
    assert message.startswith(f"the PostgreSQL role '{role}' can do more than read (pg_signal_backend, pg_write_server_files)")


def test_the_cli_says_it_once_on_one_line(schema, reader, tmp_path):
    role, url = reader
    load_shop(schema)
    with schema.con.cursor() as cursor:
        cursor.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema.name}" TO "{role}"')
        cursor.execute(f'ALTER ROLE "{role}" SUPERUSER')
    (tmp_path / "defs.yaml").write_text(DEFINITIONS)
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "defs.yaml"), "--connection", url, "--format", "json"])
    with schema.con.cursor() as cursor:
        cursor.execute(f'ALTER ROLE "{role}" NOSUPERUSER')
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if "can do more than read" in line]
    assert warned == [f"warning: the PostgreSQL role '{role}' can do more than read (superuser); kpi-engine runs only "
                      "checked SELECTs, but use a role that can only read the tables it needs (see SECURITY.md)"]
    got = {r["kpi"]: r["value"] for r in json.loads(result.stdout)}
    assert got["revenue"] == pytest.approx(sum(r[2] for r in ORDERS if not r[3]))
