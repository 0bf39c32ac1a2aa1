"""The library API the CLI is a thin layer over: load, plan, compile, run, judge."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
from attrs import evolve, field, frozen

from . import scrub
from .arrowcols import strings
from .cache import compiled_statement
from .comparisons import FLAT_WITHIN
from .compliance import judge
from .errors import ExecutionError, QueryTimeout, SelectionError, one_line
from .freshness import Timing, moment_of, newest_values, sources_read, stored
from .model import Catalog
from .periods import as_bound, as_datetime
from .periods import bounds as period_bounds
from .plugincalls import call_plugin
from .plugins import Plugins, get_plugins
from .project import DEFAULT_URL, Connection
from .request import ORDER_COLUMN, Request, Statement
from .scrub import boundary as _boundary
from .specs import Adapter, AdapterSpec, ConnectOptions, timeout_problem
from .urls import url_scheme

if TYPE_CHECKING:  # planning and compiling import sqlglot: a run whose statement is cached does neither
    from .planner import Plan

DEFAULT_CONNECTION = DEFAULT_URL


def known_dialect(name: str) -> bool:
    import sqlglot

    try:
        sqlglot.Dialect.get_or_raise(name)
    except ValueError:
        return False
    return True


def compile_statement(catalog: Catalog, request: Request, dialect: str, *, reads_files: bool, pretty: bool) -> Statement:
    """Plan ``request`` over ``catalog`` and compile it for ``dialect`` (no cache)."""
    from .compiler import compile_sql, compile_time_check
    from .planner import plan

    the_plan = plan(catalog, request)
    sql = compile_sql(the_plan, dialect, reads_files=reads_files, pretty=pretty)
    check = compile_time_check(the_plan, dialect, reads_files=reads_files, pretty=pretty)
    return Statement(sql, [k.kpi.name for k in the_plan.kpis if k.selected], check)


def _names(value: str | Iterable[str], option: str) -> tuple[str, ...]:
    """One name or several, as a tuple (a lone string is one name, not its letters)."""
    if isinstance(value, str):
        return (value,)
    try:
        names = tuple(value)
    except TypeError:
        raise SelectionError(f"{option}: {value!r:.60} is not a name or a list of names") from None
    for name in names:
        if not isinstance(name, str):
            raise SelectionError(f"{option}: {name!r:.60} is not a name")
    return names


class Engine:
    """Evaluate a catalog's KPIs on one connection.

    >>> engine = Engine(catalog, connection="duckdb://")      # doctest: +SKIP
    >>> engine.run(kpis=["conversion_rate"], grain="month")   # doctest: +SKIP

    The connection is opened on first use and closed by :meth:`close` (or ``with``).
    Compiled SQL is cached per request when the catalog came from :func:`~kpi_engine.load`
    (:mod:`kpi_engine.cache`): in memory, and in ``cache_dir`` (default: the folder the
    catalog was loaded with, if any). No message it raises, or reports in a
    :class:`Failure`, holds a secret of the connection (:mod:`kpi_engine.scrub`), and
    whatever the adapter raises is an :class:`~kpi_engine.errors.ExecutionError`.
    """

    @_boundary
    def __init__(
        self,
        catalog: Catalog,
        connection: str | Connection | None = None,
        *,
        plugins: Plugins | None = None,
        timeout: float | None = None,
        cache_dir: str | Path | None = None,
    ):
        if not isinstance(connection, Connection):
            connection = Connection(url=connection or DEFAULT_CONNECTION)
        scrub.remember(connection.secret_values)
        self.catalog = catalog
        self.connection = connection.url
        self.connection_label = str(connection)
        self.plugins = plugins or get_plugins()
        self.timeout = timeout if timeout is not None else connection.timeout
        if self.timeout is not None and (problem := timeout_problem(self.timeout)) is not None:
            raise SelectionError(f"timeout: {problem}")
        self.cache_dir = cache_dir
        self._adapter: Adapter | None = None
        scheme = url_scheme(self.connection)
        spec = self.plugins.adapter_for(scheme) if scheme else None
        if spec is None:
            known = ", ".join(f"{s}://" for s in sorted(self.plugins.adapters)) or "none"
            raise SelectionError(f"no adapter for {self} (installed schemes: {known})")
        self.adapter_spec: AdapterSpec = spec

    # -- context management ---------------------------------------------------------------

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_boundary
    def close(self) -> None:
        if self._adapter is not None:
            adapter, self._adapter = self._adapter, None
            self._adapter_call("close", adapter.close)

    # -- planning and compiling -----------------------------------------------------------

    @_boundary
    def request(
        self,
        kpis: Iterable[str] = (),
        *,
        dashboard: str | None = None,
        tags: Iterable[str] = (),
        grain: str | None = None,
        by: Iterable[str] = (),
        start: date | datetime | None = None,
        end: date | datetime | None = None,
        period: str | None = None,
        as_of: date | datetime | None = None,
        compare: str | None = None,
        flat_within: float = FLAT_WITHIN,
        trend: int | None = None,
        now: date | datetime | None = None,
    ) -> Request:
        """A :class:`Request` for the selected KPIs (all of them when nothing is selected).

        ``period`` names a period (``mtd``, ``last_7_days``, ...; see :mod:`kpi_engine.periods`)
        resolved against ``as_of`` (default: today); it replaces ``start``/``end``.
        ``compare`` (``previous_period`` or ``same_period_last_year``, see
        :mod:`kpi_engine.comparisons`) adds ``compare_value``, ``change``, ``change_ratio``
        and ``verdict`` (``flat`` when |change_ratio| <= ``flat_within``). ``trend`` (N
        buckets, with a grain) adds ``trend``; either adds ``weather`` (:mod:`kpi_engine.trends`).
        ``now`` is not part of the request: :meth:`evaluate` measures freshness and completeness
        to it (default: ``as_of`` with a ``period``, else the clock; :mod:`kpi_engine.freshness`).
        As on the command line, ``kpis``, ``tags`` and ``by`` may be one name, and ``start``,
        ``end``, ``as_of`` and ``now`` ISO text (``2025-01-31``, ``2025-01-31T08:00``); a value
        of the wrong type is a :class:`SelectionError` naming the option.
        """
        kpis, tags, by = _names(kpis, "--kpi"), _names(tags, "--tag"), _names(by, "--by")
        if dashboard is not None and not isinstance(dashboard, str):
            raise SelectionError(f"--dashboard: {dashboard!r:.60} is not a name")
        if trend is not None and (isinstance(trend, bool) or not isinstance(trend, int)):
            raise SelectionError(f"--trend: {trend!r:.60} is not a whole number of buckets")
        if isinstance(flat_within, bool) or not isinstance(flat_within, (int, float)) or not 0 <= flat_within < math.inf:
            raise SelectionError(f"--flat-within: {flat_within!r:.60} is not a finite share of at least 0")
        start, end = period_bounds(period, as_of, start, end)
        selected = self.catalog.select(kpis, dashboard, tags)
        if not selected:  # definitions that are empty (or only comments): like an empty folder, a usage error
            raise SelectionError(f"nothing to run: no KPIs are defined in {self.catalog.root}")
        return Request(selected, grain, by, start, end, compare=compare, flat_within=flat_within, trend=trend)

    @_boundary
    def plan(self, **selection) -> Plan:
        from .planner import plan

        return plan(self.catalog, self.request(**selection))

    @_boundary
    def compile(self, dialect: str | None = None, *, pretty: bool = True, **selection) -> str:
        """The SQL ``run`` would execute, for ``dialect`` (default: the connection's)."""
        dialect = dialect or self.adapter_spec.dialect
        if not known_dialect(dialect):
            raise SelectionError(f"unknown SQL dialect '{dialect}'")
        reads_files = self.adapter_spec.reads_files if dialect == self.adapter_spec.dialect else dialect == "duckdb"
        return self._statement(self.request(**selection), dialect, reads_files, pretty).sql

    def _statement(self, request: Request, dialect: str, reads_files: bool, pretty: bool) -> Statement:
        """The request's statement; planned and compiled only when the cache has not seen this catalog and request."""
        return compiled_statement(
            self.catalog, request, dialect, reads_files=reads_files, pretty=pretty, cache_dir=self.cache_dir,
            build=lambda: compile_statement(self.catalog, request, dialect, reads_files=reads_files, pretty=pretty),
        )

    # -- running --------------------------------------------------------------------------

    @_boundary
    def connect(self) -> Adapter:
        """The open adapter, connecting on first use; raises :class:`ExecutionError` naming the connection."""
        try:
            return self._connect()
        except ExecutionError as error:
            raise ExecutionError(f"{self}: {error}") from None

    def _connect(self) -> Adapter:
        """The open adapter; the factory's :class:`ExecutionError` passes through unchanged."""
        if self._adapter is None:
            options = ConnectOptions(readable_dirs=self._readable_dirs(), timeout=self.timeout)
            try:
                factory = call_plugin(self.adapter_spec.load_factory)
            except Exception as error:  # a missing or broken driver: say which adapter, not a traceback
                raise ExecutionError(f"the {self.adapter_spec.name} adapter cannot be loaded: {one_line(error)}") from None
            adapter = self._adapter_call("connect", factory, self.connection, options)
            if not isinstance(adapter, Adapter):
                raise ExecutionError(
                    f"the {self.adapter_spec.name} adapter returned {type(adapter).__name__}, "
                    "not an adapter (dialect, execute, close)"
                )
            self._adapter = adapter
        return self._adapter

    def _adapter_call(self, what: str, function: Callable, *args):
        """Call the adapter's code: an :class:`ExecutionError` passes, anything else it
        raises (``sys.exit()`` included) becomes one, naming the adapter. A
        ``KeyboardInterrupt`` passes: a query cancelled by Ctrl-C may surface as one."""
        try:
            return function(*args)
        except ExecutionError:
            raise
        except (Exception, SystemExit) as error:
            raise ExecutionError(f"the {self.adapter_spec.name} adapter failed to {what}: {one_line(error)}") from None

    def _readable_dirs(self) -> tuple[Path, ...]:
        """The folders the adapter may read: the data roots the catalog was checked against
        (:mod:`kpi_engine.data_roots`), never wider; for a catalog the loader did not make, its root's folder."""
        if self.catalog.data_roots is not None:
            return tuple(Path(r) for r in self.catalog.data_roots)
        root = Path(self.catalog.root).resolve()
        return (root if root.is_dir() else root.parent,)

    def _adapter_statement(self, request: Request, statement: Statement | None) -> Statement:
        """``request``'s statement for the open adapter's dialect (``statement``, compiled for the spec's, if it fits)."""
        adapter = self._connect()
        if statement is None or adapter.dialect != self.adapter_spec.dialect:
            statement = self._statement(request, adapter.dialect, self.adapter_spec.reads_files, pretty=False)
        return statement

    def _query(self, sql: str) -> pa.Table:
        table = self._adapter_call("run the query", self._connect().execute, sql)
        if not isinstance(table, pa.Table):
            raise ExecutionError(f"the {self.adapter_spec.name} adapter returned {type(table).__name__}, not a pyarrow.Table")
        return table

    def _execute(self, request: Request, statement: Statement | None = None) -> pa.Table:
        """Run ``request``; ``statement`` is its statement for the spec's dialect, if already compiled."""
        statement = self._adapter_statement(request, statement)
        return _normalise(self._query(statement.sql), request, statement)

    def _unfit_times(self, request: Request, statement: Statement) -> tuple[Failure, ...]:
        """The sources whose time column does not hold what their definition says
        (:mod:`kpi_engine.timeformats`), each a :class:`Failure` of the KPIs reading it.

        A check the engine refuses (a missing table, say) tells nothing: the request's
        own statement then fails and is reported as usual. A timeout is not retried.
        """
        check = self._adapter_statement(request, statement).time_check
        if check is None:
            return ()
        try:
            table = self._query(check.sql)
        except QueryTimeout:
            raise
        except ExecutionError:
            return ()
        from .timeformats import unfit

        return tuple(
            Failure(scrub.scrub(str(self)), probe.kpis, (probe.source,), scrub.scrub(message))
            for probe, message in unfit(check, table) if probe.kpis
        )

    def _failure(self, request: Request, error: ExecutionError) -> Failure:
        from .planner import plan

        the_plan = plan(self.catalog, request)  # only to name the sources, formulas' parts included
        kpis = tuple(k.kpi.name for k in the_plan.kpis if k.selected)
        sources = tuple(dict.fromkeys(s for k in the_plan.kpis for s in k.kpi.sources))
        return Failure(scrub.scrub(str(self)), kpis, sources, scrub.scrub(str(error)))

    @_boundary
    def evaluate(self, **selection) -> Evaluation:
        """Compute and judge the selected KPIs, keeping what can be computed when some fail.

        All KPIs run as one statement. If the engine refuses it (a missing table or
        column, say), each KPI is retried alone so the others still report; a timeout is
        not retried, and a connection that cannot be opened fails every KPI for one reason.
        Before it, when the request reads time columns, a check finds the sources whose
        time column does not hold what they say (:mod:`kpi_engine.timeformats`): the KPIs
        reading them fail with that reason, and the others run.
        """
        now = selection.pop("now", None)
        request = self.request(**selection)  # first: it checks the selection, as_of included
        given = as_bound(now, "now") if now is not None else (
            as_bound(selection.get("as_of"), "--as-of") if selection.get("period") else None
        )
        return self._evaluate(request, *moment_of(given))

    def _evaluate(self, request: Request, at: datetime, clock: bool) -> Evaluation:
        # Before connecting: a request that cannot be planned is refused without touching the connection.
        statement = self._statement(request, self.adapter_spec.dialect, self.adapter_spec.reads_files, pretty=False)
        try:
            self._connect()
            unfit = self._unfit_times(request, statement)
            if not unfit:
                # The statement compiled above: a catalog the cache does not know is not compiled twice.
                table = self._execute(request, statement)
                timing = self._timing(request, at, clock)
                return Evaluation(self._judge(table, request, timing), (), timing)
        except ExecutionError as error:
            # Unreachable, timed out, or a single KPI: one reason for the whole run.
            if self._adapter is None or isinstance(error, QueryTimeout) or len(statement.kpis) == 1:
                return Evaluation(self._empty(request), (self._failure(request, error),), Timing(at))
        else:
            # The KPIs reading a source whose time column does not fit fail; the others run.
            failed = {name for failure in unfit for name in failure.kpis}
            rest = tuple(k for k in request.kpis if k.name not in failed)
            if not rest:
                return Evaluation(self._empty(request), unfit, Timing(at))
            evaluation = self._evaluate(evolve(request, kpis=rest), at, clock)
            return Evaluation(evaluation.table, unfit + evaluation.failures, evaluation.timing)
        tables, failures = [], []
        for name in statement.kpis:
            alone = evolve(request, kpis=(self.catalog.kpis[name],))
            try:
                tables.append(self._execute(alone))
            except ExecutionError as error:
                failures.append(self._failure(alone, error))
        table = pa.concat_tables(tables, promote_options="permissive") if tables else self._empty(request)
        timing = self._timing(request, at, clock)
        return Evaluation(self._judge(table, request, timing), tuple(failures), timing)

    def _timing(self, request: Request, at: datetime, clock: bool = False) -> Timing:
        """The as-of moment and, where the request needs them (a grain, a total's target, a cohort's
        maturity, a source's freshness), the newest time value of each source the KPIs read
        (``clock``: ``at`` is the clock's now, not an as-of given)."""
        names = dict.fromkeys(s for k in request.kpis for s in sources_read(self.catalog.kpis, k))
        sources = [self.catalog.sources[n] for n in names if self.catalog.sources[n].time is not None]
        needed = (request.grain is not None or any(k.target_period or k.mature_after for k in request.kpis)
                  or any(s.freshness is not None for s in sources))
        if not needed or not sources:
            return Timing(at)
        adapter = self._connect()
        # Freshness needs the newest row wherever it is; completeness only within the request's
        # range, which bounds the scan like the KPIs' own. Up to the clock's now, nothing needs
        # bounding (no row is newer), so the statement does not change from run to run and is cached.
        after = as_datetime(request.start) if request.start is not None else None
        before = None if clock else at
        bounds = [(s, None if s.freshness is not None or after is None else stored(s, after),
                   None if before is None else stored(s, before)) for s in sources]
        dialect, reads_files = adapter.dialect, self.adapter_spec.reads_files

        def build() -> Statement:
            from .compiler import compile_newest

            return Statement(compile_newest(bounds, dialect, reads_files=reads_files), ())

        statement = compiled_statement(self.catalog, request, dialect, reads_files=reads_files, pretty=False, build=build,
                                       cache_dir=self.cache_dir, kind=("newest", f"before={before!r}"))
        try:
            table = self._query(statement.sql)
        except ExecutionError as error:
            return Timing(at, None, scrub.scrub(str(error)))
        return Timing(at, newest_values(table, {s.name: s for s in sources}))

    def _judge(self, table: pa.Table, request: Request, timing: Timing | None = None) -> pa.Table:
        weather = request.compare is not None or request.trend is not None
        return judge(table, self.catalog, request.flat_within, weather=weather, trend=request.trend, request=request,
                     timing=timing)

    def _empty(self, request: Request) -> pa.Table:
        fields = [("kpi", pa.string())]
        fields += [("period_start", pa.date32())] if request.grain else []
        fields += [(d, pa.null()) for d in request.by]
        fields += [("item", pa.string()), ("rank", pa.int64())] if request.lists else []
        fields += [(n, pa.float64()) for n in ("numerator", "denominator", "value")]
        fields += [("sample", pa.float64())] if request.samples else []
        if request.compare is not None:
            fields += [(n, pa.float64()) for n in ("compare_value", "change", "change_ratio")]
        return self._judge(pa.schema(fields).empty_table(), request)

    @_boundary
    def run(self, **selection) -> pa.Table:
        """Compute and judge the selected KPIs; one row per KPI, period and slice.

        Columns: ``kpi``, ``period_start`` (with a grain), one per ``by`` dimension,
        ``numerator``, ``denominator``, ``value``, ``target``, ``attainment``, ``status``.
        A selected KPI without any row gets one ``no_data`` row, so nothing is silently
        lost. Raises :class:`ExecutionError` listing every KPI that failed.
        """
        evaluation = self.evaluate(**selection)
        if evaluation.failures:
            raise ExecutionError("\n".join(str(f) for f in evaluation.failures))
        return evaluation.table

    def __str__(self) -> str:
        return f"connection {self.connection_label}"


@frozen
class Failure:
    """KPIs whose query the engine refused, the sources they read, and why."""

    connection: str
    kpis: tuple[str, ...]
    sources: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        plural = "s" if len(self.sources) != 1 else ""
        return f"{self.connection}: kpi {', '.join(self.kpis)} (source{plural} {', '.join(self.sources)}): {self.message}"


@frozen
class Evaluation:
    """What :meth:`Engine.evaluate` computed: the judged rows, the KPIs that failed, and the
    as-of moment with the sources' newest time values (:class:`~kpi_engine.freshness.Timing`)."""

    table: pa.Table = field(eq=False)
    failures: tuple[Failure, ...] = ()
    timing: Timing | None = None

    def freshness(self, catalog: Catalog) -> pa.Table:
        """One judged row per source with ``freshness:`` that the KPIs read, shaped like ``table``
        (with a ``note``); empty when none declares it."""
        return self.timing.freshness(catalog, self.table) if self.timing is not None else self.table.slice(0, 0)


def _normalise(table: pa.Table, request: Request, statement: Statement) -> pa.Table:
    """Drop the ordering column, fix types, and give every selected KPI at least one row."""
    keys = request.keys
    table = table.drop_columns([ORDER_COLUMN]) if ORDER_COLUMN in table.column_names else table
    types = {"numerator": pa.float64(), "denominator": pa.float64(), "value": pa.float64()}
    if request.samples:
        types["sample"] = pa.float64()
    if request.compare is not None:
        types.update(compare_value=pa.float64(), change=pa.float64(), change_ratio=pa.float64())
    if request.lists:
        types.update(item=pa.string(), rank=pa.int64())
    for name, type_ in types.items():
        column = table.column(name)
        if column.type != type_:  # cast only when needed: casting imports pyarrow.compute (~40 ms)
            table = table.set_column(table.column_names.index(name), name, column.cast(type_))
    if "period_start" in keys:
        index = table.column_names.index("period_start")
        column = table.column("period_start")
        if not pa.types.is_date32(column.type):
            column = column.cast(pa.date32())
        table = table.set_column(index, "period_start", column)
    present = set(table.column("kpi").to_pylist())
    missing = [name for name in statement.kpis if name not in present]
    if missing:
        columns = [strings(missing) if f.name == "kpi" else pa.nulls(len(missing), f.type) for f in table.schema]
        extra = pa.Table.from_arrays(columns, schema=table.schema)
        table = pa.concat_tables([table, extra])
        order = {name: i for i, name in enumerate(statement.kpis)}
        positions = [order[n] for n in table.column("kpi").to_pylist()]
        table = table.take(sorted(range(len(positions)), key=positions.__getitem__))
    return table
