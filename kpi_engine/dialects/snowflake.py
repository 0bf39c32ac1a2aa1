"""Snowflake: date parts that do not depend on the session's WEEK_START.

Compiled, not executed here (no Snowflake in the test setup); pinned by
tests/test_date_parts.py. What sqlglot renders for a DuckDB-read part passes through
``DATE_PART``, whose ``DAYOFWEEK`` and ``WEEK`` follow the WEEK_START and
WEEK_OF_YEAR_POLICY session parameters. The parts here do not
(:mod:`~kpi_engine.dialects.timeparts`): ``DAYOFWEEKISO`` for isodow,
``DAYOFWEEKISO % 7`` for dow, ``WEEKISO``, ``YEAROFWEEKISO``, and epoch from
``EPOCH_MICROSECOND`` (``EPOCH_SECOND`` drops the fraction). Snowflake's ``DATEDIFF``
counts boundaries like DuckDB's for every unit but the week, which Snowflake counts at
week starts and DuckDB as whole days / 7: weeks are ``DATEDIFF(DAY, a, b)`` / 7
truncated.
"""

from __future__ import annotations

from sqlglot import exp

from .base import Rules, has_offset
from .timeparts import cast, extract, number

#: Snowflake's DATE_PART part for a part, where the name differs.
_FIELDS = {"isodow": "DAYOFWEEKISO", "doy": "DAYOFYEAR", "week": "WEEKISO", "isoyear": "YEAROFWEEKISO"}


class SnowflakeRules(Rules):
    names = ("snowflake",)
    wide_assembly = False  # Snowflake computes a WITH clause once and reads it per reference (WithReference)

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # TO_TIMESTAMP(number, scale) is the UTC time, a TIMESTAMP_NTZ (the default mapping).
        return exp.UnixToTime(this=value.copy(), scale=number(scale))

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # A cast to TIMESTAMP_NTZ ignores an offset: text with one is read as a
        # TIMESTAMP_TZ, converted to UTC and cast back (keeping the UTC time).
        utc = exp.AtTimeZone(this=cast(text.copy(), "timestamptz"), zone=exp.Literal.string("UTC"))
        return exp.Case(ifs=[exp.If(this=has_offset(text), true=cast(utc, "timestamp"))], default=cast(text.copy(), "timestamp"))

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part == "dow":
            return exp.Paren(this=exp.Mod(this=extract("DAYOFWEEKISO", time), expression=number(7)))
        if part == "epoch":
            return exp.Div(this=cast(extract("EPOCH_MICROSECOND", time), "double"), expression=number(1_000_000))
        return extract(_FIELDS.get(part, part), time)

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        if unit == "week":
            days = exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var("DAY"))
            return exp.IntDiv(this=days, expression=number(7))
        return exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var(unit.upper()))
