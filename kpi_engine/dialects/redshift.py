"""Redshift: integer parts, ISO weekdays built from DOW, exact epochs.

Compiled, not executed here (no Redshift in the test setup); pinned by
tests/test_date_parts.py. Redshift's ``EXTRACT`` knows DOW (Sunday 0, as DuckDB), DOY and
the ISO WEEK, but neither ISODOW nor ISOYEAR. Date parts
(:mod:`~kpi_engine.dialects.timeparts`) are ``CAST(EXTRACT(<PART> FROM t) AS BIGINT)``
(seconds floored first); isodow is ``(DOW + 6) % 7 + 1``; isoyear the year of the
week's Thursday, ``DATEADD(DAY, 3 - (isodow - 1), t)``; epoch the microseconds
``DATEDIFF(MICROSECOND, '1970-01-01 00:00:00', t)`` / 1000000. Redshift's ``DATEDIFF``
counts boundaries like DuckDB's for every unit but the week, which is whole days / 7
truncated here, as in DuckDB.
"""

from __future__ import annotations

from sqlglot import exp

from .base import Rules
from .timeparts import cast, extract, isodow_from_dow, minus, number, paren

_EPOCH = "1970-01-01 00:00:00"


class RedshiftRules(Rules):
    names = ("redshift",)

    def from_epoch(self, value: exp.Expression, scale: int) -> exp.Expression:
        # sqlglot prints TIMESTAMP 'epoch' + s * INTERVAL '1 SECOND': the UTC time, no zone.
        seconds = value.copy() if scale == 0 else exp.Div(this=cast(value.copy(), "double"), expression=number(1000))
        return exp.UnixToTime(this=seconds)

    def date_part(self, part: str, time: exp.Expression) -> exp.Expression:
        if part == "epoch":
            micros = exp.DateDiff(this=time.copy(), expression=cast(exp.Literal.string(_EPOCH), "timestamp"),
                                  unit=exp.var("MICROSECOND"))
            return exp.Div(this=cast(micros, "double"), expression=number(1_000_000))
        if part == "isodow":
            return isodow_from_dow(extract("DOW", time))
        if part == "isoyear":
            # Thursday of the ISO week: 3 - (isodow - 1) days away.
            to_thursday = minus(number(4), isodow_from_dow(extract("DOW", time)))
            thursday = exp.DateAdd(this=time.copy(), expression=paren(to_thursday), unit=exp.var("DAY"))
            return cast(extract("YEAR", thursday), "bigint")
        value = extract(part, time)
        if part == "second":
            value = exp.Floor(this=value)
        return cast(value, "bigint")

    def date_diff(self, unit: str, start: exp.Expression, end: exp.Expression) -> exp.Expression:
        if unit == "week":
            days = exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var("DAY"))
            return exp.IntDiv(this=days, expression=number(7))
        return exp.DateDiff(this=end.copy(), expression=start.copy(), unit=exp.var(unit.upper()))
