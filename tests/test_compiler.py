"""Structure of the compiled statement, checked on the SQL text and its sqlglot tree.

(a) one scan per source, however many KPIs read it; (b) one aggregate column per distinct
(aggregate, where); (c) only aggregated CTEs are joined, never fact tables; (d) user text
reaches SQL only as correctly escaped literals, and hostile expressions are refused at
load time with file and line; (e) impossible selections are refused naming KPI and
source; (f) ``/`` is real division and a zero divisor gives null, not an error.
"""

from __future__ import annotations

import json
import logging
import textwrap
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.tokens import TokenType

import kpi_engine
from fixtures import POSTGRES_URL, postgres_available, psql, unavailable, write_definitions
from kpi_engine import DefinitionError, SelectionError

DIALECTS = ("duckdb", "postgres", "snowflake", "bigquery", "spark")

CATALOG = r"""
sources:
  orders:
    table: orders
    time: ordered_at
    dimensions: [channel, segment]
  sessions:
    table: sessions
    time: started_at
    dimensions: [channel, device]
  products:
    table: products
    dimensions: [category]
  consts:
    sql: select 1 as one, 2 as two, 0 as zero, 7 as seven

kpis:
  orders_count:
    value: {source: orders, expr: count(*)}
  revenue:
    value: {source: orders, expr: sum(amount)}
  paid_orders:
    value: {source: orders, expr: count(*), where: status = 'paid'}
  paid_share:
    numerator:   {source: orders, expr: COUNT(*), where: "status='paid'"}
    denominator: {source: orders, expr: count(*)}
  paid_per_session:
    numerator:   {source: orders,   expr: count(*), where: status = 'paid'}
    denominator: {source: sessions, expr: count(*)}
  refunded_revenue:
    value: {source: orders, expr: sum(amount), where: status = 'refunded'}
  conversion_rate:
    numerator:   {source: orders,   expr: count(*)}
    denominator: {source: sessions, expr: count(*)}
  avg_order_value:
    formula: revenue / orders_count
  product_count:
    value: {source: products, expr: count(*)}
  quoted:
    value: {source: orders, expr: count(*), where: "note = 'it''s \\ here'"}
  trailing_backslash:
    value: {source: orders, expr: count(*), where: "note = 'C:\\dir\\'"}
  half:
    value: {source: consts, expr: sum(one) / sum(two)}
  half_inside:
    value: {source: consts, expr: sum(one / two)}
  by_zero:
    value: {source: consts, expr: sum(one) / sum(zero)}
  by_zero_ratio:
    numerator:   {source: consts, expr: sum(seven)}
    denominator: {source: consts, expr: sum(zero)}
  by_zero_inside:
    value: {source: consts, expr: sum(one / zero)}
  by_zero_formula:
    formula: half / by_zero_inside
  half_nested:
    value: {source: consts, expr: (sum(one) / sum(two)) / sum(one)}
  by_zero_nested:
    value: {source: consts, expr: sum(one) / (sum(two) / sum(zero))}
"""

MANY = ["orders_count", "revenue", "paid_orders", "paid_share", "paid_per_session", "refunded_revenue",
        "conversion_rate", "avg_order_value"]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    path = write_definitions(tmp_path_factory.mktemp("compiler"), CATALOG)
    return kpi_engine.load(path)


@pytest.fixture(scope="module")
def engine(catalog):
    with kpi_engine.Engine(catalog, "duckdb://") as eng:
        yield eng


def tree_of(engine, dialect, **selection) -> exp.Query:
    return sqlglot.parse_one(engine.compile(dialect, **selection), read=dialect)


def ctes(tree: exp.Expression) -> dict[str, exp.Select]:
    return {cte.alias: cte.this for cte in tree.find_all(exp.CTE)}


def raw_tables(tree: exp.Expression) -> list[str]:
    names = set(ctes(tree))
    return [t.name for t in tree.find_all(exp.Table) if t.name not in names and t.name]


def aggregates_of(select: exp.Select) -> list[exp.Expression]:
    return [e.this for e in select.expressions if isinstance(e, exp.Alias) and e.find(exp.AggFunc)]


# -- (a) one scan per source ---------------------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("grain,by", [(None, []), ("month", ["channel"])])
def test_kpis_sharing_a_source_scan_it_once(engine, dialect, grain, by):
    tree = tree_of(engine, dialect, kpis=MANY, grain=grain, by=by)
    assert sorted(raw_tables(tree)) == ["orders", "sessions"]  # one FROM each, for 8 KPIs
    scans = [name for name, body in ctes(tree).items() if {t.name for t in body.find_all(exp.Table)} & {"orders", "sessions"}]
    assert sorted(scans) == ["s_orders", "s_sessions"]


# -- (b) one aggregate per distinct (expression, where) ---------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
def test_same_aggregate_and_where_is_computed_once(engine, dialect):
    tree = tree_of(engine, dialect, kpis=MANY, grain="month", by=["channel"])
    scan = ctes(tree)["s_orders"]
    rendered = sorted(a.sql(dialect="duckdb") for a in aggregates_of(scan))
    # count(*) [orders_count, paid_share den, conversion num], sum(amount) [revenue, aov],
    # count where paid [paid_orders, paid_share num written as COUNT(*)/'paid', paid_per_session num],
    # sum where refunded: four distinct aggregates, each once.
    assert rendered == sorted([
        "COUNT(*)",
        "SUM(amount)",
        "COUNT(CASE WHEN status = 'paid' THEN 1 END)",
        "SUM(CASE WHEN status = 'refunded' THEN amount END)",
    ])
    assert len(aggregates_of(ctes(tree)["s_sessions"])) == 1


def test_different_where_on_the_same_aggregate_stays_separate(engine):
    tree = tree_of(engine, "duckdb", kpis=["revenue", "refunded_revenue"])
    assert len(aggregates_of(ctes(tree)["s_orders"])) == 2


# -- (c) joins only between aggregated CTEs ----------------------------------------------------------


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("grain,by", [(None, []), ("day", []), ("week", ["channel"])])
def test_fact_tables_are_never_joined(engine, dialect, grain, by):
    tree = tree_of(engine, dialect, kpis=MANY, grain=grain, by=by)
    bodies = ctes(tree)
    for join in tree.find_all(exp.Join):
        # Whatever aligns the sides (a join or a stack), it only ever reads CTEs; the one
        # other relation joined is the wide assembly's list of KPIs, literals only.
        relation = join.this
        if isinstance(relation, exp.Subquery):
            assert relation.find(exp.Table) is None, f"join to a subquery reading a table: {join.sql(dialect)}"
        else:
            assert relation.name in bodies, f"join to a non-CTE relation: {join.sql(dialect)}"
    scans = set()
    for table in tree.find_all(exp.Table):
        if table.name in bodies:
            continue
        # A raw table is read only as the FROM of a scan CTE that aggregates and joins nothing.
        select = table.find_ancestor(exp.Select)
        cte = select.parent
        assert isinstance(cte, exp.CTE), f"{table.name} read outside a scan CTE"
        assert not select.find(exp.Join), cte.alias
        assert aggregates_of(select), cte.alias
        if grain or by:
            assert select.args.get("group"), cte.alias
        scans.add(cte.alias)
    assert scans == {"s_orders", "s_sessions"}
    # Every CTE but the scans reads only CTEs: aligned rows, never facts.
    for name, body in bodies.items():
        if name not in scans:
            assert {t.name for t in body.find_all(exp.Table)} <= set(bodies), name


# Compute a CTE read several times once, and keep a CTE per KPI (DuckDB does too, but
# takes the wide statement for its smaller memory peak).
PER_KPI = {"postgres", "sqlite", "snowflake"}


@pytest.mark.parametrize(
    "dialect", ["duckdb", "postgres", "sqlite", "snowflake", "spark", "bigquery", "trino", "mysql", "redshift",
                "clickhouse", "oracle", "tsql"],
)
def test_every_cte_is_read_once_unless_the_engine_is_known_to_share_it(engine, dialect):
    # Any engine not known to compute a shared CTE once (ClickHouse and Vertica inline
    # them, for one) gets the statement that reads each scan once; so does DuckDB.
    tree = tree_of(engine, dialect, kpis=MANY, grain="month", by=["channel"], compare="previous_period")
    names = set(ctes(tree))
    reads = [t.name for t in tree.find_all(exp.Table) if t.name in names]
    shared = {name for name in names if reads.count(name) > 1}
    if dialect in PER_KPI:
        assert "s_orders" in shared  # a CTE per KPI, each reading the orders scan
    else:
        assert not shared, shared
        assert {"s_orders", "s_sessions", "c_s_orders", "c_s_sessions"} <= names


# -- (d) user text: literals only, escaped per dialect; hostile expressions refused --------------

# What each dialect must print for the where literals  it's \ here  and  C:\dir\ .
ESCAPED = {
    "duckdb": ("'it''s \\ here'", "'C:\\dir\\'"),
    "postgres": ("'it''s \\ here'", "'C:\\dir\\'"),  # standard_conforming_strings
    "snowflake": ("'it\\'s \\\\ here'", "'C:\\\\dir\\\\'"),
    "bigquery": ("'it\\'s \\\\ here'", "'C:\\\\dir\\\\'"),
    "spark": ("'it\\'s \\\\ here'", "'C:\\\\dir\\\\'"),
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_where_literals_are_escaped_for_each_dialect(engine, dialect):
    sql = engine.compile(dialect, kpis=["quoted", "trailing_backslash"], grain="month", by=["channel"])
    quote_literal, backslash_literal = ESCAPED[dialect]
    assert f"note = {quote_literal}" in sql
    assert f"note = {backslash_literal}" in sql
    # Tokenised as the engine would read it: the user's text is inside string tokens only.
    tokens = sqlglot.Dialect.get_or_raise(dialect).tokenize(sql)
    strings = {t.text for t in tokens if t.token_type == TokenType.STRING}
    assert {"it's \\ here", "C:\\dir\\"} <= strings
    others = " ".join(t.text for t in tokens if t.token_type != TokenType.STRING)
    assert "here" not in others and "dir" not in others
    assert "/*" not in sql and "--" not in sql


@pytest.mark.parametrize("dialect", DIALECTS)
def test_period_bounds_become_literals(engine, dialect):
    sql = engine.compile(dialect, kpis=["orders_count"], start=datetime(2024, 1, 2, 3, 4, 5), end=datetime(2024, 2, 1))
    tree = sqlglot.parse_one(sql, read=dialect)
    literals = {lit.this for lit in tree.find_all(exp.Literal) if lit.is_string}
    # BigQuery gets bare string literals, a whole day as a date, so they coerce to any time column type.
    midnight = "2024-02-01" if dialect == "bigquery" else "2024-02-01 00:00:00"
    assert {"2024-01-02 03:04:05", midnight} <= literals


def test_quoted_literal_matches_on_postgresql(engine):
    if not postgres_available():
        unavailable(f"no PostgreSQL answers at {POSTGRES_URL} (KPI_TEST_POSTGRES)")
    sql = engine.compile("postgres", kpis=["quoted", "trailing_backslash"])
    done = psql(
        "create temp table orders (ordered_at timestamp, channel text, segment text, status text, note text);\n"
        "insert into orders values (now(), 'web', 'b2c', 'paid', $$it's \\ here$$), "
        "(now(), 'web', 'b2c', 'paid', $$C:\\dir\\$$), (now(), 'web', 'b2c', 'paid', 'other');\n"
        f"{sql};"
    )
    assert done.returncode == 0, done.stderr
    values = [line.split("|")[-1] for line in done.stdout.split()]
    assert values == ["1", "1"]


ATTACKS = {
    "statement": "count(*); drop table x",
    "subquery": "(select 1)",
    "engine_function": "pg_sleep(1)",
    "window": "sum(x) over ()",
    "table_function": "read_csv('/etc/passwd')",
    "deep_nesting": "(" * 60 + "count(*)" + ")" * 60,
    "very_long": "count(*)" + " + 1" * 1248,  # 5,000 characters
    "exists": "exists(select 1 from y)",
    "filter_clause": "count(*) filter (where x)",
    "qualified_column": "sum(t.amount)",
    "escape_string": "E'\\' or 1=1 --'",  # DuckDB E'' string: \' does not end it
}


def _definition_with(tmp_path: Path, field: str, text: str) -> tuple[Path, int]:
    """A catalog whose kpi `evil` carries ``text`` as ``field``; returns (file, line of field)."""
    quoted = json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar
    if field == "expr":
        measure = f"{{source: orders, expr: {quoted}}}"
    else:
        measure = f"{{source: orders, expr: count(*), where: {quoted}}}"
    body = textwrap.dedent(
        """\
        sources:
          orders:
            table: orders
            time: ordered_at
        kpis:
          fine:
            value: {source: orders, expr: count(*)}
          evil:
            title: Looks harmless
            value: MEASURE
        """
    ).replace("MEASURE", measure)
    path = tmp_path / "evil.yaml"
    path.write_text(body)
    return path, 10


@pytest.mark.parametrize("field", ["expr", "where"])
@pytest.mark.parametrize("attack", list(ATTACKS.values()), ids=list(ATTACKS))
def test_hostile_expressions_are_refused_at_load_time(tmp_path, attack, field):
    if field == "where" and attack.startswith(("(" * 60, "count(*) +")):
        attack = attack.replace("count(*)", "x")  # keep it a row-level condition
    assert len(ATTACKS["very_long"]) == 5000
    path, line = _definition_with(tmp_path, field, attack)
    with pytest.raises(DefinitionError) as info:
        kpi_engine.load(path)
    problems = info.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file is not None and Path(problem.file).name == "evil.yaml"
    assert problem.line == line
    assert (problem.kind, problem.name) == ("kpi", "evil")
    assert str(problem).startswith(f"{problem.file}:{line}:")
    assert field in problem.message


def test_refused_escape_string_is_named_readably(tmp_path, caplog):
    path, line = _definition_with(tmp_path, "where", ATTACKS["escape_string"])
    with caplog.at_level(logging.WARNING), pytest.raises(DefinitionError) as info:
        kpi_engine.load(path)
    (problem,) = info.value.problems
    assert problem.line == line
    assert "or 1=1" in problem.message, problem.message  # the refused string is shown
    assert not [r for r in caplog.records if r.name.startswith("sqlglot")]


@pytest.mark.parametrize(
    "query",
    ["select 1; drop table x", "delete from orders", "insert into x select 1", "drop table orders",
     "select * from orders; select 1"],
)
def test_source_sql_must_be_one_select(tmp_path, query):
    path = tmp_path / "src.yaml"
    path.write_text(f"sources:\n  bad:\n    sql: {json.dumps(query)}\n")
    with pytest.raises(DefinitionError) as info:
        kpi_engine.load(path)
    (problem,) = info.value.problems
    assert (Path(problem.file).name, problem.line, problem.kind, problem.name) == ("src.yaml", 3, "source", "bad")


# -- (e) selections that cannot be computed ------------------------------------------------------------


def test_by_a_dimension_the_source_lacks(engine):
    with pytest.raises(SelectionError) as info:
        engine.compile("duckdb", kpis=["conversion_rate"], by=["device"])
    message = str(info.value)
    assert "conversion_rate" in message and "source 'orders'" in message and "'device'" in message
    assert "source 'sessions'" not in message  # sessions has a device dimension


def test_by_reports_every_kpi_and_source_at_once(engine):
    with pytest.raises(SelectionError) as info:
        engine.compile("duckdb", kpis=["orders_count", "product_count"], by=["device"])
    message = str(info.value)
    assert "orders_count" in message and "'orders'" in message
    assert "product_count" in message and "'products'" in message


@pytest.mark.parametrize("selection", [dict(grain="month"), dict(start=date(2024, 1, 1))])
def test_grain_or_period_on_a_source_without_time(engine, selection):
    with pytest.raises(SelectionError) as info:
        engine.compile("duckdb", kpis=["product_count"], **selection)
    message = str(info.value)
    assert "product_count" in message and "'products'" in message and "no time column" in message


def test_source_without_time_still_serves_whole_table_kpis(engine):
    assert "FROM products" in engine.compile("duckdb", kpis=["product_count"], by=["category"])


# -- (f) real division, null on zero ------------------------------------------------------------------

DIVISIONS = ["half", "half_inside", "by_zero", "by_zero_ratio", "by_zero_inside", "by_zero_formula", "half_nested",
             "by_zero_nested"]


def test_division_is_real_and_zero_gives_null_on_duckdb(engine):
    rows = {r["kpi"]: r for r in engine.run(kpis=DIVISIONS).to_pylist()}
    assert rows["half"]["value"] == 0.5  # integers: 1 / 2 is 0.5, not 0
    assert rows["half_inside"]["value"] == 0.5
    assert rows["half_nested"]["value"] == 0.5  # (1 / 2) / 1: the inner division is real too
    for name in ("by_zero", "by_zero_ratio", "by_zero_inside", "by_zero_formula", "by_zero_nested"):
        assert rows[name]["value"] is None, rows[name]
        assert rows[name]["status"] == "no_data"
    assert (rows["by_zero_ratio"]["numerator"], rows["by_zero_ratio"]["denominator"]) == (7, 0)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_division_is_float_and_null_safe(engine, dialect):
    tree = tree_of(engine, dialect, kpis=DIVISIONS + ["conversion_rate", "avg_order_value"])
    divisions = list(tree.find_all(exp.Div))
    assert len(divisions) >= 8
    for div in divisions:
        assert isinstance(div.this, exp.Cast) and div.this.to.this in (
            exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT
        ), div.sql(dialect)
        assert isinstance(div.expression, exp.Nullif), div.sql(dialect)
        zero = div.expression.expression
        assert isinstance(zero, exp.Literal) and zero.this == "0"


def test_division_is_real_on_postgresql(engine):
    if not postgres_available():
        unavailable(f"no PostgreSQL answers at {POSTGRES_URL} (KPI_TEST_POSTGRES)")
    sql = engine.compile("postgres", kpis=["half", "half_inside", "by_zero", "by_zero_inside", "half_nested",
                                           "by_zero_nested"])
    done = psql(f"{sql};")
    assert done.returncode == 0, done.stderr  # a nested division by zero is NULL, not an error
    values = [line.split("|")[-1] for line in done.stdout.splitlines() if line]
    assert values == ["0.5", "0.5", "", "", "0.5", ""]


def test_a_formula_whose_part_cannot_be_sliced_is_named_with_its_part(tmp_path):
    (tmp_path / "k.yaml").write_text(
        "sources:\n"
        "  campaigns: {table: campaigns, time: day, dimensions: [channel]}\n"
        "  orders: {table: orders, time: ordered_at, dimensions: [channel, segment]}\n"
        "kpis:\n"
        "  spend: {value: {source: campaigns, expr: sum(spend)}}\n"
        "  revenue: {value: {source: orders, expr: sum(revenue)}}\n"
        "  roas:\n"
        "    formula: revenue / spend\n"
    )
    engine = kpi_engine.Engine(kpi_engine.load(tmp_path), "duckdb://")
    with pytest.raises(kpi_engine.SelectionError) as raised:
        engine.compile("duckdb", kpis=["roas"], by=["segment"])
    assert str(raised.value) == (
        f"{tmp_path / 'k.yaml'}:7:3: kpi roas: its part spend ({tmp_path / 'k.yaml'}:5:3): "
        "source 'campaigns' has no dimension 'segment' (it has: channel)"
    )
    # Asked for itself, the part is named as before.
    with pytest.raises(kpi_engine.SelectionError, match=r"k.yaml:5:3: kpi spend: source 'campaigns' has no dimension"):
        engine.compile("duckdb", kpis=["spend", "roas"], by=["segment"])


def test_compile_explain_shows_which_kpis_share_which_scan(shop):
    from click.testing import CliRunner

    from kpi_engine.cli import cli

    defs, url = shop
    result = CliRunner().invoke(cli, ["compile", str(defs), "--connection", url, "--grain", "month", "--explain"])
    assert result.exit_code == 0, result.stderr
    # Three KPIs, two sources: each source scanned once; count(*) of orders computed once for
    # conversion_rate and late_delivery_rate's sides alike.
    assert result.stdout.splitlines() == [
        "keys: period_start; period: all rows",
        "assembly: each scan read once, aligned into one row per key, then one row per KPI",
        "2 scan(s), one per source:",
        "  s_orders: source orders (table), 4 aggregate(s), read by conversion_rate, revenue, late_delivery_rate",
        "    a0 = COUNT(*)",
        "    a1 = SUM(revenue)",
        "    a2 = COUNT(CASE WHEN delivered_at > promised_at THEN 1 END)",
        "    a3 = COUNT(CASE WHEN NOT delivered_at IS NULL THEN 1 END)",
        "  s_sessions: source sessions (table), 1 aggregate(s), read by conversion_rate",
        "    a0 = COUNT(*)",
    ]
    # PostgreSQL computes a CTE read several times once: it keeps a CTE per KPI.
    postgres = CliRunner().invoke(cli, ["compile", str(defs), "--connection", url, "--grain", "month", "--explain",
                                        "--dialect", "postgres"])
    assert postgres.exit_code == 0, postgres.stderr
    assert postgres.stdout.splitlines()[1] == (
        "assembly: one CTE per KPI over the scans (postgres computes a CTE read several times once)"
    )
