"""DuckDB compiling with the one-reference assembly (:mod:`kpi_engine.wide`).

Spark, BigQuery, Trino and MariaDB get that assembly because they evaluate a CTE at
each reference; here the same statements run on DuckDB, so every cross-engine test
checks them against its independent values at DuckDB's speed (Spark runs only part of
them).
"""

from __future__ import annotations

import contextlib

from engines import duckdb as reference
from kpi_engine import cache
from kpi_engine.dialects import rules_for

NAME = "duckdb-wide"


@contextlib.contextmanager
def wide_assembly():
    """DuckDB statements compiled with the one-reference assembly inside the block."""
    rules = rules_for("duckdb")
    # Statements are cached per dialect: none compiled by the other assembly may be
    # reused here, and none compiled here may outlive the switch.
    cache.clear()
    rules.inlines_ctes = True
    try:
        yield
    finally:
        del rules.inlines_ctes
        cache.clear()


@contextlib.contextmanager
def provision(tables, tmp_path):
    with reference.provision(tables, tmp_path) as url, wide_assembly():
        yield url
