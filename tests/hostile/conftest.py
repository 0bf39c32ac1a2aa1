"""The shop on every engine, provisioned once for the whole corpus."""

from __future__ import annotations

import contextlib

import pytest

from .harness import Engines, provision_engines


@pytest.fixture(scope="session")
def engines(tmp_path_factory) -> Engines:
    with contextlib.ExitStack() as stack:
        engines = provision_engines(tmp_path_factory.mktemp("hostile-engines"), stack)
        before = engines.snapshot()
        yield engines
        assert engines.snapshot() == before, "the corpus changed an engine's data"


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return folder
