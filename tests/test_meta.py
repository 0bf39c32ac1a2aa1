"""Every module imports cleanly with warnings as errors (pytest's test_meta idea)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kpi_engine


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(kpi_engine.__path__, "kpi_engine.") if m.name != "kpi_engine.__main__")


def test_every_module_imports_without_warnings():
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    proc = subprocess.run([sys.executable, "-W", "error", "-c", code, *_modules()], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_public_names_are_exported():
    for name in kpi_engine.__all__:
        assert hasattr(kpi_engine, name), name


def test_ci_runs_the_readme_test_command():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    ci = (root / ".ci" / "run").read_text()
    block = ci.split("# >>> README test command\n", 1)[1].split("# <<< README test command", 1)[0].strip()
    assert block and block in readme, "the test command in .ci/run must be the one the README gives"
