"""BigQuery: Monday weeks must be asked for, and period bounds must fit the column's type."""

from __future__ import annotations

from datetime import date, datetime

from sqlglot import exp

from .base import DATE, Rules, as_datetime


class BigQueryRules(Rules):
    names = ("bigquery",)

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
