"""BigQuery: Monday weeks must be asked for, and period bounds must fit the column's type.

Date parts (:mod:`~kpi_engine.dialects.timeparts`; compiled, not executed here):
BigQuery's ``EXTRACT`` has no ISODOW or DOW and its ``DAYOFWEEK`` counts from Sunday = 1;
its ``WEEK`` starts on Sunday. Parts are ``EXTRACT(<PART> FROM t)`` (INT64) with
``ISOWEEK``, ``ISOYEAR`` and ``DAYOFYEAR``; dow ``EXTRACT(DAYOFWEEK FROM t) - 1``, isodow
``MOD(EXTRACT(DAYOFWEEK FROM t) + 5, 7) + 1``, epoch ``UNIX_MICROS(CAST(t AS TIMESTAMP))
/ 1000000`` (a DATETIME read as UTC). Differences are day boundaries,
``DATE_DIFF(DATE(b), DATE(a), DAY)``, plus the time of day (``TIMESTAMP_DIFF`` counts
whole intervals).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from .base import DATE, Rules, as_datetime
from .timeparts import calendar_diff, cast, extract, minus, number, paren, plus


class BigQueryRules(Rules):
    names = ("bigquery",)
    functions = frozenset({"DATETIME", "TIMESTAMP", "UNIX_MICROS"})
    # BigQuery executes a non-recursive CTE once for each reference (its WITH clause docs).
    wide_assembly = True

    def local_time(self, time: exp.Expression, zone: str, start=None, end=None) -> exp.Expression:
        return exp.Anonymous(
            this="DATETIME", expressions=[exp.Anonymous(this="TIMESTAMP", expressions=[time.copy()]), exp.Literal.string(zone)]
        )

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # TIMESTAMP_SECONDS/MILLIS take INT64 only: whole microseconds read seconds with a
        # fraction too. A TIMESTAMP cast to DATETIME is its UTC time, like a naive column.
        micros = cast(exp.Mul(this=value.copy(), expression=number(1_000_000 if scale == 0 else 1000)), "bigint")
        return cast(exp.UnixToTime(this=micros, scale=number(6)), "datetime")

    def from_iso(self, text: exp.Expression) -> exp.Expression:
        # TIMESTAMP(text) reads a T or a space and an offset; text without one is UTC.
        return cast(exp.Anonymous(this="TIMESTAMP", expressions=[text.copy()]), "datetime")

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        # BigQuery's plain WEEK starts on Sunday; DESIGN's weeks start on Monday.
        unit = exp.WeekStart(this=exp.var("MONDAY")) if grain == "week" else exp.var(grain.upper())
        return exp.Cast(this=exp.DateTrunc(this=time.copy(), unit=unit), to=DATE.copy())

    def timestamp_literal(self, value: date | datetime) -> exp.Expression:
        # BigQuery never compares TIMESTAMP with DATETIME (what a neutral TIMESTAMP cast
        # becomes there), but it coerces a string literal to the column's own type:
        # 'YYYY-MM-DD' fits DATE, DATETIME and TIMESTAMP columns alike.
        moment = as_datetime(value)
        text = moment.date().isoformat() if moment == datetime(moment.year, moment.month, moment.day) else moment.isoformat(sep=" ")
        return exp.Literal.string(text)

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part in ("dow", "isodow"):
            sunday_one = extract("DAYOFWEEK", time)
            if part == "dow":
                return paren(minus(sunday_one, number(1)))
            return paren(plus(exp.Mod(this=plus(sunday_one, number(5)), expression=number(7)), number(1)))
        if part == "epoch":
            micros = exp.Anonymous(this="UNIX_MICROS", expressions=[cast(time.copy(), "timestamptz")])
            return exp.Div(this=micros, expression=number(1_000_000))
        return extract(_FIELDS.get(part, part), time)

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        def days(a: exp.Expression, b: exp.Expression) -> exp.Expression:
            return exp.DateDiff(this=exp.Date(this=b), expression=exp.Date(this=a), unit=exp.var("DAY"))

        return calendar_diff(self, unit, start, end, days)


#: BigQuery's EXTRACT part for a part, where the name differs.
_FIELDS = {"doy": "DAYOFYEAR", "week": "ISOWEEK"}
