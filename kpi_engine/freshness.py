"""Freshness, completeness and maturity: verdicts about time, measured to the as-of moment.

The *as-of moment* is when a report is for: the end of ``--as-of``'s day when one is given
(``kpi check --period mtd --as-of 2026-12-07`` covers the 7th), but never later than the
clock's now, which is also the moment without ``--as-of`` (so the scheduler's run on the
morning of the 7th measures yesterday's data to 7 o'clock). Each source's *newest* time value before it is read
in one small statement (:func:`kpi_engine.compiler.compile_newest`), and gives:

- **freshness** (``freshness: {warn_after: 1d, critical_after: 2d}`` on a source): the
  newest value's age at the as-of moment against those limits; a source with no row
  at all before it is ``critical``. :func:`freshness_rows` makes one row per such source
  (``kpi`` is ``freshness:<source>``, ``value`` the age in seconds), judged like a KPI.
- **completeness**: a bucket is complete when it ends by the as-of moment and the data of
  every source its KPI reads reaches the bucket's last day (the newest value lies on or
  after it). :func:`add_complete` adds ``complete`` to every row with a ``period_start``.
  An incomplete row of a ``target_period`` total is judged by its pace (the span it
  covers stops at that point, :func:`cutoff`); other rows are judged as they are.
- **maturity** (``mature_after: 90d`` on a cohort KPI such as lead conversion): a row whose
  span ended less than that before the as-of moment is ``no_data``, with a note, since its
  cohort has not had time to convert or churn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pyarrow as pa

from . import durations
from attrs import field, frozen

from .arrowcols import booleans, floats, strings
from .model import Catalog, Kpi, Source
from .periods import as_datetime, period_start, shift


@frozen
class Timing:
    """The as-of moment ``at``; ``newest``: each source's newest local time value before it
    (``None`` when not read, or when reading failed: ``error`` says why)."""

    at: datetime
    newest: Mapping[str, datetime | None] | None = field(default=None, eq=False)
    error: str | None = None

    def cutoff(self, catalog: Catalog, kpi: Kpi) -> datetime:
        """Up to when a row of ``kpi`` has its data (the as-of moment without the newest values)."""
        return cutoff(catalog, kpi, self.newest, self.at) if self.newest is not None else self.at

    def freshness(self, catalog: Catalog, table: pa.Table) -> pa.Table:
        """:func:`freshness_rows` for the sources the KPIs of ``table`` read, shaped like
        :func:`with_note` of it."""
        names = dict.fromkeys(s for k in dict.fromkeys(table.column("kpi").to_pylist()) if k in catalog.kpis
                              for s in sources_read(catalog.kpis, catalog.kpis[k]))
        newest = self.newest if self.newest is not None else {}
        return freshness_rows(catalog, names, newest, self.at, with_note(table).schema, self.error)


def with_note(table: pa.Table) -> pa.Table:
    """``table`` with a ``note`` column (empty when it had none): freshness rows always carry one."""
    if "note" in table.column_names:
        return table
    return table.append_column("note", pa.nulls(table.num_rows, pa.string()))


def moment(as_of: date | datetime | None) -> datetime:
    """The as-of moment: ``as_of`` itself when it is a timestamp; the end of its day when it is a
    date (a report for a day covers that day), but never later than now on the machine's clock,
    which is also the moment without ``as_of``."""
    return moment_of(as_of)[0]


def moment_of(as_of: date | datetime | None) -> tuple[datetime, bool]:
    """(:func:`moment`, whether it is the clock's now)."""
    now = datetime.now().replace(microsecond=0)
    if as_of is None:
        return now, True
    if isinstance(as_of, datetime):
        return as_of.replace(tzinfo=None), False
    end = _later(as_of, lambda day: day + timedelta(days=1))
    return (now, True) if now < end else (end, False)


def sources_read(kpis: Mapping[str, Kpi], kpi: Kpi) -> tuple[str, ...]:
    """The sources a KPI reads, through the KPIs a formula is built from (looked up in ``kpis``)."""
    found: dict[str, None] = dict.fromkeys(kpi.sources)
    for part in kpi.depends_on:
        found.update(dict.fromkeys(sources_read(kpis, kpis[part])))
    return tuple(found)


def stored(source: Source, local: datetime) -> datetime:
    """A local moment as the source's time is stored: UTC for a source with a time zone."""
    if source.timezone is None:
        return local
    try:
        return local.replace(tzinfo=ZoneInfo(source.timezone)).astimezone(timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError):  # within a day of the calendar's ends: as stored
        return local


def newest_values(table: pa.Table, sources: Mapping[str, Source]) -> dict[str, datetime | None]:
    """``{source: newest local time}`` from :func:`compile_newest`'s result, whatever type the
    engine returned (a timestamp, a date, ISO text)."""
    out: dict[str, datetime | None] = {}
    for name, value in zip(table.column("source").to_pylist(), table.column("newest").to_pylist()):
        out[name] = _local(sources[name], _as_time(value))
    return out


def _as_time(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return as_datetime(value)
    return None


def _local(source: Source, value: datetime | None) -> datetime | None:
    if value is None or source.timezone is None:
        return value
    return value.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(source.timezone)).replace(tzinfo=None)


def data_end(newest: datetime | None) -> datetime | None:
    """Where a source's data counts as complete up to: the end of its newest value's day."""
    if newest is None:
        return None
    return _later(newest.date(), lambda day: day + timedelta(days=1))


def bucket_end(first: date, grain: str) -> datetime:
    """The end of the ``grain`` bucket holding ``first`` (past 9999-12-31: :data:`datetime.max`)."""
    return _later(first, lambda day: shift(period_start(day, grain), grain, 1))


def _later(day: date, step) -> datetime:
    try:
        return as_datetime(step(day))
    except (OverflowError, ValueError):  # the end of the calendar Python represents
        return datetime.max


def cutoff(catalog: Catalog, kpi: Kpi, newest: Mapping[str, datetime | None], at: datetime) -> datetime:
    """Up to when a row of ``kpi`` has its data: the as-of moment, or earlier where a source's data ends."""
    ends = [data_end(newest.get(name)) for name in sources_read(catalog.kpis, kpi) if name in newest]
    if any(end is None for end in ends):
        return datetime.min  # a source without any row: nothing is complete
    return min([at, *ends])


def add_complete(table: pa.Table, grain: str, cutoffs: Mapping[str, datetime]) -> pa.Table:
    """Append ``complete`` to a table with ``period_start``: whether each whole bucket (not cut at
    the request's end: a week of which only Monday was asked for is not a complete week) ends by
    its KPI's cutoff (:meth:`Timing.cutoff`: where the data it reads reaches)."""
    flags = [None if first is None else bucket_end(first, grain) <= cutoffs[name]
             for name, first in zip(table.column("kpi").to_pylist(), table.column("period_start").to_pylist())]
    return table.append_column("complete", booleans(flags))


def immature(kpi: Kpi, span_end: datetime | None, at: datetime) -> str | None:
    """Why a row of a cohort KPI is not judged yet (its span ended less than ``mature_after``
    before the as-of moment), or ``None``."""
    if kpi.mature_after is None or span_end is None:
        return None
    if span_end <= at - kpi.mature_after:
        return None
    return (f"cohort still maturing: its period ends {span_end:%Y-%m-%d}, less than "
            f"{durations.shown(kpi.mature_after)} (mature_after) before {at:%Y-%m-%d}")


def freshness_rows(catalog: Catalog, names: Iterable[str], newest: Mapping[str, datetime | None], at: datetime,
                   columns: pa.Schema, error: str | None = None) -> pa.Table:
    """One judged row per source with ``freshness:``, shaped like the result table's ``columns``:
    ``kpi`` ``freshness:<source>``, ``value`` the newest value's age in seconds, ``status``
    ``critical``/``warn``/``ok``, ``note`` when it was newest."""
    rows = []
    for name in names:
        source = catalog.sources[name]
        limits = source.freshness
        if limits is None:
            continue
        value = newest.get(name)
        limit_text = ", ".join(f"{what} {durations.shown(after)}" for what, after in
                               (("warn after", limits.warn_after), ("critical after", limits.critical_after))
                               if after is not None)
        if error is not None:
            status, age, note = "critical", None, f"newest row unknown: {error}"
        elif value is None:
            status, age, note = "critical", None, f"no row before {at:%Y-%m-%d %H:%M} ({limit_text})"
        else:
            age = (at - value).total_seconds()
            late = [(after, s) for after, s in ((limits.critical_after, "critical"), (limits.warn_after, "warn"))
                    if after is not None and age > after.total_seconds()]
            status = late[0][1] if late else "ok"
            note = f"newest row {value:%Y-%m-%d %H:%M}, {_age(age)} before {at:%Y-%m-%d %H:%M} ({limit_text})"
        rows.append({"kpi": f"freshness:{name}", "value": age, "status": status, "note": note})
    arrays = []
    for column in columns:
        values = [row.get(column.name) for row in rows]
        if column.name in ("kpi", "status", "note"):
            arrays.append(strings(values))
        elif column.name == "value":
            arrays.append(floats(values))
        else:  # nothing of a source's freshness goes there
            arrays.append(pa.nulls(len(rows), column.type))
    return pa.Table.from_arrays(arrays, schema=columns)


def _age(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"
