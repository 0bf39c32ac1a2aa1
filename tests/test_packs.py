"""Definition packs: plugins contribute sources, KPIs and dashboards, validated like local files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import duckdb
import pytest

import kpi_engine
from kpi_engine import DefinitionError, DefinitionPack, hookimpl
from test_cli import kpi

PACK_YAML = """\
sources:
  tickets: {table: tickets, time: opened_at, dimensions: [channel]}
kpis:
  ticket_count:
    value: {source: tickets, expr: count(*)}
    unit: count
  escalation_rate:
    numerator: {source: tickets, expr: count(*), where: escalated}
    denominator: {source: tickets, expr: count(*)}
    unit: percent
    direction: lower
    thresholds: {warn: 0.2, critical: 0.4}
dashboards:
  service: {kpis: [ticket_count, escalation_rate]}
"""


def pack_plugin(name: str, **pack):
    class Plugin:
        @hookimpl
        def kpi_register_definitions(self):
            return [DefinitionPack(name, **pack)]

    Plugin.__name__ = f"pack-{name}"
    return Plugin()


@pytest.fixture
def service(tmp_path):
    """A pack directory and a DuckDB file with its tickets table."""
    pack_dir = tmp_path / "pack"
    pack_dir.mkdir()
    (pack_dir / "service.yaml").write_text(PACK_YAML)
    db = tmp_path / "service.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE tickets (opened_at TIMESTAMP, channel VARCHAR, escalated BOOLEAN)")
    con.executemany("INSERT INTO tickets VALUES (?, ?, ?)", [
        ("2025-01-02 10:00", "email", True), ("2025-01-03 10:00", "email", False),
        ("2025-01-04 10:00", "phone", False), ("2025-02-01 10:00", "phone", True), ("2025-02-02 10:00", "chat", False),
    ])
    con.close()
    local = tmp_path / "local"
    local.mkdir()
    return pack_dir, local, f"duckdb:///{db}"


def load(local, *plugins):
    found = kpi_engine.get_plugins(load_entrypoints=False, extra=plugins)
    return kpi_engine.load(local, found.functions, found.packs), found


def test_pack_kpis_load_and_run_with_local_ones(service):
    pack_dir, local, url = service
    (local / "mine.yaml").write_text("kpis:\n  email_share:\n    numerator: {source: tickets, expr: count(*), where: \"channel = 'email'\"}\n"
                                     "    denominator: {source: tickets, expr: count(*)}\n")
    catalog, found = load(local, pack_plugin("service", path=pack_dir))
    assert list(catalog.kpis) == ["ticket_count", "escalation_rate", "email_share"]
    assert catalog.kpis["ticket_count"].location.file.endswith("service.yaml")
    with kpi_engine.Engine(catalog, url, plugins=found) as engine:
        rows = {r["kpi"]: r for r in engine.run().to_pylist()}
    # Hand count over the five tickets above: 2 escalated, 2 by email.
    assert rows["ticket_count"]["value"] == 5
    assert (rows["escalation_rate"]["numerator"], rows["escalation_rate"]["denominator"]) == (2, 5)
    assert rows["escalation_rate"]["status"] == "warn"  # 40% is above warn (20%), not above critical (40%)
    assert rows["email_share"]["value"] == pytest.approx(2 / 5)


def test_pack_problems_point_at_the_pack_file(service):
    pack_dir, local, _ = service
    (pack_dir / "service.yaml").write_text(PACK_YAML.replace("expr: count(*)}\n    unit: count", "expr: count(*)}\n    unit: counts"))
    with pytest.raises(DefinitionError) as info:
        load(local, pack_plugin("service", path=pack_dir))
    (problem,) = info.value.problems
    assert problem.file.endswith("service.yaml") and problem.line == 6 and problem.name == "ticket_count"


def test_local_collision_is_an_error_unless_it_overrides(service):
    pack_dir, local, url = service
    (local / "mine.yaml").write_text("kpis:\n  ticket_count:\n    value: {source: tickets, expr: count(*), where: not escalated}\n")
    with pytest.raises(DefinitionError) as info:
        load(local, pack_plugin("service", path=pack_dir))
    (problem,) = info.value.problems
    assert problem.line == 2 and "already defined by definition pack 'service'" in problem.message
    assert "override: true" in problem.message
    (local / "mine.yaml").write_text("kpis:\n  ticket_count:\n    override: true\n    value: {source: tickets, expr: count(*), where: not escalated}\n")
    catalog, found = load(local, pack_plugin("service", path=pack_dir))
    assert catalog.kpis["ticket_count"].location.file.endswith("mine.yaml")
    with kpi_engine.Engine(catalog, url, plugins=found) as engine:
        assert engine.run(kpis=["ticket_count"]).column("value").to_pylist() == [3.0]  # 5 tickets, 2 escalated


def test_override_without_a_pack_definition_is_an_error(service):
    _, local, _ = service
    (local / "mine.yaml").write_text("sources:\n  t: {table: t}\nkpis:\n  n:\n    override: true\n    value: {source: t, expr: count(*)}\n")
    with pytest.raises(DefinitionError, match="no definition pack defines kpi 'n'"):
        load(local)


def test_two_packs_defining_one_name(service):
    pack_dir, local, _ = service
    other = pack_dir.parent / "other"
    other.mkdir()
    (other / "o.yaml").write_text("kpis:\n  ticket_count: {value: {source: tickets, expr: count(*)}}\n")
    with pytest.raises(DefinitionError) as info:
        load(local, pack_plugin("service", path=pack_dir), pack_plugin("other", path=other))
    assert "defined by definition packs 'service'" in str(info.value) and "'other'" in str(info.value)


def test_pack_built_in_python(service):
    _, local, url = service
    document = {
        "sources": {"tickets": {"table": "tickets", "time": "opened_at"}},
        "kpis": {"chat_tickets": {"value": {"source": "tickets", "expr": "count(*)", "where": "channel = 'chat'"}}},
    }
    catalog, found = load(local, pack_plugin("py", documents=[document]))
    with kpi_engine.Engine(catalog, url, plugins=found) as engine:
        assert engine.run().column("value").to_pylist() == [1.0]
    bad = {"kpis": {"x": {"value": {"source": "nowhere", "expr": "count(*)"}}}}
    with pytest.raises(DefinitionError) as info:
        load(local, pack_plugin("py", documents=[bad]))
    assert str(info.value.problems[0]).startswith("<pack py document 1>:4:15: kpi x: value: unknown source 'nowhere'")


def test_team_plugin_through_entry_point_adds_a_kpi(service, tmp_path, monkeypatch):
    pack_dir, local, url = service
    module = tmp_path / "site" / "team_kpis.py"
    module.parent.mkdir()
    module.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from kpi_engine import DefinitionPack, hookimpl

        @hookimpl
        def kpi_register_definitions():
            return [DefinitionPack("team", path=Path({str(pack_dir)!r}))]
    """))
    info = module.parent / "team_kpis-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: team-kpis\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[kpi_engine]\nteam = team_kpis\n")
    monkeypatch.syspath_prepend(str(module.parent))
    listed = json.loads(kpi("plugins", "--format", "json").stdout)
    team = next(p for p in listed if p["name"] == "team")
    assert team["distribution"] == "team-kpis 1.0" and team["provides"] == ["definitions team"]
    # Installed is not active: a pack joins the catalog only when named.
    (local / "mine.yaml").write_text("kpis:\n  all_tickets: {value: {source: tickets, expr: count(*)}}\n")
    unnamed = kpi("run", str(local), "--connection", url, "--format", "json")
    assert unnamed.exit_code == 3 and "unknown source 'tickets'" in unnamed.stderr
    result = kpi("run", str(local), "--pack", "team", "--connection", url, "--dashboard", "service", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["kpi"] for r in json.loads(result.stdout)] == ["ticket_count", "escalation_rate"]
    # ... or when the project file names it.
    (local.parent / "kpi.yml").write_text(f"definitions: local\nconnection: {url}\npacks: [team]\n")
    monkeypatch.chdir(local.parent)
    listed_kpis = json.loads(kpi("list", "--format", "json").stdout)
    assert [r["kpi"] for r in listed_kpis] == ["ticket_count", "escalation_rate", "all_tickets"]
    unknown = kpi("run", "--pack", "tem")
    assert unknown.exit_code == 2 and "unknown definition pack 'tem' (did you mean 'team'?)" in unknown.stderr


def test_duplicate_pack_names_are_refused():
    found = kpi_engine.get_plugins(load_entrypoints=False, extra=[
        pack_plugin("same", path=Path(".")), pack_plugin("same", documents=[{"kpis": {}}]),
    ])
    assert [p.name for p in found.packs] == ["same"]
    assert any("definition pack 'same' is already provided by" in (i.error or "") for i in found.infos)
