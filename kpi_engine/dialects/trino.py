"""Trino (and Presto): ISO weekdays, and differences that count boundaries.

Compiled, not executed here (no Trino in the test setup); pinned by
tests/test_date_parts.py. Trino's ``EXTRACT(DOW ...)`` is the ISO weekday (Monday 1),
not DuckDB's Sunday-0 count, and ``DATE_DIFF`` counts whole intervals where DuckDB counts
boundaries. Date parts (:mod:`~kpi_engine.dialects.timeparts`) are ``EXTRACT(<PART>
FROM t)`` with Trino's fields: ``DAY_OF_WEEK`` for isodow, ``DAY_OF_WEEK % 7`` for dow,
``DAY_OF_YEAR``, ``WEEK`` (ISO), ``YEAR_OF_WEEK``; epoch is the milliseconds from
``TIMESTAMP '1970-01-01 00:00:00'`` (a wall-clock difference, where ``TO_UNIXTIME``
reads a TIMESTAMP in the session time zone). Differences are day boundaries,
``DATE_DIFF('DAY', CAST(a AS DATE), CAST(b AS DATE))``, plus the time of day.
"""

from __future__ import annotations

from sqlglot import exp

from .base import Rules, has_offset
from .timeparts import calendar_diff, cast, extract, number

#: Trino's EXTRACT field for a part, where the name differs.
_FIELDS = {"isodow": "DAY_OF_WEEK", "doy": "DAY_OF_YEAR", "isoyear": "YEAR_OF_WEEK"}
_EPOCH = "1970-01-01 00:00:00"


class TrinoRules(Rules):
    names = ("trino", "presto", "athena")
    # What sqlglot prints for AT TIME ZONE, and Trino's ISO 8601 reader (format: iso).
    functions = frozenset({"AT_TIMEZONE", "FROM_ISO8601_TIMESTAMP"})
    # Trino inlines WITH queries; it has no CTE materialization (trinodb/trino#28085).
    wide_assembly = True

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # FROM_UNIXTIME is a TIMESTAMP WITH TIME ZONE in the session's zone: its UTC time,
        # without the zone.
        seconds = value.copy() if scale == 0 else exp.Div(this=cast(value.copy(), "double"), expression=number(1000))
        return cast(exp.AtTimeZone(this=exp.UnixToTime(this=seconds), zone=exp.Literal.string("UTC")), "timestamp")

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # FROM_ISO8601_TIMESTAMP reads an offset (and text without one in the session's zone).
        instant = exp.Anonymous(this="FROM_ISO8601_TIMESTAMP", expressions=[text.copy()])
        utc = cast(exp.AtTimeZone(this=instant, zone=exp.Literal.string("UTC")), "timestamp")
        return exp.Case(ifs=[exp.If(this=has_offset(text), true=utc)], default=cast(text.copy(), "timestamp"))

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part == "dow":
            return exp.Paren(this=exp.Mod(this=extract("DAY_OF_WEEK", time), expression=number(7)))
        if part == "epoch":
            millis = exp.TimestampDiff(
                this=time.copy(), expression=cast(exp.Literal.string(_EPOCH), "timestamp"), unit=exp.var("MILLISECOND")
            )
            return exp.Div(this=cast(millis, "double"), expression=number(1000))
        return extract(_FIELDS.get(part, part), time)

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            return exp.TimestampDiff(this=cast(b, "date"), expression=cast(a, "date"), unit=exp.var("DAY"))

        return calendar_diff(self, unit, start, end, days)
