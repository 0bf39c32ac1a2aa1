"""The ``kpi`` commands. Each one parses options, calls the library API, renders, and maps
errors to DESIGN.md's exit codes: 0 ok, 1 check failed, 2 usage, 3 invalid definitions,
4 connection or query failure. Data goes to stdout, everything else to stderr."""

from __future__ import annotations

import json
import os
import signal
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import click

from .. import __version__, interrupts, output_file
from ..api import Project
from ..cache import CacheWarning
from ..comparisons import FLAT_WITHIN
from ..errors import EXIT_CHECK_FAILED, EXIT_RUNTIME, EXIT_USAGE, DefinitionError, KpiEngineError, OutputError
from ..plugins import Plugins, get_plugins
from ..privileges import PrivilegeWarning
from ..project import find_project, resolve_connection
from ..renderers import RENDERERS, emit, render_rows, render_table, summary
from ..verdicts import FAIL_ON, Check
from .options import (
    NAME,
    PATH,
    Number,
    Seconds,
    cache_options,
    connection_options,
    as_of_moment,
    default_as_of,
    defs_argument,
    output_options,
    plugins_option,
    project_option,
    packs_option,
    query_options,
    run_options,
    selection_options,
)

DEBUG_ENV = "KPI_ENGINE_DEBUG"


def _err(message: str) -> None:
    """One line on stderr, every secret of the connections in use scrubbed (:mod:`kpi_engine.scrub`)."""
    from ..scrub import scrub

    click.echo(scrub(message), err=True)


def _plugin_warnings(plugins: Plugins) -> None:
    for failure in plugins.failures:
        dist = f" ({failure.distribution})" if failure.distribution else ""
        _err(f"warning: plugin {failure.name}{dist}: {failure.error}")


@contextmanager
def _errors():
    """Turn the engine's errors into one clear line each (never a traceback) and an exit code.

    A cache that cannot be used, or a connection whose role can do more than read, is one
    ``warning:`` line (each says it once per folder or role);
    any other warning is Python's rendering of it, scrubbed of secrets like every line.
    """
    with warnings.catch_warnings():

        def one_line(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, (CacheWarning, PrivilegeWarning)):
                _err(f"warning: {message}")
            else:
                _err(warnings.formatwarning(message, category, filename, lineno, line).rstrip("\n"))

        warnings.showwarning = one_line
        warnings.simplefilter("always", CacheWarning)
        with _exit_codes():
            yield


@contextmanager
def _exit_codes():
    try:
        yield
        interrupts.check()  # a signal some library swallowed: the run is still aborted
    except KeyboardInterrupt:
        # From a library's own SIGINT handling (pyarrow, a driver): ours, before click's
        # Abort could print a blank line.
        raise interrupts.Interrupted(signal.SIGINT) from None
    except DefinitionError as error:
        for problem in error.problems:
            _err(str(problem))
        count = len(error.problems)
        _err(f"{count} problem{'s' if count != 1 else ''} in the definitions")
        sys.exit(error.exit_code)
    except KpiEngineError as error:
        for line in str(error).splitlines() or [type(error).__name__]:
            _err(f"error: {line}")
        sys.exit(error.exit_code)


def _project(
    defs: str | None, project_dir: str | None, disabled: tuple[str, ...], packs: tuple[str, ...] = (),
    cache: str | bool | None = None, *, shipped: bool = False,
) -> Project:
    """What a command needs: the project (:func:`kpi_engine.api.open_project`'s, found as
    ``--project-dir`` says), the plugins (their failures warned about), the catalog it names."""
    settings = find_project(project_dir)
    plugins = get_plugins(blocked=disabled)
    _plugin_warnings(plugins)
    return Project.from_settings(settings, definitions=defs, packs=packs or None, cache=cache, plugins=plugins, shipped=shipped)


def _selection(kpis, dashboard, tags, grain=None, by=(), start=None, end=None, compare=None, flat_within=FLAT_WITHIN,
               trend=None) -> dict:
    return {"kpis": kpis, "dashboard": dashboard, "tags": tags, "grain": grain, "by": by, "start": start, "end": end,
            "compare": compare, "flat_within": flat_within, "trend": trend, "now": as_of_moment()}


def _check_output(fmt: str, output: str | None) -> None:
    """Refuse before any work an ``-o`` that cannot be written, and binary output to a terminal."""
    output_file.check(output)
    if fmt == "parquet" and output_file.is_terminal(output):
        raise OutputError("parquet output is binary: give -o FILE or redirect stdout")


def _write_results(table, catalog, fmt: str, output: str | None) -> None:
    output = None if output == "-" else output
    if fmt == "table":
        color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        width = None
        if output is None and sys.stdout.isatty():
            width = click.get_terminal_size()[0] if hasattr(click, "get_terminal_size") else os.get_terminal_size().columns
        data = render_table(table, catalog, color=color, width=width)
    else:
        data = RENDERERS[fmt](table, catalog)
    emit(data, output, sys.stdout.buffer)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kpi")
def cli() -> None:
    """kpi-engine: KPIs declared in YAML, computed in your warehouse, judged against targets."""


@cli.command()
@defs_argument
@project_option
@plugins_option
@packs_option
@cache_options
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github prints ::error annotations for CI.")
def validate(defs, project_dir, disabled, packs, cache, fmt):
    """Check the definitions and report every problem at once (exit 3 if any)."""
    with _errors():
        project = _project(defs, project_dir, disabled, packs, cache)
        try:
            catalog = project.catalog
        except DefinitionError as error:
            if fmt == "github":
                for p in error.problems:
                    click.echo(f"::error file={p.file},line={p.line or 1},col={p.col or 1}::{p.kind or ''} {p.name or ''}: {p.message}")
            raise
        _err(
            f"ok: {len(catalog.sources)} sources, {len(catalog.kpis)} KPIs, "
            f"{len(catalog.dashboards)} dashboards in {project.definitions}"
        )


@cli.command("list")
@defs_argument
@project_option
@plugins_option
@packs_option
@selection_options
@cache_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_(defs, project_dir, disabled, packs, kpis, dashboard, tags, cache, fmt):
    """The catalog: each KPI with its stage, shape, unit, direction and lines."""
    from ..formatting import line

    with _errors():
        catalog = _project(defs, project_dir, disabled, packs, cache).catalog
        selected = catalog.select(kpis, dashboard, tags)
        rows = []
        for k in selected:
            sources = sorted(k.sources)
            rows.append({
                "kpi": k.name, "title": k.title, "stage": k.stage, "kind": k.kind if k.metric is None else f"metric:{k.metric.type_name}", "unit": k.unit,
                "direction": k.direction, "target": line(k.target, k.unit),
                "warn": line(k.thresholds.warn, k.unit), "critical": line(k.thresholds.critical, k.unit),
                "sources": ", ".join(sources) or ", ".join(k.depends_on), "tags": ", ".join(k.tags),
                "file": str(k.location),
            })
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
            return
        columns = ("kpi", "stage", "kind", "unit", "direction", "target", "warn", "critical", "sources", "title")
        emit(render_rows(rows, columns), None, sys.stdout.buffer)


@cli.command("compile")
@defs_argument
@project_option
@plugins_option
@packs_option
@selection_options
@query_options
@connection_options
@cache_options
@click.option("--dialect", type=NAME, metavar="D", help="sqlglot dialect (default: the connection's), e.g. snowflake, bigquery.")
@click.option("--explain", is_flag=True, help="Describe the plan instead: which KPIs share which scan, and its aggregates.")
def compile_(defs, project_dir, disabled, packs, kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend,
             connection, timeout, cache, dialect, explain):
    """Print the SQL that `kpi run` would execute, for any sqlglot dialect (or, with --explain, the plan)."""
    with _errors():
        from ..engine import known_dialect

        if dialect and not known_dialect(dialect):
            raise click.BadParameter(f"unknown dialect '{dialect}'", param_hint="--dialect")
        engine = _project(defs, project_dir, disabled, packs, cache).engine(connection)
        selection = _selection(kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend)
        if explain:
            from ..explain import explain as describe

            click.echo(describe(engine.plan(**selection), dialect or "duckdb"), nl=False)
            return
        sql = engine.compile(dialect, **selection)
        click.echo(sql.rstrip() + ";")


def _evaluate(project: Project, connection, timeout, selection, fmt, output, catalog=None, *, check=None):
    """Run the selection, write the results, print the summary; return the results table.

    With ``check`` (a :class:`~kpi_engine.verdicts.Check`), the sources' freshness rows join
    the results, only the rows needing attention are written unless it shows all, and the
    summary says how many KPIs were ok. KPIs whose query failed are reported one line each
    on stderr after the others are written, and the command then exits 4.
    """
    with project.engine(connection, timeout, catalog=catalog) as engine:
        evaluation = engine.evaluate(**selection)
    table = evaluation.table
    shown = table
    if check is not None:
        table = check.results(evaluation, engine.catalog)
        shown = check.shown(table)
    if table.num_rows or not evaluation.failures:
        _write_results(shown, engine.catalog, fmt, output)
        _err(check.summary(table, shown) if check is not None else summary(table))
    if evaluation.failures:
        for failure in evaluation.failures:
            _err(f"error: {failure}")
        sys.exit(EXIT_RUNTIME)
    return table


@cli.command()
@run_options
def run(defs, project_dir, disabled, packs, kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend, connection, timeout, fmt, output,
        cache):
    """Compute the selected KPIs and print value, target and status per period and slice."""
    with _errors():
        _check_output(fmt, output)
        project = _project(defs, project_dir, disabled, packs, cache)
        _evaluate(project, connection, timeout, _selection(kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend), fmt, output)


@cli.command()
@run_options
@click.option("--fail-on", multiple=True, type=click.Choice(FAIL_ON), default=("critical",), show_default=True,
              help="A status that makes the exit code 1 (repeatable): warn includes critical; no_data fails an empty "
              "period.")
@click.option("--all", "show_all", is_flag=True, help="Write every row, not only those needing attention.")
def check(defs, project_dir, disabled, packs, kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend, connection, timeout, fmt, output,
          cache, fail_on, show_all):
    """Like run, with the sources' freshness; writes the rows needing attention (--all: every row), and the
    exit code says the worst: 1 if any is critical (or as --fail-on says)."""
    with _errors():
        _check_output(fmt, output)
        project = _project(defs, project_dir, disabled, packs, cache)
        selection = _selection(kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend)
        verdict = Check(fail_on, show_all)
        table = _evaluate(project, connection, timeout, selection, fmt, output, check=verdict)
        if verdict.fails(table):
            sys.exit(EXIT_CHECK_FAILED)


@cli.group(invoke_without_command=True)
@project_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def connections(ctx, project_dir, fmt):
    """The project's named connections (passwords masked); `kpi connections test NAME` checks one."""
    ctx.ensure_object(dict)["project_dir"] = project_dir
    if ctx.invoked_subcommand is not None:
        return
    with _errors():
        project = find_project(project_dir)
        found = get_plugins()
        rows = []
        for profile in project.connections.values():
            scheme = profile.url.split("://", 1)[0].lower()
            spec = found.adapter_for(scheme)
            rows.append({
                "name": profile.name,
                "url": profile.shown(),
                "default": profile.name == project.connection,
                "adapter": spec.name if spec else f"none installed for {scheme}://",
                "timeout": profile.timeout,
            })
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
        elif rows:
            listing = [{**r, "default": "*" if r["default"] else "", "timeout": "" if r["timeout"] is None else f"{r['timeout']:g} s"} for r in rows]
            emit(render_rows(listing, ("name", "default", "url", "adapter", "timeout")), None, sys.stdout.buffer)
        else:
            where = project.file or f"{project.root} (no kpi.yml)"
            _err(f"no connections in {where}; add them under connections: in kpi.yml")


@connections.command("test")
@click.argument("name", metavar="NAME|URL", type=PATH)
@plugins_option
@click.option("--timeout", type=Seconds(), default=10.0, show_default=True, help="Seconds to wait.")
@click.pass_context
def connections_test(ctx, name, disabled, timeout):
    """Open a connection and run a trivial query: ok (exit 0) or why not (exit 4)."""
    import time

    from sqlglot import exp

    with _errors():
        project = find_project(ctx.obj.get("project_dir"))
        resolved = resolve_connection(name, project)
        from ..model import Catalog

        from ..engine import Engine

        engine = Engine(Catalog(root=str(project.root)), resolved, plugins=get_plugins(blocked=disabled), timeout=timeout)
        started = time.perf_counter()
        with engine:
            adapter = engine.connect()
            adapter.execute(exp.select(exp.Literal.number(1)).sql(dialect=adapter.dialect))
        from ..scrub import scrub

        click.echo(scrub(f"ok: {resolved} answered in {time.perf_counter() - started:.2f} s ({engine.adapter_spec.name} adapter)"))


@cli.command()
@defs_argument
@project_option
@plugins_option
@packs_option
@selection_options
@query_options
@click.option("--connection", required=True, type=PATH, metavar="NAME|URL", help="The connection to check.")
@click.option("--against", required=True, type=PATH, metavar="NAME|URL", help="The connection it must agree with.")
@click.option("--timeout", type=Seconds(), help="Statement timeout in seconds (at most 604800, 7 days).")
@click.option("--tolerance", type=Number(min=0), default=1e-9, show_default=True, help="Relative tolerance.")
@click.option("--abs-tolerance", type=Number(min=0), default=1e-12, show_default=True, help="Absolute tolerance.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("-o", "--output", type=PATH, metavar="FILE", help="Write to FILE instead of stdout (atomically).")
@cache_options
def crosscheck(defs, project_dir, disabled, packs, kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend, connection, against, timeout,
               tolerance, abs_tolerance, fmt, output, cache):
    """Run the same KPIs on two connections; list every row that differs (exit 1 if any)."""
    from ..crosscheck import Tolerance, differences, row_count

    with _errors():
        _check_output(fmt, output)
        project = _project(defs, project_dir, disabled, packs, cache)
        catalog = project.catalog
        selection = _selection(kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend)
        tables, labels = [], []
        for which in (connection, against):
            with project.engine(which, timeout, catalog=catalog) as engine:
                tables.append(engine.run(**selection))
                labels.append(str(engine).removeprefix("connection "))
        found = differences(tables[0], tables[1], Tolerance(tolerance, abs_tolerance), by)
        if fmt == "json":
            emit((json.dumps(found, indent=2, default=str) + "\n").encode(), output, sys.stdout.buffer)
        elif found or output:
            emit(render_rows(found, tuple(dict.fromkeys(k for row in found for k in row))), output, sys.stdout.buffer)
        total = row_count(tables, by)
        differing = len({tuple(v for k, v in r.items() if k not in ("field", "left", "right", "difference")) for r in found})
        _err(f"crosscheck: {differing} of {total} rows differ between {labels[0]} (left) and {labels[1]} (right), "
             f"tolerance {tolerance:g}")
        if found:
            sys.exit(EXIT_CHECK_FAILED)


@cli.command()
@plugins_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def plugins(disabled, fmt):
    """What was discovered: each plugin, its distribution and what it provides."""
    found = get_plugins(blocked=disabled, load_adapters=True)
    rows = [
        {"name": i.name, "distribution": i.distribution or "builtin", "provides": list(i.provides), "error": i.error}
        for i in found.infos
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        listing = [
            {**r, "provides": ", ".join(r["provides"]), "status": f"failed: {r['error']}" if r["error"] else "ok"}
            for r in rows
        ]
        emit(render_rows(listing, ("name", "distribution", "provides", "status")), None, sys.stdout.buffer)
    _plugin_warnings(found)


def _demo_end():
    """Midnight after the demo data's last day: the demo's runs are as of then (its "this morning")."""
    from datetime import datetime

    from ..demo.generator import END

    return datetime(END.year, END.month, END.day)


@cli.command()
@project_option
@plugins_option
@packs_option
@selection_options
@query_options
@output_options
@cache_options
@click.option("--seed", type=int, default=None, help="Seed of the generated dataset (default: the documented one).")
@click.option("--scale", type=Number(min=0.01, max=50), default=1.0, show_default=True,
              help="Size of the dataset (1.0 is about 100k sessions over 12 months).")
@default_as_of(_demo_end)
def demo(project_dir, disabled, packs, kpis, dashboard, tags, grain, by, start, end, compare, flat_within, trend, fmt, output, cache, seed,
         scale):
    """Generate the seeded demo dataset, then run the shipped catalog on it in embedded DuckDB.

    Its data ends on 2026-10-31: a --period without --as-of is resolved as of 2026-11-01."""
    from ..demo.database import demo_database
    from ..shipped import shipped_definitions

    with _errors():
        _check_output(fmt, output)
        # The shipped catalog's packs (and --pack's), not the current project's.
        project = _project(str(shipped_definitions()), project_dir, disabled, packs, cache, shipped=True)
        catalog = project.catalog  # before generating data: a missing pack is a quick error
        kwargs = {"scale": scale} if seed is None else {"seed": seed, "scale": scale}
        database = demo_database(**kwargs)
        _err(f"demo data: {database}")
        connection = "duckdb:///" + str(Path(database).resolve())
        # Months by default, like the catalog's monthly targets; a period or range asked for without
        # --grain is that one period, one row per KPI, as on `kpi run`.
        default = "month" if start is None and end is None else None
        selection = _selection(kpis, dashboard, tags, grain or default, by, start, end, compare, flat_within, trend)
        _evaluate(project, connection, None, selection, fmt, output, catalog)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and map every outcome to an exit code: an unexpected error is one line,
    exit 4; Ctrl-C is ``aborted``, exit 130 (SIGTERM 143). The ``kpi`` console script calls
    it through :mod:`kpi_engine.__main__`, which installs the signal handling first."""
    try:
        cli.main(args=argv, prog_name="kpi", standalone_mode=False)
    except interrupts.Interrupted as interrupted:
        interrupts.abort(interrupted.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        interrupts.abort(128 + signal.SIGINT)
    except click.UsageError as error:
        # One line, as every error: click's usage banner would make it three.
        command = error.ctx.command_path if error.ctx is not None else "kpi"
        _err(f"Error: {error.format_message()} (see {command} --help)")
        sys.exit(EXIT_USAGE)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:  # a bug, not bad input: keep it to one line unless debugging
        if os.environ.get(DEBUG_ENV):
            raise
        _err(f"internal error: {type(error).__name__}: {error} (set {DEBUG_ENV}=1 for a traceback)")
        sys.exit(EXIT_RUNTIME)
