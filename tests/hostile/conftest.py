"""The shop on every engine, provisioned once for the whole corpus, and checked around every case.

Every test of the corpus, whichever engine it attacks, leaves the shared shop as it was:
its DuckDB and SQLite files byte for byte after each test, its PostgreSQL schema's and
MariaDB database's rows after the whole corpus (after each case too, for the cases of
:mod:`.harness` that name those servers).
"""

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


@pytest.fixture(autouse=True)
def _shop_unchanged(engines):
    before = engines.snapshot(servers=())
    yield
    assert engines.snapshot(servers=()) == before, "the test changed the shop's DuckDB or SQLite data"


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return folder
