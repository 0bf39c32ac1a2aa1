"""Time zones: a source's ``timezone:`` turns its UTC time column into local time.

Time columns hold instants in UTC (naive timestamps are read as UTC). With
``timezone: Europe/Berlin`` on a source (or ``timezone:`` in the project file for every
source without one), the engine buckets and filters that source by local time in the
zone: ``--grain day`` is the local calendar day, ``--from 2024-03-31`` local midnight,
across daylight-saving changes too. Without a time zone, times are used as stored.

Engines with IANA time zones convert natively (DuckDB, PostgreSQL: ``AT TIME ZONE``;
Spark: ``FROM_UTC_TIMESTAMP``; Snowflake, BigQuery, Trino likewise). SQLite has no time
zones, and MySQL/MariaDB know named zones only when their time-zone tables are loaded,
which most servers lack; there the local time is the UTC time plus the zone's offset,
chosen by a ``CASE`` over the zone's transitions between 1970 and 2100 (taken from
Python's ``zoneinfo``), which is exact.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_UTC = timezone.utc
_FIRST, _LAST = datetime(1970, 1, 1, tzinfo=_UTC), datetime(2100, 1, 1, tzinfo=_UTC)


def known(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _offset(zone: ZoneInfo, moment: datetime) -> int:
    return int(moment.astimezone(zone).utcoffset().total_seconds())


@lru_cache(maxsize=64)
def transitions(name: str) -> tuple[int, tuple[tuple[datetime, int], ...]]:
    """(offset before the first change, ((UTC instant of a change, offset from then on), ...)), in seconds.

    Found by stepping through the years a day at a time and narrowing each change down to
    the second: zoneinfo does not list its transitions.
    """
    zone = ZoneInfo(name)
    changes: list[tuple[datetime, int]] = []
    day = timedelta(days=1)
    moment, current = _FIRST, _offset(zone, _FIRST)
    first = current
    while moment < _LAST:
        following = moment + day
        offset = _offset(zone, following)
        if offset != current:
            low, high = moment, following  # the change lies in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _offset(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            changes.append((high.replace(tzinfo=None), offset))
            current = offset
        moment = following
    return first, tuple(changes)


def offsets_between(name: str, start: datetime | None, end: datetime | None) -> tuple[int, tuple[tuple[datetime, int], ...]]:
    """The zone's offset at ``start`` and its changes up to ``end`` (two days' margin each side,
    since the bounds are local times), or the whole table when a bound is open."""
    first, changes = transitions(name)
    if start is None or end is None:
        return first, changes
    low, high = start - timedelta(days=2), end + timedelta(days=2)
    offset = first
    kept = []
    for moment, value in changes:
        if moment <= low:
            offset = value
        elif moment < high:
            kept.append((moment, value))
    return offset, tuple(kept)


def default_timezone(catalog, zone: str):
    """``catalog`` with ``zone`` on every source that has a time column and no time zone of its own."""
    from attrs import evolve

    sources = {
        name: evolve(source, timezone=zone) if source.timezone is None and source.time is not None else source
        for name, source in catalog.sources.items()
    }
    return evolve(catalog, sources=sources)
