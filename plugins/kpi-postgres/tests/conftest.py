"""Fixtures for kpi-postgres' own tests: a live server, and a private schema per test.

The server is ``KPI_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/test``),
a role that may create schemas. When none answers, tests that need it skip, or fail when
``KPI_ENGINE_REQUIRE_SERVERS`` is set (CI), the same rule as kpi-engine's own suite.
These tests run from the repository root too, beside kpi-engine's ``tests/conftest.py``:
test modules take everything from fixtures and never ``import conftest``.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote, unquote, urlsplit

import pytest

from kpi_engine.testing import unavailable

POSTGRES_URL = os.environ.get("KPI_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")



def add_options(url: str, *options: str) -> str:
    """``url`` with ``options`` appended to its libpq ``options`` parameter."""
    parts = urlsplit(url)
    pairs = [piece.partition("=") for piece in parts.query.split("&") if piece]
    existing = [unquote(v) for k, _, v in pairs if unquote(k) == "options"]
    rest = [f"{k}={v}" for k, _, v in pairs if unquote(k) != "options"]
    merged = " ".join([*existing, *options]).strip()
    return f"{parts.scheme}://{parts.netloc}{parts.path}?" + "&".join([*rest, f"options={quote(merged, safe='')}"])


@pytest.fixture(scope="session")
def server_url() -> str:
    """The test server's URL (``KPI_TEST_POSTGRES``), without any schema."""
    return POSTGRES_URL


@pytest.fixture(scope="session")
def admin():
    """A writable ADBC connection (autocommit) for setting up and dropping schemas."""
    from adbc_driver_postgresql import dbapi

    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        con = dbapi.connect(f"{POSTGRES_URL}{separator}connect_timeout=5", autocommit=True)
    except dbapi.Error as error:
        lines = str(error).strip().splitlines() or [type(error).__name__]
        from kpi_engine import mask_url

        unavailable(f"no PostgreSQL answers at {mask_url(POSTGRES_URL)} (KPI_TEST_POSTGRES): {lines[0]}")
    yield con
    con.close()


class Schema:
    """A fresh schema: ``name``, ``url`` (connections see it first), ``load(name, table)``, ``sql``."""

    def __init__(self, con, name: str):
        self.con, self.name = con, name
        self.url = add_options(POSTGRES_URL, f"-c search_path={name}")

    def url_with(self, *options: str) -> str:
        """:attr:`url` with more libpq ``-c name=value`` options after the search path."""
        return add_options(self.url, *options)

    def load(self, table_name: str, table) -> None:
        with self.con.cursor() as cursor:
            cursor.adbc_ingest(table_name, table, mode="create", db_schema_name=self.name)

    def sql(self, statement: str) -> None:
        """Run a setup statement (test-only DDL) with the schema first on the search path."""
        with self.con.cursor() as cursor:
            cursor.execute(f'SET search_path TO "{self.name}"')
            cursor.execute(statement)
            cursor.execute("RESET search_path")


@pytest.fixture
def schema(admin):
    """A schema of this test's own (``kpi_pt_<hex>``), dropped with everything in it afterwards."""
    name = f"kpi_pt_{uuid.uuid4().hex[:16]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield Schema(admin, name)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
