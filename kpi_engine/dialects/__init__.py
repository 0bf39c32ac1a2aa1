"""Dialect rules: the SQL pieces whose sqlglot transpilation is wrong or missing for an engine.

The compiler builds one dialect-neutral tree and asks :func:`rules_for` the target
dialect's :class:`~kpi_engine.dialects.base.Rules` for the few pieces engines disagree
on: time buckets, timestamp literals, date parts and date differences
(:mod:`~kpi_engine.dialects.timeparts`), and a final pass over the whole statement (e.g.
median on engines without one). Each engine family keeps its rules in its own module;
the tests that prove them execute on the engine (see tests/test_dialect_*).
"""

from __future__ import annotations

from .base import Rules
from .bigquery import BigQueryRules
from .duckdb import DuckDBRules
from .mysql import MySQLRules
from .postgres import PostgresRules
from .redshift import RedshiftRules
from .snowflake import SnowflakeRules
from .spark import SparkRules
from .sqlite import SQLiteRules
from .trino import TrinoRules

_ALL: tuple[Rules, ...] = (
    BigQueryRules(), DuckDBRules(), MySQLRules(), PostgresRules(), RedshiftRules(), SnowflakeRules(), SparkRules(),
    SQLiteRules(), TrinoRules(),
)
_BY_NAME = {name: rules for rules in _ALL for name in rules.names}
_DEFAULT = Rules()


def rules_for(dialect: str) -> Rules:
    """The rules for ``dialect``; an engine without rules of its own gets the base rules
    (sqlglot's output as it is, every scan CTE read once)."""
    return _BY_NAME.get(dialect, _DEFAULT)


__all__ = ["Rules", "rules_for"]
