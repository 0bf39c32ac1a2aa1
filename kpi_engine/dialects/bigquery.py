"""BigQuery: weeks must be asked to start on Monday."""

from __future__ import annotations

from sqlglot import exp

from .base import DATE, Rules


class BigQueryRules(Rules):
    names = ("bigquery",)

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        # BigQuery's plain WEEK starts on Sunday; DESIGN's weeks start on Monday.
        unit = exp.WeekStart(this=exp.var("MONDAY")) if grain == "week" else exp.var(grain.upper())
        return exp.Cast(this=exp.DateTrunc(this=time.copy(), unit=unit), to=DATE.copy())
