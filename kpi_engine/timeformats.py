"""Time columns that hold no time: converted when the source says how, refused when not.

A source's ``time`` is read as a time: ``--grain`` buckets it, ``--from``/``--to`` compare
with it. Columns holding Unix epoch numbers or ISO 8601 text say so, and are converted
(by each dialect's :meth:`~kpi_engine.dialects.base.Rules.time_from`)::

    time: {column: ts, format: epoch_s}      # seconds since 1970-01-01 00:00:00 UTC
    time: {column: ts, format: epoch_ms}     # milliseconds
    time: {column: ts, format: iso}          # 2024-01-15, 2024-01-15T10:30:00.5, ...Z, ...+02:00

A converted time is the UTC time without a zone (text without an offset: the time as
written), so ``timezone:`` reads it as local time like any stored UTC time.

What a column holds is checked against that before every run reading a time column,
by a small statement compiled with the request's
(:func:`~kpi_engine.compiler.compile_time_check`, kept in the cache with it); a source
whose column does not fit fails the KPIs reading it with one line saying what to declare,
and the other KPIs run. Without the check, engines disagree and some say nothing: SQLite
reads an integer as a Julian day number (a bucket of NULL) and sorts it before every
text bound (no row in any period), MySQL reads ``DATE(1704067200)`` as NULL and compares
the number with a DATETIME as a number, and DuckDB, PostgreSQL and Spark refuse
``date_trunc`` on a number with a message naming neither the source nor the fix.

- Where the engine types columns (all but SQLite), the check reads the type of the time
  column over no rows: nothing is scanned. A timestamp or a date is a time; numbers need
  ``epoch_s``/``epoch_ms``, text ``iso``; anything else is refused. A column whose type
  the adapter cannot tell (the null type) passes.
- On SQLite each value has its own type: the check reads the smallest and the largest
  value of the column (one pass, or two index lookups). SQLite sorts numbers before text
  and text before blobs, so every value is a text when both are, and a number when both
  are. Without a format, the text must be SQLite's own form of a time (``YYYY-MM-DD``,
  ``YYYY-MM-DD HH:MM[:SS[.fff]]``, what the SQLite rules compare as text); only the
  smallest and the largest are checked for that.
- With ``format: iso``, the check reads the whole column on every engine and counts
  the values not of ISO 8601 form (:data:`~kpi_engine.dialects.base.ISO_PATTERN`), and on
  MySQL and SQLite, which read text that is no time as NULL, those the conversion reads
  so: other engines would fail the statement on some (DuckDB), read others their own way
  (PostgreSQL reads ``05/01/2024`` by its DateStyle, a cast drops a trailing ``PST``).
  One such value refuses the source, and the message names one.

Why refuse, and exit 4: the definitions are valid on their own (``kpi validate`` has no
data to look at); they do not fit this connection's data, like a missing column, and
the same source may be a timestamp column on another warehouse.

This module reads the check's one-row result; it imports no sqlglot (a cached run has
the check's SQL already).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

    from .request import TimeCheck, TimeProbe

#: A time as SQLite's rules compare it, as text: a date, or a date and a time with a space.
SQLITE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
#: An epoch number at least this large counts milliseconds (as seconds it is after year 5000).
MILLISECONDS_FROM = 100_000_000_000
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def unfit(check: TimeCheck, table: pa.Table) -> list[tuple[TimeProbe, str]]:
    """The sources whose time column does not hold what their definition says, each with
    the one-line reason (``file:line:col: time column ...``), from the check's result."""
    if table.num_rows != 1:
        return []  # an adapter that did not return the one row: nothing can be told
    found = []
    for probe in check.probes:
        message = _reason(check, probe, table)
        if message is not None:
            found.append((probe, f"{probe.location}: {message}"))
    return found


def _reason(check: TimeCheck, probe: TimeProbe, table: pa.Table) -> str | None:
    def value(position: int | None) -> Any:
        return None if position is None or position >= table.num_columns else table.column(position)[0].as_py()

    if probe.low >= table.num_columns:
        return None
    if check.typed:
        seen = {_kind(table.schema.field(probe.low).type): None}
    else:  # each value of its kind, the smallest first
        seen = {}
        for found in (value(probe.low), value(probe.high)):
            seen.setdefault(_kind_of(found), found)
    seen.pop("unknown", None)
    reason = _mismatch(probe, seen, value(probe.low), value(probe.high), check.typed)
    if reason is None and probe.bad is not None and value(probe.bad):
        count = value(probe.bad)
        reason = (f"time column {_shown(probe.column)} of source {probe.source} holds {count} value"
                  f"{'s' if count != 1 else ''} that {'are' if count != 1 else 'is'} no ISO 8601 time, e.g. "
                  f"{_example(value(probe.example))} (format: iso reads 2024-01-15, 2024-01-15T10:30:00.5, "
                  "with Z or +HH:MM); fix the data or convert it in a sql: source")
    return reason


def _mismatch(probe: TimeProbe, seen: dict[str, Any], low: Any, high: Any, typed: bool) -> str | None:
    """Why the values ``seen`` (kind: one such value, or None where only the type is known) do not fit."""
    what = f"time column {_shown(probe.column)} of source {probe.source}"
    kinds = list(seen)

    def example(kind: str) -> str:
        return f" (e.g. {_example(seen[kind])})" if seen.get(kind) is not None else ""

    others = [k for k in kinds if k not in ("time", "number", "text")]
    if others:
        fix = f"drop format: {probe.format} and " if probe.format else ""
        return f"{what} holds {others[0]} values, not times; {fix}give a column or expression holding times"
    if probe.format is None:
        if "number" in kinds:
            sample = seen["number"]
            guess = "epoch_ms" if isinstance(sample, (int, float)) and abs(sample) >= MILLISECONDS_FROM else "epoch_s"
            other = "epoch_s for seconds" if guess == "epoch_ms" else "epoch_ms for milliseconds"
            return (f"{what} holds numbers{example('number')}, not times; if they count time since 1970-01-01 UTC, "
                    f"declare time: {_mapping(probe.column, guess)} ({other})")
        if "text" in kinds and typed:
            return (f"{what} holds text, not times; if it is ISO 8601 (2024-01-15T10:30:00, with Z or +HH:MM or "
                    f"without), declare time: {_mapping(probe.column, 'iso')}")
        if "text" in kinds:
            odd = next((v for v in (low, high) if isinstance(v, str) and not SQLITE_TIME.fullmatch(v)), None)
            if odd is not None:
                return (f"{what} holds text SQLite cannot compare as a time, e.g. {_example(odd)} (it compares "
                        f"'YYYY-MM-DD HH:MM:SS' as text); if it is ISO 8601, declare time: "
                        f"{_mapping(probe.column, 'iso')}")
        return None
    if "time" in kinds:
        return f"{what} holds times already: drop format: {probe.format} (write time: {probe.column})"
    if probe.format in ("epoch_s", "epoch_ms") and "text" in kinds:
        return (f"{what} holds text{example('text')}, not the numbers format: {probe.format} reads; for ISO 8601 "
                "text, declare format: iso")
    if probe.format == "iso" and "number" in kinds:
        return (f"{what} holds numbers{example('number')}, not the text format: iso reads; for time since "
                "1970-01-01 UTC, declare format: epoch_s or epoch_ms")
    return None


def _kind(type_: pa.DataType) -> str:
    """What a column of Arrow type ``type_`` holds: time, number, text, unknown, or the type's name."""
    import pyarrow as pa

    if pa.types.is_timestamp(type_) or pa.types.is_date(type_):
        return "time"
    if pa.types.is_integer(type_) or pa.types.is_floating(type_) or pa.types.is_decimal(type_):
        return "number"
    if pa.types.is_string(type_) or pa.types.is_large_string(type_) or getattr(pa.types, "is_string_view", bool)(type_):
        return "text"
    if pa.types.is_null(type_):
        return "unknown"
    if pa.types.is_binary(type_) or pa.types.is_large_binary(type_):
        return "binary"
    if pa.types.is_boolean(type_):
        return "boolean"
    if pa.types.is_time(type_):
        return "time-of-day"
    if pa.types.is_duration(type_) or pa.types.is_interval(type_):
        return "duration"
    return str(type_)


def _kind_of(value: Any) -> str:
    """What one value SQLite returned is (each value has its own type there)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "binary"
    return type(value).__name__


def _mapping(column: str, time_format: str) -> str:
    """``{column: ts, format: epoch_s}`` as YAML, the column quoted unless a plain name."""
    shown = column if _NAME.fullmatch(column) else json.dumps(column)
    return f"{{column: {shown}, format: {time_format}}}"


def _shown(column: str) -> str:
    return column if _NAME.fullmatch(column) else json.dumps(column)


def _example(value: Any) -> str:
    """A value from the data, short and on one line."""
    text = repr(value) if isinstance(value, str) else str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    return text if len(text) <= 40 else text[:37] + "..."
