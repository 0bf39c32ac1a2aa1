"""DuckDB: the reference engine, whose sqlglot output needs no rule.

DuckDB (1.4 and later; 2.0 here) materializes a CTE read more than once, so the compiler keeps a
CTE per KPI over the shared scans (measured on the daily dashboard: no faster either way
than the one-reference assembly, and quicker to compile).
"""

from __future__ import annotations

from .base import Rules


class DuckDBRules(Rules):
    names = ("duckdb",)
    inlines_ctes = False
