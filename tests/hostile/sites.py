"""Throwaway plugin distributions on ``sys.path``, found through the real entry-point machinery.

A site is a folder holding, per plugin, a module and a ``<dist>-<version>.dist-info``
with ``METADATA`` and ``entry_points.txt``: what pip leaves in site-packages. In-process
tests put it on ``sys.path`` (:func:`site`); subprocess tests pass it in ``PYTHONPATH``.
"""

from __future__ import annotations

import importlib
import sys
import textwrap
from pathlib import Path

import pytest


class Site:
    def __init__(self, root: Path):
        self.root = root
        self.modules: list[str] = []

    def add(self, module: str, source: str, *, dist: str | None = None, version: str = "0.1",
            entry: str | None = None, value: str | None = None) -> str:
        """Write ``module.py`` and a dist-info declaring it; return the distribution label ``"dist version"``."""
        dist = dist or module.replace("_", "-")
        (self.root / f"{module}.py").write_text(textwrap.dedent(source))
        info = self.root / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[kpi_engine]\n{entry or module} = {value or module}\n")
        self.modules.append(module)
        importlib.invalidate_caches()
        return f"{dist} {version}"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A site in front of ``sys.path``; its modules are forgotten afterwards."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    made = Site(root)
    yield made
    for name in made.modules:
        sys.modules.pop(name, None)
    importlib.invalidate_caches()
