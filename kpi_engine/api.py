"""Open a kpi project from Python, as the ``kpi`` commands do: :func:`open_project`.

A :class:`Project` is the project file (``kpi.yml``, or ``[tool.kpi]`` in pyproject.toml;
:mod:`kpi_engine.project`) applied: the catalog loaded with the project's packs, time
zone, cache folder and data roots, and its named connections, resolved as the command
line resolves them. Its :meth:`~Project.run` and :meth:`~Project.check` take the
selection ``kpi run`` and ``kpi check`` take, under the same names, and return what
those commands print: a ``pyarrow.Table`` with the JSON output's columns, and the worst
status with the exit code ``kpi check`` would give. The CLI is a thin layer over this
module; :class:`~kpi_engine.engine.Engine` is the level below (one catalog, one connection).

Nothing heavy is imported here: ``kpi --version`` imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from attrs import field, frozen

from .comparisons import FLAT_WITHIN
from .errors import EXIT_CHECK_FAILED, EXIT_OK, ExecutionError, SelectionError
from .plugins import Plugins, get_plugins
from .project import (
    Connection, ProjectSettings, resolve_cache, resolve_connection, resolve_definitions, search_project,
)
from .scrub import boundary
from .verdicts import FAIL_ON, Check

if TYPE_CHECKING:  # pyarrow and the engine load only when something runs
    import pyarrow as pa

    from .engine import Engine
    from .model import Catalog
    from .specs import DefinitionPack

@boundary
def open_project(
    path: str | Path = ".",
    *,
    definitions: str | Path | None = None,
    packs: Iterable[str] | None = None,
    cache: str | Path | bool | None = None,
    plugins: Plugins | None = None,
) -> Project:
    """The project holding ``path``, as ``kpi`` run there would see it.

    The project file is ``kpi.yml`` or ``[tool.kpi]`` in ``pyproject.toml``, in ``path``
    or the nearest folder above it (``path`` may also be the file itself); without one,
    the project is ``path`` with the defaults: its ``definitions/``, no packs, the
    connection ``duckdb://``. ``$KPI_PROJECT_DIR`` is not read, since ``path`` says where.

    The keywords are the command line's options: ``definitions`` (``DEFS``) replaces the
    project's definitions folder, ``packs`` (``--pack``) its packs (``()``: none),
    ``cache`` (``--cache-dir``/``--no-cache``) is a folder, or ``False`` for none, and
    ``plugins`` is what :func:`~kpi_engine.plugins.get_plugins` found (default: every
    installed plugin; pass ``get_plugins(blocked=[...])`` for ``--disable-plugin``).

    Raises :class:`~kpi_engine.errors.SelectionError` (one line naming the file) for a
    project file that cannot be read or holds a bad value. The definitions are read when
    :attr:`Project.catalog` is, so that their problems come all at once, as a
    :class:`~kpi_engine.errors.DefinitionError`.
    """
    return Project.from_settings(
        search_project(path), definitions=definitions, packs=packs, cache=cache, plugins=plugins
    )


@frozen
class Project:
    """A kpi project: its definitions with their packs, its connections and settings.

    Made by :func:`open_project`. It holds no connection open: :meth:`run` and
    :meth:`check` connect, compute and close; :meth:`engine` gives an
    :class:`~kpi_engine.engine.Engine` to keep open (``with project.engine() as e:``).
    The definitions are read each time :attr:`catalog` is (from the in-memory cache
    while their files are unchanged), so an edited file is seen by the next run.
    """

    #: What the project file says (:class:`~kpi_engine.project.ProjectSettings`).
    settings: ProjectSettings = field(repr=lambda s: str(s.file or s.root))
    #: The definitions folder (or file).
    definitions: Path
    #: Names of the installed definition packs loaded before the definitions.
    packs: tuple[str, ...] = field(converter=tuple)
    #: Where parsed definitions and compiled SQL are kept across processes, if anywhere.
    cache_dir: Path | None = None
    #: The plugins: adapters, functions, metric types and packs.
    plugins: Plugins = field(factory=get_plugins, eq=False, repr=False)
    #: The definitions are the shipped catalog (``kpi demo``): the packs it uses load
    #: first, and one that is not installed is an error saying which plugin provides it.
    shipped: bool = field(default=False, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: ProjectSettings,
        *,
        definitions: str | Path | None = None,
        packs: Iterable[str] | None = None,
        cache: str | Path | bool | None = None,
        plugins: Plugins | None = None,
        shipped: bool = False,
    ) -> Project:
        """The project ``settings`` describe (:func:`~kpi_engine.project.find_project`), with
        :func:`open_project`'s options; with ``shipped``, ``packs`` come on top of the
        shipped catalog's own."""
        if isinstance(packs, str):
            packs = (packs,)
        if packs is None:
            packs = () if shipped else settings.packs
        if cache is not None and not isinstance(cache, (str, Path, bool)):
            raise SelectionError(f"cache: {cache!r:.60} is not a folder, or False for none")
        return cls(
            settings=settings,
            definitions=resolve_definitions(str(definitions) if definitions is not None else None, settings),
            packs=packs,
            cache_dir=resolve_cache(None if cache is True else cache, settings),
            plugins=plugins if plugins is not None else get_plugins(),
            shipped=shipped,
        )

    # -- what the project file says -------------------------------------------------------

    @property
    def root(self) -> Path:
        """The project directory: where the project file is (or the folder opened, without one)."""
        return self.settings.root

    @property
    def file(self) -> Path | None:
        """The project file, ``None`` without one."""
        return self.settings.file

    @property
    def timezone(self) -> str | None:
        """The IANA time zone of every source that names none (``timezone:``)."""
        return self.settings.timezone

    @property
    def data_roots(self) -> tuple[Path, ...]:
        """The folders sources may read files from: ``$KPI_DATA_ROOTS``, else ``data_roots:``, else
        the project directory, else the definitions folder (:mod:`kpi_engine.data_roots`)."""
        from .data_roots import resolve_roots

        return resolve_roots(self.definitions, self.settings.data_roots)

    @property
    def connections(self) -> Mapping[str, str]:
        """The named connections, name -> URL as written (``${VAR}`` references kept, as ``kpi connections``)."""
        return MappingProxyType({name: profile.shown() for name, profile in self.settings.connections.items()})

    @property
    def default_connection(self) -> str | None:
        """The project file's ``connection:`` (a name or a URL), ``None`` without one."""
        return self.settings.connection

    # -- the catalog and engines ----------------------------------------------------------

    @property
    @boundary
    def catalog(self) -> Catalog:
        """The definitions with the project's packs and time zone; raises
        :class:`~kpi_engine.errors.DefinitionError` listing every problem."""
        from .loader import load  # with it sqlglot: opening a project does not import it

        catalog = load(
            self.definitions, self.plugins.functions, self._packs(), metric_types=self.plugins.metric_types,
            cache_dir=self.cache_dir, data_roots=self.settings.data_roots,
        )
        if self.timezone is not None:
            from .cache import derive
            from .timezones import default_timezone

            # derive: the zoned catalog's SQL is cached under a key of its own
            catalog = derive(default_timezone(catalog, self.timezone), catalog, "timezone", self.timezone)
        return catalog

    def _packs(self) -> tuple[DefinitionPack, ...]:
        # Installed packs join the catalog only when asked for: the project's, or those given.
        if self.shipped:
            from .shipped import select_shipped_packs

            return select_shipped_packs(self.plugins, self.packs)
        return self.plugins.select_packs(self.packs)

    @boundary
    def connection(self, connection: str | None = None) -> Connection:
        """The connection to use: ``connection`` (a name or a URL) > ``$KPI_CONNECTION`` > the
        project's default > ``duckdb://``; ``${VAR}`` references expanded (their values are
        secrets: never shown, :mod:`kpi_engine.scrub`)."""
        if connection is not None and not isinstance(connection, str):
            raise SelectionError(f"connection: {connection!r:.60} is not a name or a URL")
        return resolve_connection(connection, self.settings)

    @boundary
    def engine(self, connection: str | None = None, timeout: float | None = None, *, catalog: Catalog | None = None) -> Engine:
        """An :class:`~kpi_engine.engine.Engine` on the project's catalog (or ``catalog``) and
        :meth:`connection`; ``timeout`` in seconds per statement (default: the connection's)."""
        resolved = self.connection(connection)
        from .engine import Engine  # here: pyarrow and the engine load only when something runs

        return Engine(catalog or self.catalog, resolved, plugins=self.plugins, timeout=timeout, cache_dir=self.cache_dir)

    # -- running --------------------------------------------------------------------------

    @boundary
    def run(
        self,
        kpis: str | Iterable[str] = (),
        *,
        dashboard: str | None = None,
        tags: str | Iterable[str] = (),
        grain: str | None = None,
        by: str | Iterable[str] = (),
        period: str | None = None,
        as_of: date | datetime | str | None = None,
        start: date | datetime | str | None = None,
        end: date | datetime | str | None = None,
        compare: str | None = None,
        flat_within: float = FLAT_WITHIN,
        trend: int | None = None,
        connection: str | None = None,
        timeout: float | None = None,
    ) -> pa.Table:
        """``kpi run``: compute and judge the selected KPIs (all of them when nothing is selected).

        One row per KPI, period and slice, with the columns of ``kpi run --format json``:
        ``kpi``, ``period_start`` (with a ``grain``), one per ``by`` dimension,
        ``numerator``, ``denominator``, ``value``, ``target``, ``attainment``, ``status``,
        and those ``compare``, ``trend``, list KPIs and ``min_denominator`` add.

        The options are the command's: ``start``/``end`` are ``--from``/``--to``
        (half-open, a date, a timestamp or their ISO text), ``period`` names a period
        resolved for ``as_of`` (default: today); see :meth:`kpi_engine.engine.Engine.request`.
        Raises :class:`~kpi_engine.errors.SelectionError` for a selection that does not fit
        the catalog, :class:`~kpi_engine.errors.DefinitionError` for invalid definitions and
        :class:`~kpi_engine.errors.ExecutionError` naming each KPI whose query failed.
        """
        selection = {"kpis": kpis, "dashboard": dashboard, "tags": tags, "grain": grain, "by": by, "period": period,
                     "as_of": as_of, "start": start, "end": end, "compare": compare, "flat_within": flat_within,
                     "trend": trend}
        with self.engine(connection, timeout) as engine:
            return engine.run(**selection)

    @boundary
    def check(
        self,
        kpis: str | Iterable[str] = (),
        *,
        dashboard: str | None = None,
        tags: str | Iterable[str] = (),
        grain: str | None = None,
        by: str | Iterable[str] = (),
        period: str | None = None,
        as_of: date | datetime | str | None = None,
        start: date | datetime | str | None = None,
        end: date | datetime | str | None = None,
        compare: str | None = None,
        flat_within: float = FLAT_WITHIN,
        trend: int | None = None,
        connection: str | None = None,
        timeout: float | None = None,
        fail_on: str | Iterable[str] = "critical",
    ) -> CheckResult:
        """``kpi check``: the rows of :meth:`run` plus one per source with ``freshness:``, and
        the verdict (:mod:`kpi_engine.verdicts`): the rows needing attention, the worst status
        and the exit code, 1 when a row is ``critical`` or has a status ``fail_on`` names
        (``--fail-on``: ``warn``, ``no_data``, or several), else 0.

        Raises what :meth:`run` raises: a KPI that could not be computed is an error, not a verdict.
        """
        verdict = Check(_fail_on(fail_on))
        selection = {"kpis": kpis, "dashboard": dashboard, "tags": tags, "grain": grain, "by": by, "period": period,
                     "as_of": as_of, "start": start, "end": end, "compare": compare, "flat_within": flat_within,
                     "trend": trend}
        with self.engine(connection, timeout) as engine:
            evaluation = engine.evaluate(**selection)
            if evaluation.failures:  # as Engine.run says it
                raise ExecutionError("\n".join(str(f) for f in evaluation.failures))
            return CheckResult(verdict.results(evaluation, engine.catalog), verdict)


def _fail_on(value: object) -> tuple[str, ...]:
    statuses = (value,) if isinstance(value, str) else tuple(value) if isinstance(value, (list, tuple, set, frozenset)) else None
    if not statuses or any(s not in FAIL_ON for s in statuses):
        raise SelectionError(f"fail_on: {value!r:.60} is not one or more of {', '.join(FAIL_ON)}")
    return statuses


@frozen
class CheckResult:
    """What ``kpi check`` decides: its rows, the rows it writes, the worst status and the exit code.

    ``table`` holds every row (``kpi check --all``): the KPIs', then a ``freshness:SOURCE``
    row per source that declares ``freshness:``; ``verdict`` is the
    :class:`~kpi_engine.verdicts.Check` that judged them.
    """

    table: pa.Table = field(eq=False, repr=lambda t: f"<{t.num_rows} rows>")
    verdict: Check = field(factory=lambda: Check(()))

    @property
    def fail_on(self) -> frozenset[str]:
        """The statuses that fail the check (``critical`` always)."""
        return self.verdict.fail_on

    @property
    def shown(self) -> pa.Table:
        """The rows ``kpi check`` writes: those needing attention (``critical``, ``warn``, or a ``fail_on`` status)."""
        return self.verdict.shown(self.table)

    @property
    def summary(self) -> str:
        """The line ``kpi check`` prints on stderr: ``check: 18 of 20 KPIs ok, 1 critical, ...``."""
        return self.verdict.summary(self.table, self.shown)

    @property
    def worst(self) -> str | None:
        """The worst status of any row (critical, warn, no_data, unrated, ok); ``None`` without rows."""
        from .verdicts import worst

        return worst(self.table.column("status").to_pylist())

    @property
    def failed(self) -> bool:
        """Whether a row has a status the check fails on."""
        return self.verdict.fails(self.table)

    @property
    def exit_code(self) -> int:
        """``kpi check``'s exit code: 1 when :attr:`failed`, else 0."""
        return EXIT_CHECK_FAILED if self.failed else EXIT_OK
