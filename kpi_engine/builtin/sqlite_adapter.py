"""SQLite through the standard library: a database file, opened read-only.

``sqlite:///relative.db`` is relative to the working directory, ``sqlite:////abs/path.db``
absolute (SQLAlchemy's convention, as for ``duckdb://``). There is no in-memory form: an
empty private database has nothing to measure.

Three layers keep the connection read-only: the file is opened with ``mode=ro`` (so a
missing file is an error, never a new empty database), an authorizer allows only
reading (SELECT, reading columns, calling functions, recursive CTEs; no ATTACH, no
PRAGMA, no write), and ATTACH is limited to zero databases. Extension loading stays
off (the ``sqlite3`` default). The statement timeout is a progress handler that
interrupts the statement once ``options.timeout`` seconds have passed.

Results become a :class:`pyarrow.Table` column by column. SQLite has no types for
computed columns, so each column's type comes from its values: integers int64, reals
float64 (or a mix of both), text string, blobs binary, a column with no non-NULL value
the null type, and a column mixing text with numbers string (SQLite's own text form of
each number). Every column of a zero-row result is typed string, the neutral type any
consumer can cast from (the engine casts its numeric and date columns anyway).

SQLite lacks some aggregates the definitions allow (see
:mod:`kpi_engine.dialects.sqlite`); they are registered here on every connection as
Python aggregates: ``median``, ``percentile_cont(x, p)``, ``stddev``/``stddev_samp``, ``stddev_pop``,
``variance``, ``variance_pop``. Each ignores NULLs and, like DuckDB, gives NULL over no
values (and the sample forms over one value).
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExecutionError, QueryTimeout
from ..hookspecs import hookimpl
from ..interrupts import cancel_on_interrupt
from ..specs import AdapterSpec, ConnectOptions
from ..urls import mask_url

if TYPE_CHECKING:  # sqlite3 is imported when a connection opens: discovery registers this module on every run
    import sqlite3

    import pyarrow as pa


#: Virtual-machine instructions between two timeout checks (a few microseconds' work).
PROGRESS_STEPS = 10_000

_ALLOWED_ACTIONS = ("SQLITE_SELECT", "SQLITE_READ", "SQLITE_FUNCTION", "SQLITE_RECURSIVE")


def database_path(url: str) -> str:
    """The file a ``sqlite://`` URL names.

    SQLAlchemy's convention: ``sqlite:///rel.db`` is relative to the working directory,
    ``sqlite:////abs/path.db`` is absolute. A query string is ignored.
    """
    rest = url.split("://", 1)[1] if "://" in url else ""
    path = rest[1:].split("?", 1)[0] if rest.startswith("/") else ""
    if path in ("", ":memory:"):
        raise ExecutionError(
            f"malformed sqlite URL '{mask_url(url)}': name a database file, "
            "sqlite:///relative/path.db or sqlite:////absolute/path.db"
        )
    return path


def _authorizer(sqlite3):
    """The authorizer letting statements read and compute, nothing else."""
    allowed = frozenset(getattr(sqlite3, name) for name in _ALLOWED_ACTIONS if hasattr(sqlite3, name))
    ok, deny = sqlite3.SQLITE_OK, sqlite3.SQLITE_DENY

    def authorize(action: int, *_args) -> int:
        return ok if action in allowed else deny

    return authorize


class SQLiteAdapter:
    """One read-only ``sqlite3`` connection to a database file."""

    dialect = "sqlite"

    def __init__(self, url: str, options: ConnectOptions):
        import sqlite3

        self._sqlite3 = sqlite3
        self.con: sqlite3.Connection | None = None
        self.timeout = options.timeout
        path = Path(database_path(url))
        if not path.is_file():
            what = "is a directory, not a database file" if path.is_dir() else "not found"
            raise ExecutionError(f"sqlite database file {what}: {path}")
        # mode=ro: never create a file and never write; check_same_thread=False because the
        # module serialises access itself and a scheduler may open and run in different threads.
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            con = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
        except sqlite3.Error as error:
            raise ExecutionError(f"cannot open sqlite database {path}: {_first_line(error)}") from None
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails now on a non-database file
            _register_aggregates(con)
            if hasattr(con, "setlimit"):  # Python >= 3.11
                con.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
            con.set_authorizer(_authorizer(sqlite3))
        except sqlite3.Error as error:
            con.close()
            raise ExecutionError(f"cannot open sqlite database {path}: {_first_line(error)}") from None
        self.con = con

    def execute(self, sql: str) -> pa.Table:
        if self.con is None:
            raise ExecutionError("the sqlite connection is closed")
        if self.timeout:
            deadline = time.monotonic() + self.timeout
            self.con.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
        try:
            # Ctrl-C interrupts the statement too: a Python signal handler cannot run inside SQLite.
            with cancel_on_interrupt(self.con.interrupt):
                cursor = self.con.execute(sql)
                rows = cursor.fetchall()
                names = [d[0] for d in cursor.description or ()]
        except self._sqlite3.OperationalError as error:
            if self.timeout and str(error) == "interrupted":
                raise QueryTimeout(f"query cancelled after the {self.timeout:g} s timeout") from None
            raise ExecutionError(_message(error)) from None
        except self._sqlite3.Error as error:
            raise ExecutionError(_message(error)) from None
        finally:
            if self.timeout:
                self.con.set_progress_handler(None, 0)
        return to_arrow(names, rows)

    def close(self) -> None:
        con, self.con = self.con, None
        if con is not None:
            con.close()


def to_arrow(names: list[str], rows: list[tuple]) -> pa.Table:
    """A table from ``cursor.description`` names and ``fetchall()`` rows, built column-wise."""
    import pyarrow as pa  # here, not at import: plugin discovery must stay cheap

    if not rows:
        return pa.table({name: pa.array([], pa.string()) for name in names}) if names else pa.table({})
    columns = list(zip(*rows))
    return pa.Table.from_arrays([_column(values) for values in columns], names=names)


def _column(values: tuple) -> pa.Array:
    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return pa.nulls(len(values))
    if kinds == {int}:
        return pa.array(values, pa.int64())
    if kinds <= {int, float}:
        return pa.array(values, pa.float64())
    if kinds == {str}:
        return pa.array(values, pa.string())
    if kinds == {bytes}:
        return pa.array(values, pa.binary())
    # SQLite's dynamic typing: one column may hold text and numbers. Give SQLite's text
    # form of each (CAST(x AS TEXT)); blobs mixed with others are shown as hex.
    return pa.array([_as_text(v) for v in values], pa.string())


def _as_text(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return f"{value:.1f}"
    return repr(value) if isinstance(value, float) else str(value)


def _message(error: sqlite3.Error) -> str:
    text = _first_line(error)
    if text == "not authorized":
        return "not authorized: the sqlite connection is read-only and runs SELECT statements only"
    return text


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


# -- aggregates SQLite lacks ---------------------------------------------------------------


class _Values:
    """Collects the non-NULL numeric values of one group."""

    def __init__(self):
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is None:
            return
        if isinstance(value, (bytes, str)):
            try:
                value = float(value)
            except ValueError:
                return  # SQLite's numeric aggregates read non-numeric text as 0; ignore it here
        self.values.append(float(value))


class _Median(_Values):
    def finalize(self) -> float | None:
        values = sorted(self.values)
        n = len(values)
        if n == 0:
            return None
        middle = n // 2
        if n % 2:
            return values[middle]
        low, high = values[middle - 1], values[middle]
        return low + (high - low) / 2


def percentile_of(values: list[float], fraction: float) -> float | None:
    """PERCENTILE_CONT: linear interpolation at (n - 1) * fraction of the sorted values."""
    values = sorted(values)
    if not values:
        return None
    position = (len(values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


class _Percentile(_Values):
    def __init__(self):
        super().__init__()
        self.fraction: float | None = None

    def step(self, value, fraction=None) -> None:  # type: ignore[override]
        if fraction is not None:
            self.fraction = float(fraction)
        super().step(value)

    def finalize(self) -> float | None:
        return None if self.fraction is None else percentile_of(self.values, self.fraction)


def _variance(values: list[float], ddof: int) -> float | None:
    n = len(values)
    if n - ddof <= 0:
        return None
    mean = math.fsum(values) / n
    return math.fsum((v - mean) ** 2 for v in values) / (n - ddof)


def _aggregate(ddof: int, root: bool) -> type:
    class Aggregate(_Values):
        def finalize(self) -> float | None:
            result = _variance(self.values, ddof)
            return None if result is None else (math.sqrt(result) if root else result)

    return Aggregate


_AGGREGATES = {
    "median": _Median,
    "stddev": _aggregate(1, True),
    "stddev_samp": _aggregate(1, True),
    "stddev_pop": _aggregate(0, True),
    "variance": _aggregate(1, False),
    "variance_pop": _aggregate(0, False),
}


def _register_aggregates(con: sqlite3.Connection) -> None:
    for name, cls in _AGGREGATES.items():
        con.create_aggregate(name, 1, cls)
    con.create_aggregate("percentile_cont", 2, _Percentile)


@hookimpl
def kpi_register_adapters():
    return (
        AdapterSpec(
            name="sqlite",
            schemes=("sqlite",),
            dialect="sqlite",
            factory=SQLiteAdapter,
            description="SQLite database file (stdlib sqlite3), opened read-only",
            reads_files=False,
        ),
    )
