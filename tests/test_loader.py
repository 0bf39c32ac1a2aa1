"""Loader: every kind of definition error, one by one, with file and line asserted."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from sqlglot import exp

import kpi_engine
from kpi_engine import DefinitionError, SelectionError
from kpi_engine.model import Band

SOURCES = """\
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel, segment]
  sessions:
    table: sessions
    time: started_at
    dimensions: [channel]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def problems(tmp_path: Path) -> list:
    with pytest.raises(DefinitionError) as info:
        kpi_engine.load(tmp_path)
    return list(info.value.problems)


def only_problem(tmp_path: Path):
    found = problems(tmp_path)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_valid_catalog_loads_into_frozen_model(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis/rates.yml", """\
        kpis:
          conversion_rate:
            title: Conversion rate
            description: Orders per session.
            stage: transactions
            numerator:   {source: orders,   expr: count(*)}
            denominator: {source: sessions, expr: count(*)}
            unit: percent
            direction: higher
            target: 0.03
            thresholds: {warn: 0.025, critical: 0.02}
            tags: [daily]
          revenue:
            value: {source: orders, expr: sum(revenue), where: status = 'paid'}
            unit: currency
          roas:
            formula: revenue / conversion_rate
            direction: range
            target: [4, 10]
            thresholds: {critical: [2, null]}
        dashboards:
          daily: {title: Daily, kpis: [conversion_rate, revenue]}
        """)
    catalog = kpi_engine.load(tmp_path)
    assert list(catalog.kpis) == ["conversion_rate", "revenue", "roas"]
    conv = catalog.kpis["conversion_rate"]
    assert (conv.kind, conv.unit, conv.target, conv.thresholds.warn, conv.tags) == ("ratio", "percent", 0.03, 0.025, ("daily",))
    assert conv.location.file.endswith("rates.yml") and conv.location.line == 2
    assert catalog.kpis["revenue"].kind == "value"
    assert catalog.kpis["revenue"].numerator.where.text == "status = 'paid'"
    roas = catalog.kpis["roas"]
    assert roas.kind == "formula" and roas.depends_on == ("revenue", "conversion_rate")
    assert roas.target == Band(4.0, 10.0) and roas.thresholds.critical == Band(2.0, None)
    assert catalog.dashboards["daily"].kpis == ("conversion_rate", "revenue")
    with pytest.raises(Exception):
        conv.unit = "count"  # frozen
    # Parsed trees keep no comments or parser positions: each compile copies them.
    revenue = catalog.kpis["revenue"].numerator
    for tree in (revenue.expr.tree, revenue.where.tree, roas.formula.tree):
        assert all(node.comments is None and not node.meta_get("line") for node in tree.walk())


def test_unknown_key_with_suggestion_and_position(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          conversion_rate:
            numerator:   {source: orders,   expr: count(*)}
            denominator: {source: sessions, expr: count(*)}
            tresholds: {warn: 0.025}
        """)
    p = only_problem(tmp_path)
    assert (Path(p.file).name, p.line, p.col, p.kind, p.name) == ("kpis.yaml", 5, 5, "kpi", "conversion_rate")
    assert str(p).endswith("kpi conversion_rate: unknown key 'tresholds' (did you mean 'thresholds'?)")
    assert str(p).startswith(f"{p.file}:5:5: ")


def test_missing_field(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          a:
            numerator: {source: orders, expr: count(*)}
          b:
            value: {source: orders}
        """)
    found = problems(tmp_path)
    assert [(p.name, p.line) for p in found] == [("a", 2), ("b", 5)]
    assert "missing field 'denominator'" in found[0].message
    assert "missing field 'expr'" in found[1].message


def test_unknown_source_and_unknown_dashboard_kpi(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          a:
            value: {source: order, expr: count(*)}
        dashboards:
          daily: {kpis: [a, b]}
        """)
    found = problems(tmp_path)
    assert [(p.kind, p.name, p.line) for p in found] == [("kpi", "a", 3), ("dashboard", "daily", 5)]
    assert "unknown source 'order' (did you mean 'orders'?)" in found[0].message
    assert "unknown kpi 'b'" in found[1].message


def test_unknown_dimension_is_reported_when_slicing(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          conversion_rate:
            numerator:   {source: orders,   expr: count(*)}
            denominator: {source: sessions, expr: count(*)}
        """)
    engine = kpi_engine.Engine(kpi_engine.load(tmp_path))
    with pytest.raises(SelectionError) as info:
        engine.compile(grain="month", by=["segment"])
    message = str(info.value)
    assert "kpis.yaml:2:3: kpi conversion_rate" in message
    assert "source 'sessions' has no dimension 'segment'" in message


def test_invalid_dimension_declaration(tmp_path):
    write(tmp_path, "sources.yaml", """\
        sources:
          orders:
            table: orders
            dimensions:
              channel: lower(channel)
              big: sum(revenue) > 10
        """)
    p = only_problem(tmp_path)
    assert (p.kind, p.name, p.line) == ("source", "orders", 6)
    assert "aggregate" in p.message


@pytest.mark.parametrize(
    ("expr", "fragment", "col"),
    [
        ("count(*) from orders", "not an SQL expression", None),
        ("count(*); drop table orders", "not an SQL expression", None),
        ("(select max(revenue) from orders)", "is not allowed", None),
        ("pg_sleep(10)", "unknown function 'pg_sleep'", None),
        ("sum(revenue) over ()", "is not allowed", None),
        ("revenue", "must aggregate", None),
        ("sum(count(*))", "nested aggregate", None),
        ("read_parquet('/etc/passwd')", "not allowed", None),
    ],
)
def test_bad_expressions_are_refused_with_position(tmp_path, expr, fragment, col):
    write(tmp_path, "sources.yaml", SOURCES)
    (tmp_path / "kpis.yaml").write_text(f"kpis:\n  k:\n    value: {{source: orders, expr: \"{expr}\"}}\n")
    p = only_problem(tmp_path)
    assert (Path(p.file).name, p.line, p.name) == ("kpis.yaml", 3, "k")
    assert fragment in p.message


def test_statement_in_where_is_refused(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          k:
            value:
              source: orders
              expr: count(*)
              where: "1=1; delete from orders"
        """)
    p = only_problem(tmp_path)
    assert p.line == 6 and p.col > 14
    assert "where: not an SQL expression" in p.message


def test_deep_nesting_does_not_crash(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    deep = "(" * 500 + "1" + ")" * 500
    (tmp_path / "kpis.yaml").write_text(f"kpis:\n  k:\n    value: {{source: orders, expr: 'count(*)', where: '{deep} = 1'}}\n")
    p = only_problem(tmp_path)
    assert "nested" in p.message and p.line == 3


def test_overlong_expression(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    long = " + ".join(["sum(revenue)"] * 400)
    (tmp_path / "kpis.yaml").write_text(f"kpis:\n  k:\n    value: {{source: orders, expr: '{long}'}}\n")
    assert "longer than" in only_problem(tmp_path).message


def test_duplicate_names_across_files(tmp_path):
    write(tmp_path, "a.yaml", SOURCES)
    write(tmp_path, "b.yaml", """\
        sources:
          orders: {table: orders_copy}
        kpis:
          n: {value: {source: orders, expr: count(*)}}
        """)
    write(tmp_path, "c.yaml", """\
        kpis:
          n: {value: {source: orders, expr: count(*)}}
        """)
    found = problems(tmp_path)
    assert [(Path(p.file).name, p.line, p.kind, p.name) for p in found] == [
        ("b.yaml", 2, "source", "orders"),
        ("c.yaml", 2, "kpi", "n"),
    ]
    assert "duplicate source name (first defined at" in found[0].message and "a.yaml:2:3" in found[0].message


def test_duplicate_key_in_one_file(tmp_path):
    write(tmp_path, "k.yaml", """\
        kpis:
          n: {value: {source: orders, expr: count(*)}}
          n: {value: {source: orders, expr: sum(x)}}
        """)
    p = only_problem(tmp_path)
    assert p.line == 3 and "duplicate key" in p.message


def test_formula_cycle_and_unknown_reference(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          a: {formula: b + 1}
          b: {formula: c * 2}
          c: {formula: a / 3}
          d: {formula: nope + a}
        """)
    found = problems(tmp_path)
    messages = [str(p) for p in found]
    assert any("kpi d: formula: unknown kpi 'nope'" in m for m in messages)
    cycle = [p for p in found if "formula cycle" in p.message]
    assert len(cycle) == 1 and cycle[0].line == 2 and "a -> b -> c -> a" in cycle[0].message


@pytest.mark.parametrize(
    ("direction", "lines", "fragment"),
    [
        ("higher", "target: 0.03\n    thresholds: {warn: 0.04, critical: 0.02}", "warn (0.04) must be <= target (0.03)"),
        ("higher", "thresholds: {warn: 0.01, critical: 0.02}", "critical (0.02) must be <= warn (0.01)"),
        ("lower", "thresholds: {warn: 0.10, critical: 0.05}", "critical (0.05) must be >= warn (0.1)"),
        ("range", "target: [4, 10]\n    thresholds: {critical: [5, null]}", "must lie inside the critical band"),
    ],
)
def test_thresholds_in_wrong_order(tmp_path, direction, lines, fragment):
    write(tmp_path, "sources.yaml", SOURCES)
    (tmp_path / "kpis.yaml").write_text(
        f"kpis:\n  k:\n    value: {{source: orders, expr: count(*)}}\n    direction: {direction}\n    {lines}\n"
    )
    p = only_problem(tmp_path)
    assert p.name == "k" and "wrong order" in p.message and fragment in p.message


def test_type_errors(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          k:
            value: {source: orders, expr: count(*)}
            unit: percentage
            direction: up
            target: "0.03"
            tags: 5
        """)
    found = problems(tmp_path)
    assert [p.line for p in found] == [4, 5, 6, 7]
    assert "unit must be one of" in found[0].message and "(did you mean 'percent'?)" in found[0].message
    assert "direction must be one of" in found[1].message
    assert "target must be a number" in found[2].message


def test_all_errors_at_once_across_files(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES + "  broken: {tabel: x}\n")
    write(tmp_path, "a.yaml", "kpis:\n  a: {value: {source: nowhere, expr: count(*)}}\n")
    write(tmp_path, "b.yaml", "kpis:\n  b: {value: {source: orders, expr: 'sum('}}\n")
    found = problems(tmp_path)
    assert [Path(p.file).name for p in found] == ["a.yaml", "b.yaml", "sources.yaml"]
    assert "unknown key 'tabel' (did you mean 'table'?)" in found[2].message


def test_source_shapes(tmp_path):
    write(tmp_path, "sources.yaml", """\
        sources:
          none: {time: t}
          two: {table: a, sql: select 1}
          bad_sql: {sql: "delete from orders"}
          multi: {sql: "select 1; select 2"}
          bad_table: {table: "orders; drop table x"}
          files: {path: data/*.parquet, time: t}
          view: {sql: "select * from orders where not is_test", time: ordered_at}
        """)
    found = problems(tmp_path)
    assert [(p.name, p.line) for p in found] == [
        ("none", 2), ("two", 3), ("bad_sql", 4), ("multi", 5), ("bad_table", 6)
    ]


def test_invalid_yaml_and_wrong_top_level(tmp_path):
    write(tmp_path, "a.yaml", "kpis:\n  a: [unclosed\n")
    write(tmp_path, "b.yaml", "- just\n- a list\n")
    write(tmp_path, "c.yaml", "kpi:\n  x: 1\n")
    found = problems(tmp_path)
    assert [Path(p.file).name for p in found] == ["a.yaml", "b.yaml", "c.yaml"]
    assert found[0].message.startswith("invalid YAML")
    assert "unknown top-level key 'kpi' (did you mean 'kpis'?)" in found[2].message


def test_missing_definitions_directory(tmp_path):
    with pytest.raises(SelectionError):
        kpi_engine.load(tmp_path / "nope")
    with pytest.raises(SelectionError):
        kpi_engine.load(tmp_path)  # exists but has no definition files


def test_plugin_functions_are_expanded(tmp_path):
    write(tmp_path, "sources.yaml", SOURCES)
    write(tmp_path, "kpis.yaml", """\
        kpis:
          k:
            value: {source: orders, expr: "count_if(status = 'paid') + safe_divide(sum(a), count(*))"}
          bad_arity:
            value: {source: orders, expr: "count_if(a, b)"}
        """)
    p = only_problem(tmp_path)
    assert p.name == "bad_arity" and "takes 1 argument" in p.message


def test_files_read_in_a_sql_source_are_relative_to_its_file(tmp_path):
    folder = tmp_path / "defs"
    (folder / "data").mkdir(parents=True)
    (folder / "shop.yaml").write_text(
        "sources:\n"
        "  joined:\n"
        "    sql: >-\n"
        "      select * from read_parquet('data/a.parquet') as a\n"
        f"      join read_csv(['data/b.csv', '{folder / 'data' / 'c.csv'}']) as b on true\n"
        "      join 'data/d.parquet' as d on true\n"
        "kpis:\n"
        "  n: {value: {source: joined, expr: count(*)}}\n"
    )
    catalog = kpi_engine.load(folder)
    query = catalog.sources["joined"].sql
    read = sorted([lit.this for lit in query.find_all(exp.Literal)] + [t.name for t in query.find_all(exp.Table) if t.name])
    data = (folder / "data").resolve()
    assert read == sorted(str(data / f) for f in ("a.parquet", "b.csv", "c.csv", "d.parquet"))
