"""The Spark sessions kpi-spark drives, and their lifecycle.

Classic sessions (``spark://``)
-------------------------------
Spark allows one SparkContext (one driver JVM) per Python process, and starting it takes
seconds. So kpi-spark starts the local or standalone session of a ``spark://`` URL once
per process, on the first connection, and keeps it until the process exits (or until
:func:`stop_local_session`). Every connection (:class:`~kpi_spark.adapter.SparkAdapter`)
then works in a child session of its own (``SparkSession.newSession()``: same context,
own temporary views and SQL settings), and its ``close()`` drops that child, never the
shared context. A second URL asking for another master in the same process is refused
with a clear error, since Spark cannot run two.

``spark://`` without a host reuses the session already active in this process (a notebook,
``spark-submit``); kpi-spark never stops a session it did not start.

Spark Connect (``sc://``)
-------------------------
A Connect client is cheap (well under a second), so each connection opens its own
server-side session and ``close()`` releases it; the server keeps running.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

from kpi_engine import ExecutionError

from .errors import one_line
from .urls import SparkTarget, endpoint

LOG_CONFIG = Path(__file__).with_name("log4j2.properties")
CONNECT_PROBE_SECONDS = 5.0

_lock = threading.Lock()
_local: _LocalSession | None = None
_atexit_registered = False


class _LocalSession:
    """The classic session kpi-spark started: its master and its private warehouse folder."""

    def __init__(self, master: str, session, warehouse: Path | None):
        self.master = master
        self.session = session
        self.warehouse = warehouse

    def alive(self) -> bool:
        context = getattr(self.session, "_sc", None)
        return context is not None and getattr(context, "_jsc", None) is not None


def java_missing() -> str | None:
    """Why no Java runtime can be launched (pyspark's own lookup: ``$JAVA_HOME/bin/java``, else ``java`` on PATH), or None."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return None if java.exists() else f"JAVA_HOME is set but {java} does not exist"
    if shutil.which("java") is None:
        return "no Java runtime found: local Spark sessions need Java 17 or later (install one, or set JAVA_HOME)"
    return None


def _import_pyspark():
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise ExecutionError(f"pyspark is not installed ({error}): python -m pip install kpi-spark") from None
    return SparkSession


def start_options(target: SparkTarget, warehouse: Path | None) -> dict[str, str]:
    """The configuration of a classic session kpi-spark starts for ``target``.

    Local sessions bind to 127.0.0.1, keep their warehouse (where a stray
    ``CREATE TABLE`` would land) in a private temporary folder instead of the working
    directory, use an in-memory catalog (no Derby ``metastore_db`` either) and as many
    shuffle partitions as worker threads. A standalone cluster keeps its own catalog,
    warehouse and network settings (``spark-defaults.conf`` under ``SPARK_CONF_DIR``).
    """
    options = {
        "spark.app.name": "kpi-engine",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG_CONFIG.as_uri()}",
    }
    if target.kind == "local":
        options.update({
            "spark.sql.shuffle.partitions": str(max(1, min(target.threads or 1, 8))),
            "spark.default.parallelism": str(max(1, min(target.threads or 1, 8))),
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.driver.host": "127.0.0.1",
            "spark.sql.catalogImplementation": "in-memory",
        })
        if warehouse is not None:
            options["spark.sql.warehouse.dir"] = warehouse.as_uri()
    return options


def classic_session(target: SparkTarget):
    """The root classic session for a ``spark://`` target (started once per process)."""
    SparkSession = _import_pyspark()
    if target.kind == "active":
        session = SparkSession.getActiveSession()
        if session is None:
            raise ExecutionError(
                "spark:// (no host) reuses the Spark session active in this process, and there is none: "
                "use spark://local[N], spark://HOST:PORT or sc://HOST:PORT"
            )
        return session
    global _local
    with _lock:
        if _local is not None and _local.alive():
            if _local.master != target.master:
                raise ExecutionError(
                    f"a Spark session with master {_local.master} already runs in this process and Spark "
                    f"allows only one: use that master, or call kpi_spark.stop_local_session() first"
                )
            return _local.session
        from pyspark import SparkContext

        if SparkContext._active_spark_context is not None:
            raise ExecutionError(
                "a Spark session that kpi-spark did not start is active in this process: "
                "connect with spark:// (no host) to use it"
            )
        reason = java_missing()
        if reason:
            raise ExecutionError(reason)
        warehouse = Path(tempfile.mkdtemp(prefix="kpi-spark-warehouse-")) if target.kind == "local" else None
        builder = SparkSession.builder.master(target.master)
        for key, value in start_options(target, warehouse).items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
        except Exception as error:  # pyspark raises its own runtime errors and py4j errors alike
            if warehouse is not None:
                shutil.rmtree(warehouse, ignore_errors=True)
            raise ExecutionError(f"cannot start Spark ({target.master}): {one_line(error)}") from None
        _local = _LocalSession(target.master, session, warehouse)
        _register_atexit()
        return session


def stop_local_session() -> None:
    """Stop the classic session kpi-spark started in this process, if any, and remove its warehouse folder.

    Adapters' ``close()`` never does this (the session is shared); call it to free the
    JVM early, or to start another master. It runs at interpreter exit anyway.
    """
    global _local
    with _lock:
        local, _local = _local, None
    if local is None:
        return
    try:
        local.session.stop()
    except Exception:  # the JVM may already be gone at interpreter exit
        pass
    if local.warehouse is not None:
        shutil.rmtree(local.warehouse, ignore_errors=True)


def _register_atexit() -> None:
    global _atexit_registered
    if not _atexit_registered:
        atexit.register(stop_local_session)
        _atexit_registered = True


def connect_session(remote: str):
    """A new Spark Connect session on the server ``remote`` names (closed by the adapter)."""
    try:
        # Importing the Connect session checks its dependencies (grpcio, pandas, ...).
        from pyspark.sql.connect.session import SparkSession as ConnectSession
    except ImportError as error:
        raise ExecutionError(
            f"Spark Connect needs the pyspark[connect] dependencies ({one_line(error)}): "
            "python -m pip install 'kpi-spark[connect]'"
        ) from None
    host, port = endpoint(remote)
    # The Connect client retries an unreachable server for about ten minutes; refuse fast instead.
    try:
        with socket.create_connection((host, port), timeout=CONNECT_PROBE_SECONDS):
            pass
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ExecutionError(f"no Spark Connect server answers at {host}:{port}: {reason}") from None
    try:
        session = ConnectSession.builder.remote(remote).create()
        _bound_retries(session)
        session.conf.set("spark.sql.session.timeZone", "UTC")
    except Exception as error:
        raise ExecutionError(f"cannot open a Spark Connect session: {one_line(error)}") from None
    return session


def _bound_retries(session) -> None:
    """Retry transient gRPC failures for seconds, not the client's default ten minutes."""
    try:
        from pyspark.sql.connect.client.retries import DefaultPolicy

        session.client.set_retry_policies([DefaultPolicy(max_retries=4, max_backoff=2000)])
    except (ImportError, AttributeError, TypeError):  # a client without the 4.x retry API keeps its own
        pass
