"""Driving hostile definition and project files through ``kpi validate``, ``kpi run`` and ``kpi_engine.load``.

Shared by the ``yaml`` and ``schema`` corpora. A case is (id, files, exit code, expected
stderr lines): ``files`` maps paths under the test's folder (``defs/a.yaml``, ``kpi.yml``)
to text or bytes; the expected lines are exact, ``{dir}`` standing for that folder. Each
run asserts the exit code, those lines and nothing else on stderr, no traceback, an
empty stdout when the command fails, and an unchanged folder (nothing written anywhere).
"""

from __future__ import annotations

import os
from pathlib import Path


import kpi_engine
from kpi_engine.testing import invoke
from kpi_engine.errors import DefinitionError, KpiEngineError

PLUGINS = kpi_engine.get_plugins(load_entrypoints=False)




def write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))  # as written: no newline translation


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder``: a file's bytes, a link's target, or ``dir``."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[str(path)] = ("link", os.readlink(path))
        elif path.is_file():
            found[str(path)] = path.read_bytes()
        else:
            found[str(path)] = "dir"
    return found


def kpi(folder: Path, *args: str) -> tuple[int, str, str]:
    """Run ``kpi ARGS`` in ``folder`` (its own project: no kpi.yml above it is found);
    return (exit code, stdout, stderr) after checking the universal rules."""
    before = snapshot(folder)
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        env = {"KPI_PROJECT_DIR": str(folder), "KPI_CONNECTION": None}
        result = invoke(args, env=env)
    finally:
        os.chdir(cwd)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert snapshot(folder) == before, "the command wrote or removed a file"
    if result.exit_code != 0:
        assert result.stdout == ""
    return result.exit_code, result.stdout, result.stderr


def expected_stderr(lines: list[str], folder: Path, code: int) -> str:
    """The whole stderr a case expects: its lines, plus the count line after definition problems."""
    shown = [line.replace("{dir}", str(folder)) for line in lines]
    if code == 3:
        shown.append(f"{len(lines)} problem{'s' if len(lines) != 1 else ''} in the definitions")
    return "".join(line + "\n" for line in shown)


def api_problems(folder: Path, defs: str = "defs") -> list[str] | None:
    """``kpi_engine.load`` on ``defs``: None when it returns a Catalog, else the problems it raised.

    Anything but the engine's own errors fails the test.
    """
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        kpi_engine.load(defs, PLUGINS.functions, metric_types=PLUGINS.metric_types)
    except DefinitionError as error:
        return [str(p) for p in error.problems]
    except KpiEngineError as error:
        return [f"error: {line}" for line in str(error).splitlines()]
    finally:
        os.chdir(cwd)
    return None
