"""The library API the CLI is a thin layer over: load, plan, compile, run, judge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa
import sqlglot

from .compiler import ORDER_COLUMN, compile_plan, render
from .compliance import judge
from .errors import ExecutionError, SelectionError
from .model import Catalog
from .planner import Plan, Request, plan
from .plugins import Plugins, get_plugins
from .specs import Adapter, AdapterSpec, ConnectOptions
from .urls import mask_url

DEFAULT_CONNECTION = "duckdb://"


def known_dialect(name: str) -> bool:
    try:
        sqlglot.Dialect.get_or_raise(name)
    except ValueError:
        return False
    return True


class Engine:
    """Evaluate a catalog's KPIs on one connection.

    >>> engine = Engine(catalog, connection="duckdb://")      # doctest: +SKIP
    >>> engine.run(kpis=["conversion_rate"], grain="month")   # doctest: +SKIP

    The connection is opened on first use and closed by :meth:`close` (or ``with``).
    """

    def __init__(
        self,
        catalog: Catalog,
        connection: str | None = None,
        *,
        plugins: Plugins | None = None,
        timeout: float | None = None,
    ):
        self.catalog = catalog
        self.connection = connection or DEFAULT_CONNECTION
        self.plugins = plugins or get_plugins()
        self.timeout = timeout
        self._adapter: Adapter | None = None
        scheme = urlsplit(self.connection).scheme
        spec = self.plugins.adapter_for(scheme) if scheme else None
        if spec is None:
            known = ", ".join(f"{s}://" for s in sorted(self.plugins.adapters)) or "none"
            raise SelectionError(
                f"no adapter for connection '{mask_url(self.connection)}' (installed schemes: {known})"
            )
        self.adapter_spec: AdapterSpec = spec

    # -- context management ---------------------------------------------------------------

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._adapter is not None:
            adapter, self._adapter = self._adapter, None
            adapter.close()

    # -- planning and compiling -----------------------------------------------------------

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
    ) -> Request:
        """A :class:`Request` for the selected KPIs (all of them when nothing is selected)."""
        if isinstance(kpis, str):
            kpis = [kpis]
        selected = self.catalog.select(kpis, dashboard, tags)
        return Request(selected, grain, tuple(by), start, end)

    def plan(self, **selection) -> Plan:
        return plan(self.catalog, self.request(**selection))

    def compile(self, dialect: str | None = None, *, pretty: bool = True, **selection) -> str:
        """The SQL ``run`` would execute, for ``dialect`` (default: the connection's)."""
        dialect = dialect or self.adapter_spec.dialect
        if not known_dialect(dialect):
            raise SelectionError(f"unknown SQL dialect '{dialect}'")
        reads_files = self.adapter_spec.reads_files if dialect == self.adapter_spec.dialect else dialect == "duckdb"
        return render(compile_plan(self.plan(**selection), dialect, reads_files=reads_files), dialect, pretty=pretty)

    # -- running --------------------------------------------------------------------------

    def _connect(self) -> Adapter:
        if self._adapter is None:
            options = ConnectOptions(readable_dirs=self._readable_dirs(), timeout=self.timeout)
            try:
                self._adapter = self.adapter_spec.factory(self.connection, options)
            except ExecutionError as error:
                raise ExecutionError(f"connection {mask_url(self.connection)}: {error}") from None
        return self._adapter

    def _readable_dirs(self) -> tuple[Path, ...]:
        dirs = {Path(self.catalog.root).resolve() if Path(self.catalog.root).is_dir() else Path(self.catalog.root).resolve().parent}
        for source in self.catalog.sources.values():
            for path in source.paths:
                dirs.add(_static_dir(path))
        return tuple(sorted(dirs))

    def run(self, **selection) -> pa.Table:
        """Compute and judge the selected KPIs; one row per KPI, period and slice.

        Columns: ``kpi``, ``period_start`` (with a grain), one per ``by`` dimension,
        ``numerator``, ``denominator``, ``value``, ``target``, ``attainment``, ``status``.
        A selected KPI without any row gets one ``no_data`` row, so nothing is silently lost.
        """
        the_plan = self.plan(**selection)
        adapter = self._connect()
        tree = compile_plan(the_plan, adapter.dialect, reads_files=self.adapter_spec.reads_files)
        sql = render(tree, adapter.dialect, pretty=False)
        try:
            table = adapter.execute(sql)
        except ExecutionError as error:
            names = ", ".join(k.kpi.name for k in the_plan.kpis if k.selected)
            sources = ", ".join(s.source.name for s in the_plan.scans)
            raise ExecutionError(
                f"connection {mask_url(self.connection)}: query for kpi {names} (sources {sources}) failed: {error}"
            ) from None
        table = _normalise(table, the_plan)
        return judge(table, self.catalog)


def _static_dir(path: str) -> Path:
    """The directory part of a path or glob before its first wildcard."""
    parts = Path(path).parts
    static: list[str] = []
    for part in parts:
        if any(c in part for c in "*?["):
            break
        static.append(part)
    base = Path(*static) if static else Path(".")
    return base.resolve() if base.is_dir() or any(c in path for c in "*?[") else base.resolve().parent


def _normalise(table: pa.Table, the_plan: Plan) -> pa.Table:
    """Drop the ordering column, fix types, and give every selected KPI at least one row."""
    keys = the_plan.request.keys
    table = table.drop_columns([ORDER_COLUMN]) if ORDER_COLUMN in table.column_names else table
    for name in ("numerator", "denominator", "value"):
        index = table.column_names.index(name)
        table = table.set_column(index, name, table.column(name).cast(pa.float64()))
    if "period_start" in keys:
        index = table.column_names.index("period_start")
        column = table.column("period_start")
        if not pa.types.is_date32(column.type):
            column = column.cast(pa.date32()) if not pa.types.is_timestamp(column.type) else column.cast(pa.date32())
        table = table.set_column(index, "period_start", column)
    present = set(table.column("kpi").to_pylist())
    missing = [k.kpi.name for k in the_plan.kpis if k.selected and k.kpi.name not in present]
    if missing:
        extra = pa.Table.from_pylist([{"kpi": name} for name in missing], schema=table.schema)
        table = pa.concat_tables([table, extra])
        order = {k.kpi.name: i for i, k in enumerate(x for x in the_plan.kpis if x.selected)}
        positions = [order[n] for n in table.column("kpi").to_pylist()]
        table = table.take(sorted(range(len(positions)), key=positions.__getitem__))
    return table
