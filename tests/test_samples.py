"""Small samples do not raise alarms: ``min_sample`` on every KPI kind, ``confidence`` on rates.

One small shop (orders and survey answers over three months) is loaded into DuckDB (both
assemblies), SQLite, PostgreSQL and MariaDB, as available (Spark, slow, is left to
test_cross_engine, whose oracle checks the shipped NPS's sample on every engine). Every
numerator, denominator, value and ``sample`` is compared with an independent computation
over the same Arrow tables with pyarrow.compute (``expected`` below), never with what an
engine returned; the statuses, notes and intervals of the rows that matter are written
by hand with their working.

The shop, by month and channel (late: delivered after the promised date):

  orders   Jan web 3 delivered, 1 late     Jan app 2 delivered + 1 not yet, 0 late
           Feb web 20 delivered, 6 late    Feb app 10 delivered, 1 late
           Mar web 4 delivered, 0 late
  answers  Jan web 10 9 9 7 6 (and a blank)   Jan app 10 0 3    Jan phone 5 9 9 10
           Feb web 9 9 10 8 8 2 6 10           Feb app 7 (and a blank)
           Mar web 10
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sqlglot import exp

import kpi_engine
from engines import engines
from kpi_engine.cli import cli
from kpi_engine.testing import unavailable

try:
    import kpi_commerce
except ImportError:  # the in-repo plugin is not installed: the nps and retention examples are skipped
    kpi_commerce = None

ENGINES = [m for m in engines() if m.NAME in ("duckdb", "duckdb-per-kpi", "sqlite", "postgres", "mysql")]

# (month, channel, delivered, late, not delivered yet, customers cycled through)
ORDER_PLAN = [
    (1, "web", 3, 1, 0, (1, 2, 3)),
    (1, "app", 2, 0, 1, (4, 5)),
    (2, "web", 20, 6, 0, tuple(range(1, 11))),
    (2, "app", 10, 1, 0, (4, 5)),
    (3, "web", 4, 0, 0, (1, 2, 11, 12)),
]
ANSWERS = [
    (1, "web", [10, 9, 9, 7, 6, None]), (1, "app", [10, 0, 3]), (1, "phone", [5, 9, 9, 10]),
    (2, "web", [9, 9, 10, 8, 8, 2, 6, 10]), (2, "app", [7, None]),
    (3, "web", [10]),
]


def tables() -> dict[str, pa.Table]:
    orders = []
    for month, channel, delivered, late, pending, customers in ORDER_PLAN:
        for i in range(delivered + pending):
            ordered = datetime(2024, month, 1 + i % 28, 9 + i % 10)
            promised = ordered + timedelta(days=3)
            arrived = None if i >= delivered else promised + timedelta(days=1 if i < late else -1)
            orders.append((len(orders) + 1, customers[i % len(customers)], ordered, channel, 10.0 * (i + 1), promised, arrived))
    answers = [
        (datetime(2024, month, 2 + i, 15), channel, score)
        for month, channel, scores in ANSWERS for i, score in enumerate(scores)
    ]
    columns = ("order_id", "customer_id", "ordered_at", "channel", "revenue", "promised_at", "delivered_at")
    types = (pa.int64(), pa.int64(), pa.timestamp("us"), pa.string(), pa.float64(), pa.timestamp("us"), pa.timestamp("us"))
    return {
        "orders": pa.table({c: pa.array([r[i] for r in orders], t) for i, (c, t) in enumerate(zip(columns, types))}),
        "surveys": pa.table({
            "answered_at": pa.array([a[0] for a in answers], pa.timestamp("us")),
            "channel": pa.array([a[1] for a in answers], pa.string()),
            "score": pa.array([a[2] for a in answers], pa.int64()),
        }),
    }


DEFINITIONS = """\
sources:
  orders: {table: orders, time: ordered_at, dimensions: [channel]}
  surveys: {table: surveys, time: answered_at, dimensions: [channel]}
kpis:
  late_delivery_rate:
    numerator:   {source: orders, expr: count(*), where: delivered_at > promised_at}
    denominator: {source: orders, expr: count(*), where: delivered_at is not null}
    unit: percent
    direction: lower
    min_sample: 3
    confidence: 0.95
    thresholds: {warn: 0.05, critical: 0.10}
  late_by_channel:
    numerator:   {source: orders, expr: count(*), where: delivered_at > promised_at}
    denominator: {source: orders, expr: count(*), where: delivered_at is not null}
    unit: percent
    direction: lower
    confidence: 0.95
    thresholds: {warn: 0.05, critical: 0.10}
    targets:
      - by: {channel: web}
        thresholds: {warn: 0.01, critical: 0.02}
  average_score:
    value: {source: surveys, expr: avg(score), where: channel <> 'phone'}
    sample: count(score)
    min_sample: 4
    target: 7
    thresholds: {warn: 6, critical: 5}
  order_revenue:
    value: {source: orders, expr: sum(revenue)}
    sample: count(*)
    min_sample: 4
    unit: currency
    target_period: month
    target: 100
    targets:                      # a monthly total is judged in a slice only by a rule for it
      - by: {channel: app}
        target: 100
      - by: {channel: web}
        target: 100
  orders_count:
    value: {source: orders, expr: count(*)}
  revenue_total:
    value: {source: orders, expr: sum(revenue)}
  revenue_per_order:
    formula: revenue_total / orders_count
    min_sample: 4
    target: 50
  busiest_channels:
    metric: {type: top, source: surveys, item: channel, expr: count(score), where: channel <> 'phone'}
    sample: count(score)
    min_sample: 6
"""

COMMERCE_DEFINITIONS = """\
  nps:
    value: {source: surveys, expr: nps(score)}
    min_sample: 5
    target: 30
    thresholds: {warn: 20, critical: 0}
  retention:
    metric: {type: retention, source: orders, entity: customer_id}
    unit: percent
    min_sample: 3
  retention_by_customers:
    metric: {type: retention, source: orders, entity: customer_id}
    unit: percent
    sample: count(distinct customer_id)
    min_sample: 3
"""
CORE_KPIS = ("late_delivery_rate", "late_by_channel", "average_score", "order_revenue", "orders_count", "revenue_total",
             "revenue_per_order", "busiest_channels")
COMMERCE_KPIS = ("nps", "retention", "retention_by_customers") if kpi_commerce is not None else ()
RUNS = {"month_by_channel": ("month", ("channel",)), "month": ("month", ()), "whole": (None, ())}


@pytest.fixture(scope="module")
def plugins() -> kpi_engine.Plugins:
    return kpi_engine.get_plugins(extra=[kpi_commerce] if kpi_commerce is not None else [])


@pytest.fixture(scope="module")
def defs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("defs")
    (folder / "shop.yaml").write_text(DEFINITIONS + (COMMERCE_DEFINITIONS if kpi_commerce is not None else ""))
    return folder


@pytest.fixture(scope="module")
def catalog(plugins, defs):
    return kpi_engine.load(defs, plugins.functions, metric_types=plugins.metric_types)


@pytest.fixture(scope="module", params=ENGINES, ids=lambda module: module.NAME)
def results(request, plugins, catalog, tmp_path_factory):
    """{run name: judged table} of one engine, each run one statement over every KPI."""
    with request.param.provision(tables(), tmp_path_factory.mktemp(request.param.NAME)) as url:
        with kpi_engine.Engine(catalog, url, plugins=plugins) as engine:
            yield {name: engine.run(kpis=[*CORE_KPIS, *COMMERCE_KPIS], grain=grain, by=list(by))
                   for name, (grain, by) in RUNS.items()}


@pytest.fixture(scope="module")
def duckdb_url(tmp_path_factory):
    from engines import duckdb as reference

    with reference.provision(tables(), tmp_path_factory.mktemp("reference")) as url:
        yield url


@pytest.fixture
def engine(catalog, plugins, duckdb_url):
    with kpi_engine.Engine(catalog, duckdb_url, plugins=plugins) as eng:
        yield eng


# -- the independent computation -----------------------------------------------------------


def _when(condition: pa.ChunkedArray, value) -> pa.ChunkedArray:
    """``value`` where ``condition`` holds, null elsewhere (a NULL condition does not hold)."""
    if not isinstance(value, (pa.Array, pa.ChunkedArray)):
        value = pa.scalar(value)
    return pc.if_else(pc.fill_null(condition, False), value, None)


def _grouped(table: pa.Table, time: str, grain, by, columns: dict[str, pa.ChunkedArray], aggregates) -> dict[tuple, dict]:
    """{key: {column_function: value}} per (month, slice) of ``table``'s rows, as SQL groups them."""
    keys = []
    if grain:
        table = table.append_column("period_start", pc.cast(pc.floor_temporal(table[time], unit="month"), pa.date32()))
        keys.append("period_start")
    keys += list(by)
    for name, column in columns.items():
        table = table.append_column(name, column)
    if not keys:  # one group: a constant key
        table = table.append_column("_all", pa.array([0] * table.num_rows))
        keys = ["_all"]
    out = table.group_by(keys).aggregate(aggregates).to_pylist()
    return {tuple(str(r[k]) if k == "period_start" else r[k] for k in keys if k != "_all"): r for r in out}


def expected(grain, by) -> dict[str, dict[tuple, tuple]]:
    """Per KPI, {key: (numerator, denominator, value, sample)} by pyarrow over the shop's tables."""
    t = tables()
    orders, surveys = t["orders"], t["surveys"]
    delivered = pc.invert(pc.is_null(orders["delivered_at"]))
    late = pc.greater(orders["delivered_at"], orders["promised_at"])
    o = _grouped(orders, "ordered_at", grain, by, {"late": _when(late, 1), "delivered": _when(delivered, 1)},
                 [("late", "count"), ("delivered", "count"), ("revenue", "sum"), ("order_id", "count"),
                  ("customer_id", "count_distinct")])
    not_phone = pc.not_equal(surveys["channel"], "phone")
    s = _grouped(surveys, "answered_at", grain, by, {
        "kept": _when(not_phone, surveys["score"]),
        "promoter": _when(pc.greater_equal(surveys["score"], 9), 1),
        "detractor": _when(pc.less_equal(surveys["score"], 6), 1),
    }, [("kept", "mean"), ("kept", "count"), ("score", "count"), ("promoter", "count"), ("detractor", "count")])
    out: dict[str, dict[tuple, tuple]] = {k: {} for k in ("late_delivery_rate", "average_score", "order_revenue",
                                                            "revenue_per_order", "nps")}
    for key, r in o.items():
        num, den = r["late_count"], r["delivered_count"]
        out["late_delivery_rate"][key] = (num, den, num / den if den else None, None)
        out["order_revenue"][key] = (r["revenue_sum"], None, r["revenue_sum"], r["order_id_count"])
        out["revenue_per_order"][key] = (r["revenue_sum"], r["order_id_count"], r["revenue_sum"] / r["order_id_count"], None)
    for key, r in s.items():
        out["average_score"][key] = (r["kept_mean"], None, r["kept_mean"], r["kept_count"])
        answers = r["score_count"]
        score = 100 * (r["promoter_count"] - r["detractor_count"]) / answers if answers else None
        out["nps"][key] = (score, None, score, answers)
    out["_customers"] = {key: r["customer_id_count_distinct"] for key, r in o.items()}
    out["_answers_kept"] = {key: r["kept_count"] for key, r in s.items()}
    return out


def key_of(row: dict, by) -> tuple:
    return tuple(str(row[k]) if k == "period_start" else row[k] for k in ("period_start", *by) if k in row)


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def rows(table: pa.Table, kpi: str, by=()) -> dict[tuple, dict]:
    found = {}
    for row in table.to_pylist():
        if row["kpi"] == kpi:
            assert key_of(row, by) not in found or kpi == "busiest_channels", (kpi, row)
            found.setdefault(key_of(row, by), row)
    return found


# -- every engine --------------------------------------------------------------------------


@pytest.mark.parametrize("run", list(RUNS))
def test_values_and_samples_match_pyarrow(results, run):
    grain, by = RUNS[run]
    table = results[run]
    want = expected(grain, by)
    assert table.column_names[: table.column_names.index("value") + 4][-4:] == ["value", "sample", "low", "high"]
    for kpi in ("late_delivery_rate", "average_score", "order_revenue", "revenue_per_order", *COMMERCE_KPIS[:1]):
        got = rows(table, kpi, by)
        assert set(got) == set(want[kpi]), (kpi, sorted(set(got) ^ set(want[kpi]), key=repr))
        for key, numbers in want[kpi].items():
            have = tuple(got[key][c] for c in ("numerator", "denominator", "value", "sample"))
            assert all(close(h, w) for h, w in zip(have, numbers)), (kpi, key, have, numbers)
    # A metric KPI's declared count is read beside the rows its type returns, a list's
    # entries each with their key's count.
    for row in table.to_pylist():
        if row["kpi"] == "busiest_channels":
            assert close(row["sample"], want["_answers_kept"][key_of(row, by)]), row
        elif row["kpi"] == "retention_by_customers" and row["value"] is not None:
            # March app: its Feb cohort came back nowhere, and nobody ordered there: 0 customers, not NULL
            assert close(row["sample"], want["_customers"].get(key_of(row, by), 0)), row
        elif row["kpi"] in ("late_delivery_rate", "revenue_per_order", "orders_count", "retention"):
            assert row["sample"] is None, row  # a ratio's sample is its denominator, not a column of its own


def test_a_rate_under_min_sample_is_no_data_and_the_interval_judges_the_rest(results):
    got = rows(results["month_by_channel"], "late_delivery_rate", ("channel",))

    def row(month, channel):
        r = got[(f"2024-{month:02d}-01", channel)]
        return r["numerator"], r["denominator"], round(r["low"], 4), round(r["high"], 4), r["status"], r["note"]

    # 1 of 3 is 33%, critical on its own; [0.0615, 0.7923] is wholly above 5%, not above 10%.
    assert row(1, "web") == (1, 3, 0.0615, 0.7923, "warn", None)
    # 0 of 2: under min_sample 3 (the denominator), whatever its interval [0, 0.6576].
    assert row(1, "app") == (0, 2, 0.0, 0.6576, "no_data", "denominator 2 is under min_sample 3: too few to judge")
    # 6 of 20: p = 0.3, centre 0.33222, half 0.18675: [0.1455, 0.5190], above 10% throughout.
    assert row(2, "web") == (6, 20, 0.1455, 0.519, "critical", None)
    # 1 of 10 is 10%, a warn on its own (not above the 10% critical line, above 5%);
    # centre 0.211013, half 0.193137: [0.0179, 0.4042] reaches below 5%: ok.
    assert row(2, "app") == (1, 10, 0.0179, 0.4042, "ok", None)
    # 0 of 4: [0, 0.4899], ok.
    assert row(3, "web")[4:] == ("ok", None)


def test_value_and_metric_kpis_under_min_sample_are_no_data_with_a_note(results):
    table = results["month_by_channel"]
    score = rows(table, "average_score", ("channel",))
    # Jan app: 3 answers (10, 0, 3), an average of 4.33 would be critical; Jan web: 5 answers, 8.2.
    assert (score[("2024-01-01", "app")]["status"], score[("2024-01-01", "app")]["note"]) == (
        "no_data", "sample 3 is under min_sample 4: too few to judge")
    assert (score[("2024-01-01", "web")]["status"], score[("2024-01-01", "web")]["sample"]) == ("ok", 5)
    # phone answers are left out by the KPI's where, in its sample too: no answer kept.
    assert score[("2024-01-01", "phone")]["sample"] == 0 and score[("2024-01-01", "phone")]["status"] == "no_data"
    assert score[("2024-01-01", "phone")]["note"] == "sample 0 is under min_sample 4: too few to judge"
    per_order = rows(table, "revenue_per_order", ("channel",))
    # a formula a / b: its sample is its denominator, the 3 orders of Jan app
    assert per_order[("2024-01-01", "app")]["note"] == "denominator 3 is under min_sample 4: too few to judge"
    busiest = [r for r in table.to_pylist() if r["kpi"] == "busiest_channels"]
    # per month and channel: Feb web 8 answers (judged: unrated), Jan web 5 (under 6)
    statuses = {(str(r["period_start"]), r["channel"]): (r["sample"], r["status"]) for r in busiest}
    assert statuses[("2024-02-01", "web")] == (8, "unrated")
    assert statuses[("2024-01-01", "web")] == (5, "no_data")


def test_the_nps_takes_the_answers_as_its_sample(results):
    if kpi_commerce is None:
        unavailable("kpi-commerce is not installed: python -m pip install -e plugins/kpi-commerce")
    got = rows(results["month_by_channel"], "nps", ("channel",))
    # Jan web: 5 answers, promoters 10 9 9, detractor 6: 100 * (3 - 1) / 5 = 40, ok.
    assert (got[("2024-01-01", "web")]["sample"], got[("2024-01-01", "web")]["value"], got[("2024-01-01", "web")]["status"]) == (5, 40, "ok")
    # Jan app: 10 0 3 is -33.3 (critical on its own) from 3 answers: no_data.
    assert got[("2024-01-01", "app")]["note"] == "sample 3 is under min_sample 5: too few to judge"
    # Feb web: 8 answers, promoters 9 9 10 10, detractors 2 6: 100 * 2 / 8 = 25, short of
    # the target 30 but not under the warn line 20: ok.
    assert (got[("2024-02-01", "web")]["value"], got[("2024-02-01", "web")]["status"]) == (25, "ok")
    retention = rows(results["month"], "retention")
    # The type's sample is its denominator, the cohort: Jan customers {1..5}, Feb {1..10}.
    assert {k: (r["denominator"], r["status"], r["note"]) for k, r in retention.items()} == {
        ("2024-02-01",): (5, "unrated", None), ("2024-03-01",): (10, "unrated", None),
    }
    by_customers = rows(results["month"], "retention_by_customers")
    # Its own sample: distinct customers ordering in the month (Feb 10, Mar 4).
    assert {k: r["sample"] for k, r in by_customers.items()} == {("2024-02-01",): 10, ("2024-03-01",): 4}


# -- with the rest of a run ---------------------------------------------------------------------


def test_columns_appear_only_when_a_selected_kpi_asks(engine):
    assert engine.run(kpis=["orders_count", "revenue_total"]).column_names == [
        "kpi", "numerator", "denominator", "value", "target", "attainment", "status"]
    rate = engine.run(kpis=["late_delivery_rate", "orders_count"]).column_names
    assert "low" in rate and "high" in rate and "note" in rate and "sample" not in rate
    value = engine.run(kpis=["average_score"]).column_names
    assert "sample" in value and "note" in value and "low" not in value
    assert engine.run(kpis=["late_by_channel"]).column_names == [
        "kpi", "numerator", "denominator", "value", "low", "high", "target", "attainment", "status"]


def test_target_rules_give_the_lines_the_interval_is_judged_against(engine):
    got = rows(engine.run(kpis=["late_by_channel"], grain="month", by=["channel"]), "late_by_channel", ("channel",))
    # web's rule: warn 1%, critical 2%. Jan web's [0.0615, 0.7923] is above 2% throughout: critical.
    assert got[("2024-01-01", "web")]["status"] == "critical"
    # app keeps the KPI's lines: Feb app's [0.0179, 0.4042] reaches below 5%: ok.
    assert got[("2024-02-01", "app")]["status"] == "ok"


def test_compare_and_trend_keep_their_columns_and_rows(engine):
    table = engine.run(kpis=["late_delivery_rate", "average_score"], grain="month", by=["channel"],
                       compare="previous_period", trend=2)
    columns = table.column_names
    assert columns.index("value") < columns.index("sample") < columns.index("low") < columns.index("compare_value")
    late = rows(table, "late_delivery_rate", ("channel",))
    web = late[("2024-02-01", "web")]
    # Feb web 6/20 against Jan web 1/3: 0.3 - 0.3333 is better for a lower KPI.
    assert (round(web["compare_value"], 4), web["verdict"], web["status"], web["trend"]) == (0.3333, "improving", "critical", "down")
    assert web["weather"] == "stormy"
    score = rows(table, "average_score", ("channel",))
    # Feb web: 8 answers averaging 7.75, against Jan web's 8.2; a series of 2 months.
    assert (score[("2024-02-01", "web")]["sample"], score[("2024-02-01", "web")]["trend"]) == (8, "down")


def test_a_pace_under_min_sample_is_not_judged_either(engine):
    got = rows(engine.run(kpis=["order_revenue"], grain="month", by=["channel"]), "order_revenue", ("channel",))
    # Jan app: 3 orders (10 + 20 + 30 = 60): under min_sample 4, the row and its pace are no_data.
    jan_app = got[("2024-01-01", "app")]
    assert (jan_app["value"], jan_app["pace"], jan_app["status"], jan_app["pace_status"]) == (60, 60, "no_data", "no_data")
    # Jan web: 3 orders too; Feb web: 20 orders, 2100 >= 100: ok.
    assert (got[("2024-02-01", "web")]["status"], got[("2024-02-01", "web")]["pace_status"]) == ("ok", "ok")


def _cli(defs, url, *args):
    result = CliRunner().invoke(cli, ["run", str(defs), "--connection", url, "--kpi", "late_delivery_rate",
                                      "--kpi", "average_score", "--grain", "month", "--by", "channel", *args])
    assert result.exit_code == 0, result.stderr
    return result


def test_outputs_carry_the_sample_the_interval_and_the_note(defs, duckdb_url):
    records = json.loads(_cli(defs, duckdb_url, "--format", "json").stdout)
    jan_web = next(r for r in records if r["kpi"] == "late_delivery_rate" and r["period_start"] == "2024-01-01" and r["channel"] == "web")
    assert list(jan_web)[:9] == ["kpi", "period_start", "channel", "numerator", "denominator", "value", "sample", "low", "high"]
    assert (round(jan_web["low"], 4), round(jan_web["high"], 4), jan_web["status"]) == (0.0615, 0.7923, "warn")
    csv = pacsv.read_csv(io.BytesIO(_cli(defs, duckdb_url, "--format", "csv").stdout_bytes))
    assert {"sample", "low", "high", "note"} <= set(csv.column_names)
    parquet = pq.read_table(io.BytesIO(_cli(defs, duckdb_url, "--format", "parquet").stdout_bytes))
    assert parquet.schema.field("low").type == pa.float64() and parquet.schema.field("sample").type == pa.float64()
    text = _cli(defs, duckdb_url).stdout
    header = text.splitlines()[0].split()
    assert header[:6] == ["kpi", "period", "channel", "value", "interval", "target"] and "sample" in header
    line = next(line for line in text.splitlines() if line.startswith("late_delivery_rate") and "2024-01-01  web" in line)
    assert line.split()[3:6] == ["33.33%", "6.15%..79.23%", "warn"]
    assert "sample 3 is under min_sample 4: too few to judge" in text


# -- definitions ----------------------------------------------------------------------------

HEAD = """\
sources:
  orders: {table: orders, time: ordered_at}
  sessions: {table: sessions, time: started_at}
kpis:
  k:
"""
RATE = ("    numerator: {source: orders, expr: count(*), where: delivered_at > promised_at}\n"
        "    denominator: {source: orders, expr: count(*), where: delivered_at is not null}\n"
        "    unit: percent\n")


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        (RATE + "    confidence: 1.5\n", 9, "confidence must be between 0 and 1 (e.g. 0.95), not 1.5"),
        (RATE + "    confidence: 0\n", 9, "confidence must be between 0 and 1 (e.g. 0.95), not 0"),
        (RATE + "    confidence: high\n", 9, "confidence must be a number, not 'high'"),
        ("    value: {source: orders, expr: count(*)}\n    confidence: 0.95\n", 7,
         "confidence applies to rates (numerator/denominator with unit percent or ratio), not to a value KPI"),
        (RATE.replace("percent", "currency") + "    confidence: 0.95\n", 9,
         "confidence applies to rates: unit must be percent or ratio, not currency"),
        ("    numerator: {source: orders, expr: count(*)}\n    denominator: {source: sessions, expr: count(*)}\n"
         "    unit: percent\n    confidence: 0.95\n", 9,
         "confidence needs the numerator to count rows of the denominator's source, but they count orders and sessions"),
        ("    numerator: {source: orders, expr: sum(revenue)}\n    denominator: {source: orders, expr: count(*)}\n"
         "    unit: ratio\n    confidence: 0.95\n", 9, "confidence needs counts on both sides (successes out of trials), not 'sum(revenue)'"),
        ("    numerator: {source: orders, expr: count(*), where: channel = 'web'}\n"
         "    denominator: {source: orders, expr: count(*), where: channel = 'app'}\n"
         "    unit: percent\n    confidence: 0.95\n", 9,
         "confidence needs the numerator to count only rows the denominator counts, but nothing in its where "
         "implies 'channel = 'app'' (add it to the numerator's where)"),
        (RATE + "    min_sample: -1\n", 9, "min_sample must not be negative"),
        (RATE + "    min_sample: 5\n    min_denominator: 5\n", 10, "give min_sample or min_denominator (its older spelling), not both"),
        ("    value: {source: orders, expr: sum(revenue)}\n    min_sample: 30\n", 7,
         "min_sample on a value KPI needs sample: an aggregate counting what the value rests on, e.g. sample: count(*)"),
        ("    value: {source: orders, expr: sum(revenue)}\n    sample: revenue\n", 7,
         "sample: expression must aggregate, e.g. count(*) or sum(revenue)"),
        ("    value: {source: orders, expr: sum(revenue)}\n    sample: count(*) + (select 1)\n", 7,
         "sample: '(SELECT 1)' is not allowed in a KPI expression"),
        ("    value: {source: orders, expr: sum(revenue)}\n    sample: pg_sleep(1)\n", 7, "sample: unknown function 'pg_sleep'"),
        (RATE + "    sample: count(*)\n", 9, "sample: is for value and metric KPIs; a ratio's sample is its denominator"),
        ("    metric: {type: top, source: orders, item: channel, expr: count(*)}\n    min_sample: 5\n", 7,
         "min_sample: metric type 'top' declares no sample; add sample: an aggregate over orders, e.g. sample: count(*)"),
    ],
)
def test_each_misuse_is_one_line_at_its_file_and_line(tmp_path, body, line, message):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "bad.yaml").write_text(HEAD + body)
    result = CliRunner().invoke(cli, ["validate", str(defs)])
    assert result.exit_code == 3, result.stderr
    *problems, summary = result.stderr.strip().splitlines()
    assert summary == "1 problem in the definitions" and len(problems) == 1, result.stderr
    assert problems[0].startswith(f"{defs / 'bad.yaml'}:{line}:"), problems[0]
    assert f": kpi k: {message}" in problems[0], problems[0]


def test_a_formula_other_than_a_ratio_has_no_sample(tmp_path):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "bad.yaml").write_text(
        "sources:\n  orders: {table: orders}\nkpis:\n  a: {value: {source: orders, expr: count(*)}}\n"
        "  k:\n    formula: a - 1\n    min_sample: 3\n"
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(defs)
    (problem,) = raised.value.problems
    assert (problem.line, problem.name) == (7, "k")
    assert problem.message == ("min_sample on a formula needs a / b (its sample is the denominator); "
                               "put min_sample on the KPIs it combines")


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [
        # the shipped late delivery rate: a comparison of delivered_at is never true on NULL
        ("count(*), where: delivered_at > promised_at", "count(*), where: delivered_at is not null"),
        # the shipped promoter share: score >= 9 implies an answer
        ("count(*), where: score >= 9", "count(score)"),
        ("count(x), where: a and b", "count(*), where: b"),
        ("count(distinct customer_id), where: channel = 'web'", "count(distinct customer_id)"),
        ("count(*), where: answered", "count(*), where: answered is not null"),
        # the shipped quote conversion rate: won is one of the decided statuses
        ("count(*), where: status = 'won'", "count(*), where: \"status in ('won', 'lost')\""),
        ("count(*), where: \"status in ('won')\"", "count(*), where: \"status in ('won', 'lost')\""),
    ],
)
def test_numerators_counting_a_subset_of_the_denominator_are_rates(tmp_path, numerator, denominator):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "ok.yaml").write_text(
        "sources:\n  orders: {table: orders}\nkpis:\n  k:\n"
        f"    numerator: {{source: orders, expr: {numerator}}}\n    denominator: {{source: orders, expr: {denominator}}}\n"
        "    unit: percent\n    confidence: 0.9\n"
    )
    assert kpi_engine.load(defs).kpis["k"].confidence == 0.9


@pytest.mark.parametrize(
    ("numerator", "denominator"),
    [
        ("count(*)", "count(score)"),  # a row without a score is counted above, not below
        ("count(distinct customer_id)", "count(*)"),
        ("count(distinct a)", "count(distinct b)"),
        ("count(*), where: a or b", "count(*), where: a"),
        ("count(*), where: x is null", "count(*), where: x is not null"),
        ("count(*), where: \"status in ('won', 'open')\"", "count(*), where: \"status in ('won', 'lost')\""),
        ("count(*), where: status <> 'won'", "count(*), where: \"status in ('won', 'lost')\""),
    ],
)
def test_numerators_not_shown_to_be_a_subset_are_refused(tmp_path, numerator, denominator):
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "bad.yaml").write_text(
        "sources:\n  orders: {table: orders}\nkpis:\n  k:\n"
        f"    numerator: {{source: orders, expr: {numerator}}}\n    denominator: {{source: orders, expr: {denominator}}}\n"
        "    unit: percent\n    confidence: 0.9\n"
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(defs)
    (problem,) = raised.value.problems
    assert problem.line == 8 and problem.message.startswith("confidence")


# -- what plugins declare -------------------------------------------------------------------


def _answers(score):
    return exp.Count(this=score.copy())


class Scores:
    """Plugin functions averaging scores, each declaring (or botching) its sample."""

    @kpi_engine.hookimpl
    def kpi_register_functions(self):
        def mean(x):
            return exp.Avg(this=x.copy())

        def boom(x):
            raise RuntimeError("no sample today")

        return [
            kpi_engine.FunctionSpec("mean_score", mean, 1, 1, sample=_answers),
            kpi_engine.FunctionSpec("raising_sample", mean, 1, 1, sample=boom),
            kpi_engine.FunctionSpec("text_sample", mean, 1, 1, sample=lambda x: "count(*)"),
            kpi_engine.FunctionSpec("row_sample", mean, 1, 1, sample=lambda x: x.copy()),
            kpi_engine.FunctionSpec("sneaky_sample", mean, 1, 1, sample=lambda x: exp.Anonymous(this="pg_sleep", expressions=[])),
        ]


@pytest.mark.parametrize(
    ("function", "message"),
    [
        ("raising_sample", "value: function 'raising_sample' failed to build its sample (RuntimeError: no sample today); "
                           "this is a bug in the plugin providing it"),
        ("text_sample", "value: function 'text_sample' did not return a sqlglot expression as its sample (plugin bug)"),
        ("row_sample", "value: function 'row_sample' declares a sample that is no measure: expression must aggregate"),
        ("sneaky_sample", "value: function 'sneaky_sample' declares a sample that is refused: unknown function 'pg_sleep'"),
    ],
)
def test_a_plugin_s_broken_sample_is_one_definition_problem(tmp_path, function, message):
    plugins = kpi_engine.get_plugins(load_entrypoints=False, extra=[Scores()])
    (tmp_path / "k.yaml").write_text(
        "sources:\n  surveys: {table: surveys}\nkpis:\n  k:\n"
        f"    value: {{source: surveys, expr: {function}(score)}}\n    min_sample: 3\n"
    )
    with pytest.raises(kpi_engine.DefinitionError) as raised:
        kpi_engine.load(tmp_path, plugins.functions, metric_types=plugins.metric_types)
    (problem,) = raised.value.problems
    assert (problem.line, problem.name) == (5, "k") and problem.message.startswith(message), problem.message


def test_a_function_s_sample_is_used_only_when_min_sample_asks(tmp_path, duckdb_url):
    plugins = kpi_engine.get_plugins(extra=[Scores()])
    (tmp_path / "k.yaml").write_text(
        "sources:\n  surveys: {table: surveys, time: answered_at}\nkpis:\n"
        "  plain: {value: {source: surveys, expr: mean_score(score)}}\n"
        "  guarded: {value: {source: surveys, expr: mean_score(score)}, min_sample: 6}\n"
    )
    catalog = kpi_engine.load(tmp_path, plugins.functions, metric_types=plugins.metric_types)
    assert catalog.kpis["plain"].sample is None and catalog.kpis["guarded"].sample.text == "COUNT(score)"
    with kpi_engine.Engine(catalog, duckdb_url, plugins=plugins) as engine:
        assert "sample" not in engine.run(kpis=["plain"], grain="month").column_names
        got = {str(r["period_start"]): (r["sample"], r["status"]) for r in engine.run(kpis=["guarded"], grain="month").to_pylist()}
    # answers with a score: Jan 5 + 3 + 4 = 12, Feb 8 + 1 = 9, Mar 1
    assert got == {"2024-01-01": (12, "unrated"), "2024-02-01": (9, "unrated"), "2024-03-01": (1, "no_data")}


def _answered(query):
    """A metric type counting answers per key, with the scores given as its ``sample`` column."""
    keys = [("period_start", query.bucket(query.time))] if query.grain else []
    keys += list(query.dimensions)
    columns = [exp.alias_(e.copy(), n, quoted=True) for n, e in keys]
    columns += [exp.alias_(exp.Count(this=exp.Star()), "numerator", quoted=True),
                exp.alias_(exp.Null(), "denominator", quoted=True),
                exp.alias_(exp.Count(this=query.params["score"].copy()), "sample", quoted=True)]
    select = exp.select(*columns).from_(query.relation.copy())
    return select.group_by(*(e.copy() for _, e in keys)) if keys else select


class Answered:
    @kpi_engine.hookimpl
    def kpi_register_metric_types(self):
        return [kpi_engine.MetricTypeSpec("answered", _answered, (kpi_engine.MetricParam("score", "dimension"),),
                                          ratio=False, sample="sample")]


def test_a_metric_type_may_return_its_sample_column(tmp_path, duckdb_url):
    plugins = kpi_engine.get_plugins(extra=[Answered()])
    (tmp_path / "k.yaml").write_text(
        "sources:\n  surveys: {table: surveys, time: answered_at}\nkpis:\n"
        "  surveys_sent: {metric: {type: answered, source: surveys, score: score}}\n"
        "  guarded_sent: {metric: {type: answered, source: surveys, score: score}, min_sample: 6, target: 1}\n"
    )
    catalog = kpi_engine.load(tmp_path, plugins.functions, metric_types=plugins.metric_types)
    with kpi_engine.Engine(catalog, duckdb_url, plugins=plugins) as engine:
        assert "sample" not in engine.run(kpis=["surveys_sent"], grain="month").column_names
        table = engine.run(kpis=["surveys_sent", "guarded_sent"], grain="month")
    got = {(r["kpi"], str(r["period_start"])): (r["value"], r["sample"], r["status"]) for r in table.to_pylist()}
    # rows (blanks too) and answers per month: Jan 6 + 3 + 4 = 13 and 12, Feb 10 and 9, Mar 1 and 1
    assert got == {
        ("surveys_sent", "2024-01-01"): (13, None, "unrated"), ("surveys_sent", "2024-02-01"): (10, None, "unrated"),
        ("surveys_sent", "2024-03-01"): (1, None, "unrated"),
        ("guarded_sent", "2024-01-01"): (13, 12, "ok"), ("guarded_sent", "2024-02-01"): (10, 9, "ok"),
        ("guarded_sent", "2024-03-01"): (1, 1, "no_data"),
    }


def test_a_metric_type_declares_a_sample_it_can_hold():
    with pytest.raises(ValueError, match="needs ratio=True"):
        kpi_engine.MetricTypeSpec("x", _answered, ratio=False, sample="denominator")
    with pytest.raises(ValueError, match="must be one of"):
        kpi_engine.MetricTypeSpec("x", _answered, sample="answers")
