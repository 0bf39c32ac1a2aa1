"""The optional project file: ``kpi.yml`` or ``[tool.kpi]`` in pyproject.toml, found upward.

It may name the definitions directory (``definitions:``, default ``definitions``) and a
default connection (``connection:``, a URL in which ``${VAR}`` is read from the
environment). Named connection profiles come with the warehouse adapters.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import frozen
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .errors import SelectionError

PROJECT_DIR_ENV = "KPI_PROJECT_DIR"
CONNECTION_ENV = "KPI_CONNECTION"
PROJECT_KEYS = ("definitions", "connection")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@frozen
class Project:
    """Settings of the project a command runs in; ``file`` is None without a project file."""

    root: Path
    file: Path | None = None
    definitions: Path | None = None
    connection: str | None = None


def _read(file: Path) -> Mapping[str, Any]:
    try:
        if file.name == "pyproject.toml":
            return tomllib.loads(file.read_text(encoding="utf-8")).get("tool", {}).get("kpi", {})
        data = YAML(typ="safe").load(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, YAMLError, UnicodeDecodeError) as error:
        raise SelectionError(f"{file}: invalid project file: {str(error).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise SelectionError(f"{file}: a project file must be a mapping")
    return data


def _find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / "kpi.yml").is_file():
            return folder / "kpi.yml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "tool" in (data := _safe_toml(pyproject)) and "kpi" in data["tool"]:
            return pyproject
    return None


def _safe_toml(file: Path) -> dict:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def expand_env(text: str, where: str) -> str:
    """Replace ``${VAR}`` / ``${VAR:-default}`` from the environment; a missing one is an error."""

    def sub(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        raise SelectionError(f"{where}: environment variable {name} is not set")

    return _VAR.sub(sub, text)


def find_project(project_dir: str | Path | None = None, cwd: Path | None = None) -> Project:
    """The project for ``cwd``: ``project_dir`` (or ``$KPI_PROJECT_DIR``) if given, else searched upward."""
    explicit = project_dir or os.environ.get(PROJECT_DIR_ENV)
    if explicit:
        root = Path(explicit).resolve()
        if not root.is_dir():
            raise SelectionError(f"project directory not found: {root}")
        file = root / "kpi.yml" if (root / "kpi.yml").is_file() else None
        if file is None and (root / "pyproject.toml").is_file() and "kpi" in _safe_toml(root / "pyproject.toml").get("tool", {}):
            file = root / "pyproject.toml"
    else:
        file = _find((cwd or Path.cwd()).resolve())
        root = file.parent if file else (cwd or Path.cwd()).resolve()
    if file is None:
        return Project(root=root)
    data = _read(file)
    unknown = [k for k in data if k not in PROJECT_KEYS]
    if unknown:
        raise SelectionError(f"{file}: unknown key '{unknown[0]}' (known: {', '.join(PROJECT_KEYS)})")
    definitions = data.get("definitions")
    connection = data.get("connection")
    return Project(
        root=root,
        file=file,
        definitions=(root / str(definitions)) if definitions else None,
        connection=expand_env(str(connection), str(file)) if connection else None,
    )


def resolve_connection(flag: str | None, project: Project) -> str:
    """``--connection`` > ``$KPI_CONNECTION`` > the project's default > ``duckdb://``."""
    return flag or os.environ.get(CONNECTION_ENV) or project.connection or "duckdb://"


def resolve_definitions(arg: str | None, project: Project) -> Path:
    """DEFS as given, else the project's ``definitions:``, else ``definitions/`` in the project root."""
    if arg:
        return Path(arg)
    return project.definitions or project.root / "definitions"
