"""Spark: the tables as Parquet files in tmp_path, each a temporary view of a local session.

:func:`provision` writes every table to ``<folder>/<name>.parquet`` (timestamps as
microsecond naive timestamps, which Spark 4 reads as TIMESTAMP_NTZ; buckets are computed
in the session time zone, UTC) and yields ``spark://local[2]?views=<folder>``: each
connection the engine opens registers those files as views of a child session of its
own. The kpi-spark adapter starts the local Spark session once per process and keeps
it (about 5 s of JVM start-up), so the whole test session shares one; ``close()`` only
drops the connection's views. Needs ``pip install -e plugins/kpi-spark`` and Java 17+;
otherwise :func:`fixtures.unavailable`.

The master is written percent-encoded (``local%5B2%5D``): kpi-engine's Engine reads the
scheme with :func:`urllib.parse.urlsplit`, which refuses ``local[2]`` as an invalid IPv6
host; the adapter accepts both spellings. Every Spark test in one process must use the
same master (Spark runs one per process): kpi-spark's own tests use ``local[2]`` too.
"""

from __future__ import annotations

import contextlib
import shutil
import uuid
from urllib.parse import quote

import pyarrow as pa
import pyarrow.parquet as pq
from fixtures import unavailable

import kpi_engine

NAME = "spark"
MASTER = "local[2]"


def _available() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install -e plugins/kpi-spark)")
    if kpi_engine.get_plugins().adapter_for("spark") is None:
        unavailable("no spark:// adapter is registered (pip install -e plugins/kpi-spark)")
    from kpi_spark.session import java_missing

    reason = java_missing()
    if reason:
        unavailable(f"Spark cannot start: {reason}")


def _plain(table: pa.Table) -> pa.Table:
    """Timestamps as naive microseconds (Spark's precision); everything else as it is."""
    fields = []
    for field in table.schema:
        if pa.types.is_timestamp(field.type):
            field = field.with_type(pa.timestamp("us"))
        fields.append(field)
    return table.cast(pa.schema(fields))


@contextlib.contextmanager
def provision(tables, tmp_path):
    """Write ``tables`` ({name: pyarrow.Table}) as Parquet; yield a spark:// URL reading them as views."""
    _available()
    folder = tmp_path / f"spark-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    try:
        for name, table in tables.items():
            pq.write_table(_plain(table), folder / f"{name}.parquet")
        yield f"spark://{MASTER}?views={quote(str(folder), safe='/')}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
