"""``exampledb://``: an in-memory DuckDB preloaded with the tables of :mod:`.data`.

A real adapter would connect to a warehouse here. This one shows the whole contract
kpi-engine expects (see the ``kpi_register_adapters`` hook): ``dialect``,
``execute(sql) -> pyarrow.Table``, ``close()``, a per-statement timeout, no file
access, and failures raised as :class:`kpi_engine.ExecutionError` with a message fit
for a user.
"""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pyarrow as pa
from kpi_engine import ConnectOptions, ExecutionError

from . import data

SCHEMAS = {
    "visits": pa.schema(
        [
            ("visit_id", pa.int64()),
            ("started_at", pa.timestamp("us")),
            ("channel", pa.string()),
            ("device", pa.string()),
        ]
    ),
    "orders": pa.schema(
        [
            ("order_id", pa.int64()),
            ("ordered_at", pa.timestamp("us")),
            ("channel", pa.string()),
            ("revenue", pa.float64()),
            ("cost", pa.float64()),
        ]
    ),
}


class ExampleAdapter:
    """One connection: a private in-memory DuckDB database holding ``visits`` and ``orders``."""

    dialect = "duckdb"

    def __init__(self, url: str, options: ConnectOptions):
        import duckdb  # heavy: imported when a connection is opened, not when plugins are listed

        parts = urlsplit(url)
        if parts.netloc or parts.path.strip("/") or parts.query:
            raise ExecutionError("exampledb:// takes no host, path or options (it serves the bundled tables)")
        self._duckdb = duckdb
        self.timeout = options.timeout
        self.con = duckdb.connect(":memory:")
        try:
            for name, columns in data.TABLES.items():
                # The relational API creates the table from Arrow: no SQL text assembled.
                self.con.from_arrow(pa.table(columns, schema=SCHEMAS[name])).create(name)
            # Only the bundled tables may be read: no files, no extensions, and locked so
            # that no statement can turn access back on.
            self.con.execute("SET enable_external_access = false")
            self.con.execute("SET lock_configuration = true")
        except duckdb.Error as error:
            self.close()
            raise ExecutionError(f"cannot prepare the example database: {_first_line(error)}") from None

    def execute(self, sql: str) -> pa.Table:
        """Run one SELECT and return its whole result as Arrow."""
        if self.con is None:
            raise ExecutionError("the exampledb connection is closed")
        timer = None
        if self.timeout:
            timer = threading.Timer(self.timeout, self.con.interrupt)
            timer.start()
        try:
            return self.con.sql(sql).to_arrow_table()
        except self._duckdb.InterruptException:
            raise ExecutionError(f"query cancelled after the {self.timeout:g} s timeout") from None
        except self._duckdb.Error as error:
            raise ExecutionError(_first_line(error)) from None
        finally:
            if timer is not None:
                timer.cancel()

    def close(self) -> None:
        """Release the database; safe to call more than once."""
        con, self.con = getattr(self, "con", None), None
        if con is not None:
            con.close()


def _first_line(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
