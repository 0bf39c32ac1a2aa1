"""The demo dataset as a cached DuckDB file and a folder of Parquet files.

Both are built once per (format version, seed, scale) from `generate_tables` and reused
afterwards. Each lands atomically: it is written under a temporary name in the cache
directory and renamed into place only when complete, so an interrupted build never
leaves a half-written file that a later call would reuse. The name carries a digest
of the generator's source (every module of this package but this one), so a changed
generator never reuses a stale cache.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import shutil
import tempfile
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kpi_engine.demo.generator import generate_tables

__all__ = ["FORMAT_VERSION", "default_cache_dir", "demo_database", "demo_parquet_dir"]

#: Version of the generated data's format; with the generator digest, part of every cached file name.
FORMAT_VERSION = 1

DEFAULT_SEED = 20261123
_STALE_TEMP_AGE_S = 3600.0


def default_cache_dir() -> pathlib.Path:
    """``$KPI_ENGINE_CACHE``, else ``$XDG_CACHE_HOME/kpi-engine``, else ``~/.cache/kpi-engine``."""
    explicit = os.environ.get("KPI_ENGINE_CACHE")
    if explicit:
        return pathlib.Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return pathlib.Path(xdg).expanduser() / "kpi-engine"
    return pathlib.Path.home() / ".cache" / "kpi-engine"


def demo_database(
    cache_dir: pathlib.Path | None = None, *, seed: int = DEFAULT_SEED, scale: float = 1.0
) -> pathlib.Path:
    """Path of a DuckDB database file holding every demo table, built on first use.

    The sibling Parquet folder (see `demo_parquet_dir`) is built alongside.
    """
    directory, stem = _location(cache_dir, seed, scale)
    _ensure(directory, stem, seed, scale)
    return directory / f"{stem}.duckdb"


def demo_parquet_dir(
    cache_dir: pathlib.Path | None = None, *, seed: int = DEFAULT_SEED, scale: float = 1.0
) -> pathlib.Path:
    """Path of a folder holding each demo table as ``<name>.parquet``, built on first use.

    The sibling DuckDB file (see `demo_database`) is built alongside.
    """
    directory, stem = _location(cache_dir, seed, scale)
    _ensure(directory, stem, seed, scale)
    return directory / stem


def _location(cache_dir: pathlib.Path | None, seed: int, scale: float) -> tuple[pathlib.Path, str]:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError("seed must be an int")
    scale = float(scale)
    if not scale > 0:
        raise ValueError("scale must be positive")
    directory = default_cache_dir() if cache_dir is None else pathlib.Path(cache_dir).expanduser()
    return directory, f"{cache_stem()}-s{seed}-x{scale!r}"


def cache_stem() -> str:
    """``demo-v1-<digest>``: the format version and the first hex digits of the generator's source.

    The generator spans every other module of this package (``generator.py`` and the
    modules it builds the later tables with), so all of them go into the digest.
    """
    here = pathlib.Path(__file__)
    digest = hashlib.sha256()
    for module in sorted(here.parent.glob("*.py")):
        if module.name != here.name:
            digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return f"demo-v{FORMAT_VERSION}-{digest.hexdigest()[:10]}"


def _ensure(directory: pathlib.Path, stem: str, seed: int, scale: float) -> None:
    database = directory / f"{stem}.duckdb"
    parquet = directory / stem
    if database.is_file() and parquet.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(directory, stem)
    tables = generate_tables(seed=seed, scale=float(scale))
    if not database.is_file():
        _write_database(database, tables)
    if not parquet.is_dir():
        _write_parquet(parquet, tables)


def _write_database(target: pathlib.Path, tables: dict[str, pa.Table]) -> None:
    workdir = pathlib.Path(tempfile.mkdtemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent))
    try:
        staged = workdir / target.name
        con = duckdb.connect(str(staged))
        try:
            for name, table in tables.items():
                con.from_arrow(table).create(name)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(staged, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _write_parquet(target: pathlib.Path, tables: dict[str, pa.Table]) -> None:
    workdir = pathlib.Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        staged = workdir / "tables"
        staged.mkdir()
        for name, table in tables.items():
            pq.write_table(table, staged / f"{name}.parquet")
        try:
            os.rename(staged, target)
        except OSError:
            if not target.is_dir():  # lost a race only if someone else's copy is there
                raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _remove_stale_temporaries(directory: pathlib.Path, stem: str) -> None:
    """Remove what builds that crashed long ago left behind (never a running build's)."""
    cutoff = time.time() - _STALE_TEMP_AGE_S
    for leftover in directory.glob(f".{stem}.*.tmp"):
        try:
            if leftover.is_dir() and leftover.stat().st_mtime < cutoff:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass
