"""The catalog and SQL caches (kpi_engine.cache): what a repeated run skips, and every way an entry goes stale.

A "new process" is simulated with ``cache.clear()``, which forgets the in-memory entries
and what was learnt about installed code; disk entries stay. Parsing and compiling are
counted (or forbidden) by wrapping ``_Loader.load`` and the compile functions.
"""

from __future__ import annotations

import json
import os
import textwrap
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from sqlglot import exp

from kpi_engine import cache, compiler, loader, parsing
from kpi_engine.cache import CacheWarning
from kpi_engine.cli import cli
from kpi_engine.engine import Engine
from kpi_engine.errors import DefinitionError
from kpi_engine.model import Deferred
from kpi_engine.plugins import get_plugins
from kpi_engine.request import Statement, TimeCheck, TimeProbe
from kpi_engine.shipped import select_shipped_packs, shipped_definitions
from kpi_engine.specs import DefinitionPack, FunctionSpec
from kpi_engine.timezones import default_timezone

BUILTINS = get_plugins(load_entrypoints=False)


@pytest.fixture(autouse=True)
def _fresh_process():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def counts(monkeypatch):
    """How often definitions were parsed and statements compiled."""
    seen = {"parse": 0, "compile": 0}
    parse, compile_sql = parsing._Loader.load, compiler.compile_sql

    def counted_parse(self, *args, **kwargs):
        seen["parse"] += 1
        return parse(self, *args, **kwargs)

    def counted_compile(*args, **kwargs):
        seen["compile"] += 1
        return compile_sql(*args, **kwargs)

    monkeypatch.setattr(parsing._Loader, "load", counted_parse)
    monkeypatch.setattr(compiler, "compile_sql", counted_compile)
    return seen


def forbid_parsing_and_compiling(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a cached run parsed YAML or compiled SQL")

    monkeypatch.setattr(parsing._Loader, "load", refuse)
    monkeypatch.setattr(parsing._Loader, "_read_text", refuse, raising=False)
    monkeypatch.setattr(compiler, "compile_plan", refuse)
    monkeypatch.setattr(compiler, "compile_sql", refuse)


def load(defs, cache_dir=None, packs=(), plugins=BUILTINS):
    return loader.load(defs, plugins.functions, packs, plugins.metric_types, cache_dir=cache_dir)


def entries(cache_dir: Path, kind: str) -> list[Path]:
    folder = cache_dir / f"kpi-engine-v{cache.FORMAT_VERSION}" / kind
    return sorted(folder.glob("*")) if folder.is_dir() else []


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# -- what a repeated run skips ----------------------------------------------------------


def test_a_second_kpi_run_parses_no_yaml_and_compiles_nothing(shop, tmp_path, monkeypatch):
    defs, url = shop
    args = ("run", str(defs), "--connection", url, "--grain", "month", "--format", "json", "--cache-dir", str(tmp_path / "c"))
    first = run_cli(*args)
    assert first.exit_code == 0, first.stderr
    # Two statements: the KPIs', and the sources' newest rows that say which months are complete.
    assert len(entries(tmp_path / "c", "catalogs")) == 1 and len(entries(tmp_path / "c", "statements")) == 2

    cache.clear()
    forbid_parsing_and_compiling(monkeypatch)
    second = run_cli(*args)
    assert second.exit_code == 0, second.stderr
    assert second.stdout == first.stdout


def test_in_one_process_the_same_definitions_and_request_are_loaded_and_compiled_once(shop, counts):
    defs, url = shop
    first, second = load(defs), load(defs)
    assert second is first and counts["parse"] == 1
    with Engine(first, url) as one, Engine(second, url) as other:
        sql = one.compile(grain="month")
        assert other.compile(grain="month") == sql and counts["compile"] == 1
        other.compile(grain="month", pretty=False)
        assert counts["compile"] == 2


def test_a_catalog_not_loaded_through_load_is_compiled_each_time(shop, counts):
    from attrs import evolve

    defs, url = shop
    edited = evolve(load(defs))  # equal content, but nothing vouches for it
    with Engine(edited, url) as engine:
        engine.compile(grain="month")
        engine.compile(grain="month")
    assert counts["compile"] == 2
    with Engine(edited, url) as engine:
        engine.run(grain="month")  # checked before connecting, then run: compiled once, not twice
    assert counts["compile"] == 3


# -- results ----------------------------------------------------------------------------

# Written from the shop's schema alone: orders per session and revenue, per month.
HAND_WRITTEN = """
with o as (select date_trunc('month', ordered_at)::date as m, count(*) as n, sum(revenue) as revenue
           from orders group by 1),
     s as (select date_trunc('month', started_at)::date as m, count(*) as n from sessions group by 1)
select 'conversion_rate' as kpi, s.m, coalesce(o.n, 0) as numerator, s.n as denominator,
       coalesce(o.n, 0) / s.n as value
from s left join o using (m)
union all
select 'revenue', m, revenue, null, revenue from o
order by 1, 2
"""


def _rows(table) -> list[tuple]:
    keep = ("kpi", "period_start", "numerator", "denominator", "value")
    rows = [tuple(r[k] for k in keep) for r in table.to_pylist() if r["kpi"] in ("conversion_rate", "revenue")]
    return sorted(rows, key=lambda r: (r[0], r[1]))


def test_results_with_the_cache_equal_results_without_it_and_hand_written_sql(shop, tmp_path):
    defs, url = shop
    with duckdb.connect(url.removeprefix("duckdb:///"), read_only=True) as con:
        expected = [tuple(r) for r in con.execute(HAND_WRITTEN).fetchall()]
    assert [r[:2] for r in expected] == [
        ("conversion_rate", date(2025, 1, 1)), ("conversion_rate", date(2025, 2, 1)),
        ("revenue", date(2025, 1, 1)), ("revenue", date(2025, 2, 1)),
    ]

    def results(catalog, cache_dir=None):
        with Engine(catalog, url, cache_dir=cache_dir) as engine:
            return _rows(engine.run(kpis=["conversion_rate", "revenue"], grain="month"))

    cold = results(load(defs, tmp_path / "c"))
    cache.clear()
    warm = results(load(defs, tmp_path / "c"))
    cache.clear()
    uncached = results(loader.load(defs, BUILTINS.functions, (), BUILTINS.metric_types))
    assert cold == warm == uncached
    for got, want in zip(warm, expected, strict=True):
        assert got[:2] == want[:2]
        for number, reference in zip(got[2:], want[2:], strict=True):
            assert number == (None if reference is None else pytest.approx(reference, rel=1e-12)), (got, want)


def test_a_stored_catalog_compiles_to_the_same_sql_as_a_freshly_parsed_one(tmp_path):
    """The whole shipped catalog (sqlglot trees, locations, the commerce pack's metric types) survives the pickle."""
    pytest.importorskip("kpi_commerce", reason="the shipped catalog uses the kpi-commerce plugin")
    plugins = get_plugins()
    packs = select_shipped_packs(plugins)
    fresh = load(shipped_definitions(), packs=packs, plugins=plugins)
    load(shipped_definitions(), tmp_path / "c", packs=packs, plugins=plugins)
    cache.clear()
    stored = cache._read_catalog(entries(tmp_path / "c", "catalogs")[0], plugins.functions, plugins.metric_types)
    assert stored is not None and stored is not fresh
    # Read back, every tree is still serialized: a run that finds its statement cached never loads one.
    held = [(s, "_table") for s in stored.sources.values()] + [(s, "_sql") for s in stored.sources.values()]
    held += [(m.expr, "_tree") for k in stored.kpis.values() for m in k.measures]
    assert all(type(getattr(o, name)) in (Deferred, type(None)) for o, name in held)
    assert any(type(getattr(o, name)) is Deferred for o, name in held)
    assert stored == fresh
    assert _trees(stored) == _trees(fresh)
    assert [k.location for k in stored.kpis.values()] == [k.location for k in fresh.kpis.values()]
    metric_kpis = [k for k in stored.kpis.values() if k.metric is not None]
    assert metric_kpis and all(k.metric.type is plugins.metric_types[k.metric.type_name.lower()] for k in metric_kpis)
    with Engine(fresh, "duckdb://", plugins=plugins) as a, Engine(stored, "duckdb://", plugins=plugins) as b:
        for name in fresh.kpis:
            assert a.compile(kpis=[name], grain="month") == b.compile(kpis=[name], grain="month"), name
        by_channel = _sliceable(fresh, "channel")
        assert a.compile("postgres", kpis=by_channel, by=["channel"]) == b.compile("postgres", kpis=by_channel, by=["channel"])


def _sliceable(catalog, dimension: str) -> list[str]:
    """The KPIs whose every source has ``dimension``."""
    return [
        k.name for k in catalog.kpis.values()
        if k.sources and all(catalog.sources[s].dimension(dimension) for s in k.sources)
    ]


def _trees(catalog) -> list[str]:
    """The SQL of every tree a catalog holds, in a stable order."""
    found = []
    for source in catalog.sources.values():
        found += [t.sql() for t in (source.table, source.sql, source.time and source.time.tree) if t is not None]
        found += [d.expr.tree.sql() for d in source.dimensions]
    for kpi in catalog.kpis.values():
        for measure in kpi.measures:
            found += [measure.expr.tree.sql()] + ([measure.where.tree.sql()] if measure.where else [])
        if kpi.formula is not None:
            found.append(kpi.formula.tree.sql())
        if kpi.metric is not None:
            found += [repr(kpi.metric.where and kpi.metric.where.tree.sql())]
            found += [v.tree.sql() if hasattr(v, "tree") else repr(v) for v in kpi.metric.params.values()]
    return found


def test_compiling_never_changes_the_shared_trees_of_a_cached_catalog():
    """The in-memory cache hands one catalog to every caller: the compiler must copy before it rewrites."""
    pytest.importorskip("kpi_commerce", reason="the shipped catalog uses the kpi-commerce plugin")
    plugins = get_plugins()
    catalog = load(shipped_definitions(), packs=select_shipped_packs(plugins), plugins=plugins)
    before = _trees(catalog)
    with Engine(catalog, "duckdb://", plugins=plugins) as engine:
        engine.compile(grain="week", start=date(2026, 1, 1), end=date(2026, 7, 1))
        engine.compile(compare="same_period_last_year", start=date(2026, 1, 1), end=date(2026, 7, 1))
        for dialect in ("duckdb", "postgres", "sqlite", "mysql", "spark", "snowflake", "bigquery"):
            engine.compile(dialect, kpis=_sliceable(catalog, "channel"), grain="month", by=["channel"], compare="previous_period")
    assert _trees(catalog) == before
    assert load(shipped_definitions(), packs=select_shipped_packs(plugins), plugins=plugins) is catalog


# -- invalidation -----------------------------------------------------------------------


def test_an_edit_that_keeps_the_file_size_is_a_miss(shop, tmp_path, counts):
    defs, _ = shop
    file = defs / "shop.yaml"
    assert load(defs, tmp_path / "c").kpis["conversion_rate"].target == 0.5
    text = file.read_text()
    file.write_text(text.replace("target: 0.5", "target: 0.7"))
    assert file.stat().st_size == len(text)
    cache.clear()
    assert load(defs, tmp_path / "c").kpis["conversion_rate"].target == 0.7
    assert counts["parse"] == 2
    assert len(entries(tmp_path / "c", "catalogs")) == 2


def test_adding_or_removing_a_definition_file_is_a_miss(shop, tmp_path, counts):
    defs, _ = shop
    assert "aov" not in load(defs, tmp_path / "c").kpis
    extra = defs / "more.yaml"
    extra.write_text("kpis:\n  aov:\n    numerator: {source: orders, expr: sum(revenue)}\n"
                     "    denominator: {source: orders, expr: count(*)}\n")
    assert "aov" in load(defs, tmp_path / "c").kpis
    extra.unlink()
    cache.clear()
    assert "aov" not in load(defs, tmp_path / "c").kpis
    assert counts["parse"] == 2  # the file set without more.yaml was stored by the first load


def test_touching_a_file_without_changing_it_is_a_hit(shop, tmp_path, monkeypatch):
    defs, url = shop
    catalog = load(defs, tmp_path / "c")
    with Engine(catalog, url) as engine:
        sql = engine.compile(grain="month")
    later = (defs / "shop.yaml").stat().st_mtime + 3600
    os.utime(defs / "shop.yaml", (later, later))
    cache.clear()
    forbid_parsing_and_compiling(monkeypatch)
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        assert engine.compile(grain="month") == sql


def test_a_pack_whose_content_changes_is_a_miss(shop, tmp_path, counts):
    defs, _ = shop

    def title(document) -> str:
        return load(defs, tmp_path / "c", packs=[DefinitionPack("team", documents=[document])]).kpis["orders_count"].title

    def unit(folder) -> str:
        return load(defs, tmp_path / "c", packs=[DefinitionPack("team", path=folder)]).kpis["sessions_count"].unit

    document = {"kpis": {"orders_count": {"value": {"source": "orders", "expr": "count(*)"}, "title": "Orders"}}}
    assert title(document) == "Orders"
    document["kpis"]["orders_count"]["title"] = "Orders placed"
    cache.clear()
    assert title(document) == "Orders placed"

    folder = tmp_path / "pack"
    folder.mkdir()
    kpi = "kpis:\n  sessions_count:\n    value: {source: sessions, expr: count(*)}\n    unit: %s\n"
    (folder / "team.yaml").write_text(kpi % "count")
    assert unit(folder) == "count"
    (folder / "team.yaml").write_text(kpi % "ratio")  # the same size
    cache.clear()
    assert unit(folder) == "ratio"
    assert counts["parse"] == 4


PROBE_PLUGIN = """\
from sqlglot import exp


def double(value):
    return exp.Mul(this=value.copy(), expression=exp.Literal.number(2))
"""


def test_a_plugin_whose_code_or_version_changes_is_a_miss(shop, tmp_path, monkeypatch, counts):
    import functools
    import importlib

    defs, _ = shop
    (defs / "double.yaml").write_text("kpis:\n  double_revenue:\n    value: {source: orders, expr: double(sum(revenue))}\n")
    module = tmp_path / "site" / "kpi_cache_probe_plugin.py"
    module.parent.mkdir()
    module.write_text(PROBE_PLUGIN)
    monkeypatch.syspath_prepend(str(module.parent))
    probe = importlib.import_module("kpi_cache_probe_plugin")
    functions = {**BUILTINS.functions, "double": FunctionSpec("double", probe.double, 1, 1)}

    def load_with_probe(version: str):
        cache.clear()
        monkeypatch.setattr(cache, "_distributions", functools.lru_cache(maxsize=1)(
            lambda: {"kpi_engine": "kpi-engine 0.1.0", "kpi_cache_probe_plugin": f"kpi-cache-probe {version}"}))
        return loader.load(defs, functions, (), BUILTINS.metric_types, cache_dir=tmp_path / "c")

    load_with_probe("1.0")
    load_with_probe("1.0")
    assert counts["parse"] == 1
    load_with_probe("1.1")  # an upgrade
    assert counts["parse"] == 2
    module.write_text(PROBE_PLUGIN + "# edited in place, same version\n")
    load_with_probe("1.1")
    assert counts["parse"] == 3


def test_each_request_field_dialect_and_kpi_order_has_its_own_statement(shop, tmp_path):
    defs, url = shop
    requests = [
        ("duckdb", {"grain": "month"}),
        ("postgres", {"grain": "month"}),
        ("duckdb", {"grain": "week"}),
        ("duckdb", {"grain": "month", "by": ["channel"]}),
        ("duckdb", {"grain": "month", "start": date(2025, 1, 1), "end": date(2025, 2, 1)}),
        ("duckdb", {"grain": "month", "compare": "previous_period"}),
        ("duckdb", {"grain": "month", "trend": 3}),
        ("duckdb", {"kpis": ["revenue", "conversion_rate"]}),
        ("duckdb", {"kpis": ["conversion_rate", "revenue"]}),
    ]
    catalog = load(defs, tmp_path / "c")
    with Engine(catalog, url) as engine:
        statements = [engine.compile(dialect, **selection) for dialect, selection in requests]
        assert len(entries(tmp_path / "c", "statements")) == len(requests)
        # Each gets its own entry; only --trend, computed on the results, keeps the statement.
        assert len(set(statements)) == len(requests) - 1 and statements[6] == statements[0]
        cache.clear()  # from disk now: each request finds its own statement again
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        assert [engine.compile(dialect, **selection) for dialect, selection in requests] == statements
    assert len(entries(tmp_path / "c", "statements")) == len(requests)


def test_a_catalog_derived_with_a_project_time_zone_has_statements_of_its_own(shop):
    defs, url = shop
    catalog = load(defs)
    zoned = cache.derive(default_timezone(catalog, "Europe/Berlin"), catalog, "timezone", "Europe/Berlin")
    with Engine(catalog, url) as plain, Engine(zoned, url) as local:
        assert plain.compile(grain="day") != local.compile(grain="day")
        assert "Europe/Berlin" in local.compile(grain="day")


def test_the_working_directory_is_part_of_the_key(shop, tmp_path, monkeypatch):
    """Locations are shown relative to it: a catalog loaded elsewhere must say where its files are from there."""
    defs, _ = shop
    monkeypatch.chdir(defs.parent)
    here = load(defs)
    monkeypatch.chdir(defs)
    there = load(defs)
    assert (here.kpis["revenue"].location.file, there.kpis["revenue"].location.file) == ("definitions/shop.yaml", "shop.yaml")


# -- damaged, unusable and unsafe folders -----------------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other version"])
def test_a_damaged_entry_is_recomputed_and_overwritten(shop, tmp_path, counts, damage):
    defs, url = shop
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        sql = engine.compile(grain="month")
    for file in entries(tmp_path / "c", "catalogs") + entries(tmp_path / "c", "statements"):
        data = file.read_bytes()
        file.write_bytes({
            "garbage": b"\x80\x04not a pickle at all",
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "other version": data.replace(b"kpi-engine cache %d" % cache.FORMAT_VERSION, b"kpi-engine cache 0", 1),
        }[damage])
    cache.clear()
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        assert engine.compile(grain="month") == sql
    assert counts == {"parse": 2, "compile": 2}
    cache.clear()
    with Engine(load(defs, tmp_path / "c"), url) as engine:  # rewritten whole: a hit again
        assert engine.compile(grain="month") == sql
    assert counts == {"parse": 2, "compile": 2}
    assert not list((tmp_path / "c").rglob("*.tmp"))


def test_an_entry_whose_body_does_not_match_its_digest_is_not_trusted(shop, tmp_path, counts):
    defs, url = shop
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        sql = engine.compile(grain="month")
    (file,) = entries(tmp_path / "c", "statements")
    file.write_bytes(file.read_bytes().replace(b"SELECT", b"DELETE", 1))
    cache.clear()
    with Engine(load(defs, tmp_path / "c"), url) as engine:
        assert engine.compile(grain="month") == sql
    assert counts["compile"] == 2


def test_a_cache_folder_that_cannot_be_created_costs_one_warning_line(shop, tmp_path):
    defs, url = shop
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    result = run_cli("run", str(defs), "--connection", url, "--grain", "month", "--cache-dir", str(blocker / "c"))
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "not usable" in warnings[0] and "running without it" in warnings[0]
    assert "Traceback" not in result.stderr
    assert result.stdout.count("conversion_rate") == 2


def test_the_library_warns_once_and_carries_on(shop, tmp_path):
    defs, url = shop
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.warns(CacheWarning) as caught:
        with Engine(load(defs, blocker / "c"), url, cache_dir=blocker / "c") as engine:
            engine.run(grain="month")
            engine.compile("postgres")
    assert len(caught) == 1


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_is_not_used(shop, tmp_path, counts):
    defs, _ = shop
    load(defs, tmp_path / "c")
    (tmp_path / "c" / f"kpi-engine-v{cache.FORMAT_VERSION}").chmod(0o777)
    cache.clear()
    with pytest.warns(CacheWarning, match="writable by others"):
        load(defs, tmp_path / "c")
    assert counts["parse"] == 2


def test_the_folder_is_private(shop, tmp_path):
    defs, _ = shop
    load(defs, tmp_path / "c")
    folder = tmp_path / "c" / f"kpi-engine-v{cache.FORMAT_VERSION}"
    assert folder.stat().st_mode & 0o077 == 0
    assert all(f.stat().st_mode & 0o077 == 0 for f in folder.rglob("*"))


def test_a_failed_load_caches_nothing(shop, tmp_path):
    defs, _ = shop
    (defs / "broken.yaml").write_text("kpis:\n  broken:\n    value: {source: nowhere, expr: count(*)}\n")
    for _ in range(2):
        with pytest.raises(DefinitionError):
            load(defs, tmp_path / "c")
    assert entries(tmp_path / "c", "catalogs") == []


# -- configuration ----------------------------------------------------------------------


def test_the_project_file_names_the_folder_and_no_cache_ignores_it(shop, tmp_path):
    defs, url = shop
    project = defs.parent
    (project / "kpi.yml").write_text(textwrap.dedent(f"""\
        definitions: definitions
        connection: {url}
        cache: .kpi-cache
    """))
    args = ("run", "--project-dir", str(project), "--kpi", "revenue")
    assert run_cli(*args, "--no-cache").exit_code == 0
    assert not (project / ".kpi-cache").exists()
    assert run_cli(*args).exit_code == 0
    assert len(entries(project / ".kpi-cache", "catalogs")) == 1
    assert run_cli(*args, "--cache-dir", str(tmp_path / "elsewhere")).exit_code == 0
    assert len(entries(tmp_path / "elsewhere", "statements")) == 1


def test_a_project_cache_that_is_not_a_folder_name_is_one_clear_line(shop):
    defs, url = shop
    (defs.parent / "kpi.yml").write_text("cache: [a, b]\n")
    result = run_cli("validate", "--project-dir", str(defs.parent))
    assert result.exit_code == 2
    assert "cache must be a folder name" in result.stderr


def test_compile_validate_and_list_use_the_cache_too(shop, tmp_path, monkeypatch):
    defs, url = shop
    folder = str(tmp_path / "c")
    compiled = run_cli("compile", str(defs), "--grain", "month", "--cache-dir", folder)
    assert compiled.exit_code == 0
    cache.clear()
    forbid_parsing_and_compiling(monkeypatch)
    assert run_cli("compile", str(defs), "--grain", "month", "--cache-dir", folder).stdout == compiled.stdout
    assert run_cli("validate", str(defs), "--cache-dir", folder).exit_code == 0
    assert "revenue" in run_cli("list", str(defs), "--cache-dir", folder).stdout


def test_a_tree_of_a_stored_catalog_is_a_real_sqlglot_tree(shop, tmp_path):
    defs, _ = shop
    load(defs, tmp_path / "c")
    cache.clear()
    stored = load(defs, tmp_path / "c")
    tree = stored.kpis["late_delivery_rate"].numerator.where.tree
    assert isinstance(tree, exp.Expression) and tree.sql() == "delivered_at > promised_at"


def test_a_file_edited_while_it_is_parsed_is_not_cached(shop, tmp_path, monkeypatch):
    """The catalog might be of either version: keyed under the first, it could be stale, so it is not kept."""
    defs, _ = shop
    parse = parsing._Loader.load

    def edit_midway(self, *args, **kwargs):
        catalog = parse(self, *args, **kwargs)
        file = defs / "shop.yaml"
        file.write_text(file.read_text().replace("target: 0.5", "target: 0.7"))
        return catalog

    with monkeypatch.context() as patched:
        patched.setattr(parsing._Loader, "load", edit_midway)
        assert load(defs, tmp_path / "c").kpis["conversion_rate"].target == 0.5
    assert entries(tmp_path / "c", "catalogs") == []
    assert load(defs, tmp_path / "c").kpis["conversion_rate"].target == 0.7


def test_concurrent_writers_never_let_a_reader_see_half_an_entry(tmp_path):
    import threading

    folder = cache._folder(tmp_path / "c")
    file = folder / "statements" / "entry.json"
    bodies = [bytes([ord("a") + i]) * 500_000 for i in range(4)]
    done = threading.Event()
    seen: list[bool] = []

    def write(body: bytes) -> None:
        for _ in range(10):
            cache._write(folder, file, body)

    def read() -> None:
        while not done.is_set():
            body = cache._read(file)
            if body is not None:
                seen.append(body in bodies)

    readers = [threading.Thread(target=read) for _ in range(2)]
    writers = [threading.Thread(target=write, args=(body,)) for body in bodies]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()
    assert seen and all(seen)
    assert cache._read(file) in bodies and not list(folder.rglob("*.tmp"))


# -- the time check stored with its statement -------------------------------------------


def _stored(tmp_path, entry: dict) -> Statement | None:
    folder = cache._folder(tmp_path / "c")
    file = folder / "statements" / "entry.json"
    cache._write(folder, file, json.dumps(entry).encode("utf-8"))
    return cache._read_statement(file)


def test_a_statement_s_time_check_is_stored_and_read_back_whole(tmp_path):
    probe = TimeProbe("events", "k.yaml:2:3", '"Event-Time"', "epoch_ms", ["a", "b"], low=0, bad=1, example=2)
    statement = Statement("SELECT 1", ["a", "b"], TimeCheck("SELECT 2", [probe], typed=False))
    assert _stored(tmp_path, cache._statement_entry(statement)) == statement
    assert _stored(tmp_path, cache._statement_entry(Statement("SELECT 1", ["a"]))) == Statement("SELECT 1", ["a"])


@pytest.mark.parametrize("damage", [
    {"low": None}, {"low": "0"}, {"high": True}, {"kpis": "a"}, {"format": 3}, {"source": None}, {"extra": 1},
])
def test_a_damaged_time_check_is_recompiled(tmp_path, damage):
    probe = TimeProbe("events", "k.yaml:2:3", "ts", None, ["a"], low=0)
    entry = cache._statement_entry(Statement("SELECT 1", ["a"], TimeCheck("SELECT 2", [probe])))
    entry["time_check"]["probes"][0].update(damage)
    assert _stored(tmp_path, entry) is None
    assert _stored(tmp_path, {**entry, "time_check": {"sql": "SELECT 2", "typed": "yes", "probes": []}}) is None


def test_a_cached_run_still_checks_the_time_columns(tmp_path, monkeypatch):
    # The data may change between runs: the check compiled once runs every time.
    db = tmp_path / "e.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table ev as select 1704067200::bigint as ts")
    (tmp_path / "defs").mkdir()
    (tmp_path / "defs" / "k.yaml").write_text("sources:\n  ev: {table: ev, time: ts}\nkpis:\n  n: {value: {source: ev, expr: count(*)}}\n")
    args = ("run", str(tmp_path / "defs"), "--connection", f"duckdb:///{db}", "--grain", "month", "--cache-dir", str(tmp_path / "c"))
    first = run_cli(*args)
    cache.clear()
    forbid_parsing_and_compiling(monkeypatch)
    second = run_cli(*args)
    assert first.exit_code == second.exit_code == 4
    assert "holds numbers, not times" in second.stderr and second.stderr == first.stderr
