"""Connection profiles: precedence, names, ${VAR} secrets, masking, `kpi connections`."""

from __future__ import annotations

import json

import pytest

from kpi_engine.errors import SelectionError
from kpi_engine.project import find_project, resolve_connection
from test_cli import kpi

SECRET = "s3cr3t-Pa55"


def project(tmp_path, text: str):
    (tmp_path / "kpi.yml").write_text(text)
    return find_project(cwd=tmp_path)


def test_precedence_flag_env_project_default(tmp_path, monkeypatch):
    p = project(tmp_path, "connection: local\nconnections:\n  local: duckdb:///a.db\n  other: duckdb:///b.db\n")
    monkeypatch.delenv("KPI_CONNECTION", raising=False)
    assert resolve_connection(None, p).url == "duckdb:///a.db"
    monkeypatch.setenv("KPI_CONNECTION", "other")
    assert resolve_connection(None, p).url == "duckdb:///b.db"
    assert resolve_connection("duckdb:///c.db", p).url == "duckdb:///c.db"
    assert resolve_connection("local", p).name == "local"


def test_without_project_file_the_default_is_embedded_duckdb(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_CONNECTION", raising=False)
    assert resolve_connection(None, find_project(cwd=tmp_path)).url == "duckdb://"


def test_secret_from_environment_only_when_used(tmp_path, monkeypatch):
    p = project(tmp_path, "connections:\n  pg:\n    url: postgresql://me:${PG_PASSWORD}@db/x\n    timeout: 30\n  local: duckdb://\n")
    monkeypatch.delenv("PG_PASSWORD", raising=False)
    assert resolve_connection("local", p).url == "duckdb://"  # an unused profile's variable is not needed
    with pytest.raises(SelectionError, match="environment variable PG_PASSWORD is not set"):
        resolve_connection("pg", p)
    monkeypatch.setenv("PG_PASSWORD", SECRET)
    resolved = resolve_connection("pg", p)
    assert resolved.url == f"postgresql://me:{SECRET}@db/x" and resolved.timeout == 30
    assert SECRET not in str(resolved) and SECRET not in repr(resolved)
    assert str(resolved) == "pg (postgresql://me:***@db/x)"


def test_literal_password_in_project_file_is_refused(tmp_path):
    with pytest.raises(SelectionError, match="must be an environment reference"):
        project(tmp_path, f"connections:\n  pg: postgresql://me:{SECRET}@db/x\n")


def test_unknown_connection_name_suggests(tmp_path):
    p = project(tmp_path, "connections:\n  warehouse: duckdb://\n")
    with pytest.raises(SelectionError, match="unknown connection 'warehose' \\(did you mean 'warehouse'\\?\\)"):
        resolve_connection("warehose", p)


def test_bad_project_files(tmp_path):
    with pytest.raises(SelectionError, match="unknown key 'conections'"):
        project(tmp_path, "conections: {}\n")
    with pytest.raises(SelectionError, match="unknown key 'pasword'"):
        project(tmp_path, "connections:\n  a: {url: 'duckdb://', pasword: x}\n")
    with pytest.raises(SelectionError, match="neither a URL nor one of the connections"):
        project(tmp_path, "connection: nowhere\n")


def test_pyproject_tool_kpi(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kpi]\nconnection = "w"\n[tool.kpi.connections]\nw = "duckdb:///w.db"\n')
    assert resolve_connection(None, find_project(cwd=tmp_path)).url == "duckdb:///w.db"


def test_kpi_connections_lists_masked_and_tests(shop, monkeypatch):
    defs, url = shop
    root = defs.parent
    (root / "kpi.yml").write_text(
        f"connection: shop\nconnections:\n  shop: {url}\n  pg: postgresql://me:${{PG_PASSWORD}}@127.0.0.1:1/x\n"
        "  gone: duckdb:////nonexistent/x.duckdb\n"
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("PG_PASSWORD", SECRET)
    listed = kpi("connections", "--format", "json")
    assert listed.exit_code == 0
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows["shop"]["default"] is True and rows["pg"]["url"] == "postgresql://me:${PG_PASSWORD}@127.0.0.1:1/x"
    table = kpi("connections")
    assert "shop" in table.stdout and SECRET not in table.stdout + table.stderr
    ok = kpi("connections", "test", "shop")
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: shop (duckdb:///")
    gone = kpi("connections", "test", "gone")
    assert gone.exit_code == 4 and "connection gone (duckdb:////nonexistent/x.duckdb)" in gone.stderr
    unknown = kpi("connections", "test", "nope")
    assert unknown.exit_code == 2 and "unknown connection 'nope'" in unknown.stderr


def test_project_file_is_not_read_as_definitions(shop, monkeypatch):
    defs, url = shop
    (defs / "kpi.yml").write_text(f"connection: {url}\n")
    (defs / ".hidden").mkdir()
    (defs / ".hidden" / "junk.yaml").write_text("not: [valid")
    result = kpi("validate", str(defs))
    assert result.exit_code == 0, result.stderr
