"""The data roots: the only folders definitions may read files from.

A ``path:`` source, and every file a ``sql:`` source reads (a DuckDB file function such
as ``read_parquet('x')``, or a file named as a table, ``FROM 'x.csv'``), must lie under
one of them once symlinks are resolved, or the definitions are refused when they load.
That is what keeps a KPI proposed in a pull request from reading the CI machine's files
(``/proc/self/environ``, ``~/.ssh``, ``../../secret.csv``). The same folders are the
only ones the DuckDB adapter may read at run time (``allowed_directories``), in case a
file changes between loading and running.

The roots are, first found: ``$KPI_DATA_ROOTS`` (folders separated by ``os.pathsep``,
like ``PATH``, relative to the working directory), the project file's ``data_roots:``
(relative to it), the project directory (where ``kpi.yml`` is), the definitions directory.
A definition pack's own folder is a root for that pack's sources only.

Paths are checked as an allowlist: a relative path is resolved against its definition
file's folder (and rewritten to that absolute path, so what runs reads what was checked),
``~`` is expanded as DuckDB would, and a URL (``s3://``, ``https://``, ``file://``) is
refused: the roots are local folders. A glob's folder before its first wildcard must be
inside a root and so must every file it matches now; ``..`` after a wildcard is refused.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlglot only where a sql: source is checked: a cached catalog needs none
    from sqlglot import exp

DATA_ROOTS_ENV = "KPI_DATA_ROOTS"
HOW_TO_ALLOW = f"to allow it, add its folder to data_roots: in kpi.yml or to {DATA_ROOTS_ENV}"
_WILDCARD = re.compile(r"[*?\[]")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: a one-letter "scheme" is a drive
# Characters that make a table name a file DuckDB reads ("x.csv", 'data/x.parquet', "~/x", "s3://...").
_FILE_LIKE = re.compile(r"[./\\~:*?\[]")

# DuckDB table functions whose first argument names the files they read (a string or a list
# of strings); the only table functions a sql: source may call besides _TABLE_FUNCTIONS.
FILE_READERS = frozenset((
    "read_parquet", "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata",
    "parquet_kv_metadata", "read_csv", "read_csv_auto", "sniff_csv", "read_json", "read_json_auto",
    "read_ndjson", "read_ndjson_auto", "read_json_objects", "read_json_objects_auto", "read_ndjson_objects",
    "read_text", "read_blob", "glob",
))
_TABLE_FUNCTIONS = ("GenerateSeries", "ExplodingGenerateSeries", "Unnest")  # sqlglot classes; read no file


class OutsideRoots(ValueError):
    """Why a path may not be read; the message is one line, fit for ``file:line:col: source NAME: ...``."""

    def __init__(self, message: str, at: exp.Expression | None = None):
        super().__init__(message)
        self.message = message
        self.at = at  # the node of a sql: source the problem is about, for its position


def from_environment() -> tuple[Path, ...] | None:
    """The folders ``$KPI_DATA_ROOTS`` lists (empty entries skipped), or ``None`` when it is unset or empty."""
    value = os.environ.get(DATA_ROOTS_ENV)
    if not value:
        return None
    return tuple(Path(entry).expanduser() for entry in value.split(os.pathsep) if entry)


def resolve_roots(definitions: Path, configured: Iterable[str | Path] | None = None) -> tuple[Path, ...]:
    """The data roots, resolved: ``$KPI_DATA_ROOTS``, else ``configured``, else the definitions directory.

    ``configured`` is what the project says (its ``data_roots:``, or its directory);
    relative entries are relative to the working directory.
    """
    roots = from_environment()
    if roots is None and configured is not None:
        roots = tuple(Path(r).expanduser() for r in configured)
    if roots is None:
        roots = (definitions if definitions.is_dir() else definitions.parent,)
    return tuple(dict.fromkeys(_real(r) for r in roots))


def local_file(text: str, base: Path, roots: tuple[Path, ...]) -> str:
    """The absolute path (or glob) that ``text``, written in a file in ``base``, reads.

    Raises :class:`OutsideRoots` unless it and (for a glob) every file it matches now lie
    under ``roots`` (resolved folders) once symlinks are resolved.
    """
    shown = _shown(text)
    if "\x00" in text:
        raise OutsideRoots(f"{shown} contains a NUL character")
    if _URL.match(text):
        raise OutsideRoots(f"{shown} is a URL; sources read only local files under the data roots ({_listed(roots)})")
    path = Path(os.path.expanduser(text))  # DuckDB expands ~ too: check the file it would read
    path = path if path.is_absolute() else base / path
    parts = path.parts
    wild = next((i for i, part in enumerate(parts) if _WILDCARD.search(part)), None)
    if wild is not None and ".." in parts[wild:]:
        raise OutsideRoots(f"{shown}: '..' after a wildcard may leave the data roots; put the folder before the wildcard")
    static = Path(*parts[:wild]) if wild is not None else path
    real = _real(static)
    if not _inside(real, roots):
        via = f" (it resolves to {_shown(str(real))})" if _has_symlink(static) else ""
        raise OutsideRoots(f"{shown} is outside the data roots ({_listed(roots)}){via}; {HOW_TO_ALLOW}")
    if wild is None:
        return str(real)
    pattern = Path(real, *parts[wild:])
    for match in glob.iglob(str(pattern), recursive=True, include_hidden=True):
        target = _real(Path(match))
        if not _inside(target, roots):
            raise OutsideRoots(
                f"{shown} matches {_shown(match)}, which resolves to {_shown(str(target))}, outside the data roots "
                f"({_listed(roots)}); {HOW_TO_ALLOW}"
            )
    return str(pattern)


def confine_sql(query: exp.Query, base: Path, roots: tuple[Path, ...]) -> exp.Query:
    """``query`` (a ``sql:`` source) with every file it reads checked and made absolute.

    Relative paths are relative to ``base`` (the definition file's folder), as for
    ``path:`` sources. Files are read by the :data:`FILE_READERS`, whose files must be
    string literals, or named as a table (``FROM 'x.csv'``); any other table function is
    refused. Raises :class:`OutsideRoots` for the first file that may not be read.
    """
    from sqlglot import exp

    safe = tuple(c for c in (getattr(exp, n, None) for n in _TABLE_FUNCTIONS) if c is not None)
    query = query.copy()
    for node in list(query.walk()):
        if isinstance(node, exp.Table):
            if isinstance(node.this, exp.Identifier):
                _table_name(node, base, roots)
            elif not isinstance(node.this, exp.Func):
                raise OutsideRoots(f"{_shown(node.this.sql(dialect='duckdb'))} is not a table name", node.this)
            elif not (_reader_name(node.this) or isinstance(node.this, safe)):
                name = str(node.this.this) if isinstance(node.this, exp.Anonymous) else node.this.sql_name().lower()
                raise OutsideRoots(
                    f"table function {name}() is not allowed; read files with {', '.join(_MAIN_READERS)}", node.this
                )
        elif isinstance(node, exp.Func) and _reader_name(node):
            _reader_files(node, base, roots)
    return query


_MAIN_READERS = ("read_parquet", "read_csv", "read_json")


def _reader_name(node: exp.Expression) -> str | None:
    from sqlglot import exp

    if isinstance(node, exp.ReadParquet):
        return "read_parquet"
    if isinstance(node, exp.ReadCSV):
        return "read_csv"
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in FILE_READERS:
        return str(node.this).lower()
    return None


def _reader_files(reader: exp.Func, base: Path, roots: tuple[Path, ...]) -> None:
    """Check and rewrite the files a reader's first argument names (a string or a list of strings)."""
    from sqlglot import exp

    name = _reader_name(reader)
    # An anonymous call's `this` is its name; read_csv keeps its first argument there.
    arguments = [a for a in (reader.args.get("this"), *reader.expressions) if isinstance(a, exp.Expression)]
    first = arguments[0] if arguments else None
    items = first.expressions if isinstance(first, exp.Array) else [first]
    if not items or not all(isinstance(i, exp.Literal) and i.is_string for i in items):
        raise OutsideRoots(f"{name}() must name its files first, as a string or a list of strings", first or reader)
    for item in items:
        try:
            item.replace(exp.Literal.string(local_file(item.this, base, roots)))
        except OutsideRoots as error:
            raise OutsideRoots(error.message, item) from None


def _table_name(table: exp.Table, base: Path, roots: tuple[Path, ...]) -> None:
    """A table named like a file (``FROM 'x.csv'``) is a file DuckDB reads: check it and make it absolute."""
    from sqlglot import exp

    parts = [p for p in (table.args.get("catalog"), table.args.get("db"), table.this) if p is not None]
    if not any(isinstance(p, exp.Identifier) and _FILE_LIKE.search(p.name) for p in parts):
        return
    if len(parts) > 1:
        raise OutsideRoots(f"{_shown('.'.join(p.name for p in parts))} is neither a table name nor a file", table.this)
    try:
        table.set("this", exp.to_identifier(local_file(table.name, base, roots), quoted=True))
    except OutsideRoots as error:
        raise OutsideRoots(error.message, table.this) from None


def _real(path: Path) -> Path:
    """``path`` made absolute with every symlink resolved (a missing tail is kept as written)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):  # too long, or a loop on an old Python: keep it lexical
        return Path(os.path.abspath(path))


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _has_symlink(path: Path) -> bool:
    """Whether ``path`` or one of its folders is a symlink (so the message can show the target)."""
    try:
        return any(p.is_symlink() for p in (path, *path.parents))
    except (OSError, ValueError):
        return False


def _listed(roots: tuple[Path, ...]) -> str:
    if not roots:
        return "none"
    shown = ", ".join(str(r) for r in roots[:3])
    return shown + (f" and {len(roots) - 3} more" if len(roots) > 3 else "")


def _shown(text: str, limit: int = 120) -> str:
    """``text`` quoted on one line (control characters escaped), cut to ``limit`` characters."""
    cut = text if len(text) <= limit else text[:limit] + "..."
    return repr(cut)
