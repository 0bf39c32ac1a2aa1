"""kpi-commerce's own tests: declarations, the nps() tree, the pack, end to end on DuckDB.

Numbers are checked against values computed by hand or with hand-written DuckDB SQL over
the same rows, never against the engine's own output.
"""

from __future__ import annotations

import datetime
from importlib import metadata

import duckdb
import kpi_commerce
import kpi_engine
import pytest
from kpi_commerce.functions import nps
from kpi_engine.demo.database import demo_database
from kpi_engine.shipped import shipped_definitions
from sqlglot import exp, parse_one

PACK_KPIS = {"nps", "survey_response_count", "promoter_share"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    for name in ("KPI_ENGINE_DISABLE_PLUGIN_AUTOLOAD", "KPI_CONNECTION", "KPI_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def plugins() -> kpi_engine.Plugins:
    # Entry points off: this checkout's module is registered directly, installed or not.
    return kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_commerce])


# -- declarations -----------------------------------------------------------------------


PROVIDES = (
    "function nps()",
    "metric type retention",
    "metric type churn",
    "metric type repeat_purchase",
    "metric type lifetime_value",
    "definitions commerce",
)


def test_the_plugin_declares_its_function_and_pack(plugins):
    info = next(i for i in plugins.infos if i.name == "kpi_commerce")
    assert info.error is None
    assert info.provides == PROVIDES
    assert plugins.functions["nps"].load_build() is nps
    assert {"retention", "churn", "repeat_purchase", "lifetime_value"} <= set(plugins.metric_types)
    (pack,) = [p for p in plugins.packs if p.name == "commerce"]
    assert pack.path == kpi_commerce.DEFINITIONS and (pack.path / "commerce.yaml").is_file()
    assert plugins.failures == ()


def test_the_entry_point_when_installed():
    try:
        dist = metadata.distribution("kpi-commerce")
    except metadata.PackageNotFoundError:
        pytest.skip("kpi-commerce is not installed")
    (ep,) = [e for e in dist.entry_points if e.group == "kpi_engine"]
    assert (ep.name, ep.value) == ("commerce", "kpi_commerce")
    if "commerce" not in {e.name for e in metadata.entry_points(group="kpi_engine")}:
        pytest.skip("another kpi-commerce shadows this one")
    installed = kpi_engine.get_plugins()
    info = next(i for i in installed.infos if i.name == "commerce")
    assert info.error is None and info.provides == PROVIDES
    assert "nps" in installed.functions and "commerce" in {p.name for p in installed.packs}


# -- the metric function ----------------------------------------------------------------


def test_nps_builds_a_tree_and_leaves_its_argument_alone():
    score = parse_one("score")
    tree = nps(score)
    assert isinstance(tree, exp.Div)
    assert score.sql() == "score" and score.parent is None
    assert len(list(tree.find_all(exp.Count))) == 3
    assert tree.sql(dialect="duckdb") == (
        "100.0 * (COUNT(CASE WHEN score >= 9 THEN 1 END) - COUNT(CASE WHEN score <= 6 THEN 1 END)) / COUNT(score)"
    )


def test_nps_arity_is_checked(tmp_path, plugins):
    defs = tmp_path / "defs.yaml"
    defs.write_text(
        "sources:\n"
        "  answers: {table: answers}\n"
        "kpis:\n"
        "  bad:\n"
        '    value: {source: answers, expr: "nps(score, 10)"}\n'
    )
    with pytest.raises(kpi_engine.DefinitionError) as caught:
        kpi_engine.load(defs, plugins.functions)
    (problem,) = caught.value.problems
    assert (problem.line, problem.name) == (5, "bad")
    assert problem.message == "expr: function 'nps' takes 1 argument(s), got 2"


# Groups of a small hand-made survey table, each with its NPS computed by hand.
ANSWERS = {
    # 3 promoters, 1 passive, 2 detractors, 1 null (no answer): 100 * (3 - 2) / 6
    "mixed": [10, 9, 9, 7, 6, 0, None],
    "promoters": [9, 10, 10],  # 100
    "detractors": [0, 3, 6, 6],  # -100
    "passives": [7, 8, 8],  # 0
    "unanswered": [None, None],  # no respondents: null
    "edges": [6, 7, 8, 9],  # one each side of both edges: 100 * (1 - 1) / 4 = 0
    "single": [9],  # 100
}
EXPECTED_NPS = {"mixed": 100 / 6, "promoters": 100.0, "detractors": -100.0, "passives": 0.0,
                "unanswered": None, "edges": 0.0, "single": 100.0}

DEFS = """\
sources:
  answers:
    table: answers
    time: answered_at
    dimensions: [grp]
kpis:
  group_nps:
    value: {source: answers, expr: nps(score)}
    direction: higher
    target: 30
    thresholds: {warn: 20, critical: 0}
"""


@pytest.fixture
def answers_db(tmp_path):
    path = tmp_path / "answers.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table answers (grp varchar, answered_at timestamp, score bigint)")
    rows = [(grp, datetime.datetime(2026, 3, 2 + i), score)
            for grp, scores in ANSWERS.items() for i, score in enumerate(scores)]
    con.executemany("insert into answers values (?, ?, ?)", rows)
    con.close()
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "answers.yaml").write_text(DEFS)
    return defs, f"duckdb:///{path}"


def test_nps_values_against_hand_computation(answers_db, plugins):
    defs, url = answers_db
    catalog = kpi_engine.load(defs, plugins.functions, packs=())
    with kpi_engine.Engine(catalog, url, plugins=plugins) as engine:
        rows = engine.run(kpis=["group_nps"], by=["grp"]).to_pylist()
    got = {r["grp"]: r for r in rows}
    assert set(got) == set(ANSWERS)
    for grp, want in EXPECTED_NPS.items():
        value = got[grp]["value"]
        assert (value is None) if want is None else value == pytest.approx(want, abs=1e-9), (grp, value)
    assert got["unanswered"]["status"] == "no_data"
    assert got["promoters"]["status"] == "ok"
    assert got["passives"]["status"] == "warn"  # 0 is not below the critical line 0
    assert got["detractors"]["status"] == "critical"
    # over all rows: 3+3+1+1 promoters, 2+4+1 detractors, 6+3+4+3+4+1 = 21 respondents
    with kpi_engine.Engine(catalog, url, plugins=plugins) as engine:
        (total,) = engine.run(kpis=["group_nps"]).to_pylist()
    assert total["value"] == pytest.approx(100 * (8 - 7) / 21)


def test_nps_over_no_rows_is_no_data(answers_db, plugins):
    defs, url = answers_db
    catalog = kpi_engine.load(defs, plugins.functions, packs=())
    with kpi_engine.Engine(catalog, url, plugins=plugins) as engine:
        (row,) = engine.run(kpis=["group_nps"], start=datetime.date(2030, 1, 1), end=datetime.date(2030, 2, 1)).to_pylist()
    assert row["value"] is None and row["status"] == "no_data"


# -- the pack, with the core's shipped catalog, on the demo database ----------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_database(tmp_path_factory.mktemp("demo"), scale=0.05)


@pytest.fixture(scope="module")
def catalog():
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[kpi_commerce])
    return kpi_engine.load(shipped_definitions(), plugins.functions, packs=plugins.packs), plugins


def test_the_pack_joins_the_shipped_catalog(catalog):
    catalog, _ = catalog
    assert PACK_KPIS <= set(catalog.kpis)
    assert "surveys" in catalog.sources and "orders" in catalog.sources
    for name in PACK_KPIS:
        kpi = catalog.kpis[name]
        assert kpi.title and kpi.description and kpi.stage == "service", name
    assert (catalog.kpis["nps"].unit, catalog.kpis["nps"].direction, catalog.kpis["nps"].target) == ("number", "higher", 30)
    assert catalog.kpis["promoter_share"].unit == "percent"
    assert catalog.kpis["survey_response_count"].unit == "count"


HAND_SQL = """
    select strftime(answered_at, '%Y-%m-01') as month, channel,
           100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(score),
           count(*),
           count(*) filter (where score >= 9) / count(score)
    from surveys group by grouping sets ((), (month), (month, channel))
"""


def test_the_pack_on_the_demo_database_matches_hand_written_sql(demo, catalog):
    catalog, plugins = catalog
    con = duckdb.connect(str(demo), read_only=True)
    try:
        expected = {(m, c): values for m, c, *values in con.execute(HAND_SQL).fetchall()}
    finally:
        con.close()
    assert expected[(None, None)][1] > 0
    with kpi_engine.Engine(catalog, f"duckdb:///{demo}", plugins=plugins) as engine:
        runs = {
            (): engine.run(kpis=sorted(PACK_KPIS)),
            ("month",): engine.run(kpis=sorted(PACK_KPIS), grain="month"),
            ("month", "channel"): engine.run(kpis=sorted(PACK_KPIS), grain="month", by=["channel"]),
        }
    index = {"nps": 0, "survey_response_count": 1, "promoter_share": 2}
    for shape, table in runs.items():
        seen = set()
        for row in table.to_pylist():
            month = row["period_start"].strftime("%Y-%m-01") if "month" in shape else None
            key = (month, row["channel"] if "channel" in shape else None)
            seen.add(key)
            assert row["value"] == pytest.approx(expected[key][index[row["kpi"]]], abs=1e-9), (row, expected[key])
        assert seen == {k for k in expected if (k[0] is not None) == ("month" in shape)
                        and (k[1] is not None) == ("channel" in shape)}
