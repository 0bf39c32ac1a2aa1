"""Option decorators shared by the commands (one definition, one help text each)."""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable
from datetime import date, datetime

import click

from ..comparisons import FLAT_WITHIN
from ..errors import SelectionError
from ..model import GRAINS
from ..periods import BOUND_FORMAT, bound_problem, parse_bound
from ..periods import bounds as period_bounds
from ..renderers import FORMATS
from ..specs import timeout_problem


#: Longest value a name option takes (--kpi, --by, --dialect, ...), and a path or URL.
NAME_LIMIT, PATH_LIMIT = 200, 4096


def shown(text: str, limit: int = 60) -> str:
    """``text`` quoted for a one-line message: control characters escaped, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "...")


class Text(click.ParamType):
    """A name, path or URL: not empty, only printable characters (no NUL, newline, tab or
    Unicode line separator), at most ``limit`` characters.

    Every text option goes through it, so a value echoed in a message keeps it one short line.
    """

    name = "text"

    def __init__(self, limit: int = NAME_LIMIT):
        self.limit = limit

    def convert(self, value, param, ctx):
        text = str(value)
        if not text.strip():
            self.fail("must not be empty", param, ctx)
        if not text.isprintable():
            self.fail(f"{shown(text)} contains a non-printable character", param, ctx)
        if len(text) > self.limit:
            self.fail(f"{shown(text)} is {len(text):,} characters long, more than {self.limit:,}", param, ctx)
        return text


NAME, PATH = Text(NAME_LIMIT), Text(PATH_LIMIT)


class Number(click.FloatRange):
    """A float range that also refuses nan and infinities (which pass click's own range checks)."""

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{number} is not a finite number", param, ctx)
        return number


class Seconds(click.ParamType):
    """A statement timeout: seconds within :data:`~kpi_engine.specs.MIN_TIMEOUT` .. ``MAX_TIMEOUT``."""

    name = "seconds"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{shown(str(value))} is not a number of seconds", param, ctx)
        problem = timeout_problem(number)
        if problem:
            self.fail(problem, param, ctx)
        return number


class PeriodBound(click.ParamType):
    """A date (``2025-01-31``) or a local timestamp (``2025-01-31T08:00``, ``2025-01-31 08:00:00``)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, (date, datetime)):
            moment = value
        else:
            text = str(value).strip()
            try:
                moment = parse_bound(text)
            except ValueError:
                self.fail(f"{shown(text)} is not {BOUND_FORMAT}", param, ctx)
        problem = bound_problem(moment)
        if problem:
            self.fail(problem, param, ctx)
        return moment


def _stack(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


defs_argument = click.argument("defs", required=False, metavar="[DEFS]", type=PATH)

project_option = click.option(
    "--project-dir", envvar="KPI_PROJECT_DIR", type=PATH, metavar="DIR",
    help="Project directory (default: found from here upward)."
)
plugins_option = click.option(
    "--disable-plugin", "disabled", multiple=True, type=NAME, metavar="NAME", help="Do not load this plugin (repeatable)."
)
packs_option = click.option(
    "--pack", "packs", multiple=True, type=NAME, metavar="NAME",
    help="Load this installed definition pack too (repeatable; default: the project file's packs).",
)

selection_options = _stack(
    click.option("--kpi", "kpis", multiple=True, type=NAME, metavar="NAME", help="Select a KPI (repeatable)."),
    click.option("--dashboard", type=NAME, metavar="NAME", help="Select the KPIs of a dashboard."),
    click.option("--tag", "tags", multiple=True, type=NAME, metavar="TAG", help="Select the KPIs carrying a tag (repeatable)."),
)

AS_OF = "kpi_engine.as_of"


def as_of_moment():
    """The ``--as-of`` of the running command (or its :func:`default_as_of`), ``None`` for the clock's now."""
    context = click.get_current_context(silent=True)
    return context.meta.get(AS_OF) if context is not None else None


def default_as_of(day: Callable[[], object]) -> Callable[[Callable], Callable]:
    """Resolve a ``--period`` given without ``--as-of`` for ``day()`` instead of today (the demo's data end)."""

    def mark(command: Callable) -> Callable:
        command.default_as_of = day
        return command

    return mark


def _named_period(command: Callable) -> Callable:
    """Turn ``--period NAME [--as-of DATE]`` into the ``start``/``end`` the command takes."""
    default = getattr(command, "default_as_of", None)

    @functools.wraps(command)
    def wrapper(*args, period=None, as_of=None, **kwargs):
        if as_of is None and default is not None:
            as_of = default()
        # The as-of moment that freshness and completeness are measured to (see as_of_moment).
        click.get_current_context().meta[AS_OF] = as_of
        if period is None and default is not None:
            as_of = None  # the command's own default alone is no --as-of without --period
        try:
            kwargs["start"], kwargs["end"] = period_bounds(period, as_of, kwargs.get("start"), kwargs.get("end"))
        except SelectionError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        return command(*args, **kwargs)

    return wrapper


query_options = _stack(
    click.option("--grain", type=click.Choice(GRAINS), help="Bucket results by period (weeks start on Monday)."),
    click.option("--by", "by", multiple=True, type=NAME, metavar="DIM", help="Slice by a source dimension (repeatable)."),
    click.option("--from", "start", type=PeriodBound(), help="Period start, inclusive (date or timestamp)."),
    click.option("--to", "end", type=PeriodBound(), help="Period end, exclusive (date or timestamp)."),
    click.option(
        "--period", type=NAME, metavar="NAME",
        help="A named period instead of --from/--to: today, yesterday, last_N_days|weeks|months|quarters|years, "
        "wtd, mtd, qtd, ytd, previous_week|month|quarter|year.",
    ),
    click.option(
        "--as-of", "as_of", type=PeriodBound(),
        help="The day --period is resolved for (default: today), so a report can be reproduced.",
    ),
    click.option(
        "--compare", type=click.Choice(("previous_period", "same_period_last_year")),
        help="Add each row's value over the comparison range: compare_value, change, change_ratio, verdict.",
    ),
    click.option(
        "--flat-within", "flat_within", type=Number(min=0), default=FLAT_WITHIN, show_default=True,
        help="A change of at most this share of the compared value is 'flat'.",
    ),
    click.option(
        "--trend", type=click.IntRange(min=2), metavar="N",
        help="Add the trend over the last N buckets (needs --grain) and the weather: sunny, cloudy, stormy.",
    ),
    _named_period,
)

def _cache_choice(command: Callable) -> Callable:
    """Turn ``--cache-dir DIR`` / ``--no-cache`` into one ``cache`` argument: a path, False, or None (the project's)."""

    @functools.wraps(command)
    def wrapper(*args, cache_dir=None, no_cache=False, **kwargs):
        return command(*args, cache=False if no_cache else cache_dir, **kwargs)

    return wrapper


cache_options = _stack(
    click.option(
        "--cache-dir", type=PATH, metavar="DIR",
        help="Keep parsed definitions and compiled SQL in DIR, so later runs skip both (default: the project "
        "file's cache:). DIR holds pickles: use a folder only you can write.",
    ),
    click.option("--no-cache", is_flag=True, help="Use no cache folder, not even the project file's."),
    _cache_choice,
)

connection_options = _stack(
    click.option("--connection", type=PATH, metavar="URL", help="Where to run: duckdb://, duckdb:///file.db, ... (see README)."),
    click.option("--timeout", type=Seconds(), help="Statement timeout in seconds (at most 604800, 7 days)."),
)

output_options = _stack(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."),
    click.option("-o", "--output", type=PATH, metavar="FILE", help="Write to FILE instead of stdout (atomically)."),
)

run_options = _stack(
    defs_argument, project_option, plugins_option, packs_option, selection_options, query_options, connection_options,
    output_options, cache_options,
)
