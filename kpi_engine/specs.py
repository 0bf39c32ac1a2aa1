"""Declarations plugins return from the registration hooks (see :mod:`kpi_engine.hookspecs`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa
from attrs import field, frozen
from sqlglot import exp


@runtime_checkable
class Adapter(Protocol):
    """A live connection to one engine.

    ``dialect`` is the sqlglot dialect the engine speaks. ``execute`` runs one SELECT
    and returns its whole result as a :class:`pyarrow.Table`; it raises
    :class:`~kpi_engine.errors.ExecutionError` with a message fit for a user (no
    password in it) when the engine refuses. ``close`` releases the connection and
    may be called more than once.
    """

    dialect: str

    def execute(self, sql: str) -> pa.Table: ...

    def close(self) -> None: ...


@frozen
class ConnectOptions:
    """What the engine tells an adapter factory besides the URL.

    ``readable_dirs`` are the directories ``path:`` sources may read from (the
    definitions roots); an adapter that can read files should allow those and no
    others. ``timeout`` bounds each statement, in seconds (``None``: no bound).
    """

    readable_dirs: tuple[Path, ...] = field(default=(), converter=tuple)
    timeout: float | None = None


@frozen
class AdapterSpec:
    """An adapter a plugin provides.

    ``schemes`` are the URL schemes it serves (``"duckdb"`` serves ``duckdb://...``);
    ``factory(url, options)`` opens a connection and returns an :class:`Adapter`.
    ``reads_files`` says whether ``path:`` sources (Parquet/CSV) can be compiled for it.
    """

    name: str
    schemes: tuple[str, ...] = field(converter=tuple)
    dialect: str
    factory: Callable[[str, ConnectOptions], Adapter] = field(repr=False)
    description: str = ""
    reads_files: bool = False


@frozen
class FunctionSpec:
    """A metric function usable in definition expressions, e.g. ``safe_divide(a, b)``.

    ``build(*args)`` receives the parsed, already gated argument trees and returns the
    sqlglot expression that replaces the call. It must not mutate its arguments (copy
    them if it needs to) and must return a tree built with sqlglot builders, never SQL
    text. ``min_args``/``max_args`` (``None``: unbounded) are checked before ``build``.
    """

    name: str
    build: Callable[..., exp.Expression] = field(repr=False)
    min_args: int = 0
    max_args: int | None = None
    description: str = ""


@frozen
class DefinitionPack:
    """Sources, KPIs and dashboards a plugin contributes, loaded and validated like local files.

    Give ``path`` (a YAML file, or a directory read recursively like a definitions
    directory; ``path:`` sources resolve relative to each file) or ``documents``
    (mappings with the same top-level keys, built in Python; their ``path:`` sources must
    be absolute). Names must not collide with another pack's; a local definition of the
    same name is an error unless it says ``override: true``.
    """

    name: str
    path: Path | None = None
    documents: tuple[Mapping, ...] = field(default=(), converter=tuple, repr=False)
    description: str = ""
