"""Engines the cross-engine tests run on, each provisioned with the same Arrow tables.

Each module here exposes ``NAME`` (the engine's name in test ids) and
``provision(tables: dict[str, pyarrow.Table], tmp_path) -> contextlib.AbstractContextManager[str]``:
a context manager that loads every table into a fresh, private place on that engine
(its own schema, database or file, so parallel runs never collide), yields a
connection URL that reads them, and removes everything on exit. When the engine is
absent it calls :func:`fixtures.unavailable`, which skips, or fails under
``KPI_ENGINE_REQUIRE_SERVERS=1`` (CI).
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path

ENGINE_MODULES = ("duckdb", "duckdb_per_kpi", "sqlite", "postgres", "mysql", "spark")


def engines():
    """The importable engine modules, in a stable order (DuckDB, the reference, first)."""
    found = []
    for name in ENGINE_MODULES:
        try:
            found.append(importlib.import_module(f"engines.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"engines.{name}":
                raise
    return found


@contextlib.contextmanager
def project_on(engine, definitions: str, tables, folder: Path):
    """``(definitions folder, URL)``: ``definitions`` written to ``folder/defs/k.yaml`` and
    ``tables`` provisioned on ``engine`` (a module of this package) under ``folder/data``."""
    (folder / "defs").mkdir()
    (folder / "defs" / "k.yaml").write_text(definitions)
    (folder / "data").mkdir()
    with engine.provision(tables, folder / "data") as url:
        yield folder / "defs", url
