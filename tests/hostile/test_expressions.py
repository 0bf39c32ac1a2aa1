"""Hostile expressions: every payload in every place a definition holds SQL, refused at load.

The same payloads go into ``expr``, ``where``, a ``sample`` count, a dimension, ``time``,
a ``formula``, a metric type's parameter and a ``sql:`` source, and ``kpi validate`` and
``kpi run`` (on DuckDB, SQLite, PostgreSQL and MariaDB) must refuse each with exit 3 and
one line at the file:line:col of the value, leaving every engine's data as it was and
writing nothing.
"""

from __future__ import annotations

import pytest

from .harness import Case, check

# (id, payload, what the message says). Each payload is a row-level SQL expression.
PAYLOADS = [
    ("cast-quoted-type-copy", '''x::"int); COPY orders TO '{project}/pwned.csv'; SELECT (1"''', r"cast to|not allowed|not a"),
    ("cast-unknown-type", 'CAST(x AS "foo bar")', r"cast to .* is not allowed"),
    ("cast-unknown-bare-type", "CAST(x AS widget)", r"cast to .* is not allowed"),
    ("try-cast-unknown-type", 'TRY_CAST(x AS "x) or (1")', r"cast to .* is not allowed"),
    ("cast-oversized-decimal", "CAST(x AS decimal(1000, 2))", r"only decimal\(p, s\)|not allowed"),
    ("cast-array-type", "CAST(x AS int[])", r"cast to .* is not allowed"),
    ("cast-struct-type", "CAST(x AS STRUCT(a int))", r"'STRUCT\(a INT\)' is not allowed"),
    ("cast-format", "CAST(x AS date FORMAT 'YYYY')", r"not allowed|not an SQL expression"),
    ("date-trunc-unit-injection", "date_trunc('month; drop table orders', ordered_at) is not null", r"date_trunc takes a unit"),
    ("date-trunc-unit-column", "date_trunc(channel, ordered_at) is not null", r"date_trunc takes a unit"),
    ("date-diff-unit-injection", "date_diff('day''); drop', ordered_at, ordered_at) > 0", r"date_diff counts a unit|not an SQL"),
    ("date-add-unit", "date_add(ordered_at, interval 1 fortnight) is not null", r"unit|not allowed"),
    ("interval-unit", "ordered_at + interval 1 fortnight is not null", r"an interval takes a unit|not allowed"),
    ("extract-part-injection", "extract('epoch); drop table x; --' from ordered_at) > 0", r"extract takes a date part"),
    ("strftime-format", "strftime(ordered_at, '%Y'' ; drop') = ''", r"the format must be"),
    ("strftime-format-column", "strftime(ordered_at, channel) = ''", r"the format must be"),
    ("round-digits-text", "round(x, '2; drop') > 0", r"decimals must be a whole number"),
    ("pg-sleep", "pg_sleep(10) is null", r"unknown function 'pg_sleep'"),
    ("lo-export", "lo_export(1, '/tmp/kpi-pwned') = 1", r"unknown function 'lo_export'"),
    ("pg-read-file", "length(pg_read_file('/etc/passwd')) > 0", r"unknown function 'pg_read_file'"),
    ("pg-terminate", "pg_terminate_backend(1)", r"unknown function 'pg_terminate_backend'"),
    ("mysql-load-file", "length(load_file('/etc/passwd')) > 0", r"unknown function 'load_file'"),
    ("mysql-sleep", "sleep(5) = 0", r"unknown function 'sleep'"),
    ("benchmark", "benchmark(100000000, md5('a')) = 0", r"unknown function 'benchmark'"),
    ("duckdb-read-csv", "length(read_csv('/proc/self/environ')) > 0", r"unknown function|not allowed"),
    ("duckdb-getenv", "getenv('HOME') = ''", r"unknown function 'getenv'"),
    ("duckdb-current-setting", "current_setting('threads') = 1", r"unknown function|not allowed"),
    ("subquery-mysql-user", "(SELECT max(authentication_string) FROM mysql.user) = ''", r"not allowed|the engine's own catalog"),
    ("in-subquery", "channel IN (SELECT table_name FROM information_schema.tables)", r"not allowed"),
    ("exists", "EXISTS (SELECT 1)", r"not allowed"),
    ("window", "row_number() OVER () > 1", r"not allowed|unknown function"),  # a sql: source may use windows
    ("filter-clause", "count(*) FILTER (WHERE x > 0) > 0", r"not allowed|aggregate"),
    ("placeholder", "x = ?", r"not allowed"),
    ("named-placeholder", "x = :secret", r"not allowed|not an SQL"),
    ("dollar-parameter", "x = $1", r"not allowed|not an SQL"),
    ("struct-literal", "{'a': 1} IS NOT NULL", r"not allowed"),
    ("bracket", "x[1] = 1", r"not allowed"),
    ("collate", "channel COLLATE \"C\" = 'web'", r"not allowed"),
    ("qualified-column", "mysql.user.password = ''", r"qualified column|not allowed"),
    ("statement-separator", "x > 0; DROP TABLE orders", r"not an SQL expression|exactly one SELECT"),
    ("comment-smuggling", "x > 0 /* ; DROP TABLE orders */", None),  # comments are dropped: valid
    ("lambda", "list_filter([1], y -> y > 0) IS NOT NULL", r"unknown function|not allowed"),
    ("json-arrow", "x ->> 'a' = ''", r"not allowed"),
    ("regexp", "regexp_matches(channel, '.*')", r"not allowed|unknown function"),
    ("md5", "md5(channel) = ''", r"not allowed|unknown function"),
    ("nul-in-string", "channel = 'a\x00b'", r"a NUL character is not allowed in a string"),
    ("overlong-name", '"' + "n" * 1100 + '" > 0', r"longer than 1024"),
    ("deep-nesting", "(" * 60 + "x" + ")" * 60 + " > 0", r"nested more than 40 levels"),
    ("overlong-expression", "x > 0 AND " * 2100 + "x > 0", r"longer than (4000|20000) characters"),
]

# Where a payload goes: (place, files, the file:line:col and subject the one line starts with).
def _places(payload: str):
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0")
    yield "where", {"definitions/k.yaml": (
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        f"kpis:\n  k:\n    value: {{source: orders, expr: count(*), where: \"{quoted}\"}}\n"
    )}, r"definitions/k\.yaml:5:\d+: kpi k: where: "
    yield "expr", {"definitions/k.yaml": (
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        f"kpis:\n  k:\n    value: {{source: orders, expr: \"count_if({quoted})\"}}\n"
    )}, r"definitions/k\.yaml:5:\d+: kpi k: expr: "
    yield "sample", {"definitions/k.yaml": (
        "sources:\n  orders: {table: orders, time: ordered_at}\n"
        f"kpis:\n  k:\n    value: {{source: orders, expr: sum(revenue)}}\n    sample: \"count_if({quoted})\"\n"
        "    min_sample: 5\n"
    )}, r"definitions/k\.yaml:6:\d+: kpi k: sample: "
    yield "dimension", {"definitions/k.yaml": (
        f"sources:\n  orders:\n    table: orders\n    dimensions: {{odd: \"{quoted}\"}}\n"
        "kpis:\n  k: {value: {source: orders, expr: count(*)}}\n"
    )}, r"definitions/k\.yaml:4:\d+: source orders: odd: "
    yield "time", {"definitions/k.yaml": (
        f"sources:\n  orders:\n    table: orders\n    time: \"{quoted}\"\n"
        "kpis:\n  k: {value: {source: orders, expr: count(*)}}\n"
    )}, r"definitions/k\.yaml:4:\d+: source orders: time: "
    yield "formula", {"definitions/k.yaml": (
        "sources:\n  orders: {table: orders}\n"
        "kpis:\n  a: {value: {source: orders, expr: count(*)}}\n"
        f"  k: {{formula: \"a + ({quoted})::int\"}}\n"
    )}, r"definitions/k\.yaml:5:\d+: kpi k: formula: "
    yield "metric-parameter", {"definitions/k.yaml": (
        "sources:\n  orders: {table: orders}\n"
        f"kpis:\n  k:\n    metric: {{type: top, source: orders, item: \"{quoted}\", expr: count(*), limit: 3}}\n"
    )}, r"definitions/k\.yaml:5:\d+: kpi k: "
    yield "sql-source", {"definitions/k.yaml": (
        f"sources:\n  orders:\n    sql: \"SELECT * FROM orders WHERE {quoted}\"\n"
        "kpis:\n  k: {value: {source: orders, expr: count(*)}}\n"
    )}, r"definitions/k\.yaml:3:\d+: source orders: sql:? "


# A condition payload in `formula` or `time` would fail on its role first; those places
# take the payloads that are values.
_ROLE_FREE = {"where", "expr", "sample", "sql-source"}


def _cases():
    for pid, payload, message in PAYLOADS:
        for place, files, where in _places(payload):
            if message is None:
                continue
            if place not in _ROLE_FREE and pid in ("qualified-column", "comment-smuggling"):
                continue
            if place == "sql-source" and pid == "window":
                continue
            yield pytest.param(
                Case(id=f"{pid}@{place}", argv=("validate", "definitions"), exit=3, message=where + ".*(?:" + message + ")",
                     files=files),
                id=f"{pid}@{place}",
            )


@pytest.mark.parametrize("case", list(_cases()))
def test_refused_at_load(case, project, engines):
    check(case, project, engines)


# The worst of them also through `kpi run` on every engine: refused before any connection.
RUN_PAYLOADS = [p for p in PAYLOADS if p[0] in (
    "cast-quoted-type-copy", "date-trunc-unit-injection", "lo-export", "mysql-load-file", "subquery-mysql-user",
    "pg-terminate", "duckdb-read-csv", "extract-part-injection",
)]


@pytest.mark.parametrize("engine", ["duckdb", "sqlite", "postgres", "mysql"])
@pytest.mark.parametrize(("pid", "payload", "message"), RUN_PAYLOADS, ids=[p[0] for p in RUN_PAYLOADS])
def test_refused_before_any_engine_runs_it(pid, payload, message, engine, project, engines):
    _, files, where = next(_places(payload))  # in a where
    case = Case(id=f"{pid}@run-{engine}", argv=("run", "definitions", "--connection", "{" + engine + "}"), exit=3,
                message=where + ".*(?:" + message + ")", files=files)
    check(case, project, engines)


def test_comments_are_dropped_and_the_expression_stays_valid(project, engines):
    _, files, _ = next(_places("revenue > 0 /* ; DROP TABLE orders */"))
    check(Case(id="comment", argv=("validate", "definitions"), exit=0, files=files), project, engines)


# Whole sql: sources that would have side effects or read the engine's own catalogs: one
# SELECT of allowed nodes only, refused at load with the node's line and column.
SQL_SOURCES = [
    ("select-into", "SELECT * INTO stolen FROM orders", r"not allowed"),
    ("copy-to", "COPY orders TO '{project}/pwned.csv'", r"exactly one SELECT"),
    ("copy-from-select", "COPY (SELECT 1) TO '/tmp/kpi-pwned'", r"exactly one SELECT"),
    ("two-statements", "SELECT * FROM orders; DELETE FROM orders", r"exactly one SELECT"),
    ("delete", "DELETE FROM orders", r"exactly one SELECT"),
    ("insert-select", "INSERT INTO orders SELECT * FROM orders", r"exactly one SELECT"),
    ("create-table-as", "CREATE TABLE x AS SELECT 1", r"exactly one SELECT"),
    ("attach", "ATTACH '/tmp/x.db' AS x", r"exactly one SELECT"),
    ("pragma", "PRAGMA database_list", r"exactly one SELECT|not valid SQL"),
    ("set", "SET default_transaction_read_only = off", r"exactly one SELECT"),
    ("lo-export", "SELECT lo_export(1, '/tmp/kpi-pwned') AS x", r"unknown function 'lo_export'"),
    ("lo-import", "SELECT lo_import('/etc/passwd') AS x", r"unknown function 'lo_import'"),
    ("pg-read-file", "SELECT pg_read_file('/etc/passwd') AS x", r"unknown function 'pg_read_file'"),
    ("pg-terminate", "SELECT pg_terminate_backend(pid) FROM orders", r"unknown function 'pg_terminate_backend'"),
    ("pg-cancel", "SELECT pg_cancel_backend(1) AS x", r"unknown function 'pg_cancel_backend'"),
    ("set-config", "SELECT set_config('default_transaction_read_only', 'off', false) AS x", r"unknown function 'set_config'"),
    ("pg-sleep", "SELECT pg_sleep(30) AS x", r"unknown function 'pg_sleep'"),
    ("dblink", "SELECT * FROM dblink('host=evil', 'select 1') AS t(a int)", r"table function dblink\(\) is not allowed"),
    ("mysql-load-file", "SELECT LOAD_FILE('/etc/passwd') AS x", r"unknown function 'load_file'"),
    ("mysql-sleep", "SELECT SLEEP(30) AS x", r"unknown function 'sleep'"),
    ("mysql-into-outfile", "SELECT * FROM orders INTO OUTFILE '/tmp/kpi-pwned'", r"not allowed|not valid SQL"),
    ("pg-authid", "SELECT * FROM pg_authid", r"the engine's own catalog"),
    ("pg-catalog-shadow", "SELECT * FROM pg_catalog.pg_shadow", r"the engine's own catalog"),
    ("pg-stat-activity", "SELECT * FROM pg_stat_activity", r"the engine's own catalog"),
    ("information-schema", "SELECT * FROM information_schema.tables", r"the engine's own catalog"),
    ("mysql-user", "SELECT * FROM mysql.user", r"the engine's own catalog"),
    ("sqlite-master", "SELECT * FROM sqlite_master", r"the engine's own catalog"),
    ("duckdb-settings", "SELECT * FROM duckdb_settings()", r"table function duckdb_settings\(\) is not allowed"),
    ("quoted-catalog", 'SELECT * FROM "PG_CATALOG"."pg_authid"', r"the engine's own catalog"),
    ("for-update", "SELECT * FROM orders FOR UPDATE", r"not allowed"),
    ("recursive-cte", "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r", r"recursive WITH"),
    ("lateral-function", "SELECT * FROM orders, LATERAL (SELECT pg_sleep(1)) AS s", r"not allowed|unknown function"),
    ("values-subquery-function", "SELECT (SELECT current_setting('is_superuser')) AS x FROM orders", r"unknown function|not allowed"),
    ("tablesample", "SELECT * FROM orders TABLESAMPLE 10%", r"not allowed"),
    ("cast-type-in-select", 'SELECT CAST(revenue AS "x); DROP TABLE orders; --") AS revenue FROM orders', r"cast to .* is not allowed"),
]


@pytest.mark.parametrize(("pid", "sql", "message"), SQL_SOURCES, ids=[p[0] for p in SQL_SOURCES])
def test_a_sql_source_with_side_effects_is_refused(pid, sql, message, project, engines):
    files = {"definitions/k.yaml": (
        f"sources:\n  orders:\n    sql: \"{sql.replace(chr(34), chr(92) + chr(34))}\"\n"
        "kpis:\n  k: {value: {source: orders, expr: count(*)}}\n"
    )}
    case = Case(id=pid, argv=("run", "definitions", "--connection", "{postgres}"), exit=3,
                message=r"definitions/k\.yaml:3:\d+: source orders: sql:? .*(?:" + message + ")", files=files)
    check(case, project, engines)
