"""Result renderers: terminal table, JSON, CSV and Parquet, from a judged ``pyarrow.Table``."""

from __future__ import annotations

import io
import json
import math
from collections import Counter
from datetime import date, datetime
from typing import IO, TYPE_CHECKING

from . import formatting, interrupts, output_file
from .model import Band, Catalog

if TYPE_CHECKING:  # only annotations: `kpi --version` and `kpi validate` never load pyarrow
    import pyarrow as pa

FORMATS = ("table", "json", "csv", "parquet")
STATUS_STYLE = {"ok": "green", "warn": "yellow", "critical": "bold red", "no_data": "dim", "unrated": "cyan"}


def _jsonable(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def to_records(table: pa.Table, catalog: Catalog) -> list[dict]:
    """Rows as dicts with DESIGN.md's JSON keys; a range target is ``[low, high]``."""
    records = []
    for row in table.to_pylist():
        record = {k: _jsonable(v) for k, v in row.items()}
        kpi = catalog.kpis.get(row.get("kpi"))
        if kpi is not None and isinstance(kpi.target, Band):
            record["target"] = [kpi.target.low, kpi.target.high]
        records.append(record)
    return records


def render_json(table: pa.Table, catalog: Catalog) -> bytes:
    return (json.dumps(to_records(table, catalog), indent=2) + "\n").encode()


def render_csv(table: pa.Table, catalog: Catalog) -> bytes:
    import pyarrow.csv as pacsv

    sink = io.BytesIO()
    pacsv.write_csv(table, sink)
    return sink.getvalue()


def render_parquet(table: pa.Table, catalog: Catalog) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _points(change: float | None) -> str:
    """A change of a percentage, in percentage points (0.021 -> '+2.10 pt')."""
    return "" if change is None else f"{change * 100:+.2f} pt"


#: The widest the terminal table's note may be (the full text is in JSON, CSV and Parquet).
NOTE_WIDTH = 60


def render_table(table: pa.Table, catalog: Catalog, *, color: bool = False, width: int | None = None) -> bytes:
    """An aligned terminal table with values formatted by unit."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    compared = ("compare_value", "change", "change_ratio", "verdict", "trend", "weather", "pace", "pace_status")
    shown = ("kpi", "numerator", "denominator", "value", "sample", "low", "high", "target", "attainment", "status",
             "complete", "note", *compared)
    keys = [c for c in table.column_names if c not in shown]
    # Marked only where a row is incomplete: a column of "yes" says nothing.
    partial = "complete" in table.column_names and False in table.column("complete").to_pylist()
    notes = "note" in table.column_names
    # A rate with confidence shows its interval beside its value; a declared sample beside the sides.
    intervals = "low" in table.column_names
    samples = "sample" in table.column_names
    comparing = "compare_value" in table.column_names
    grid = Table(show_edge=False, header_style="bold", pad_edge=False, box=None, padding=(0, 2, 0, 0))
    grid.add_column("kpi", no_wrap=True)
    for key in keys:
        grid.add_column("period" if key == "period_start" else key, no_wrap=True)
    for name in ("value", *(("interval",) if intervals else ()), "target", "attain.", "status",
                 *(("complete",) if partial else ()), "numerator", "denominator", *(("sample",) if samples else ())):
        grid.add_column(name, justify="left" if name in ("status", "complete") else "right", no_wrap=True)
    if comparing:
        for name in ("compare", "change", "change %", "verdict"):
            grid.add_column(name, justify="left" if name == "verdict" else "right", no_wrap=True)
    paced = "pace" in table.column_names
    if paced:
        grid.add_column("pace", justify="right", no_wrap=True)
        grid.add_column("pace status", no_wrap=True)
    summaries = [c for c in ("trend", "weather") if c in table.column_names]
    for name in summaries:
        grid.add_column(name, no_wrap=True)
    if notes:
        # The note is prose: it is what gets cut at the terminal's width, never a number or a period.
        grid.add_column("note", no_wrap=True, max_width=NOTE_WIDTH, overflow="ellipsis")
    for row in table.to_pylist():
        kpi = catalog.kpis.get(row["kpi"])
        if kpi is not None:
            kpi = kpi.for_row(row)  # the line this row was judged against (its target rule, if any)
        unit = kpi.unit if kpi is not None else "seconds"  # else a source's freshness: the age of its newest row
        # The row's own target (a total's is prorated to the time it covers); a range's band from the KPI.
        target = row.get("target")
        if target is None and kpi is not None and isinstance(kpi.target, Band) and row["status"] != "unrated":
            target = kpi.target
        side_unit = "count" if unit in ("percent", "ratio") else unit
        status = row["status"]
        cells = [row["kpi"]]
        cells += ["" if row[k] is None else str(row[k]) for k in keys]
        cells.append(formatting.number(row["value"], unit))
        if intervals:
            cells.append(formatting.interval(row["low"], row["high"], unit))
        cells += [
            formatting.line(target, unit),
            formatting.number(row["attainment"], "percent"),
            Text(status, style=STATUS_STYLE.get(status, "")),
            *((("no" if row["complete"] is False else "yes" if row["complete"] else ""),) if partial else ()),
            formatting.number(row["numerator"], side_unit),
            formatting.number(row["denominator"], "count" if unit in ("percent", "ratio", "currency") else side_unit),
        ]
        if samples:
            cells.append(formatting.number(row["sample"], "count"))
        if comparing:
            cells += [
                formatting.number(row["compare_value"], unit),
                _points(row["change"]) if unit == "percent" else formatting.number(row["change"], unit),
                formatting.number(row["change_ratio"], "percent"),
                row["verdict"] or "",
            ]
        if paced:
            cells += [formatting.number(row["pace"], unit), row["pace_status"] or ""]
        cells += [row[c] or "" for c in summaries]
        if notes:
            cells.append(row["note"] or "")
        grid.add_row(*cells)
    sink = io.StringIO()
    console = Console(file=sink, width=width or 240, force_terminal=color, no_color=not color, highlight=False)
    console.print(grid)
    return "\n".join(line.rstrip() for line in sink.getvalue().splitlines()).encode() + b"\n"


def render_rows(rows: list[dict], columns: tuple[str, ...], *, width: int | None = None) -> bytes:
    """Plain aligned text for listings (``kpi list``, ``kpi plugins``): a header and one line per row."""
    from rich.console import Console
    from rich.table import Table

    grid = Table(show_edge=False, header_style="bold", pad_edge=False, box=None, padding=(0, 2, 0, 0))
    for column in columns:
        grid.add_column(column, no_wrap=True)
    for row in rows:
        grid.add_row(*("" if row.get(c) is None else str(row[c]) for c in columns))
    sink = io.StringIO()
    Console(file=sink, width=width or 240, no_color=True, highlight=False).print(grid)
    return "\n".join(line.rstrip() for line in sink.getvalue().splitlines()).encode() + b"\n"


RENDERERS = {"json": render_json, "csv": render_csv, "parquet": render_parquet}


def summary(table: pa.Table) -> str:
    """``12 results for 4 KPIs: 8 ok, 2 warn, 1 critical, 1 no_data``."""
    counts = Counter(table.column("status").to_pylist())
    kpis = len(set(table.column("kpi").to_pylist()))
    from .compliance import STATUSES

    parts = [f"{counts[s]} {s}" for s in STATUSES if counts[s]]
    return f"{table.num_rows} results for {kpis} KPIs: {', '.join(parts) or 'nothing'}"


def emit(data: bytes, output: str | None, stdout: IO[bytes]) -> None:
    """Write ``data`` to ``stdout`` (no ``output``, ``-`` or ``/dev/stdout``) or where ``output``
    points, as :mod:`kpi_engine.output_file` says. Nothing is written once Ctrl-C has arrived."""
    interrupts.check()
    if output in (None, "-") or output_file.descriptor(output) == 1:
        stdout.write(data)
        stdout.flush()
    else:
        output_file.write(output, data)
