"""DuckDB compiling with the per-KPI assembly (:mod:`kpi_engine.compiler`).

PostgreSQL, SQLite and Snowflake get that assembly (a CTE per KPI over the shared scans)
because they compute a CTE read several times once; DuckDB takes the one-reference
assembly (:mod:`kpi_engine.wide`). Here the per-KPI statements run on DuckDB, so every
cross-engine test checks them against its independent values at DuckDB's speed, servers
or not.
"""

from __future__ import annotations

import contextlib

from engines import duckdb as reference
from kpi_engine import cache
from kpi_engine.dialects import rules_for

NAME = "duckdb-per-kpi"


@contextlib.contextmanager
def per_kpi_assembly():
    """DuckDB statements compiled with a CTE per KPI inside the block."""
    rules = rules_for("duckdb")
    # Statements are cached per dialect: none compiled by the other assembly may be
    # reused here, and none compiled here may outlive the switch.
    cache.clear()
    rules.wide_assembly = False
    try:
        yield
    finally:
        del rules.wide_assembly
        cache.clear()


@contextlib.contextmanager
def provision(tables, tmp_path):
    with reference.provision(tables, tmp_path) as url, per_kpi_assembly():
        yield url
