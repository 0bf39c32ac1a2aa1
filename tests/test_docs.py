"""The hook reference in docs/plugin_hooks.md matches kpi_engine.hookspecs (datasette's docs test).

Every hook specification has a section titled with its exact signature, no section
names a hook that does not exist, every hook has a docstring, and the examples marked
``<!-- source: PATH -->`` (here and in CONTRIBUTING.md) are copied verbatim from the
file they name, so the docs show code that runs and is tested. The README's Python API
examples run as written, in the repository and in a fresh project, and what they compute
is checked against hand-written SQL.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pluggy
import pytest

from kpi_engine import hookspecs

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugin_hooks.md"
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.MULTILINE)
HOOK_IN_HEADING = re.compile(r"\b(kpi_\w+)")
FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
SOURCE_BLOCK = re.compile(r"<!--\s*source:\s*(\S+)\s*-->\s*\n```\w*\n(.*?)\n```", re.DOTALL)


def hookspec_functions() -> dict[str, object]:
    """Functions of kpi_engine.hookspecs whose names start with ``kpi_``."""
    return {
        name: obj
        for name, obj in vars(hookspecs).items()
        if name.startswith("kpi_") and inspect.isfunction(obj)
    }


def signature(function) -> str:
    """``kpi_register_adapters() -> Iterable[AdapterSpec]``, as the heading spells it."""
    # Annotations are strings (from __future__ import annotations); drop the quotes.
    return f"{function.__name__}{inspect.signature(function)}".replace("'", "")


def hook_headings() -> dict[str, str]:
    """Hook name -> full heading text, for every heading that names a ``kpi_...`` hook."""
    found: dict[str, str] = {}
    prose = FENCED.sub("", DOC.read_text(encoding="utf-8"))  # a "# comment" in code is no heading
    for level, text in HEADING.findall(prose):
        for name in HOOK_IN_HEADING.findall(text):
            assert name not in found, f"docs/plugin_hooks.md has two sections for {name}"
            assert level == "##", f"docs/plugin_hooks.md: the section for {name} should be a '##' heading"
            found[name] = text
    return found


def test_there_are_hooks_to_document():
    assert hookspec_functions(), "no kpi_* functions found in kpi_engine.hookspecs"


def test_every_kpi_function_in_hookspecs_is_a_registered_hookspec():
    pm = pluggy.PluginManager("kpi_engine")
    pm.add_hookspecs(hookspecs)
    registered = {name for name in vars(pm.hook) if name.startswith("kpi_")}
    assert registered == set(hookspec_functions())


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_hook_is_documented_with_its_exact_signature(name):
    headings = hook_headings()
    assert name in headings, f"docs/plugin_hooks.md has no section for the hook {name}"
    expected = signature(hookspec_functions()[name])
    assert headings[name] == expected, f"docs/plugin_hooks.md: the section '{headings[name]}' should be titled '{expected}'"


def test_documented_hooks_exist():
    unknown = set(hook_headings()) - set(hookspec_functions())
    assert not unknown, f"docs/plugin_hooks.md documents hooks that do not exist: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(hookspec_functions()))
def test_hook_has_a_docstring(name):
    doc = inspect.getdoc(hookspec_functions()[name])
    assert doc and doc.strip(), f"hookspec {name} has no docstring"
    assert ".. versionadded::" in doc, f"hookspec {name}'s docstring does not say when it was added"


@pytest.mark.parametrize("doc", [DOC, ROOT / "CONTRIBUTING.md"], ids=lambda p: p.name)
def test_examples_are_copied_from_the_files_they_name(doc):
    blocks = SOURCE_BLOCK.findall(doc.read_text(encoding="utf-8"))
    assert blocks, f"{doc.name} has no examples marked <!-- source: PATH -->"
    for path, code in blocks:
        source = ROOT / path
        assert source.is_file(), f"{doc.name} cites {path}, which does not exist"
        assert code in source.read_text(encoding="utf-8"), (
            f"an example in {doc.name} is no longer a verbatim copy of {path}:\n{code}"
        )


# -- the README's Python API runs as written -----------------------------------------------

README = ROOT / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# A small project of one's own over the demo dataset's tables, with an installed pack.
FRESH_PROJECT = {
    "kpi.yml": "packs: [commerce]\n",
    "definitions/shop.yaml": """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
  sessions: {table: sessions, time: started_at, dimensions: [channel]}
kpis:
  conversion_rate:
    numerator: {source: orders, expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
    unit: percent
    target: 0.05
    thresholds: {warn: 0.045, critical: 0.04}   # October 2026 converts 3.6%: critical, kpi check exits 1
dashboards:
  daily: {kpis: [conversion_rate, nps]}
""",
}


def readme_api_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Python API\n"):]
    section = section[: section.index("\n## ", 1)]
    return PYTHON_BLOCK.findall(section)


@pytest.fixture(scope="module")
def demo_cache(tmp_path_factory):
    """A cache folder holding the demo dataset the README generates (built once for both runs)."""
    from kpi_engine.demo.database import demo_database

    folder = tmp_path_factory.mktemp("kpi-engine-cache")
    demo_database(folder)
    return folder


def run_readme_api(folder: Path, cache: Path, monkeypatch) -> dict:
    """Execute the README's Python API blocks in order, in one namespace, working in ``folder``."""
    for name in ("KPI_CONNECTION", "KPI_PROJECT_DIR", "KPI_DATA_ROOTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KPI_ENGINE_CACHE", str(cache))
    monkeypatch.chdir(folder)
    blocks = readme_api_blocks()
    assert len(blocks) >= 2 and "open_project(" in blocks[0], "the README's Python API section lost its examples"
    namespace: dict = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, f"{README}: Python API", "exec"), namespace)
    return namespace


def check_readme_results(ns: dict, expected_file: Path) -> None:
    """What the README computed, against hand-written SQL over the same demo tables."""
    import duckdb
    import pyarrow.compute as pc
    import sqlglot

    project, table, result = ns["project"], ns["table"], ns["result"]
    assert project.file == expected_file and "commerce" in project.packs
    database = ns["shop"].removeprefix("duckdb:///")
    counts = """SELECT coalesce(o.m, s.m) AS m, coalesce(o.c, s.c) AS channel, coalesce(o.n, 0) AS orders, s.n AS sessions
                FROM (SELECT date_trunc('month', ordered_at)::DATE m, channel c, count(*) n FROM orders GROUP BY ALL) o
                FULL JOIN (SELECT date_trunc('month', started_at)::DATE m, channel c, count(*) n FROM sessions GROUP BY ALL) s
                ON o.m = s.m AND o.c IS NOT DISTINCT FROM s.c"""
    with duckdb.connect(database, read_only=True) as con:
        by_channel = {(m, c): (o, s) for m, c, o, s in con.execute(counts).fetchall()}
        october = con.execute("""SELECT (SELECT count(*) FROM orders WHERE ordered_at >= '2026-10-01' AND ordered_at < '2026-11-01'),
                                        (SELECT count(*) FROM sessions WHERE started_at >= '2026-10-01' AND started_at < '2026-11-01')""").fetchone()
    got = {(r["period_start"], r["channel"]): r for r in table.to_pylist()}
    assert set(got) == set(by_channel) and set(table.column("kpi").to_pylist()) == {"conversion_rate"}
    for key, (orders, sessions) in by_channel.items():
        assert (got[key]["numerator"], got[key]["denominator"]) == (orders, sessions)
        assert got[key]["value"] == pytest.approx(orders / sessions, rel=1e-12)

    # check: October 2026 (the month before 1 November), the conversion rate judged by hand.
    rows = {r["kpi"]: r for r in result.table.to_pylist()}
    fresh = {name for name, source in project.catalog.sources.items() if source.freshness is not None}
    assert set(rows) == set(project.catalog.dashboards["daily"].kpis) | {f"freshness:{name}" for name in fresh}
    kpi = project.catalog.kpis["conversion_rate"]
    value = october[0] / october[1]
    assert rows["conversion_rate"]["value"] == pytest.approx(value, rel=1e-12)
    warn, critical = kpi.thresholds.warn, kpi.thresholds.critical
    assert rows["conversion_rate"]["status"] == ("critical" if value < critical else "warn" if value < warn else "ok")
    statuses = result.table.column("status")
    assert result.exit_code == (1 if pc.any(pc.equal(statuses, "critical")).as_py() else 0)
    assert result.worst == next(s for s in ("critical", "warn", "no_data", "unrated", "ok") if s in statuses.to_pylist())
    assert result.shown.to_pylist() == [r for r in result.table.to_pylist() if r["status"] in ("critical", "warn")]

    # The engine one level down: Snowflake SQL that reads back, the dashboard per month.
    assert sqlglot.parse_one(ns["sql"], read="snowflake").find(sqlglot.exp.Select) is not None
    evaluation = ns["evaluation"]
    assert evaluation.failures == ()
    monthly = {r["period_start"]: r["value"] for r in evaluation.table.to_pylist() if r["kpi"] == "conversion_rate"}
    months = {m for m, _ in by_channel}
    assert monthly == {
        m: pytest.approx(sum(o for (n, _), (o, _s) in by_channel.items() if n == m)
                         / sum(s or 0 for (n, _), (_o, s) in by_channel.items() if n == m), rel=1e-12)
        for m in months
    }


def test_readme_python_api_runs_in_the_repository(demo_cache, monkeypatch):
    check_readme_results(run_readme_api(ROOT, demo_cache, monkeypatch), ROOT / "kpi.yml")


def test_readme_python_api_runs_in_a_fresh_project(demo_cache, tmp_path, monkeypatch):
    for name, text in FRESH_PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    ns = run_readme_api(tmp_path, demo_cache, monkeypatch)
    check_readme_results(ns, tmp_path / "kpi.yml")
    assert (ns["result"].worst, ns["result"].exit_code) == ("critical", 1)  # the failing side of the verdict too
