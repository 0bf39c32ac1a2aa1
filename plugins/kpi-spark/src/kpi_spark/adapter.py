"""``spark://`` and ``sc://`` connections: one statement in, one Arrow table out.

The whole statement kpi-engine compiles (scans, alignment, formulas) runs in Spark; only
the aggregated rows come back, through ``DataFrame.toArrow()`` (no pandas). See
:mod:`kpi_spark.session` for how sessions are started, shared and released.

Spark has no read-only mode. What guards the data is kpi-engine itself: expressions pass
an allowlist, a ``sql:`` source must parse as one SELECT, and this adapter only ever runs
the statement the compiler built.
"""

from __future__ import annotations

import re
import threading
import uuid

import pyarrow as pa
from kpi_engine import ConnectOptions, ExecutionError, QueryTimeout

from . import session as sessions
from .errors import TABLE_HINT, condition, one_line
from .urls import SparkTarget, parse

VIEW_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CANCEL_RETRY_SECONDS = 0.25


def _quiet_pyspark_error_log() -> None:
    """pyspark logs every failed query, with the JVM stack, as JSON on stderr; the adapter
    reports each failure itself as one line, so those two loggers are switched off."""
    try:
        from pyspark.logger import PySparkLogger
    except ImportError:  # pyspark < 4.0 has no such logger
        return
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True


class SparkAdapter:
    """One connection: a child session of the shared classic session, or a Spark Connect session.

    ``execute`` tags the statement's Spark jobs and, when ``options.timeout`` passes,
    cancels them (classic: SparkContext job tags with interrupt-on-cancel; Connect:
    ``interruptTag``), retrying every 0.25 s until the call returns, since a job may only
    start after the deadline. ``close`` drops the connection's views and releases a Connect
    session; it never stops the shared classic session.
    """

    dialect = "spark"

    def __init__(self, url: str, options: ConnectOptions):
        self.timeout = options.timeout
        self.target: SparkTarget = parse(url)
        self._views: list[str] = []
        self._owns_session = False
        _quiet_pyspark_error_log()
        if self.target.kind == "connect":
            self.session = sessions.connect_session(self.target.remote)
            self._owns_session = True
        else:
            root = sessions.classic_session(self.target)
            if _is_connect(root):  # an active Connect session (spark.api.mode=connect): used as it is
                self.session = root
            else:
                try:
                    self.session = root.newSession()
                    self.session.conf.set("spark.sql.session.timeZone", "UTC")
                except Exception as error:
                    raise ExecutionError(f"cannot open a Spark session: {one_line(error)}") from None
        try:
            for folder in self.target.views:
                self._register_views(folder)
        except BaseException:
            self.close()
            raise

    @property
    def connect(self) -> bool:
        return _is_connect(self.session)

    # -- views ----------------------------------------------------------------------------

    def _register_views(self, folder) -> None:
        if not folder.is_dir():
            raise ExecutionError(f"views: {folder} is not a directory")
        found = sorted(p for p in folder.iterdir() if p.name.lower().endswith(".parquet"))
        for path in found:
            name = path.name[: -len(".parquet")]
            if not VIEW_NAME.fullmatch(name):
                raise ExecutionError(f"views: {path.name}: a view name must be letters, digits and underscores")
            if name.lower() in (v.lower() for v in self._views):
                raise ExecutionError(f"views: two files make the view '{name}' ({path})")
            try:
                self.session.read.parquet(str(path)).createOrReplaceTempView(name)
            except Exception as error:
                raise ExecutionError(f"views: cannot read {path}: {one_line(error)}") from None
            self._views.append(name)

    @property
    def views(self) -> tuple[str, ...]:
        """The temporary views this connection registered from ``?views=``."""
        return tuple(self._views)

    # -- running --------------------------------------------------------------------------

    def execute(self, sql: str) -> pa.Table:
        """Run one SELECT in Spark and return its rows as Arrow."""
        if self.session is None:
            raise ExecutionError("the Spark connection is closed")
        tag = f"kpi-engine-{uuid.uuid4().hex}"
        cancel, untag = self._tag(tag)
        done, fired = threading.Event(), threading.Event()
        watchdog = None
        if self.timeout:
            watchdog = threading.Thread(target=self._watch, args=(cancel, done, fired), daemon=True)
            watchdog.start()
        try:
            return self.session.sql(sql).toArrow()
        except Exception as error:
            if fired.is_set():
                # QueryTimeout: the engine does not retry KPI by KPI (that would only wait longer).
                raise QueryTimeout(f"query cancelled after the {self.timeout:g} s timeout") from None
            message = one_line(error)
            if condition(error) == "TABLE_OR_VIEW_NOT_FOUND":
                message += f" ({TABLE_HINT})"
            raise ExecutionError(message) from None
        finally:
            done.set()
            if watchdog is not None:
                watchdog.join()
            untag()

    def _tag(self, tag: str):
        """Tag the jobs this thread starts; return (cancel, untag)."""
        if self.connect:
            self.session.addTag(tag)
            return (lambda: self.session.interruptTag(tag)), (lambda: self.session.removeTag(tag))
        # SparkSession.interruptTag did not cancel a running classic job in pyspark 4.3.0
        # (verified); SparkContext job tags do. Both are thread-local properties, inherited
        # by the thread that serves toArrow().
        context = self.session.sparkContext
        previous = context.getLocalProperty("spark.job.interruptOnCancel")
        context.addJobTag(tag)
        context.setInterruptOnCancel(True)

        def untag() -> None:
            context.removeJobTag(tag)
            context.setLocalProperty("spark.job.interruptOnCancel", previous)

        return (lambda: context.cancelJobsWithTag(tag)), untag

    def _watch(self, cancel, done: threading.Event, fired: threading.Event) -> None:
        if done.wait(self.timeout):
            return
        while True:
            fired.set()
            try:
                cancel()
            except Exception:  # nothing to cancel yet, or the call is just returning
                pass
            if done.wait(CANCEL_RETRY_SECONDS):
                return

    def close(self) -> None:
        """Drop this connection's views; release a Connect session. Safe to call twice."""
        session, self.session = getattr(self, "session", None), None
        if session is None:
            return
        try:
            for name in self._views:
                session.catalog.dropTempView(name)
        except Exception:  # a stopped session has nothing left to drop
            pass
        self._views = []
        if self._owns_session:
            try:
                session.stop()
            except Exception:
                pass


def _is_connect(session) -> bool:
    return type(session).__module__.startswith("pyspark.sql.connect")
