"""Load a definitions tree into a :class:`~kpi_engine.model.Catalog`: from the cache, or parsed.

Parsing and validation live in :mod:`kpi_engine.parsing`, imported only on a cache miss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from .cache import load_catalog
from .data_roots import resolve_roots
from .errors import SelectionError
from .limits import MAX_FILE_BYTES
from .model import Catalog
from .specs import DefinitionPack, FunctionSpec, MetricTypeSpec

CATALOG_FILE_SUFFIXES = (".yaml", ".yml")
PROJECT_FILE = "kpi.yml"


def definition_files(root: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` under ``root`` (or ``root`` itself), in a stable order.

    Hidden files and folders (``.venv``, ``.git``) and the project file ``kpi.yml`` are
    never definitions. A symbolic link that leads nowhere (dangling, or a loop) is kept,
    so that reading it reports it; a folder, device or pipe named like a file is not.
    """
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*")
        if p.suffix in CATALOG_FILE_SUFFIXES and p.name != PROJECT_FILE and (p.is_file() or _broken_link(p))
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def _broken_link(path: Path) -> bool:
    return path.is_symlink() and not path.exists()


def _oversized(files: list[Path]) -> bool:
    for file in files:
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                return True
        except OSError:
            continue  # the parser reports it
    return False


def load(
    path: str | Path,
    functions: Mapping[str, FunctionSpec] | None = None,
    packs: Iterable[DefinitionPack] = (),
    metric_types: Mapping[str, MetricTypeSpec] | None = None,
    *,
    cache_dir: str | Path | None = None,
    data_roots: Iterable[str | Path] | None = None,
) -> Catalog:
    """Load and validate the given definition packs, then every definition file under ``path``.

    ``functions`` are the metric functions expressions may call and ``metric_types`` the
    query shapes ``metric:`` may name (by default those of the installed plugins). ``packs`` are read first; none by default: an installed pack is
    used only when asked for (see :meth:`~kpi_engine.plugins.Plugins.select_packs`).
    Raises :class:`DefinitionError` listing every problem, or :class:`SelectionError`
    when ``path`` does not exist.

    ``data_roots`` are the folders sources may read files from (see
    :mod:`kpi_engine.data_roots`): ``$KPI_DATA_ROOTS`` if set, else these, else the
    definitions directory. A source reading elsewhere is a :class:`DefinitionError`.

    Catalogs are cached by content (:mod:`kpi_engine.cache`): loading the same definitions
    again returns the same (frozen) catalog without reading YAML. With ``cache_dir`` they
    are kept in that folder too, for later processes; a failed load caches nothing.
    """
    if functions is None or metric_types is None:
        from .plugins import get_plugins

        found = get_plugins()
        functions = found.functions if functions is None else functions
        metric_types = found.metric_types if metric_types is None else metric_types
    packs = tuple(packs)
    root = Path(path)
    try:
        found = root.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte: nothing by that name either
        found = False
    if not found:
        raise SelectionError(f"definitions not found: {root}")
    files = definition_files(root)
    if not files and not packs:
        raise SelectionError(f"no definition files (*.yaml, *.yml) under {root}")
    roots = resolve_roots(root, data_roots)
    if _oversized(files):  # refused by the parser: never read whole, to hash it for the cache
        return _parse(root, functions, metric_types, files, packs, roots)
    return load_catalog(
        root, files, packs, functions, metric_types, lambda: _parse(root, functions, metric_types, files, packs, roots),
        cache_dir, roots,
    )


def _parse(
    root: Path, functions: Mapping[str, FunctionSpec], metric_types: Mapping[str, MetricTypeSpec], files: list[Path],
    packs: tuple[DefinitionPack, ...], roots: tuple[Path, ...],
) -> Catalog:
    from .parsing import _Loader  # with it YAML and sqlglot: a catalog from the cache needs neither

    return _Loader(root, functions, metric_types, roots).load(files, packs)
