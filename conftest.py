"""Fixtures for every test directory (tests/ and each plugin's tests/)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _outside_the_repository_project(tmp_path, monkeypatch):
    """Run every test from an empty folder: the repository's own kpi.yml (the shipped
    catalog's project, which loads the commerce pack) must not leak into tests that
    expect no project file; tests about projects create their own."""
    cwd = tmp_path / "cwd"  # a folder of its own, so paths of the test's files stay as they are shown
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.delenv("KPI_PROJECT_DIR", raising=False)
