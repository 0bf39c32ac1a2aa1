"""Fixtures for kpi-mysql's tests: the test server, a private database per test, a read-only user.

The server is ``KPI_TEST_MYSQL`` (default ``mysql://root@127.0.0.1:3306/test``); its
user must be able to create databases and users. Without a server, tests that need one
skip, or fail when ``KPI_ENGINE_REQUIRE_SERVERS`` is set (CI), the same contract as the
core's suite, through ``kpi_engine.testing.unavailable``.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote, unquote, urlsplit

import pytest

from kpi_engine.testing import unavailable

SERVER_URL = os.environ.get("KPI_TEST_MYSQL", "mysql://root@127.0.0.1:3306/test")
#: The password given to the per-test read-only user; no message may ever contain it.
PLANTED_PASSWORD = "Pl4nted-S3cret-zq"



def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


class Server:
    """The test server: admin connections and URLs for the adapter."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.url = url
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 3306
        self.user = unquote(parts.username or "root")
        self.password = unquote(parts.password or "")

    def connect(self, database: str | None = None):
        import pymysql

        return pymysql.connect(
            host=self.host, port=self.port, user=self.user, password=self.password,
            database=database, charset="utf8mb4", autocommit=True, connect_timeout=5,
        )

    def url_for(self, database: str, user: str | None = None, password: str | None = None, scheme: str = "mysql") -> str:
        user = self.user if user is None else user
        password = self.password if password is None else password
        secret = f":{quote(password, safe='')}" if password else ""
        return f"{scheme}://{quote(user, safe='')}{secret}@{self.host}:{self.port}/{quote(database, safe='')}"


@pytest.fixture(scope="session")
def server() -> Server:
    try:
        import pymysql
    except ImportError:
        unavailable("PyMySQL is not installed: python -m pip install -e plugins/kpi-mysql")
    found = Server(SERVER_URL)
    try:
        found.connect().close()
    except pymysql.Error as error:
        unavailable(f"no MySQL/MariaDB server at {found.host}:{found.port} ({error.args[-1]})")
    return found


class Database:
    """A private database (``kpi_p_<hex>``, collation utf8mb4_bin) and an admin connection on it."""

    def __init__(self, server: Server, name: str, con):
        self.server = server
        self.name = name
        self.con = con
        self.url = server.url_for(name)

    def execute(self, sql: str, args=None):
        with self.con.cursor() as cursor:
            cursor.execute(sql, args)
            return cursor.fetchall()

    def executemany(self, sql: str, rows) -> None:
        with self.con.cursor() as cursor:
            cursor.executemany(sql, rows)


@pytest.fixture
def database(server):
    name = f"kpi_p_{uuid.uuid4().hex[:12]}"
    con = server.connect()
    try:
        with con.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {_quote(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            cursor.execute(f"USE {_quote(name)}")
        yield Database(server, name, con)
    finally:
        try:
            with con.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        finally:
            con.close()


class Reader:
    """A user that may only SELECT from one database; ``url`` carries its planted ``password``."""

    def __init__(self, url: str, password: str):
        self.url = url
        self.password = password


@pytest.fixture
def reader(database) -> Reader:
    """A user that may only SELECT from ``database``, with :data:`PLANTED_PASSWORD`."""
    user = f"kpi_r_{uuid.uuid4().hex[:10]}"
    account = f"'{user}'@'%'"
    database.execute(f"CREATE USER '{user}'@'%%' IDENTIFIED BY %s", (PLANTED_PASSWORD,))  # %% : bound args
    try:
        database.execute(f"GRANT SELECT ON {_quote(database.name)}.* TO {account}")
        yield Reader(database.server.url_for(database.name, user=user, password=PLANTED_PASSWORD), PLANTED_PASSWORD)
    finally:
        database.execute(f"DROP USER IF EXISTS {account}")
