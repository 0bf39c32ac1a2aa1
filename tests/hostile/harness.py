"""The hostile-input harness: run ``kpi`` on a throwaway project and check what it leaves.

A :class:`Case` is a command line, the project files it runs on and what must come
out: an exit code and one message line. :func:`check` runs it (in this process
through :func:`kpi_engine.cli.main`, or as a real process where a case needs one) and
asserts, for every case:

- the exit code, and that stderr's error is the one expected line (``message``, a
  regular expression searched in it; exit 3 adds only the "N problem(s)" summary);
- no ``Traceback`` anywhere in stdout or stderr;
- no secret (``secret``) in stdout, stderr or any file under the project, raw or
  percent-encoded;
- no file created, changed or removed under the project but the ``-o`` path a case
  names (``writes``);
- the data of every engine unchanged: the shop's DuckDB and SQLite files byte for
  byte after every case, and the rows of its PostgreSQL schema and MariaDB database
  after every case that names them and once more after the whole corpus (when those
  servers are here; under ``KPI_ENGINE_REQUIRE_SERVERS=1`` they must be).

Placeholders in ``argv``, ``files`` and ``env``: ``{project}`` (the project folder),
``{duckdb}``, ``{sqlite}``, ``{postgres}``, ``{mysql}`` (URLs reading the shop's
tables ``orders`` and ``sessions``; a case naming an absent server skips).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pytest

ORDERS = pa.table({
    "ordered_at": pa.array(["2025-01-03 10:00", "2025-01-20 11:00", "2025-01-21 12:00", "2025-02-02 09:00"]).cast(pa.timestamp("us")),
    "channel": ["web", "web", "app", "web"],
    "revenue": [100.0, 50.0, 30.0, 80.0],
    "customer_id": [1, 2, 1, 3],
})
SESSIONS = pa.table({
    "started_at": pa.array(["2025-01-01 08:00", "2025-01-02 08:00", "2025-01-05 08:00", "2025-02-01 08:00"]).cast(pa.timestamp("us")),
    "channel": ["web", "web", "app", "web"],
})
TABLES = {"orders": ORDERS, "sessions": SESSIONS}

#: A catalog over the shop that every case may start from (``files={...: SHOP}``).
SHOP = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
  sessions: {table: sessions, time: started_at, dimensions: [channel]}
kpis:
  conversion_rate:
    numerator: {source: orders, expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    target: 0.5
  revenue:
    value: {source: orders, expr: sum(revenue)}
"""


@dataclass(frozen=True)
class Case:
    """One hostile input and what must come of it (see the module docstring)."""

    id: str
    argv: tuple[str, ...]
    exit: int
    message: str | None = None
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    secret: str | None = None
    writes: tuple[str, ...] = ()
    process: bool = False
    stdout: str | None = None  # a regular expression stdout must match whole, when given

    def __str__(self) -> str:
        return self.id


@dataclass
class Outcome:
    exit: int
    stdout: str
    stderr: str


class Engines:
    """The shop on every engine here, and snapshots of its data."""

    def __init__(self, folder: Path, urls: Mapping[str, str], missing: Mapping[str, str]):
        self.folder = folder
        self.urls = dict(urls)
        self.missing = dict(missing)

    def url(self, name: str) -> str:
        if name in self.missing:
            from fixtures import unavailable

            unavailable(self.missing[name])
        return self.urls[name]

    def snapshot(self, servers: tuple[str, ...] = ("postgres", "mysql")) -> dict[str, str]:
        """Digests of the shop's data: both files always, the servers named (a round trip each)."""
        shots = {}
        for name in ("duckdb", "sqlite"):
            path = Path(self.urls[name].split(":///", 1)[1])
            shots[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            shots[name + " files"] = " ".join(sorted(p.name for p in path.parent.iterdir()))
        if "postgres" in self.urls and "postgres" in servers:
            shots["postgres"] = _postgres_rows(self.urls["postgres"])
        if "mysql" in self.urls and "mysql" in servers:
            shots["mysql"] = _mysql_rows(self.urls["mysql"])
        return shots


def _postgres_rows(url: str) -> str:
    from engines import postgres

    schema = re.search(r"search_path(?:=|%3D)(\w+)", url).group(1)
    con = postgres._connect_admin()
    try:
        with con.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1", [schema])
            names = [r[0] for r in cursor.fetchall()]
            digest = hashlib.sha256(repr(names).encode())
            for name in names:
                cursor.execute(f'SELECT * FROM "{schema}"."{name}" ORDER BY 1, 2')  # names from information_schema
                digest.update(repr(cursor.fetchall()).encode())
        return digest.hexdigest()
    finally:
        con.close()


def _mysql_rows(url: str) -> str:
    from engines import mysql

    database = url.rsplit("/", 1)[1]
    con = mysql.connect_admin()
    try:
        with con.cursor() as cursor:
            cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s ORDER BY 1", (database,))
            names = [r[0] for r in cursor.fetchall()]
            digest = hashlib.sha256(repr(names).encode())
            for name in names:
                cursor.execute(f"SELECT * FROM `{database}`.`{name}` ORDER BY 1, 2")  # names from information_schema
                digest.update(repr(cursor.fetchall()).encode())
        return digest.hexdigest()
    finally:
        con.close()


def provision_engines(folder: Path, stack) -> Engines:
    """Load the shop into every engine here (``stack``: an ExitStack that drops them)."""
    from fixtures import unavailable  # noqa: F401  (imported for the engines' modules)
    from engines import duckdb as duck, mysql, postgres, sqlite

    urls, missing = {}, {}
    for name, module in (("duckdb", duck), ("sqlite", sqlite), ("postgres", postgres), ("mysql", mysql)):
        place = folder / name
        place.mkdir(parents=True, exist_ok=True)
        try:
            urls[name] = stack.enter_context(module.provision(TABLES, place))
        except pytest.skip.Exception as skipped:
            missing[name] = str(skipped)
    return Engines(folder, urls, missing)


def _expand(text, project: Path, engines: Engines):
    if isinstance(text, bytes):
        return text
    for name in ("duckdb", "sqlite", "postgres", "mysql"):
        if "{" + name + "}" in text:
            text = text.replace("{" + name + "}", engines.url(name))
    return text.replace("{project}", str(project))


def _tree(folder: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = "link " + os.readlink(path)
        elif path.is_file():
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir():
            found[str(path)] = "dir"
    return found


def run(case: Case, project: Path, engines: Engines) -> Outcome:
    """Write the case's files into ``project`` and run its command there."""
    for name, content in case.files.items():
        path = project / _expand(name, project, engines)
        path.parent.mkdir(parents=True, exist_ok=True)
        content = _expand(content, project, engines)
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    argv = [_expand(a, project, engines) for a in case.argv]
    env = {k: _expand(v, project, engines) for k, v in case.env.items()}
    if case.process:
        full = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env}
        done = subprocess.run([sys.executable, "-m", "kpi_engine", *argv], cwd=project, env=full,
                              capture_output=True, text=True, timeout=120)
        return Outcome(done.returncode, done.stdout, done.stderr)
    from kpi_engine.testing import invoke

    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = invoke(argv, env=env or None, catch_exceptions=True)
    finally:
        os.chdir(cwd)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        stderr += "".join(traceback.format_exception(result.exception))
    return Outcome(result.exit_code, result.stdout, stderr)


def _encodings(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote(secret), quote(secret, safe="").lower(), quote(secret, safe="").upper()}


def check(case: Case, project: Path, engines: Engines) -> Outcome:
    """Run ``case`` in the empty folder ``project`` and assert everything the module docstring lists."""
    text = repr((case.argv, case.files, case.env))
    servers = tuple(name for name in ("postgres", "mysql") if "{" + name + "}" in text)
    before_data = engines.snapshot(servers)
    before_files = _tree(project)
    outcome = run(case, project, engines)
    shown = f"exit {outcome.exit}\n--- stdout\n{outcome.stdout[:2000]}\n--- stderr\n{outcome.stderr[:4000]}"
    assert "Traceback" not in outcome.stdout and "Traceback" not in outcome.stderr, shown
    assert outcome.exit == case.exit, shown
    if case.message is not None:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        if case.exit == 3:
            assert lines and re.fullmatch(r"\d+ problems? in the definitions", lines[-1]), shown
            lines = lines[:-1]
        errors = [line for line in lines if not line.startswith("warning: ")]
        assert len(errors) == 1, shown
        assert re.search(case.message, errors[0]), shown
    if case.stdout is not None:
        assert re.fullmatch(case.stdout, outcome.stdout, re.DOTALL), shown
    written = {_expand(w, project, engines) for w in case.writes}
    after_files = _tree(project)
    created = {str(project / name) for name in case.files} | {str(p) for name in case.files for p in (project / name).parents}
    changed = {
        path for path in set(before_files) | set(after_files)
        if before_files.get(path) != after_files.get(path) and path not in created and path not in written
    }
    assert not changed, f"files written outside the output path: {sorted(changed)}\n{shown}"
    if case.secret:
        for text in _encodings(case.secret):
            assert text not in outcome.stdout and text not in outcome.stderr, f"secret shown\n{shown}"
            for path in project.rglob("*"):
                if path.is_file() and not path.is_symlink() and str(path) not in created:
                    assert text.encode() not in path.read_bytes(), f"secret written to {path}"
    assert engines.snapshot(servers) == before_data, f"an engine's data changed\n{shown}"
    return outcome
