"""Fixtures for kpi-spark's own tests: one local Spark session for the whole test run.

The adapter starts the local session (``local[2]``) on the first connection and keeps it
for the process, so every test here, and kpi-engine's cross-engine tests when run in the
same pytest process, share one JVM (about 5 s to start). Spark runs one master per
process, so everything uses :data:`MASTER`.

Without pyspark or Java, tests that need Spark skip, or fail when
``KPI_ENGINE_REQUIRE_SERVERS`` is set (CI): :func:`kpi_engine.testing.unavailable`, the
rule kpi-engine's own suite uses; so do the Spark Connect tests without the ``connect``
extra. These tests run from the repository root too, beside kpi-engine's
``tests/conftest.py``: test modules take everything from fixtures and never
``import conftest``.
"""

from __future__ import annotations

import socket
from urllib.parse import quote

import pytest
from kpi_engine.testing import unavailable

MASTER = "local[2]"


def spark_url(views=None, *, encoded: bool = True) -> str:
    """The test URL for :data:`MASTER`, registering the Parquet files of ``views`` (a folder).

    ``encoded``: the master percent-encoded (``local%5B2%5D``); the adapter and the engine
    take both spellings, and the tests use both.
    """
    master = quote(MASTER, safe="") if encoded else MASTER
    return f"spark://{master}" + (f"?views={quote(str(views), safe='/')}" if views is not None else "")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def spark_ready() -> None:
    """pyspark importable and a Java runtime present, or ``unavailable()``."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        unavailable("pyspark is not installed (pip install -e plugins/kpi-spark)")
    from kpi_spark.session import java_missing

    reason = java_missing()
    if reason:
        unavailable(f"Spark cannot start: {reason}")


@pytest.fixture(scope="session")
def url_for():
    """``url_for(folder)``: the spark:// URL registering ``folder``'s Parquet files (Engine-safe spelling)."""
    return spark_url


@pytest.fixture(scope="session")
def shared_session(spark_ready):
    """The process's root classic session, as the adapter starts it."""
    from kpi_spark.session import classic_session
    from kpi_spark.urls import parse

    return classic_session(parse(spark_url()))


@pytest.fixture(scope="session")
def connect_server(shared_session):
    """``sc://127.0.0.1:PORT``: a Spark Connect server inside the shared session's JVM.

    Started through Spark's own ``SparkConnectService.start(sc)`` on a free port: no second
    JVM, a fraction of a second. Connect sessions see the shared session's catalog
    (tables), not its child sessions' temporary views, like a client of a cluster's
    Connect server sees the metastore. Needs the ``connect`` extra (grpcio, pandas, ...).
    """
    try:
        import pyspark.sql.connect.session  # noqa: F401  (checks the Connect dependencies)
    except ImportError as error:
        unavailable(f"Spark Connect client dependencies missing ({error}): pip install -e 'plugins/kpi-spark[connect]'")
    context = shared_session.sparkContext
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = context._jsc.sc().conf()
    conf.set("spark.connect.grpc.binding.address", "127.0.0.1")
    conf.set("spark.connect.grpc.binding.port", str(port))
    service = context._jvm.org.apache.spark.sql.connect.service.SparkConnectService
    service.start(context._jsc.sc())
    try:
        yield f"sc://127.0.0.1:{port}"
    finally:
        _stop(context, service)


def _stop(context, service) -> None:
    """``SparkConnectService.stop(timeout: Option[Long] = None, unit: Option[TimeUnit] = None)``."""
    none = context._jvm.scala.Option.apply(None)
    service.stop(none, none)
