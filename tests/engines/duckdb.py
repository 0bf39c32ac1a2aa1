"""DuckDB, the reference engine: a database file in tmp_path, opened read-only by the engine."""

from __future__ import annotations

import contextlib

import duckdb

NAME = "duckdb"


@contextlib.contextmanager
def provision(tables, tmp_path):
    path = tmp_path / "reference.duckdb"
    con = duckdb.connect(str(path))
    try:
        for name, table in tables.items():
            con.register("incoming", table)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')  # test-only DDL, names from the test
            con.unregister("incoming")
    finally:
        con.close()
    yield f"duckdb:///{path}"
