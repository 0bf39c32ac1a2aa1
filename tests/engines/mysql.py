"""MySQL/MariaDB: a fresh database per provision on the server at ``KPI_TEST_MYSQL``.

The server defaults to ``mysql://root@127.0.0.1:3306/test`` (the database in that URL is
only where the admin connection lands). Each provision creates ``kpi_t_<hex>``, loads
the Arrow tables with ``CREATE TABLE`` + ``executemany`` INSERTs, yields
``mysql://user[:password]@host:port/kpi_t_<hex>`` for the ``kpi-mysql`` adapter, and
drops the database on exit.

Column types: integers as (UNSIGNED) TINYINT/SMALLINT/INT/BIGINT, booleans as
TINYINT(1) (MySQL's BOOLEAN), floats as FLOAT/DOUBLE, decimals as DECIMAL(p, s),
strings as VARCHAR sized to the data, dates as DATE, timestamps as DATETIME(6) (a
time zone, if any, dropped after conversion to UTC), binary as VARBINARY/LONGBLOB.
The database's collation is ``utf8mb4_bin``, so strings compare and group by their
exact text as in DuckDB; MySQL's default collations ignore case (see the kpi-mysql
README).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from datetime import datetime, timezone
from importlib import metadata
from urllib.parse import quote, unquote, urlsplit

import pyarrow as pa

from fixtures import unavailable

NAME = "mysql"
SERVER_URL = os.environ.get("KPI_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def column_type(type_: pa.DataType, values: list) -> str:
    """The MySQL column type for an Arrow column (``values`` size the strings)."""
    if pa.types.is_boolean(type_):
        return "TINYINT(1)"
    if pa.types.is_integer(type_):
        name = {8: "TINYINT", 16: "SMALLINT", 32: "INT", 64: "BIGINT"}[type_.bit_width]
        return name + (" UNSIGNED" if pa.types.is_unsigned_integer(type_) else "")
    if pa.types.is_float32(type_):
        return "FLOAT"
    if pa.types.is_floating(type_):
        return "DOUBLE"
    if pa.types.is_decimal(type_):
        return f"DECIMAL({min(type_.precision, 65)}, {min(type_.scale, 30)})"
    if pa.types.is_date(type_):
        return "DATE"
    if pa.types.is_timestamp(type_):
        return "DATETIME(6)"
    if pa.types.is_time(type_):
        return "TIME(6)"
    if pa.types.is_binary(type_) or pa.types.is_large_binary(type_):
        return "LONGBLOB"
    if pa.types.is_string(type_) or pa.types.is_large_string(type_) or pa.types.is_null(type_):
        longest = max((len(v) for v in values if v is not None), default=1)
        return f"VARCHAR({max(longest, 1)})" if longest <= 4000 else "LONGTEXT"
    raise NotImplementedError(f"no MySQL column type for Arrow type {type_}")


def _stored(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    return value


def _server():
    """(pymysql module, connect kwargs for the admin connection) or a skip/fail."""
    if not any(ep.name == "mysql" for ep in metadata.entry_points(group="kpi_engine")):
        unavailable("kpi-mysql is not installed: python -m pip install -e plugins/kpi-mysql")
    import pymysql  # a dependency of kpi-mysql

    parts = urlsplit(SERVER_URL)
    kwargs = dict(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        database=unquote(parts.path.lstrip("/")) or None,
        charset="utf8mb4",
        autocommit=True,
        connect_timeout=5,
    )
    return pymysql, kwargs


def connect_admin():
    """A read-write connection to the test server (not through the adapter), or a skip/fail."""
    pymysql, kwargs = _server()
    try:
        return pymysql.connect(**kwargs)
    except pymysql.Error as error:
        unavailable(f"no MySQL/MariaDB server at {kwargs['host']}:{kwargs['port']} ({error.args[-1]})")


def url_for(database: str) -> str:
    """The adapter URL reading ``database`` on the test server, with the server URL's credentials."""
    parts = urlsplit(SERVER_URL)
    return parts._replace(path="/" + quote(database), query="").geturl()


def load(con, tables) -> None:
    """CREATE and fill each table of ``tables`` in the connection's current database."""
    with con.cursor() as cursor:
        for name, table in tables.items():
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            ddl = ", ".join(
                f"{_quote(field.name)} {column_type(field.type, values)} NULL"
                for field, values in zip(table.schema, columns)
            )
            cursor.execute(f"CREATE TABLE {_quote(name)} ({ddl})")  # test-only DDL, names from the test
            if table.num_rows:
                marks = ", ".join(["%s"] * table.num_columns)
                rows = [tuple(map(_stored, row)) for row in zip(*columns)]
                cursor.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)


@contextlib.contextmanager
def database(prefix: str = "kpi_t_"):
    """A fresh, empty database on the test server: yields (admin connection on it, name); dropped on exit."""
    con = connect_admin()
    name = f"{prefix}{uuid.uuid4().hex[:12]}"
    try:
        with con.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            cursor.execute(f"USE {_quote(name)}")
        yield con, name
    finally:
        try:
            with con.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        finally:
            con.close()


@contextlib.contextmanager
def provision(tables, tmp_path):
    with database() as (con, name):
        load(con, tables)
        yield url_for(name)
