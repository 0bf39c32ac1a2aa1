"""`kpi` starts without the heavy libraries: what a command does not use, it does not import.

Each check runs in a fresh interpreter, where ``sys.modules`` shows exactly what the
command imported. Start-up time itself is measured in benchmarks/, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlglot", "pyarrow", "duckdb", "pandas", "yaml")

PROBE = """
import sys
from kpi_engine.cli import cli
try:
    cli.main({args!r}, prog_name="kpi")
except SystemExit as done:
    assert done.code in (0, None), done.code
print("imported:", *sorted(m for m in {heavy!r} if m in sys.modules))
"""


def imported_by(*args: str) -> set[str]:
    probe = PROBE.format(args=list(args), heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("imported:")]
    return set(line.split()[1:])


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("run", "--help"), ("compile", "--help")])
def test_version_and_help_import_no_engine_library(args):
    assert imported_by(*args) == set()


def test_validate_parses_definitions_but_touches_no_data_library():
    assert imported_by("validate", str(ROOT / "definitions"), "--pack", "commerce") == {"sqlglot", "yaml"}
