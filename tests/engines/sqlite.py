"""SQLite: a database file in tmp_path, written with the stdlib and opened read-only by the engine.

Values are stored the way SQLite applications store them: timestamps as ISO text
``YYYY-MM-DD HH:MM:SS`` (``.ffffff`` only when there are microseconds, as Python's
``datetime.isoformat(" ")`` writes), dates as ``YYYY-MM-DD``, booleans as 0/1, and
column types declared with SQLite's affinities (INTEGER, REAL, TEXT, BLOB).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime

import pyarrow as pa

NAME = "sqlite"


def _declared(type_: pa.DataType) -> str:
    if pa.types.is_boolean(type_) or pa.types.is_integer(type_):
        return "INTEGER"
    if pa.types.is_floating(type_) or pa.types.is_decimal(type_):
        return "REAL"
    if pa.types.is_binary(type_) or pa.types.is_large_binary(type_):
        return "BLOB"
    return "TEXT"  # strings, dates and timestamps (ISO text)


def _stored(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def provision(tables, tmp_path):
    try:
        import sqlite3
    except ImportError:  # a Python built without its sqlite3 module
        from fixtures import unavailable

        unavailable("the sqlite3 module is not available in this Python")
    path = tmp_path / "reference.sqlite"
    con = sqlite3.connect(str(path))
    try:
        with con:
            for name, table in tables.items():
                columns = ", ".join(f"{_quote(f.name)} {_declared(f.type)}" for f in table.schema)
                con.execute(f"CREATE TABLE {_quote(name)} ({columns})")  # test-only DDL, names from the test
                marks = ", ".join("?" * table.num_columns)
                rows = zip(*(map(_stored, table.column(i).to_pylist()) for i in range(table.num_columns)))
                con.executemany(f"INSERT INTO {_quote(name)} VALUES ({marks})", rows)
    finally:
        con.close()
    yield f"sqlite:///{path}"
