"""The optional project file: ``kpi.yml`` or ``[tool.kpi]`` in pyproject.toml, found upward.

Keys: ``definitions`` (the definitions directory, default ``definitions``), ``timezone``
(the IANA zone of every source without its own), ``packs``
(installed definition packs to load with it, by name),
``connections`` (named connections: a URL, or ``{url, timeout}``), ``connection``
(the default: a connection name or a URL) and ``cache`` (a folder, relative to the
project, where parsed definitions and compiled SQL are kept; see :mod:`kpi_engine.cache`) and ``data_roots`` (the
folders, relative to the project, that sources may read files from; ``$KPI_DATA_ROOTS``
overrides it, and without either it is the project directory: see
:mod:`kpi_engine.data_roots`). Secrets appear only as ``${VAR}`` (or
``${VAR:-default}``) references, read from the environment when a connection is used;
a literal password (or ``password=``, ``token=``... parameter) in the file is refused.
Every value a reference puts into the connection in use is a secret: it is scrubbed
from every message (:mod:`kpi_engine.scrub`), wherever it stands in the URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import field, frozen

from . import scrub
from .errors import SelectionError
from .specs import timeout_problem
from .suggest import did_you_mean
from .urls import SECRET_PARAMETERS, mask_url, url_password

PROJECT_DIR_ENV = "KPI_PROJECT_DIR"
CONNECTION_ENV = "KPI_CONNECTION"
DEFAULT_URL = "duckdb://"
PROJECT_FILE = "kpi.yml"
PROJECT_KEYS = ("definitions", "connection", "connections", "packs", "timezone", "cache", "data_roots")
PROFILE_KEYS = ("url", "timeout")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


@frozen
class ConnectionProfile:
    """A named connection of the project file; ``url`` may hold ``${VAR}`` references."""

    name: str
    url: str
    timeout: float | None = None

    def shown(self) -> str:
        """The URL as written, with any literal secret masked (``${VAR}`` names are kept)."""
        return shown_url(self.url)


@frozen
class Connection:
    """The connection a command uses: its profile name (if any), the expanded URL, a timeout.

    ``written`` is the URL as the project file writes it (``${VAR}`` references kept),
    which is what ``str()`` shows, masked; ``secrets`` are the values those references
    put into ``url``.
    """

    url: str = field(repr=False)
    name: str | None = None
    timeout: float | None = None
    written: str | None = field(default=None, repr=False)
    secrets: frozenset[str] = field(default=frozenset(), converter=frozenset, repr=False)

    @property
    def secret_values(self) -> frozenset[str]:
        """Every secret of this connection: its URL's (:func:`~kpi_engine.scrub.connection_secrets`) and ``secrets``."""
        return scrub.connection_secrets(self.url) | self.secrets

    def __str__(self) -> str:
        masked = mask_url(self.written or self.url)
        return f"{self.name} ({masked})" if self.name else masked


@frozen
class ProjectSettings:
    """What the project file says (:func:`find_project`); ``file`` is None without one.

    :class:`kpi_engine.api.Project` is the project opened with these settings.
    """

    root: Path
    file: Path | None = None
    definitions: Path | None = None
    connection: str | None = None
    connections: Mapping[str, ConnectionProfile] = field(factory=dict)
    packs: tuple[str, ...] = field(default=(), converter=tuple)
    timezone: str | None = None
    cache: Path | None = None
    #: Folders sources may read files from: the file's ``data_roots:``, else the project
    #: directory; ``None`` without a project file (the definitions directory then).
    data_roots: tuple[Path, ...] | None = None


def shown_url(url: str) -> str:
    """``url`` as written when every secret in it is a ``${VAR}`` reference, else masked."""
    literal = [value for value in _secret_values(url) if not _VAR.fullmatch(value)]
    return mask_url(url) if literal else url


def _secret_values(url: str) -> list[str]:
    """The password and the secret parameters' values of ``url``, as written."""
    values = [url_password(url) or ""]
    query = url.partition("?")[2].partition("#")[0]
    for piece in re.split(r"[&;]", query + ";" + url.partition(";")[2]):
        key, eq, value = piece.partition("=")
        if eq and key.strip().lower() in SECRET_PARAMETERS:
            values.append(value)
    return [v for v in values if v]


def _read(file: Path) -> Mapping[str, Any]:
    """The project settings in ``file``; any problem with its text is one :class:`SelectionError` line."""
    import tomllib

    from . import textfile, yamlfile  # only when there is a project file: `kpi --version` reads none

    try:
        text = textfile.read(file)  # the same size cap and UTF-8 check as definition files
        if file.name == "pyproject.toml":
            data = _tool_kpi(tomllib.loads(text))
            if not isinstance(data, Mapping):
                raise SelectionError(f"{file}: [tool.kpi] must be a table")
            return data
        data = yamlfile.load_mapping(text)
    except yamlfile.NotAMapping as error:
        raise SelectionError(f"{file}:{error.line}: a project file must be a mapping, not {error.kind}") from None
    except (yamlfile.YamlError, textfile.FileTextError) as error:
        raise SelectionError(f"{file}:{error.line}:{error.column}: invalid project file: {error.reason}") from None
    except tomllib.TOMLDecodeError as error:
        raise SelectionError(f"{file}: invalid project file: {str(error).splitlines()[0]}") from None
    except RecursionError:  # tomllib recurses into nested arrays and tables
        raise SelectionError(f"{file}: invalid project file: nested too deeply") from None
    return {} if data is None else data


def _tool_kpi(document: Mapping[str, Any]) -> Any:
    tool = document.get("tool")
    return tool.get("kpi") if isinstance(tool, Mapping) else None


def _safe_toml(file: Path) -> dict:
    """A pyproject.toml met on the way up, or ``{}`` when it cannot be read: it may not be ours."""
    import tomllib  # only where a pyproject.toml is found

    from . import textfile

    try:
        return tomllib.loads(textfile.read(file))
    except (tomllib.TOMLDecodeError, textfile.FileTextError, RecursionError):
        return {}


def _project_file(folder: Path) -> Path | None:
    if (folder / PROJECT_FILE).is_file():
        return folder / PROJECT_FILE
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and _tool_kpi(_safe_toml(pyproject)) is not None:
        return pyproject
    return None


def expand_env(text: str, where: str) -> str:
    """Replace ``${VAR}`` / ``${VAR:-default}`` from the environment; a missing one is an error."""
    return _expand(text, where)[0]


def _expand(text: str, where: str) -> tuple[str, tuple[str, ...]]:
    """:func:`expand_env`, and the values it put in."""
    values: list[str] = []

    def sub(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            value = os.environ[name]
        elif default is not None:
            value = default
        else:
            raise SelectionError(f"{where}: environment variable {name} is not set")
        values.append(value)
        return value

    return _VAR.sub(sub, text), tuple(values)


def _profiles(raw: Any, file: Path) -> dict[str, ConnectionProfile]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise SelectionError(f"{file}: connections must be a mapping of names to URLs")
    profiles = {}
    for name, spec in raw.items():
        where = f"{file}: connection {name}"
        timeout = None
        if isinstance(spec, Mapping):
            unknown = [k for k in spec if k not in PROFILE_KEYS]
            if unknown:
                raise SelectionError(f"{where}: unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), PROFILE_KEYS)}")
            url, timeout = spec.get("url"), spec.get("timeout")
            if timeout is not None:
                if (problem := timeout_problem(timeout)) is not None:
                    raise SelectionError(f"{where}: timeout {problem}")
                timeout = float(timeout)
        else:
            url = spec
        if not isinstance(url, str) or "://" not in url:
            raise SelectionError(f"{where}: expected a URL such as postgresql://user:${{PG_PASSWORD}}@host/db")
        if any(not _VAR.fullmatch(value) for value in _secret_values(url)):
            raise SelectionError(f"{where}: the password must be an environment reference such as ${{PG_PASSWORD}}, not a literal")
        profiles[str(name)] = ConnectionProfile(str(name), url, timeout)
    return profiles


def find_project(project_dir: str | Path | None = None, cwd: Path | None = None) -> ProjectSettings:
    """The project for ``cwd``: ``project_dir`` (or ``$KPI_PROJECT_DIR``) if given, else searched upward."""
    explicit = project_dir or os.environ.get(PROJECT_DIR_ENV)
    if explicit:
        root = Path(explicit).resolve()
        if not root.is_dir():
            raise SelectionError(f"project directory not found: {root}")
        return read_project(root, _project_file(root))
    return search_project(cwd or Path.cwd())


def search_project(start: str | Path) -> ProjectSettings:
    """The project holding ``start``: the nearest folder from ``start`` upward with a project
    file, else ``start`` itself without one. ``start`` may also name the project file.

    ``$KPI_PROJECT_DIR`` is not read: the caller said where to look.
    """
    try:
        start = Path(start).resolve()
        is_file, is_dir = start.is_file(), start.is_dir()
    except (OSError, ValueError):  # a NUL byte, a name too long: nothing by that name
        raise SelectionError(f"project directory not found: {start}") from None
    except TypeError:
        raise SelectionError(f"{start!r:.60} is not a path") from None
    if is_file:
        if start.name not in (PROJECT_FILE, "pyproject.toml"):
            raise SelectionError(f"{start}: not a project file (kpi.yml, or pyproject.toml with [tool.kpi])")
        return read_project(start.parent, start)
    if not is_dir:
        raise SelectionError(f"project directory not found: {start}")
    file = next((f for f in map(_project_file, (start, *start.parents)) if f), None)
    return read_project(file.parent if file else start, file)


def read_project(root: Path, file: Path | None) -> ProjectSettings:
    """The settings of the project in ``root`` whose project file is ``file`` (None: defaults)."""
    if file is None:
        return ProjectSettings(root=root)
    data = _read(file)
    unknown = [k for k in data if k not in PROJECT_KEYS]
    if unknown:
        raise SelectionError(f"{file}: unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), PROJECT_KEYS)}")
    definitions = data.get("definitions")
    if definitions is not None and (not isinstance(definitions, str) or not definitions.strip()):
        raise SelectionError(f"{file}: definitions must be a folder name, e.g. definitions")
    default = data.get("connection")
    profiles = _profiles(data.get("connections"), file)
    if default is not None and (
        not isinstance(default, str) or (default not in profiles and "://" not in default and not _VAR.search(default))
    ):
        raise SelectionError(f"{file}: connection '{default}' is neither a URL nor one of the connections{did_you_mean(str(default), profiles)}")
    if isinstance(default, str) and "://" in default:
        _profiles({"default": default}, file)  # the same literal-password rule
    packs = data.get("packs") or ()
    if not isinstance(packs, (list, tuple)) or not all(isinstance(p, str) for p in packs):
        raise SelectionError(f"{file}: packs must be a list of definition pack names")
    zone = data.get("timezone")
    if zone is not None:
        from .timezones import known

        if not isinstance(zone, str) or not known(zone):
            raise SelectionError(f"{file}: timezone '{zone}' is not an IANA time zone (e.g. Europe/Berlin, UTC)")
    cache = data.get("cache")
    if cache is not None and (not isinstance(cache, str) or not cache.strip()):
        raise SelectionError(f"{file}: cache must be a folder name, e.g. .kpi-cache")
    roots = data.get("data_roots")
    if roots is not None and (
        isinstance(roots, str) or not isinstance(roots, (list, tuple))
        or not all(isinstance(r, str) and r.strip() and "\x00" not in r for r in roots)
    ):
        raise SelectionError(f"{file}: data_roots must be a list of folders, e.g. [data, /srv/exports]")
    return ProjectSettings(
        root=root, file=file, definitions=(root / str(definitions)) if definitions else None,
        connection=default, connections=profiles, packs=tuple(packs), timezone=zone,
        cache=(root / Path(cache).expanduser()) if cache else None,
        data_roots=tuple(root / Path(r).expanduser() for r in roots) if roots is not None else (root,),
    )


def resolve_connection(flag: str | None, project: ProjectSettings) -> Connection:
    """``--connection`` > ``$KPI_CONNECTION`` > the project's default > ``duckdb://``.

    Each may be a URL or the name of one of the project's connections; ``${VAR}``
    references are expanded only for the connection actually used.
    """
    explicit = flag or os.environ.get(CONNECTION_ENV)
    chosen = explicit or project.connection or DEFAULT_URL
    scrub.remember_url(chosen)  # before anything can fail quoting it
    profile = project.connections.get(chosen)
    if profile is not None:
        url, values = _expand(profile.url, f"{project.file}: connection {chosen}")
        connection = Connection(url=url, name=chosen, timeout=profile.timeout, written=profile.url, secrets=values)
        scrub.remember(connection.secret_values)
        return connection
    # Only the project file's own default may hold ${VAR}s; a URL given on the command
    # line or in KPI_CONNECTION was already expanded by the shell.
    url, values = (chosen, ()) if explicit else _expand(chosen, str(project.file))
    scrub.remember(values)
    if "://" not in url:
        known = ", ".join(project.connections) or "none: add them under connections: in kpi.yml"
        shown = chosen if "@" not in chosen else mask_url(f"x://{chosen}").removeprefix("x://")
        raise SelectionError(f"unknown connection '{shown}'{did_you_mean(chosen, project.connections)} (known: {known})")
    connection = Connection(url=url, written=None if explicit else chosen, secrets=values)
    scrub.remember(connection.secret_values)
    return connection


def resolve_definitions(arg: str | None, project: ProjectSettings) -> Path:
    """DEFS as given, else the project's ``definitions:``, else ``definitions/`` in the project root."""
    if arg:
        return Path(arg)
    return project.definitions or project.root / "definitions"


def resolve_cache(flag: str | bool | None, project: ProjectSettings) -> Path | None:
    """The cache folder: ``--cache-dir`` (a path), none with ``--no-cache`` (False), else the project's ``cache:``."""
    if flag is False:
        return None
    if flag:
        return Path(flag)
    return project.cache
