"""The embedded default: DuckDB, in memory (``duckdb://``) or a database file opened read-only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ExecutionError, QueryTimeout
from ..hookspecs import hookimpl
from ..interrupts import cancel_on_interrupt
from ..specs import AdapterSpec, ConnectOptions
from ..urls import mask_url

if TYPE_CHECKING:
    import pyarrow as pa


def database_path(url: str) -> str | None:
    """The file a ``duckdb://`` URL names, or ``None`` for in-memory.

    SQLAlchemy's convention: ``duckdb:///rel.db`` is relative to the working
    directory, ``duckdb:////abs/path.db`` is absolute; ``duckdb://`` and
    ``duckdb:///:memory:`` are in memory.
    """
    rest = url.split("://", 1)[1] if "://" in url else ""
    if rest in ("", "/", "/:memory:", ":memory:"):
        return None
    if not rest.startswith("/"):
        raise ExecutionError(f"malformed duckdb URL '{mask_url(url)}': use duckdb:// or duckdb:///path/to/file.db")
    return rest[1:].split("?", 1)[0]


class DuckDBAdapter:
    """One DuckDB connection. Read-only: a file is opened ``read_only``; external file
    access is limited to ``options.readable_dirs`` and the configuration is locked, so
    no statement can read elsewhere or undo the limits."""

    dialect = "duckdb"

    def __init__(self, url: str, options: ConnectOptions):
        import duckdb

        self._duckdb = duckdb
        self.timeout = options.timeout
        path = database_path(url)
        try:
            if path is None:
                self.con = duckdb.connect(":memory:")
            else:
                if not Path(path).exists():
                    raise ExecutionError(f"duckdb database file not found: {path}")
                self.con = duckdb.connect(path, read_only=True)
            # DuckDB shares one database instance per file within a process: a second
            # connection to it finds the limits already set and locked, which is fine.
            if not self.con.execute("SELECT current_setting('lock_configuration')").fetchall()[0][0]:
                dirs = [str(Path(d).resolve()) + "/" for d in options.readable_dirs]
                # Order matters: allowed_directories cannot be set once external access is off.
                self.con.execute("SET allowed_directories = $dirs", {"dirs": dirs})
                self.con.execute("SET enable_external_access = false")
                self.con.execute("SET lock_configuration = true")
        except duckdb.Error as error:
            raise ExecutionError(f"cannot open {url}: {_first_line(error)}") from None

    def execute(self, sql: str) -> pa.Table:
        timer = None
        if self.timeout:
            timer = threading.Timer(self.timeout, self.con.interrupt)
            timer.daemon = True  # never keeps an interrupted process alive
        # Ctrl-C interrupts the statement too: a Python signal handler cannot run while DuckDB works.
        with cancel_on_interrupt(self.con.interrupt):
            try:
                if timer is not None:
                    timer.start()
                return self.con.sql(sql).to_arrow_table()
            except self._duckdb.InterruptException:
                raise QueryTimeout(f"query cancelled after the {self.timeout:g} s timeout") from None
            except self._duckdb.Error as error:
                raise ExecutionError(_first_line(error)) from None
            finally:
                if timer is not None:
                    timer.cancel()

    def close(self) -> None:
        con, self.con = getattr(self, "con", None), None
        if con is not None:
            con.close()


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


@hookimpl
def kpi_register_adapters():
    return (
        AdapterSpec(
            name="duckdb",
            schemes=("duckdb",),
            dialect="duckdb",
            factory=DuckDBAdapter,
            description="embedded DuckDB: in memory, or a database file opened read-only; reads Parquet/CSV",
            reads_files=True,
        ),
    )
