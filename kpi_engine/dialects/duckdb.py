"""DuckDB: the reference engine, whose sqlglot output needs no rule.

DuckDB (1.4 and later; 2.0 here) materializes a CTE read more than once, so either assembly
reads each source once. It gets the one-reference assembly (:mod:`kpi_engine.wide`)
because that statement holds less memory: on the daily dashboard (benchmarks/), the
process peak of month × segment was 212 MB against 224 MB with a CTE per KPI at SF 10
(the hand-written baseline: 200 MB), 328 against 342 MB at SF 30, and no shape was
slower by more than the noise between rounds. ``UNION ALL BY NAME`` stacks its members
without NULL padding, which also makes the statement quicker to build than a CTE per KPI.
"""

from __future__ import annotations

from .base import Rules


class DuckDBRules(Rules):
    names = ("duckdb",)
    union_by_name = True
