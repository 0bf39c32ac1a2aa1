"""The allowlist and the read-back check (kpi_engine.allowlist, kpi_engine.verify).

- Names and strings an attacker would pick (quotes, backquotes, brackets, backslashes,
  comment and statement markers, unicode) in every place a definition holds them, run
  on every engine: the counts must equal pyarrow's over the same rows, so each name
  and string reached the engine as written, never as SQL.
- A plugin function or metric type that builds what a definition may not write is
  refused the same way; a statement the generator printed wrong is never sent.
- Hypothesis writes random expressions (quoted names and types in every position): each
  one is refused at load with an ExpressionProblem, or compiles for every dialect and
  reads back as planned.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlglot import exp

import kpi_engine
from engines import engines
from kpi_engine.dialects import rules_for
from kpi_engine.allowlist import CAST_TYPES, Refused, check_expression, check_statement
from kpi_engine.errors import UnsafeStatement
from kpi_engine.expressions import ExpressionProblem, parse_expression
from kpi_engine.verify import fingerprint, verify

# Column names and string values chosen to break a careless printer in some dialect.
ODD_COLUMN = 'it\'s "odd" `col` [x] \\ -- ; /*'
ODD_DIMENSION = "Ünï code"
ODD_VALUES = ["it's \\ odd", "a\\'b", "'; DROP TABLE m; --", 'say "hi"', "back`tick", "tab\there", "Ωmega", "end\\"]


def _table() -> pa.Table:
    values = ODD_VALUES * 2 + ["plain"]
    return pa.table({
        ODD_COLUMN: values,
        ODD_DIMENSION: ["x" if i % 3 else "y" for i in range(len(values))],
        "n": list(range(len(values))),
    })


def _literal(text: str) -> str:
    """``text`` as a DuckDB string literal (quotes doubled), as a definition writes it."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _yaml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


def _definitions() -> str:
    col = _identifier(ODD_COLUMN)
    kpis = []
    for i, value in enumerate(ODD_VALUES):
        kpis.append(f"  where_{i}: {{value: {{source: m, expr: count(*), where: {_yaml(f'{col} = {_literal(value)}')}}}}}\n")
        kpis.append(f"  expr_{i}: {{value: {{source: m, expr: {_yaml(f'count_if({col} = {_literal(value)})')}}}}}\n")
        kpis.append(f"  sum_{i}: {{value: {{source: m, expr: {_yaml(f'sum(case when {col} = {_literal(value)} then n end)')}}}}}\n")
    return (
        "sources:\n  m:\n    table: m\n"
        f"    dimensions:\n      odd: {_yaml(_identifier(ODD_DIMENSION))}\n"
        f"      tagged: {_yaml(f'{col} || {_literal(chr(39) + chr(92))}')}\n"
        "kpis:\n" + "".join(kpis)
    )


@pytest.fixture(scope="module", params=engines(), ids=lambda module: module.NAME)
def odd_engine(request, tmp_path_factory):
    with request.param.provision({"m": _table()}, tmp_path_factory.mktemp(request.param.NAME)) as url:
        yield url


def test_odd_names_and_strings_reach_every_engine_as_written(odd_engine, tmp_path):
    (tmp_path / "k.yaml").write_text(_definitions(), encoding="utf-8")
    table = _table()
    with kpi_engine.Engine(kpi_engine.load(tmp_path), odd_engine) as engine:
        rows = {r["kpi"]: r["value"] for r in engine.run().to_pylist()}
        by_odd = engine.run(kpis=["where_0"], by=["odd"]).to_pylist()
        tagged = engine.run(kpis=["where_0"], by=["tagged"]).to_pylist()
    for i, value in enumerate(ODD_VALUES):
        mask = pc.equal(table[ODD_COLUMN], value)
        expected = pc.sum(pc.cast(mask, pa.int64())).as_py()
        assert rows[f"where_{i}"] == rows[f"expr_{i}"] == expected == 2, value
        assert rows[f"sum_{i}"] == pc.sum(pc.filter(table["n"], mask)).as_py(), value
    expected_odd = {d: sum(1 for v, o in zip(table[ODD_COLUMN].to_pylist(), table[ODD_DIMENSION].to_pylist())
                           if v == ODD_VALUES[0] and o == d) for d in ("x", "y")}
    assert {r["odd"]: r["value"] for r in by_odd} == {d: n for d, n in expected_odd.items() if n}
    values = table[ODD_COLUMN].to_pylist()
    assert {r["tagged"]: r["value"] for r in tagged} == {v + "'\\": 2 * (v == ODD_VALUES[0]) for v in values}


# -- what a definition may write still loads ----------------------------------------------

#: (role, expression): the constructs the README lists as allowed, each in the role it serves.
ALLOWED = [
    ("condition", "channel not like 'C%'"), ("condition", "channel not ilike 'c%'"), ("condition", "channel like 'a%'"),
    ("condition", "x not in (1, 2)"), ("condition", "x in ('a', 'b')"), ("condition", "x not between 1 and 2"),
    ("condition", "x is not null"), ("condition", "x is null"), ("condition", "flag is true"), ("condition", "flag is not false"),
    ("condition", "a is distinct from b"), ("condition", "a is not distinct from b"), ("condition", "not flag"),
    ("condition", "x <> 1 and (y != 2 or z >= 3) and w <= 4 and v < 5 and u > 6 and t = 7"),
    ("condition", "ordered_at >= date '2024-01-01'"), ("condition", "ordered_at < timestamp '2024-01-01 08:00:00'"),
    ("condition", "ordered_at + interval 7 day > promised_at"), ("condition", "ordered_at - interval '1' month < current_timestamp"),
    ("condition", "date_trunc('month', ordered_at) = date_trunc('month', current_date)"),
    ("condition", "date_diff('day', ordered_at, delivered_at) > 3"), ("condition", "datediff('hour', a, b) > 3"),
    ("condition", "date_add(ordered_at, interval 1 day) < delivered_at"),
    ("condition", "extract(isodow from ordered_at) in (6, 7)"), ("condition", "hour(ordered_at) between 9 and 17"),
    ("condition", "strftime(ordered_at, '%Y-%m') = '2024-01'"), ("condition", "lower(trim(channel)) = 'web'"),
    ("condition", "upper(left(channel, 2)) || right(channel, 1) = 'WEb'"), ("condition", "length(channel) > 2"),
    ("condition", "substring(channel, 1, 3) = 'web'"), ("condition", "coalesce(channel, 'none') <> 'none'"),
    ("condition", "cast(x as int) = 1"), ("condition", "x::bigint = 1"), ("condition", "x::decimal(12, 2) > 0"),
    ("condition", "x::varchar(20) = 'a'"), ("condition", "try_cast(x as double) > 0"), ("condition", 'x::"int" = 1'),
    ("condition", "cast(ordered_at as date) = current_date"), ("condition", "ordered_at::timestamptz is not null"),
    ("condition", "round(x, 2) = 1.5"), ("condition", "abs(x) % 2 = 1"), ("condition", "x // 2 = 1"),
    ("condition", 'case when x > 1 then true else false end'), ("condition", '"order total" > 100'),
    ("condition", '"Ünïcode naïve" is not null'), ("condition", "umsätze > 0"),
    ("measure", "count(*)"), ("measure", "count(distinct customer_id)"), ("measure", "sum(revenue) - sum(cost)"),
    ("measure", "avg(x)"), ("measure", "min(x) + max(x)"), ("measure", "median(x)"), ("measure", "percentile(x, 0.9)"),
    ("measure", "quantile_cont(x, 0.5)"), ("measure", "approx_count_distinct(x)"), ("measure", "count_if(x > 1)"),
    ("measure", "sum_if(x, y > 1)"), ("measure", "share(x > 1)"), ("measure", "safe_divide(sum(a), sum(b))"),
    ("measure", "stddev(x) + variance(x)"), ("measure", "greatest(max(a), max(b))"),
    ("measure", "round(avg(epoch(delivered_at) - epoch(ordered_at)) / 3600, 1)"),
    ("dimension", "case when x > 100 then 'big' else 'small' end"), ("dimension", "lower(utm_channel)"),
    ("dimension", "year(ordered_at)"), ("dimension", "concat(a, '-', b)"), ("dimension", "nullif(channel, '')"),
    ("formula", "revenue / orders"), ("formula", "(a - b) / nullif(b, 0)"), ("formula", "100.0 * a / b"),
]


@pytest.mark.parametrize(("role", "text"), ALLOWED, ids=[t for _, t in ALLOWED])
def test_what_a_definition_may_write_passes(role, text):
    from kpi_engine.builtin.functions import kpi_register_functions

    functions = {f.name: f for f in kpi_register_functions()}
    parse_expression(text, functions, role=role)


# -- what plugins build passes the same allowlist --------------------------------------


def _plugin_function(build):
    class Plugin:
        @kpi_engine.hookimpl
        def kpi_register_functions(self):
            return [kpi_engine.FunctionSpec("sneaky", build, 1, 1)]

    return kpi_engine.get_plugins(load_entrypoints=False, extra=[Plugin()]).functions


@pytest.mark.parametrize(("build", "message"), [
    (lambda x: exp.Cast(this=x.copy(), to=exp.DataType(this=exp.DataType.Type.USERDEFINED, kind="int); DROP TABLE m; --")),
     r"cast to .* is not allowed"),
    (lambda x: exp.Anonymous(this="pg_sleep", expressions=[x.copy()]), r"unknown function 'pg_sleep'"),
    (lambda x: exp.Extract(this=exp.var("epoch FROM now()); --"), expression=x.copy()), r"extract takes a date part"),
    (lambda x: exp.Column(this=exp.Identifier(this="x; DROP TABLE m", quoted=False)), r"is not a name"),
    (lambda x: exp.Literal(this="1; DROP TABLE m", is_string=False), r"is not a number"),
    (lambda x: exp.Count(this=exp.Subquery(this=exp.select("1"))), r"not allowed"),
    (lambda x: exp.Count(this=exp.Var(this="1) FROM pg_shadow --")), r"not allowed"),
])
def test_what_a_plugin_function_builds_passes_the_allowlist(tmp_path, build, message):
    functions = _plugin_function(build)
    (tmp_path / "k.yaml").write_text("sources:\n  m: {table: m}\nkpis:\n  k: {value: {source: m, expr: count(sneaky(x))}}\n")
    with pytest.raises(kpi_engine.DefinitionError, match=message) as raised:
        kpi_engine.load(tmp_path, functions)
    assert str(raised.value).startswith(f"{tmp_path / 'k.yaml'}:4:")


def test_a_metric_type_building_a_side_effect_is_refused_before_it_runs(tmp_path):
    def build(query):  # a buggy or hostile metric type: a function the dialect does not call
        return exp.select(
            exp.alias_(exp.Anonymous(this="lo_export", expressions=[exp.Literal.number(1)]), "numerator"),
            exp.alias_(exp.Literal.string("x"), "item"),
        ).from_(query.relation)

    class Plugin:
        @kpi_engine.hookimpl
        def kpi_register_metric_types(self):
            return [kpi_engine.MetricTypeSpec("evil", build, params=())]

    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Plugin()])
    (tmp_path / "k.yaml").write_text("sources:\n  m: {table: m}\nkpis:\n  k: {metric: {type: evil, source: m}}\n")
    catalog = kpi_engine.load(tmp_path, plugins.functions, metric_types=plugins.metric_types)
    for dialect in ("duckdb", "postgres", "mysql"):
        with pytest.raises(UnsafeStatement, match=r"function 'lo_export' is not allowed in a statement") as raised:
            kpi_engine.Engine(catalog, "duckdb://", plugins=plugins).compile(dialect)
        assert raised.value.exit_code == 4 and "\n" not in str(raised.value)


# -- the read-back check -----------------------------------------------------------------


def _planned():
    tree = exp.select(exp.alias_(exp.Count(this=exp.Star()), "n")).from_("orders").where(
        exp.EQ(this=exp.column("status"), expression=exp.Literal.string("it's \\ odd")))
    return tree, fingerprint(tree)


@pytest.mark.parametrize(("printed", "reason"), [
    ("SELECT COUNT(*) AS n FROM orders WHERE status = 'it''s \\ odd'; DROP TABLE orders", r"2 statements"),
    ("SELECT COUNT(*) AS n FROM orders WHERE status = 'it' OR 1 = 1", r"does not read back whole"),
    ("SELECT COUNT(*) AS n FROM orders WHERE status = (SELECT MAX(password) FROM users)", r"queries differ|tables differ"),
    ("SELECT COUNT(*) AS n FROM orders, mysql.user WHERE status = 'it''s \\ odd'", r"queries differ from the plan.s \(\+1 Join\)"),
    ("SELECT COUNT(*) AS n FROM mysql.user WHERE status = 'it''s \\ odd'", r"tables differ from the plan.s \(\+1 mysql.user, -1 orders\)"),
    ("SELECT COUNT(*) AS n FROM orders WHERE status = LOAD_FILE('it''s \\ odd')", r"calls 'load_file'"),
    ("SELECT COUNT(*) AS n FROM orders WHERE password = 'it''s \\ odd'", r"names 'password'"),
    ("COPY (SELECT 1) TO 'x.csv'", r"not one query|does not parse back|a Copy"),
    ("SELECT COUNT(*) AS n INTO outfile FROM orders WHERE status = 'it''s \\ odd'", r"Into|not one query"),
    ("SELECT COUNT(*) AS n FROM orders WHERE status = 'it''s \\ odd' AND SLEEP(5)", r"calls 'sleep'|holds a"),
])
def test_a_statement_printed_wrong_is_never_sent(printed, reason):
    _, planned = _planned()
    with pytest.raises(UnsafeStatement, match=reason):
        verify(printed, planned, "duckdb")


@pytest.mark.parametrize("dialect", ["duckdb", "sqlite", "postgres", "mysql", "spark", "snowflake", "bigquery", "trino"])
def test_a_statement_printed_right_reads_back(dialect):
    tree, planned = _planned()
    verify(tree.sql(dialect=dialect), planned, dialect)


def test_check_statement_refuses_what_no_rule_built():
    statement = exp.select(exp.Anonymous(this="pg_read_file", expressions=[exp.Literal.string("/etc/passwd")]))
    with pytest.raises(Refused, match="pg_read_file"):
        check_statement(statement)
    check_statement(statement, functions={"pg_read_file"})  # only a dialect's own rules may name it
    with pytest.raises(Refused, match="keyword"):
        check_statement(exp.select(exp.Extract(this=exp.var("EPOCH FROM x); --"), expression=exp.column("t"))))
    copy = exp.Copy(this=exp.to_table("orders"), kind=True, files=[exp.Literal.string("x.csv")])
    with pytest.raises(Refused):
        check_statement(copy)


# -- random expressions ------------------------------------------------------------------

_TYPES = sorted(t.value for t in CAST_TYPES) + ["widget", "int); drop", "foo bar", 'a"b', "int[]", "x`y"]
_NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12)
_STRINGS = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)


def _name(text: str) -> str:
    return _identifier(text)


@st.composite
def _expressions(draw, depth=0):
    leaf = st.one_of(
        _NAMES.map(_name),
        _STRINGS.map(_literal),
        st.integers(-10**6, 10**6).map(str),
        st.sampled_from(["null", "true", "x", "channel", "1.5", "ordered_at"]),
    )
    if depth > 3:
        return draw(leaf)
    inner = _expressions(depth + 1)
    return draw(st.one_of(
        leaf,
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "=", "<>", "<", "and", "or", "||", "like"]), inner)
          .map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(_TYPES)).map(lambda t: f"cast({t[0]} as {t[1]})"),
        st.tuples(inner, _NAMES).map(lambda t: f"cast({t[0]} as {_identifier(t[1])})"),
        st.tuples(st.sampled_from(["lower", "upper", "length", "abs", "coalesce", "pg_sleep", "md5", "nullif",
                                   "date_trunc", "strftime", "round", "load_file"]), st.lists(inner, min_size=1, max_size=2))
          .map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(_STRINGS, inner).map(lambda t: f"date_trunc({_literal(t[0])}, {t[1]})"),
        st.tuples(_STRINGS, inner).map(lambda t: f"extract({t[0] or 'x'} from {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"case when {t[0]} then {t[1]} end"),
        st.tuples(inner, st.lists(inner, min_size=1, max_size=3)).map(lambda t: f"{t[0]} in ({', '.join(t[1])})"),
    ))


_DIALECTS = ("duckdb", "sqlite", "postgres", "mysql", "spark", "snowflake", "bigquery", "trino", "redshift")


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_expressions())
def test_random_expressions_are_refused_or_read_back_as_planned(text):
    try:
        tree = parse_expression(text, {}, role="condition")
    except ExpressionProblem as problem:
        assert problem.message and "\n" not in problem.message
        return
    check_expression(tree)  # what the gate let through is on the lists
    assert not any(isinstance(n, (exp.Anonymous, exp.Command)) for n in tree.walk())
    assert all(n.this in CAST_TYPES for n in tree.find_all(exp.DataType))
    statement = exp.select(exp.alias_(exp.Count(this=exp.Star()), "n")).from_("orders").where(tree)
    planned = fingerprint(statement)
    for dialect in _DIALECTS:
        if dialect == "bigquery" and any("." in n.name for n in tree.find_all(exp.Identifier)):
            # BigQuery reads `a.b` as the path a.b, so such a name does not read back as one
            # name: verify refuses it there, rightly (tested below).
            continue
        try:
            sql = statement.sql(dialect=dialect)
        except Exception:  # a generator refusing a node is no injection; the compiler reports it
            continue
        verify(sql, planned, dialect, functions=rules_for(dialect).functions)


def test_a_name_bigquery_would_read_as_a_path_is_refused_there():
    statement = exp.select(exp.alias_(exp.Count(this=exp.Star()), "n")).from_("orders").where(
        exp.column(exp.to_identifier("a.b", quoted=True)))
    verify(statement.sql(dialect="duckdb"), fingerprint(statement), "duckdb")
    with pytest.raises(UnsafeStatement, match="it names 'a', 'b'"):
        verify(statement.sql(dialect="bigquery"), fingerprint(statement), "bigquery")
