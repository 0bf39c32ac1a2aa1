"""Fixtures for every test directory (tests/ and each plugin's tests/)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _outside_the_repository_project(tmp_path_factory, monkeypatch):
    """Run every test from an empty folder: the repository's own kpi.yml (the shipped
    catalog's project, which loads the commerce pack) must not leak into tests that
    expect no project file; tests about projects create their own."""
    # A folder of its own, outside the test's tmp_path: files there keep their absolute
    # names in messages, and listing tmp_path shows only what the test made.
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    monkeypatch.delenv("KPI_PROJECT_DIR", raising=False)


@pytest.fixture(autouse=True)
def _forget_secrets():
    """Each test starts with no remembered connection secret: the scrubber's registry is
    per process, and a secret (or a piece of a malformed URL) from one test must not
    mask text another test expects."""
    yield
    from kpi_engine import scrub

    scrub.forget()
