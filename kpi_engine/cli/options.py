"""Option decorators shared by the commands (one definition, one help text each)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date, datetime

import click

from ..comparisons import FLAT_WITHIN
from ..errors import SelectionError
from ..model import GRAINS
from ..periods import bounds as period_bounds
from ..renderers import FORMATS


class PeriodBound(click.ParamType):
    """A date (``2025-01-31``) or a timestamp (``2025-01-31T08:00``, ``2025-01-31 08:00:00``)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, (date, datetime)):
            return value
        text = str(value).strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            return datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"'{value}' is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM[:SS])", param, ctx)


def _stack(*decorators: Callable) -> Callable:
    def apply(f: Callable) -> Callable:
        for decorator in reversed(decorators):
            f = decorator(f)
        return f

    return apply


defs_argument = click.argument("defs", required=False, metavar="[DEFS]")

project_option = click.option(
    "--project-dir", envvar="KPI_PROJECT_DIR", help="Project directory (default: found from here upward)."
)
plugins_option = click.option(
    "--disable-plugin", "disabled", multiple=True, metavar="NAME", help="Do not load this plugin (repeatable)."
)
packs_option = click.option(
    "--pack", "packs", multiple=True, metavar="NAME",
    help="Load this installed definition pack too (repeatable; default: the project file's packs).",
)

selection_options = _stack(
    click.option("--kpi", "kpis", multiple=True, metavar="NAME", help="Select a KPI (repeatable)."),
    click.option("--dashboard", metavar="NAME", help="Select the KPIs of a dashboard."),
    click.option("--tag", "tags", multiple=True, metavar="TAG", help="Select the KPIs carrying a tag (repeatable)."),
)

def _named_period(command: Callable) -> Callable:
    """Turn ``--period NAME [--as-of DATE]`` into the ``start``/``end`` the command takes."""

    @functools.wraps(command)
    def wrapper(*args, period=None, as_of=None, **kwargs):
        try:
            kwargs["start"], kwargs["end"] = period_bounds(period, as_of, kwargs.get("start"), kwargs.get("end"))
        except SelectionError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)
        return command(*args, **kwargs)

    return wrapper


query_options = _stack(
    click.option("--grain", type=click.Choice(GRAINS), help="Bucket results by period (weeks start on Monday)."),
    click.option("--by", "by", multiple=True, metavar="DIM", help="Slice by a source dimension (repeatable)."),
    click.option("--from", "start", type=PeriodBound(), help="Period start, inclusive (date or timestamp)."),
    click.option("--to", "end", type=PeriodBound(), help="Period end, exclusive (date or timestamp)."),
    click.option(
        "--period", metavar="NAME",
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
        "--flat-within", "flat_within", type=click.FloatRange(min=0), default=FLAT_WITHIN, show_default=True,
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
        "--cache-dir", metavar="DIR",
        help="Keep parsed definitions and compiled SQL in DIR, so later runs skip both (default: the project "
        "file's cache:). DIR holds pickles: use a folder only you can write.",
    ),
    click.option("--no-cache", is_flag=True, help="Use no cache folder, not even the project file's."),
    _cache_choice,
)

connection_options = _stack(
    click.option("--connection", metavar="URL", help="Where to run: duckdb://, duckdb:///file.db, ... (see README)."),
    click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Statement timeout in seconds."),
)

output_options = _stack(
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."),
    click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout (atomically)."),
)

run_options = _stack(
    defs_argument, project_option, plugins_option, packs_option, selection_options, query_options, connection_options,
    output_options, cache_options,
)
