"""Spark and Databricks: DateTrunc renders as TRUNC(x, unit), which has no DAY unit."""

from __future__ import annotations

from sqlglot import exp

from .base import DATE, Rules


class SparkRules(Rules):
    names = ("spark", "spark2", "databricks", "hive")

    def time_bucket(self, time: exp.Expression, grain: str) -> exp.Expression:
        # TRUNC(date, 'DAY') returns NULL on Spark; DATE_TRUNC(unit, ts) knows every grain,
        # with Monday weeks.
        return exp.Cast(this=exp.TimestampTrunc(this=time.copy(), unit=exp.var(grain.upper())), to=DATE.copy())
