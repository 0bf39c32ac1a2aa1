"""PostgreSQL: a fresh schema in the test database, loaded through ADBC, dropped on exit.

The server is ``KPI_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/test``).
Each :func:`provision` creates its own schema ``kpi_t_<random hex>``, so parallel runs
never collide, and yields a URL whose connections find that schema first
(``options=-c search_path=<schema>``, added to any options the base URL already has; the
adapter appends its read-only and timeout settings after them). Queries go through the
engine and the kpi-postgres adapter, so the plugin must be installed
(``pip install -e plugins/kpi-postgres``).
"""

from __future__ import annotations

import contextlib
import uuid
from urllib.parse import quote, unquote, urlsplit

from fixtures import POSTGRES_URL, unavailable

import kpi_engine

NAME = "postgres"


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose sessions see ``schema`` first: ``-c search_path=...`` appended to its ``options``."""
    parts = urlsplit(url)
    pairs = [piece.partition("=") for piece in parts.query.split("&") if piece]
    options = [unquote(value) for key, _, value in pairs if unquote(key) == "options"]
    rest = [f"{key}={value}" for key, _, value in pairs if unquote(key) != "options"]
    merged = " ".join([*options, f"-c search_path={schema}"]).strip()
    query = "&".join([*rest, f"options={quote(merged, safe='')}"])
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}"


def _connect_admin():
    """A writable ADBC connection to the test database, or ``unavailable()``."""
    try:
        from adbc_driver_postgresql import dbapi
    except ImportError:
        unavailable("adbc-driver-postgresql is not installed (pip install -e plugins/kpi-postgres)")
    if kpi_engine.get_plugins().adapter_for("postgresql") is None:
        unavailable("no postgresql:// adapter is registered (pip install -e plugins/kpi-postgres)")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        return dbapi.connect(f"{POSTGRES_URL}{separator}connect_timeout=5", autocommit=True)
    except dbapi.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        unavailable(f"no PostgreSQL answers at {kpi_engine.mask_url(POSTGRES_URL)} (KPI_TEST_POSTGRES): {first}")


@contextlib.contextmanager
def provision(tables, tmp_path):
    """Load ``tables`` ({name: pyarrow.Table}) into a new schema; yield a URL reading it."""
    con = _connect_admin()
    schema = f"kpi_t_{uuid.uuid4().hex[:16]}"
    try:
        with con.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')  # test-only DDL, a generated name
            for name, table in tables.items():
                cursor.adbc_ingest(name, table, mode="create", db_schema_name=schema)
        yield with_search_path(POSTGRES_URL, schema)
    finally:
        try:
            with con.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            con.close()
