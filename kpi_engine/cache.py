"""Content-addressed caches of loaded catalogs and compiled statements: in memory always, on disk when asked.

Keys are SHA-256 digests of everything a value depends on, never of modification times:
touching a file keeps its entries, and an edit that keeps the size misses.

- A **catalog**'s key covers the working directory and the definitions path as given
  (locations are shown relative to the one, ``path:`` sources resolve against the
  other), each definition file's path relative to the root with its bytes, every active
  pack's name and content (its files' bytes, or the ``repr`` of its documents), the data
  roots its sources were checked against (:mod:`kpi_engine.data_roots`), and every
  metric function and metric type (declaration, module and qualified name of its
  callable). The on-disk key adds the kpi-engine version and a digest of its source, the
  versions of sqlglot, the YAML parsers and Python, :data:`FORMAT_VERSION` and, for each
  plugin callable, the distribution providing it (name and version) and a digest of its
  package's source, so upgrading or editing either is a miss.
- A **statement**'s key is its catalog's key plus every field of the
  :class:`~kpi_engine.request.Request` (KPIs by name, in order), the dialect,
  ``reads_files`` and ``pretty``. Only catalogs :func:`load_catalog` returned (or
  :func:`derive` made from one) have a key; any other catalog's SQL is compiled each time.

In memory, a process keeps the last :data:`MEMORY_CATALOGS` catalogs and
:data:`MEMORY_STATEMENTS` statements. Callers share them: a catalog is frozen and its
trees are never mutated (the compiler copies what it changes), so sharing is safe.

On disk (``cache_dir``), entries live under ``<cache_dir>/kpi-engine-v<FORMAT_VERSION>/``,
as ``catalogs/<key>.pickle`` and ``statements/<key>.json`` (the SQL and the order of
its KPIs). Each is written to a temporary file
and renamed into place, behind a header holding a digest of its body, so a reader sees
a whole entry or none, and a damaged or incompatible entry is recomputed and rewritten.
Catalogs are pickles, and unpickling can run code: the folder must be writable only by
you. It is created private (0700), and one owned by another user or writable by group
or others is not used. Metric types (plugin callables) are stored by name and resolved
against the installed ones when read, and sqlglot trees in serialized form
(:class:`~kpi_engine.model.Deferred`), loaded when first read: a run whose catalog and
statement both come from the folder never imports sqlglot. A folder that cannot be used costs one
:class:`CacheWarning`; the run goes on without it. Nothing is ever evicted from disk:
delete the folder whenever you like.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import sys
import tempfile
import threading
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from attrs import asdict, fields

from .model import Catalog, Deferred, Expression, Source
from .request import Request, Statement, TimeCheck, TimeProbe
from .specs import DefinitionPack, FunctionSpec, MetricTypeSpec

#: Version of the on-disk layout and entry format; part of the folder name and every key.
FORMAT_VERSION = 2
MEMORY_CATALOGS = 8
MEMORY_STATEMENTS = 256
_MAGIC = b"kpi-engine cache %d\n" % FORMAT_VERSION
# Distributions whose version changes what definitions parse to (sqlglot trees, YAML values).
_PARSERS = ("sqlglot", "PyYAML", "ruamel.yaml")
# What a stored catalog may name when unpickled; anything else makes the entry a miss. (This narrows what a
# tampered entry can reach but is no sandbox: the folder itself must be trusted.)
_PICKLED = {
    "kpi_engine.model": None, "kpi_engine.cache": {"_mapping_proxy"}, "sqlglot.serde": {"load"}, "datetime": None,
    "builtins": {"frozenset", "set", "complex", "bytearray"},
}


# The model's attributes holding sqlglot trees, stored as Deferred (see kpi_engine.model).
_TREE_ATTRIBUTES = {Expression: {"_tree"}, Source: {"_table", "_sql"}}


class CacheWarning(UserWarning):
    """A cache folder or entry could not be used; the run went on without it."""


class _Digest:
    """SHA-256 over length-prefixed parts, so two different lists of parts never hash alike."""

    def __init__(self, *parts: object, _state: Any = None):
        self._hash = _state or hashlib.sha256()
        self.add(*parts)

    def add(self, *parts: object) -> _Digest:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
            self._hash.update(len(data).to_bytes(8, "big") + data)
        return self

    def copy(self) -> _Digest:
        return _Digest(_state=self._hash.copy())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


class _Lru:
    """A bounded, thread-safe least-recently-used mapping."""

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class _Key:
    """A catalog's keys: ``memory`` (this process), and ``disk`` (any process), computed when first asked."""

    __slots__ = ("memory", "folder", "_disk", "_portable")

    def __init__(self, memory: str, portable: Callable[[], str], folder: Path | None):
        self.memory = memory
        self.folder = folder
        self._disk: str | None = None
        self._portable = portable

    @property
    def disk(self) -> str:
        if self._disk is None:
            self._disk = self._portable()
        return self._disk

    def derive(self, parts: tuple[object, ...]) -> _Key:
        return _Key(_Digest(self.memory, *parts).hexdigest(), lambda: _Digest(self.disk, *parts).hexdigest(), self.folder)


_catalogs = _Lru(MEMORY_CATALOGS)
_statements = _Lru(MEMORY_STATEMENTS)
_keys: dict[int, tuple[weakref.ref, _Key]] = {}
_warned: set[str] = set()


def clear() -> None:
    """Forget every in-memory entry and what was learnt about installed code (disk entries stay)."""
    _catalogs.clear()
    _statements.clear()
    _keys.clear()
    _warned.clear()
    _runtime.cache_clear()
    _source_digest.cache_clear()
    _distributions.cache_clear()


# -- catalogs ---------------------------------------------------------------------------


def load_catalog(
    root: Path,
    files: list[Path],
    packs: tuple[DefinitionPack, ...],
    functions: Mapping[str, FunctionSpec],
    metric_types: Mapping[str, MetricTypeSpec],
    build: Callable[[], Catalog],
    cache_dir: str | Path | None = None,
    data_roots: tuple[Path, ...] = (),
) -> Catalog:
    """The catalog ``build()`` loads from ``files`` and ``packs``, from the cache when its content was loaded before.

    ``data_roots`` are part of the key: a catalog checked against other roots is not reused.

    ``build`` runs on a miss; what it raises passes through and nothing is cached. With
    ``cache_dir``, the catalog is read from and written to that folder too.
    """
    try:
        content = _content(root, files, packs)
    except OSError:  # a file vanished or cannot be read: the loader says which
        return build()
    callables = [*functions.values(), *metric_types.values()]
    keyed = content.copy().add("data_roots", *data_roots)
    memory = keyed.copy().add(*_declarations(functions, metric_types, portable=False)).hexdigest()

    def portable() -> str:
        return keyed.copy().add(_runtime(), *_declarations(functions, metric_types, portable=True)).hexdigest()

    folder = _folder(cache_dir) if cache_dir is not None else None
    key = _Key(memory, portable, folder.parent if folder is not None else None)
    entry = _catalogs.get(memory)
    catalog = entry[0] if entry is not None else None
    stored = False
    if folder is not None:
        file = folder / "catalogs" / f"{key.disk}.pickle"
        if catalog is None:
            catalog = _read_catalog(file, functions, metric_types)
            stored = catalog is not None
        else:
            stored = file.is_file()
    if catalog is None:
        catalog = build()
        if not _unchanged(content, root, files, packs):
            return catalog  # edited while being read: which version was parsed is unknown, so cache nothing
    if entry is None:
        # The callables are kept alive with the entry: their ids are part of its key.
        _catalogs.put(memory, (catalog, tuple(spec.build for spec in callables)))
    if folder is not None and not stored:
        _write_catalog(folder, file, catalog)
    _register(catalog, key)
    return catalog


def derive(catalog: Catalog, source: Catalog, *parts: object) -> Catalog:
    """Give ``catalog``, made from ``source`` as ``parts`` describe, a key derived from ``source``'s.

    E.g. ``derive(default_timezone(c, zone), c, "timezone", zone)``; without it the new
    catalog's SQL is compiled every time. Returns ``catalog``.
    """
    key = _key_of(source)
    if key is not None:
        _register(catalog, key.derive(parts))
    return catalog


def _content(root: Path, files: list[Path], packs: tuple[DefinitionPack, ...]) -> _Digest:
    from .loader import definition_files

    digest = _Digest("cwd", os.getcwd(), "root", root)
    for file in files:  # already sorted: the order the loader reads them in
        digest.add("file", _relative(file, root), file.read_bytes())
    for pack in packs:
        digest.add("pack", pack.name)
        if pack.path is not None:
            base = Path(pack.path)
            digest.add("path", base)
            for file in definition_files(base) if base.exists() else ():
                digest.add("file", _relative(file, base), file.read_bytes())
        else:
            # Documents are plain data (the loader refuses anything else); their repr is stable.
            digest.add("documents", *(repr(document) for document in pack.documents))
    return digest


def _unchanged(content: _Digest, root: Path, files: list[Path], packs: tuple[DefinitionPack, ...]) -> bool:
    try:
        return _content(root, files, packs).hexdigest() == content.hexdigest()
    except OSError:
        return False


def _relative(file: Path, root: Path) -> str:
    return file.name if file == root else file.relative_to(root).as_posix()


def _declarations(
    functions: Mapping[str, FunctionSpec], metric_types: Mapping[str, MetricTypeSpec], *, portable: bool
) -> Iterator[str]:
    """One line per metric function and type: its declaration, and where its callable comes from.

    In memory, the callable's id (kept alive by the entry); on disk, its distribution and a
    digest of its package's source, so an upgraded or edited plugin is a miss.
    """
    for kind, specs in (("function", functions), ("metric type", metric_types)):
        for name, spec in sorted(specs.items()):
            # A function's sample builder shapes the catalog as much as its build does.
            callables = [spec.build] + ([spec.sample] if kind == "function" and spec.sample is not None else [])
            yield f"{kind} {name} {spec!r} " + " ".join(_origin(c, portable) for c in callables)


def _origin(build: Any, portable: bool) -> str:
    """Where a plugin callable comes from: its import path, and its distribution and source
    digest (on disk) or its id (in memory)."""
    if isinstance(build, str):  # "module:attribute", imported on first use: named, not imported here
        module, where = build.partition(":")[0], build
    else:
        module = getattr(build, "__module__", None) or ""
        where = f"{module}:{getattr(build, '__qualname__', type(build).__qualname__)}"
    top = module.partition(".")[0]
    origin = f"{_distributions().get(top, '')} {_source_digest(top)}" if portable else id(build)
    return f"{where} {origin}"


@lru_cache(maxsize=1)
def _runtime() -> str:
    """kpi-engine (version and source), the libraries that parse definitions, Python, and the cache format."""
    from importlib import metadata

    from . import __version__
    from .plugins import distribution_label

    parts = [f"kpi-engine {__version__} {_source_digest('kpi_engine')}"]
    for name in _PARSERS:
        try:
            parts.append(distribution_label(metadata.distribution(name)))
        except metadata.PackageNotFoundError:
            parts.append(f"{name} absent")
    parts.append(f"python {sys.version_info[0]}.{sys.version_info[1]} format {FORMAT_VERSION}")
    return " ".join(parts)


@lru_cache(maxsize=None)
def _source_digest(name: str) -> str:
    """A digest of the Python source of the top-level package (or module) ``name``; '' when it has none."""
    top = sys.modules.get(name)
    if top is not None:
        folders, file = getattr(top, "__path__", None), getattr(top, "__file__", None)
    else:  # named by a "module:attribute" builder not imported yet: found, not imported
        import importlib.util

        try:
            found = importlib.util.find_spec(name) if name else None
        except (ImportError, ValueError):
            found = None
        if found is None:
            return ""
        folders, file = found.submodule_search_locations, found.origin
    if folders:
        files = sorted((f.relative_to(folder).as_posix(), f) for folder in map(Path, folders) for f in folder.rglob("*.py"))
    elif file:
        files = [(Path(file).name, Path(file))]
    else:
        return ""
    digest = _Digest()
    try:
        for shown, file in files:
            digest.add(shown, file.read_bytes())
    except OSError:
        return "unreadable"
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _distributions() -> dict[str, str]:
    """Top-level package -> "distribution version", for kpi-engine and every plugin entry point."""
    from importlib import metadata

    from . import __version__
    from .plugins import ENTRY_POINT_GROUP, distribution_label

    found = {"kpi_engine": f"kpi-engine {__version__}"}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        if dist is not None and ep.module.partition(".")[0] not in found:
            found[ep.module.partition(".")[0]] = distribution_label(dist)
    return found


def _register(catalog: Catalog, key: _Key) -> None:
    ident = id(catalog)
    _keys[ident] = (weakref.ref(catalog, lambda _, ident=ident: _forget(ident)), key)


def _forget(ident: int) -> None:
    entry = _keys.get(ident)
    if entry is not None and entry[0]() is None:
        _keys.pop(ident, None)


def _key_of(catalog: Catalog) -> _Key | None:
    entry = _keys.get(id(catalog))
    return entry[1] if entry is not None and entry[0]() is catalog else None


# -- statements -------------------------------------------------------------------------


def compiled_statement(
    catalog: Catalog,
    request: Request,
    dialect: str,
    *,
    reads_files: bool,
    pretty: bool,
    build: Callable[[], Statement],
    cache_dir: str | Path | None = None,
    kind: tuple[str, ...] = (),
) -> Statement:
    """The :class:`Statement` ``build()`` compiles for ``request`` over ``catalog``, from the cache when it was compiled before.

    ``cache_dir`` defaults to the folder ``catalog`` was loaded with (if any). ``kind`` tells
    another statement of the same request apart, with what else it depends on (the sources'
    newest values up to an as-of moment, :mod:`kpi_engine.freshness`).
    """
    key = _key_of(catalog)
    if key is None:
        return build()
    parts = (*_request_parts(request), f"dialect={dialect}", f"reads_files={reads_files}", f"pretty={pretty}", *kind)
    memory = _Digest(key.memory, *parts).hexdigest()
    statement = _statements.get(memory)
    directory = cache_dir if cache_dir is not None else key.folder
    folder = _folder(directory) if directory is not None else None
    stored = False
    if folder is not None:
        file = folder / "statements" / f"{_Digest(key.disk, *parts).hexdigest()}.json"
        if statement is None:
            statement = _read_statement(file)
            stored = statement is not None
        else:
            stored = file.is_file()
    if statement is None:
        statement = build()
    _statements.put(memory, statement)
    if folder is not None and not stored:
        _write(folder, file, json.dumps(_statement_entry(statement)).encode("utf-8"))
    return statement


def _statement_entry(statement: Statement) -> dict:
    entry: dict = {"sql": statement.sql, "kpis": list(statement.kpis)}
    check = statement.time_check
    if check is not None:
        entry["time_check"] = {
            "sql": check.sql, "typed": check.typed,
            "probes": [asdict(probe, recurse=False) | {"kpis": list(probe.kpis)} for probe in check.probes],
        }
    return entry


def _read_statement(file: Path) -> Statement | None:
    body = _read(file)
    if body is None:
        return None
    try:
        entry = json.loads(body)
        sql, kpis = entry["sql"], entry["kpis"]
        check = _time_check(entry.get("time_check"))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if not isinstance(sql, str) or not isinstance(kpis, list) or not all(isinstance(k, str) for k in kpis):
        return None
    return Statement(sql, kpis, check)


_PROBE_TEXTS = ("source", "location", "column")
_PROBE_COLUMNS = ("low", "high", "bad", "example")


def _time_check(entry) -> TimeCheck | None:
    """A stored :class:`TimeCheck`; raises ``ValueError`` (a damaged entry, recompiled) unless well formed."""
    if entry is None:
        return None
    sql, typed, probes = entry["sql"], entry["typed"], entry["probes"]
    if not isinstance(sql, str) or not isinstance(typed, bool) or not isinstance(probes, list):
        raise ValueError("time_check")
    read = []
    for probe in probes:
        if set(probe) != {*_PROBE_TEXTS, *_PROBE_COLUMNS, "format", "kpis"} or not (
            all(isinstance(probe[k], str) for k in _PROBE_TEXTS)
            and (probe["format"] is None or isinstance(probe["format"], str))
            and isinstance(probe["kpis"], list) and all(isinstance(k, str) for k in probe["kpis"])
            and all(type(probe[k]) is int or (probe[k] is None and k != "low") for k in _PROBE_COLUMNS)
        ):
            raise ValueError("time_check")
        read.append(TimeProbe(**probe))
    return TimeCheck(sql, read, typed=typed)


def _request_parts(request: Request) -> list[str]:
    """Every field of the request (a new one is keyed without a change here), KPIs by name."""
    parts = []
    for attribute in fields(type(request)):
        value = getattr(request, attribute.name)
        if attribute.name == "kpis":
            value = tuple(kpi.name for kpi in value)
        parts.append(f"{attribute.name}={value!r}")
    return parts


# -- the folder ---------------------------------------------------------------------------


def _folder(cache_dir: str | Path) -> Path | None:
    """The versioned folder under ``cache_dir``, made private; None, after one warning, when it cannot be used."""
    base = Path(cache_dir).expanduser()
    folder = base / f"kpi-engine-v{FORMAT_VERSION}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for part in ("catalogs", "statements"):
            (folder / part).mkdir(mode=0o700, exist_ok=True)
        status = folder.stat()
    except OSError as error:
        _warn(base, f"cache {base} is not usable ({error.strerror or error}); running without it")
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        _warn(base, f"cache {base} is not used: {folder.name} is owned by another user or writable by others, "
                    "and it holds pickles")
        return None
    return folder


def _warn(base: Path, message: str) -> None:
    """One warning per folder and process: a run that cannot cache says so once, then carries on."""
    if str(base) in _warned:
        return
    _warned.add(str(base))
    warnings.warn(message, CacheWarning, stacklevel=3)


def _read(file: Path) -> bytes | None:
    """An entry's body; None when it is missing, unreadable, truncated or damaged."""
    try:
        data = file.read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    digest, _, body = data[len(_MAGIC):].partition(b"\n")
    return body if hashlib.sha256(body).hexdigest().encode() == digest else None


def _write(folder: Path, file: Path, body: bytes) -> None:
    """Write an entry atomically: readers see the old file, or none, or the whole new one."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
            os.replace(temporary, file)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        _warn(folder.parent, f"cache {folder.parent} is not usable ({error.strerror or error}); running without it")


def _deferred(tree: Any) -> Any:
    """``tree`` as a :class:`Deferred`; a tree holding a value JSON cannot carry is pickled as it is."""
    if tree is None or type(tree) is Deferred:
        return tree
    from sqlglot.serde import dump

    try:
        return Deferred(json.dumps(dump(tree), separators=(",", ":")).encode("utf-8"))
    except (TypeError, ValueError):
        return tree


def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickles a catalog: read-only mappings as dicts, plugin declarations by name."""

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        trees = _TREE_ATTRIBUTES.get(type(obj))
        if trees is not None:
            # Trees as Deferred: unpickling then needs no sqlglot, and a tree is loaded when first read.
            callable_, args, state, *rest = obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
            state = {name: _deferred(value) if name in trees else value for name, value in state.items()}
            return (callable_, args, state, *rest)
        return NotImplemented

    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, MetricTypeSpec):
            return ("metric type", obj.name)
        if isinstance(obj, FunctionSpec):
            return ("function", obj.name)
        return None


class _Unpickler(pickle.Unpickler):
    """Reads a catalog back, resolving plugin declarations against the installed ones."""

    def __init__(self, file: io.BytesIO, declared: Mapping[str, Mapping[str, object]]):
        super().__init__(file)
        self._declared = declared

    def persistent_load(self, pid: Any) -> Any:
        kind, name = pid
        return self._declared[kind][name.lower()]

    def find_class(self, module: str, name: str) -> Any:
        allowed = _PICKLED.get(module, ())
        if allowed is not None and name not in allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a catalog")
        return super().find_class(module, name)


def _read_catalog(file: Path, functions: Mapping, metric_types: Mapping) -> Catalog | None:
    body = _read(file)
    if body is None:
        return None
    declared = {
        "function": {k.lower(): v for k, v in functions.items()},
        "metric type": {k.lower(): v for k, v in metric_types.items()},
    }
    try:
        catalog = _Unpickler(io.BytesIO(body), declared).load()
    except Exception:  # an entry this version cannot read: recomputed and rewritten
        return None
    return catalog if isinstance(catalog, Catalog) else None


def _write_catalog(folder: Path, file: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(catalog)
    except Exception as error:  # e.g. a plugin's parameter value that cannot be pickled
        _warn(folder.parent, f"cache {folder.parent}: this catalog cannot be stored ({type(error).__name__}: {error}); "
                             "its definitions are read each time")
        return
    _write(folder, file, buffer.getvalue())

